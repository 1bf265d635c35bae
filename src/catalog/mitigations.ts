// What already protects a route, as data: header names, wrapper functions, and idempotency libraries
// with the contract each one has (../shared/reference/runtime-anchors.md, section b). Users extend the
// names from config; the analysis (src/core/mitigations.ts) decides where each one applies.

/** Request headers that carry a client's idempotency key (compared case-insensitively). */
export const DEFAULT_IDEMPOTENCY_HEADERS: readonly string[] = ['idempotency-key', 'x-idempotency-key'];

/** Functions that run work under idempotency handling, like our runtime's `withIdempotency`. */
export const DEFAULT_WRAPPERS: readonly string[] = [
  'withIdempotency',
  'requireIdempotencyKey',
  'beginIdempotency',
  'ensureIdempotentBegin',
  'runIdempotentRequest',
  'idempotent',
  'makeIdempotent',
  'makeFunctionIdempotent',
];

export interface LibraryMitigation {
  id: string;
  /** Package the middleware/hook/interceptor/wrapper is imported from. */
  module: string | RegExp;
  /** The member chain of the imported value (see catalog/writes.ts for chains). */
  chain: RegExp;
  /**
   * Extra condition for the route to count as handled. `is-hit-check`: express-idempotency replays the
   * stored response but still calls next(), so the handler must return when `isHit(req)` is true.
   */
  requires?: 'is-hit-check' | 'registered-module';
  /** With `registered-module`: the call that must appear somewhere in the app for the decorator to act. */
  registration?: { module: string; chain: RegExp };
}

/**
 * Fastify plugins that skip encapsulation themselves (as fastify-plugin does), so registering them
 * directly covers the registering context: their hooks apply to its routes.
 */
export const SHARED_FASTIFY_PLUGINS: readonly { module: string | RegExp; chain: RegExp }[] = [
  { module: /^@idem-scan\/runtime(\/.*)?$/, chain: /^idempotencyPlugin$/ },
];

export const KNOWN_LIBRARIES: readonly LibraryMitigation[] = [
  { id: '@node-idempotency/express', module: '@node-idempotency/express', chain: /^idempotencyAsMiddleware$/ },
  { id: '@node-idempotency/fastify', module: '@node-idempotency/fastify', chain: /^idempotencyAsPlugin$/ },
  { id: '@node-idempotency/nestjs', module: '@node-idempotency/nestjs', chain: /^(NodeIdempotencyInterceptor|Idempotent)$/ },
  // `@Idempotent()` is a no-op unless IdempotencyModule is registered (it installs the interceptor).
  { id: '@nestjs/idempotency', module: '@nestjs/idempotency', chain: /^Idempotent$/, requires: 'registered-module', registration: { module: '@nestjs/idempotency', chain: /^IdempotencyModule\.forRoot(Async)?$/ } },
  { id: '@nestarc/idempotency', module: '@nestarc/idempotency', chain: /^(IdempotencyInterceptor|Idempotent)$/ },
  { id: 'express-idempotency', module: 'express-idempotency', chain: /^idempotency$/, requires: 'is-hit-check' },
  { id: '@aws-lambda-powertools/idempotency', module: /^@aws-lambda-powertools\/idempotency(\/.*)?$/, chain: /^(makeIdempotent|makeHandlerIdempotent|idempotent)$/ },
  { id: '@idem-scan/runtime', module: /^@idem-scan\/runtime(\/.*)?$/, chain: /^(withIdempot\w*|idempot\w*|Idempot\w*)$/ },
  { id: 'idempotency-middleware', module: 'idempotency-middleware', chain: /^(IdempotencyExpress|IdempotencyFastify)$/ },
  { id: 'express-idempotency-cache', module: 'express-idempotency-cache', chain: /.*/ },
  { id: 'hono-idempotency', module: 'hono-idempotency', chain: /.*/ },
];
