// Shared state in PostgreSQL. The claim is one INSERT … ON CONFLICT DO UPDATE … WHERE (the row is taken
// over only when expired or when its lock lapsed), so two instances can never both claim a key; every
// other change is fenced by the claim's token. Times come from the database clock.
import { readFileSync } from 'node:fs';
import type { ClaimRequest, ClaimResult, IdempotencyRecord, IdempotencyStore, StoredResponse } from './store.js';

/** A `pg` Pool or Client (anything with `query(text, values)`). */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

export interface PostgresStoreOptions {
  /** Table name (schema-qualified if needed). Default `idempotency_keys`. */
  table?: string;
}

export class PostgresStore implements IdempotencyStore {
  private readonly table: string;

  constructor(private readonly db: PgQueryable, options: PostgresStoreOptions = {}) {
    this.table = options.table ?? 'idempotency_keys';
    if (!/^[A-Za-z_][\w.]*$/.test(this.table)) throw new Error(`invalid table name: ${this.table}`);
  }

  /** Creates the table and its index (idempotent); the same SQL ships in migrations/. */
  async migrate(): Promise<void> {
    const sql = readFileSync(new URL('../migrations/001_idempotency_keys.sql', import.meta.url), 'utf8');
    await this.db.query(sql.replaceAll('idempotency_keys', this.table));
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const { rows } = await this.db.query(
      `INSERT INTO ${this.table} AS t (key, fingerprint, status, token, locked_until, expires_at)
       VALUES ($1, $2, 'in-progress', $3, now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = 'in-progress', token = EXCLUDED.token,
         response = NULL, locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at, created_at = now()
       WHERE t.expires_at <= now() OR (t.status = 'in-progress' AND t.locked_until < now())
       RETURNING token`,
      [request.key, request.fingerprint, request.token, request.lockMs, request.ttlMs],
    );
    if (rows[0]?.token === request.token) return { claimed: true };
    const record = await this.get(request.key);
    // Expired between the two statements: try once more.
    return record ? { claimed: false, record } : this.claim(request);
  }

  async renew(key: string, token: string, lockMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE ${this.table} SET locked_until = now() + $3 * interval '1 millisecond' WHERE key = $1 AND token = $2 AND status = 'in-progress'`,
      [key, token, lockMs],
    );
    return rowCount === 1;
  }

  async complete(key: string, token: string, response: StoredResponse, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE ${this.table} SET status = 'completed', response = $3, locked_until = NULL, expires_at = now() + $4 * interval '1 millisecond'
       WHERE key = $1 AND token = $2`,
      [key, token, JSON.stringify(response), ttlMs],
    );
    return rowCount === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.table} WHERE key = $1 AND token = $2 AND status = 'in-progress'`, [key, token]);
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT status, fingerprint, token, response,
              (extract(epoch from locked_until) * 1000)::bigint AS locked_until, (extract(epoch from expires_at) * 1000)::bigint AS expires_at
       FROM ${this.table} WHERE key = $1 AND expires_at > now()`,
      [key],
    );
    const row = rows[0];
    if (!row) return undefined;
    const record: IdempotencyRecord = {
      state: row.status as IdempotencyRecord['state'],
      fingerprint: String(row.fingerprint),
      token: String(row.token),
      lockedUntil: Number(row.locked_until ?? 0),
      expiresAt: Number(row.expires_at),
    };
    if (row.response) record.response = row.response as StoredResponse;
    return record;
  }

  /** Deletes expired records; returns how many. */
  async cleanup(): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM ${this.table} WHERE expires_at <= now()`);
    return rowCount ?? 0;
  }

  /** Runs cleanup() every `intervalMs`; returns a function that stops it. */
  startCleanup(intervalMs: number, onDeleted?: (count: number) => void, onError?: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      this.cleanup().then((count) => onDeleted?.(count), (error: unknown) => onError?.(error));
    }, intervalMs);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  }
}
