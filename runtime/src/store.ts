// What a store must do. Every operation that changes a record is atomic in the store and fenced by the
// claim's token, so a request whose lock expired can never overwrite the record of a newer attempt.

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** Base64 of the exact body bytes: replays are byte-identical. */
  body: string;
}

export interface IdempotencyRecord {
  state: 'in-progress' | 'completed';
  fingerprint: string;
  /** Ownership token of the claim that wrote the record. */
  token: string;
  /** In progress: epoch ms until which the claim is held (renewed while the work runs). */
  lockedUntil: number;
  /** Epoch ms after which the record is gone. */
  expiresAt: number;
  /** Completed: the outcome to replay. */
  response?: StoredResponse;
}

export type ClaimResult = { claimed: true } | { claimed: false; record: IdempotencyRecord };

export interface ClaimRequest {
  key: string;
  fingerprint: string;
  token: string;
  lockMs: number;
  /** Lifetime of the in-progress record itself (a claim never outlives it). */
  ttlMs: number;
}

export interface IdempotencyStore {
  /**
   * Claims `key` atomically: succeeds when there is no live record, or when the existing one is in
   * progress with an expired lock (its process died). Otherwise returns the existing record.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Extends the lock of a claim still owned by `token`; false when it was lost. */
  renew(key: string, token: string, lockMs: number): Promise<boolean>;
  /** Stores the outcome, if `token` still owns the claim; false otherwise. */
  complete(key: string, token: string, response: StoredResponse, ttlMs: number): Promise<boolean>;
  /** Drops an in-progress claim owned by `token` so the client can retry (errors, 5xx). */
  release(key: string, token: string): Promise<void>;
  /** Reads the live record (for waiting duplicates). */
  get(key: string): Promise<IdempotencyRecord | undefined>;
}
