// In-process event buses, as data: a handler that emits an event runs the listeners registered for it
// (an `order.placed` listener that e-mails the customer), so the listeners' writes are the route's.
// Only emitters from these packages (or project classes extending them) are followed: `socket.emit`
// sends to a client and `res.emit` signals a stream, neither runs the project's `on(...)` callbacks.

/** Packages whose emitters call the listeners registered in the same process. */
export const EVENT_EMITTER_MODULES = /^(node:)?events$|^eventemitter[23]$|^@nestjs\/event-emitter$|^emittery$|^mitt$|^nanoevents$/;
/** Methods that run the listeners of an event. */
export const EMIT_METHOD = /^(emit|emitAsync|emitSerial)$/;
/** Methods that register a listener: `bus.on('order.placed', fn)`. */
export const LISTEN_METHOD = /^(on|once|addListener|prependListener|prependOnceListener)$/;
