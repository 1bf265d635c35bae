// @idem-scan/runtime: Idempotency-Key handling for any async work and for Express, Fastify, NestJS and
// Next.js, with memory, Redis and PostgreSQL stores. Zero runtime dependencies.
export { withIdempotency, type WithIdempotencyOptions } from './with-idempotency.js';
export { begin, Claim, defaultMemoryStore, DEFAULT_LOCK_MS, DEFAULT_TTL_MS, type IdempotencyOptions, type Begin, type BeginRequest } from './engine.js';
export { IdempotencyError, type IdempotencyErrorCode } from './errors.js';
export { parseKey, MAX_KEY_LENGTH } from './key.js';
export type { IdempotencyStore, IdempotencyRecord, StoredResponse, ClaimRequest, ClaimResult } from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { RedisStore, type RedisStoreOptions, type RedisClientLike } from './redis-store.js';
export { PostgresStore, type PostgresStoreOptions, type PgQueryable } from './postgres-store.js';
export type { HttpIdempotencyOptions } from './http.js';
export { idempotency, idempotent } from './express.js';
export { idempotencyPlugin } from './fastify.js';
export { IdempotencyInterceptor, Idempotent, type NestIdempotencyOptions } from './nest.js';
export { withIdempotentRoute, withIdempotentApiRoute } from './next.js';
