// The state machine every face of the runtime shares: claim the key atomically, replay a completed
// outcome, refuse a mismatched or concurrent duplicate, run the work once while renewing the lock, and
// store the outcome before it is sent. Semantics: docs/runtime.md.
import { randomUUID } from 'node:crypto';
import { IdempotencyError } from './errors.js';
import { sha256 } from './hash.js';
import { MemoryStore } from './memory-store.js';
import type { IdempotencyRecord, IdempotencyStore, StoredResponse } from './store.js';

export interface IdempotencyOptions {
  /** Where records live. Default: one in-memory store per process (warns in production). */
  store?: IdempotencyStore;
  /** A missing key: run normally and store nothing (`optional`, default), or refuse with 400 (`required`). */
  policy?: 'optional' | 'required';
  /** Separates records of different apps or APIs sharing one store. */
  namespace?: string;
  /** How long a completed record is replayed. Default 24 h. */
  ttlMs?: number;
  /** How long a claim holds without renewal; renewed every third of it while the work runs. Default 60 s. */
  lockMs?: number;
  /** A store failure refuses the request with 503 (`fail-closed`, default) or runs it unprotected (`fail-open`). */
  onStoreError?: 'fail-closed' | 'fail-open';
  /** A duplicate that arrives while the first runs: 409 (default), or wait up to `waitMs` and replay. */
  concurrent?: 'reject' | { waitMs: number; pollMs?: number };
  /** Called for store failures that do not change the answer (a failed renewal or completion). */
  logger?: (message: string, error?: unknown) => void;
}

export interface BeginRequest {
  /** The parsed key; undefined when the client sent none. */
  key: string | undefined;
  /** Tenant, user or API key the record belongs to; never replayed across scopes. */
  scope?: string | undefined;
  /** Hash of what the request asks for: same key, other fingerprint → 422. */
  fingerprint: string;
  /** Added to the store key only with `keyPerRoute`. */
  route?: string;
}

export type Begin =
  | { kind: 'skip' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'proceed'; claim: Claim };

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_LOCK_MS = 60 * 1000;

let defaultStore: MemoryStore | undefined;

/** The process-wide store used when none is configured. */
export function defaultMemoryStore(): MemoryStore {
  defaultStore ??= new MemoryStore();
  return defaultStore;
}

/** An owned claim: complete it with the outcome, or release it so the client can retry. */
export class Claim {
  private readonly timer: NodeJS.Timeout;
  private done = false;
  private lost = false;

  constructor(
    private readonly store: IdempotencyStore,
    readonly storeKey: string,
    private readonly token: string,
    private readonly options: Required<Pick<IdempotencyOptions, 'ttlMs' | 'lockMs'>> & Pick<IdempotencyOptions, 'logger'>,
  ) {
    // Long handlers keep their claim: renew before a third of the lock is left.
    this.timer = setInterval(() => {
      this.store.renew(this.storeKey, this.token, this.options.lockMs).then(
        (kept) => {
          if (!kept) this.lost = true;
        },
        (error: unknown) => this.options.logger?.('idempotency: renewing a claim failed', error),
      );
    }, Math.max(10, Math.floor(this.options.lockMs / 3)));
    this.timer.unref();
  }

  /** True when another attempt took the key over after this claim's lock expired. */
  get wasLost(): boolean {
    return this.lost;
  }

  async complete(response: StoredResponse): Promise<void> {
    if (this.finish()) return;
    try {
      const stored = await this.store.complete(this.storeKey, this.token, response, this.options.ttlMs);
      if (!stored) this.options.logger?.('idempotency: the claim was lost before completion; the outcome was not stored');
    } catch (error) {
      // The response still goes out; the claim expires and a retry runs again.
      this.options.logger?.('idempotency: storing the outcome failed', error);
    }
  }

  async release(): Promise<void> {
    if (this.finish()) return;
    try {
      await this.store.release(this.storeKey, this.token);
    } catch (error) {
      this.options.logger?.('idempotency: releasing a claim failed', error);
    }
  }

  private finish(): boolean {
    clearInterval(this.timer);
    if (this.done) return true;
    this.done = true;
    return false;
  }
}

/** Claims the request's key, or says how to answer without running the work. Throws IdempotencyError. */
export async function begin(request: BeginRequest, options: IdempotencyOptions = {}, keyPerRoute = false): Promise<Begin> {
  if (request.key === undefined) {
    if (options.policy === 'required') throw new IdempotencyError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'this request needs an Idempotency-Key header');
    return { kind: 'skip' };
  }
  const store = options.store ?? defaultMemoryStore();
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  const storeKey = sha256(options.namespace ?? 'default', request.scope ?? '', keyPerRoute ? request.route ?? '' : '', request.key);
  const deadline = typeof options.concurrent === 'object' ? Date.now() + options.concurrent.waitMs : 0;
  for (;;) {
    const token = randomUUID();
    let result: Awaited<ReturnType<IdempotencyStore['claim']>>;
    try {
      result = await store.claim({ key: storeKey, fingerprint: request.fingerprint, token, lockMs, ttlMs });
    } catch (error) {
      if (options.onStoreError === 'fail-open') {
        options.logger?.('idempotency: the store failed; running the request unprotected (fail-open)', error);
        return { kind: 'skip' };
      }
      throw new IdempotencyError(503, 'IDEMPOTENCY_STORE_UNAVAILABLE', 'the idempotency store is unavailable; retry later', 1);
    }
    if (result.claimed) {
      const claimOptions = { ttlMs, lockMs, ...(options.logger ? { logger: options.logger } : {}) };
      return { kind: 'proceed', claim: new Claim(store, storeKey, token, claimOptions) };
    }
    const record = result.record;
    if (record.fingerprint !== request.fingerprint) {
      throw new IdempotencyError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
    }
    if (record.state === 'completed' && record.response) return { kind: 'replay', response: record.response };
    const waited = await waitForCompletion(store, storeKey, deadline, typeof options.concurrent === 'object' ? options.concurrent.pollMs ?? 25 : 25);
    if (waited === 'released') continue;
    if (waited) {
      if (waited.fingerprint !== request.fingerprint) throw new IdempotencyError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
      if (waited.response) return { kind: 'replay', response: waited.response };
    }
    const retryAfter = Math.max(1, Math.ceil((record.lockedUntil - Date.now()) / 1000));
    throw new IdempotencyError(409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS', 'a request with this Idempotency-Key is still being processed', Math.min(retryAfter, 60));
  }
}

/** Polls until the record completes (returned), disappears ('released'), or the deadline passes (undefined). */
async function waitForCompletion(store: IdempotencyStore, key: string, deadline: number, pollMs: number): Promise<IdempotencyRecord | 'released' | undefined> {
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const record = await store.get(key);
    if (!record) return 'released';
    if (record.state === 'completed') return record;
    if (record.lockedUntil < Date.now()) return 'released';
  }
  return undefined;
}
