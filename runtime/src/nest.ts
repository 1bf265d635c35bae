// NestJS: `app.useGlobalInterceptors(new IdempotencyInterceptor({ store }))` (or `@UseInterceptors`) plus
// `@Idempotent()` on the handlers it should guard. No runtime import of @nestjs or rxjs: the interceptor
// returns an interop observable, and refusals become HttpExceptions when @nestjs/common is present.
import { appliesTo, beginHttp, headerName, pickHeaders, replayHeaders, shouldStore, type HttpIdempotencyOptions } from './http.js';
import type { StoredResponse } from './store.js';

const IDEMPOTENT = Symbol.for('idem-scan.idempotent');

export interface NestRequestLike {
  method: string;
  originalUrl?: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
interface NestResponseLike {
  statusCode: number;
  status?(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  getHeaders?(): Record<string, unknown>;
}
interface Observer {
  next?(value: unknown): void;
  error?(error: unknown): void;
  complete?(): void;
}
interface Subscribable {
  subscribe(observer: Observer): { unsubscribe(): void };
}
export interface ExecutionContextLike {
  switchToHttp(): { getRequest(): NestRequestLike; getResponse(): NestResponseLike };
  getHandler(): object;
}
export interface CallHandlerLike {
  handle(): Subscribable;
}

export interface NestIdempotencyOptions extends HttpIdempotencyOptions<NestRequestLike> {
  /** Guard every handler of the configured methods, not only those marked `@Idempotent()`. */
  all?: boolean;
}

/** Marks a controller method for the interceptor. */
export function Idempotent(): MethodDecorator {
  return (_target, _key, descriptor) => {
    Object.defineProperty(descriptor.value, IDEMPOTENT, { value: true });
    return descriptor;
  };
}

const observableSymbol: symbol | string = (Symbol as { observable?: symbol }).observable ?? '@@observable';

export class IdempotencyInterceptor {
  constructor(private readonly options: NestIdempotencyOptions = {}) {}

  intercept(context: ExecutionContextLike, next: CallHandlerLike): Subscribable {
    const http = context.switchToHttp();
    const req = http.getRequest();
    const res = http.getResponse();
    const marked = (context.getHandler() as Record<symbol, unknown>)[IDEMPOTENT] === true;
    if (!appliesTo(this.options, req.method) || (!marked && !this.options.all)) return next.handle();
    const options = this.options;
    const observable: Subscribable & Record<string | symbol, unknown> = {
      subscribe(observer: Observer) {
        let inner: { unsubscribe(): void } | undefined;
        const fail = (error: unknown): void => observer.error?.(error);
        const path = (req.originalUrl ?? req.url).split('?')[0] ?? '/';
        beginHttp({ method: req.method, path, body: req.body, headerValue: req.headers[headerName(options)], scope: options.scope?.(req) }, options)
          .then(async (started) => {
            if (started.kind === 'skip') {
              inner = next.handle().subscribe(observer);
              return;
            }
            if (started.kind === 'refuse') {
              fail(await toHttpException(started.response));
              return;
            }
            if (started.kind === 'replay') {
              applyStored(res, started.response, replayHeaders(options, started.response));
              observer.next?.(decodeJson(started.response.body));
              return observer.complete?.();
            }
            const { claim } = started;
            let value: unknown;
            inner = next.handle().subscribe({
              next: (v) => {
                value = v;
              },
              error: (error) => {
                void claim.release().then(() => {
                  fail(error);
                });
              },
              complete: () => {
                const status = res.statusCode;
                const body = Buffer.from(value === undefined ? '' : JSON.stringify(value)).toString('base64');
                const headers = pickHeaders(options, { 'content-type': 'application/json; charset=utf-8', ...(res.getHeaders?.() ?? {}) });
                const stored = shouldStore(options, status) ? claim.complete({ status, headers, body }) : claim.release();
                void stored.then(() => {
                  observer.next?.(value);
                  observer.complete?.();
                });
              },
            });
          })
          .catch(fail);
        return { unsubscribe: () => inner?.unsubscribe() };
      },
    };
    observable[observableSymbol] = () => observable;
    return observable;
  }
}

function applyStored(res: NestResponseLike, stored: StoredResponse, headers: Record<string, string>): void {
  if (res.status) res.status(stored.status);
  else res.statusCode = stored.status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

function decodeJson(body: string): unknown {
  const text = Buffer.from(body, 'base64').toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Nest's exception filter answers HttpExceptions with their status; load it from the app's own copy. */
async function toHttpException(stored: StoredResponse): Promise<unknown> {
  const body = decodeJson(stored.body);
  try {
    const specifier = '@nestjs/common';
    const common = (await import(specifier)) as { HttpException: new (body: unknown, status: number) => Error };
    return new common.HttpException(body, stored.status);
  } catch {
    return Object.assign(new Error(JSON.stringify(body)), { status: stored.status, response: body });
  }
}
