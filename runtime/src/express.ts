// Express: `app.use(idempotency({ store }))` for many routes, or `idempotent(handler)` around one.
// The response (`res.status().json()`, `res.send()`, streams of writes) is held until it is stored.
import { appliesTo, beginHttp, headerName, pickHeaders, replayHeaders, shouldStore, type HttpIdempotencyOptions } from './http.js';
import { captureResponse, sendStored, toStored, type NodeResponseLike } from './node-capture.js';

/** The parts of an Express request the adapter reads. */
export interface ExpressRequestLike {
  method: string;
  originalUrl?: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
type Next = (error?: unknown) => void;
type Handler<Req, Res> = (req: Req, res: Res, next: Next) => unknown;

export function idempotency<Req extends ExpressRequestLike, Res extends NodeResponseLike>(options: HttpIdempotencyOptions<Req> = {}): Handler<Req, Res> {
  return (req, res, next) => {
    if (!appliesTo(options, req.method)) {
      next();
      return;
    }
    run(req, res, next, options).catch(next);
  };
}

/** The in-handler form: `app.post('/orders', idempotent(async (req, res) => { … }, { store }))`. */
export function idempotent<Req extends ExpressRequestLike, Res extends NodeResponseLike>(handler: Handler<Req, Res>, options: HttpIdempotencyOptions<Req> = {}): Handler<Req, Res> {
  const middleware = idempotency<Req, Res>(options);
  return (req, res, next) => {
    middleware(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      Promise.resolve(handler(req, res, next)).catch(next);
    });
  };
}

async function run<Req extends ExpressRequestLike>(req: Req, res: NodeResponseLike, next: Next, options: HttpIdempotencyOptions<Req>): Promise<void> {
  const path = (req.originalUrl ?? req.url).split('?')[0] ?? '/';
  const started = await beginHttp({ method: req.method, path, body: req.body, headerValue: req.headers[headerName(options)], scope: options.scope?.(req) }, options);
  if (started.kind === 'skip') {
    next();
    return;
  }
  if (started.kind === 'refuse') {
    sendStored(res, started.response, started.response.headers);
    return;
  }
  if (started.kind === 'replay') {
    sendStored(res, started.response, replayHeaders(options, started.response));
    return;
  }
  const { claim } = started;
  const capture = captureResponse(res);
  next();
  const captured = await capture.done;
  if (shouldStore(options, captured.status)) await claim.complete(toStored(captured, pickHeaders(options, captured.headers)));
  else await claim.release();
  capture.flush();
}
