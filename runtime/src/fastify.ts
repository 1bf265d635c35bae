// Fastify: `app.register(idempotencyPlugin, { store })`. The plugin skips encapsulation (what
// fastify-plugin does), so its hooks cover the registering context and its children: preHandler claims
// the key or answers a replay, onSend stores the outcome before the payload leaves, onError releases.
import type { Claim } from './engine.js';
import { appliesTo, beginHttp, headerName, pickHeaders, replayHeaders, shouldStore, type HttpIdempotencyOptions } from './http.js';
import type { StoredResponse } from './store.js';

export interface FastifyRequestLike {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}
export interface FastifyReplyLike {
  statusCode: number;
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  getHeaders(): Record<string, unknown>;
  send(payload?: unknown): FastifyReplyLike;
}
export interface FastifyInstanceLike {
  addHook(name: 'preHandler', hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
  addHook(name: 'onSend', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, payload: unknown) => Promise<unknown>): unknown;
  addHook(name: 'onError' | 'onRequestAbort', hook: (request: FastifyRequestLike, ...rest: unknown[]) => Promise<unknown>): unknown;
}

export function idempotencyPlugin(fastify: FastifyInstanceLike, options: HttpIdempotencyOptions<FastifyRequestLike>): Promise<void> {
  const claims = new WeakMap<FastifyRequestLike, Claim>();
  fastify.addHook('preHandler', async (request, reply) => {
    if (!appliesTo(options, request.method)) return;
    const path = request.url.split('?')[0] ?? '/';
    const started = await beginHttp({ method: request.method, path, body: request.body, headerValue: request.headers[headerName(options)], scope: options.scope?.(request) }, options);
    if (started.kind === 'skip') return;
    if (started.kind === 'proceed') {
      claims.set(request, started.claim);
      return;
    }
    const stored: StoredResponse = started.response;
    const headers = started.kind === 'replay' ? replayHeaders(options, stored) : stored.headers;
    return reply.code(stored.status).headers(headers).send(Buffer.from(stored.body, 'base64'));
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : undefined;
    if (body === undefined && payload !== null && payload !== undefined) {
      // A stream cannot be replayed byte for byte: let it through and let the client retry.
      await claim.release();
      return payload;
    }
    if (shouldStore(options, reply.statusCode)) {
      await claim.complete({ status: reply.statusCode, headers: pickHeaders(options, reply.getHeaders()), body: (body ?? Buffer.alloc(0)).toString('base64') });
    } else await claim.release();
    return payload;
  });
  const release = async (request: FastifyRequestLike): Promise<void> => {
    const claim = claims.get(request);
    claims.delete(request);
    await claim?.release();
  };
  fastify.addHook('onError', release);
  fastify.addHook('onRequestAbort', release);
  return Promise.resolve();
}

// Same marker fastify-plugin sets: register() then adds the hooks to the caller's context.
Object.assign(idempotencyPlugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'idem-scan-idempotency' });
