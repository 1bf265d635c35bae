// Holds back a Node ServerResponse (Express, Next.js Pages Router) until its outcome is stored: writes
// and the final end() are buffered, then flushed after the record is written. Without this a client
// could receive a response whose record does not exist yet, and its retry would run the work again.
import type { StoredResponse } from './store.js';

export interface NodeResponseLike {
  statusCode: number;
  getHeaders(): Record<string, unknown>;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  write(...args: unknown[]): boolean;
  end(...args: unknown[]): unknown;
  headersSent?: boolean;
}

export interface Captured {
  status: number;
  headers: Record<string, unknown>;
  body: Buffer;
}

/** Intercepts the response; resolves when the handler ends it. Call `flush()` to actually send it. */
export function captureResponse(res: NodeResponseLike): { done: Promise<Captured>; flush: () => void } {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  let resolveDone: (c: Captured) => void = () => undefined;
  const done = new Promise<Captured>((resolve) => {
    resolveDone = resolve;
  });
  let endCallback: (() => void) | undefined;
  const collect = (chunk: unknown, encoding?: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  res.write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    collect(chunk, encoding);
    const callback = typeof encoding === 'function' ? encoding : cb;
    if (typeof callback === 'function') queueMicrotask(callback as () => void);
    return true;
  };
  res.end = (chunk?: unknown, encoding?: unknown, cb?: unknown): unknown => {
    collect(chunk, encoding);
    const callback = [chunk, encoding, cb].find((a) => typeof a === 'function');
    if (typeof callback === 'function') endCallback = callback as () => void;
    resolveDone({ status: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks) });
    return res;
  };
  const flush = (): void => {
    res.write = write;
    res.end = end;
    end(Buffer.concat(chunks), endCallback);
  };
  return { done, flush };
}

/** Sends a stored response on a Node ServerResponse. */
export function sendStored(res: NodeResponseLike, stored: StoredResponse, headers: Record<string, string>): void {
  res.statusCode = stored.status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const body = Buffer.from(stored.body, 'base64');
  res.setHeader('content-length', String(body.length));
  res.end(body);
}

export function toStored(captured: Captured, headers: Record<string, string>): StoredResponse {
  return { status: captured.status, headers, body: captured.body.toString('base64') };
}
