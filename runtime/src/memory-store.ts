// The default store: one process, no setup. Expired records are swept on a timer and the map is bounded;
// with several server instances use RedisStore or PostgresStore, since each process has its own memory.
import type { ClaimRequest, ClaimResult, IdempotencyRecord, IdempotencyStore, StoredResponse } from './store.js';

export interface MemoryStoreOptions {
  /** Most records kept; the oldest are dropped first. Default 10,000. */
  maxEntries?: number;
  /** How often expired records are removed. Default 60 s. */
  sweepIntervalMs?: number;
}

let warned = false;

export class MemoryStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly maxEntries: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
    if (process.env.NODE_ENV === 'production' && !warned) {
      warned = true;
      process.emitWarning('@idem-scan/runtime: the in-memory idempotency store keeps state per process; with several instances use RedisStore or PostgresStore', 'IdempotencyWarning');
    }
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    const now = Date.now();
    const existing = this.live(request.key, now);
    if (existing && !(existing.state === 'in-progress' && existing.lockedUntil < now)) return Promise.resolve({ claimed: false, record: { ...existing } });
    this.records.delete(request.key);
    this.records.set(request.key, { state: 'in-progress', fingerprint: request.fingerprint, token: request.token, lockedUntil: now + request.lockMs, expiresAt: now + request.ttlMs });
    this.evict();
    return Promise.resolve({ claimed: true });
  }

  renew(key: string, token: string, lockMs: number): Promise<boolean> {
    const record = this.live(key, Date.now());
    if (!record || record.token !== token || record.state !== 'in-progress') return Promise.resolve(false);
    record.lockedUntil = Date.now() + lockMs;
    return Promise.resolve(true);
  }

  complete(key: string, token: string, response: StoredResponse, ttlMs: number): Promise<boolean> {
    const record = this.live(key, Date.now());
    if (!record || record.token !== token) return Promise.resolve(false);
    this.records.set(key, { ...record, state: 'completed', response, lockedUntil: 0, expiresAt: Date.now() + ttlMs });
    return Promise.resolve(true);
  }

  release(key: string, token: string): Promise<void> {
    const record = this.records.get(key);
    if (record?.token === token && record.state === 'in-progress') this.records.delete(key);
    return Promise.resolve();
  }

  get(key: string): Promise<IdempotencyRecord | undefined> {
    const record = this.live(key, Date.now());
    return Promise.resolve(record ? { ...record } : undefined);
  }

  /** Removes expired records; returns how many. */
  sweep(): number {
    const now = Date.now();
    let removed = 0;
    for (const [key, record] of this.records) {
      if (record.expiresAt <= now) {
        this.records.delete(key);
        removed++;
      }
    }
    return removed;
  }

  get size(): number {
    return this.records.size;
  }

  /** Stops the sweep timer (tests, shutdown). */
  close(): void {
    clearInterval(this.sweeper);
  }

  private live(key: string, now: number): IdempotencyRecord | undefined {
    const record = this.records.get(key);
    if (record && record.expiresAt <= now) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private evict(): void {
    while (this.records.size > this.maxEntries) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }
}
