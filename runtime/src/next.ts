// Next.js: `export const POST = withIdempotentRoute(async (req) => …, { store })` for the App Router,
// `export default withIdempotentApiRoute(handler, { store })` for the Pages Router.
import { appliesTo, beginHttp, headerName, pickHeaders, replayHeaders, shouldStore, type HttpIdempotencyOptions } from './http.js';
import { captureResponse, sendStored, toStored, type NodeResponseLike } from './node-capture.js';
import type { StoredResponse } from './store.js';

type RouteHandler<Req extends Request, Ctx> = (req: Req, ctx: Ctx) => Response | Promise<Response>;

/** `Req` is `Request` or a subtype such as Next's `NextRequest`, so a handler keeps its own parameter type. */
export function withIdempotentRoute<Req extends Request, Ctx>(handler: RouteHandler<Req, Ctx>, options: HttpIdempotencyOptions<Req> = {}): (req: Req, ctx: Ctx) => Promise<Response> {
  return async (req, ctx) => {
    if (!appliesTo(options, req.method)) return handler(req, ctx);
    const text = await req.clone().text();
    const started = await beginHttp(
      { method: req.method, path: new URL(req.url).pathname, body: parseBody(text), headerValue: req.headers.get(headerName(options)), scope: options.scope?.(req) },
      options,
    );
    if (started.kind === 'skip') return handler(req, ctx);
    if (started.kind === 'refuse') return toResponse(started.response, started.response.headers);
    if (started.kind === 'replay') return toResponse(started.response, replayHeaders(options, started.response));
    let response: Response;
    try {
      response = await handler(req, ctx);
    } catch (error) {
      await started.claim.release();
      throw error;
    }
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (shouldStore(options, response.status)) {
      await started.claim.complete({ status: response.status, headers: pickHeaders(options, headers), body: body.toString('base64') });
    } else await started.claim.release();
    return new Response(body.length > 0 ? body : null, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export interface PagesRequestLike {
  method?: string;
  url?: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
type ApiHandler<Req, Res> = (req: Req, res: Res) => unknown;

export function withIdempotentApiRoute<Req extends PagesRequestLike, Res extends NodeResponseLike>(handler: ApiHandler<Req, Res>, options: HttpIdempotencyOptions<Req> = {}): ApiHandler<Req, Promise<void>> & ((req: Req, res: Res) => Promise<void>) {
  return (async (req: Req, res: Res) => {
    const method = req.method ?? 'GET';
    if (!appliesTo(options, method)) {
      await handler(req, res);
      return;
    }
    const started = await beginHttp({ method, path: (req.url ?? '/').split('?')[0] ?? '/', body: req.body, headerValue: req.headers[headerName(options)], scope: options.scope?.(req) }, options);
    if (started.kind === 'skip') {
      await handler(req, res);
      return;
    }
    if (started.kind === 'refuse' || started.kind === 'replay') {
      sendStored(res, started.response, started.kind === 'replay' ? replayHeaders(options, started.response) : started.response.headers);
      return;
    }
    const capture = captureResponse(res);
    try {
      await handler(req, res);
    } catch (error) {
      await started.claim.release();
      capture.flush();
      throw error;
    }
    const captured = await capture.done;
    if (shouldStore(options, captured.status)) await started.claim.complete(toStored(captured, pickHeaders(options, captured.headers)));
    else await started.claim.release();
    capture.flush();
  }) as never;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toResponse(stored: StoredResponse, headers: Record<string, string>): Response {
  const body = Buffer.from(stored.body, 'base64');
  return new Response(body.length > 0 ? body : null, { status: stored.status, headers });
}
