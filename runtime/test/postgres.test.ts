import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PostgresStore } from '../src/index.js';

const pool = new pg.Pool({ connectionString: inject('postgresUrl') });
afterAll(() => pool.end());

describe('PostgresStore', () => {
  it('ships a migration with the documented columns and an index on expires_at', async () => {
    const table = `mig${Date.now()}`;
    await new PostgresStore(pool, { table }).migrate();
    const { rows } = await pool.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table]);
    expect(rows.map((r: { column_name: string }) => r.column_name)).toEqual(['key', 'scope', 'fingerprint', 'status', 'token', 'response', 'locked_until', 'expires_at', 'created_at']);
    const index = await pool.query('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table]);
    expect(index.rows.map((r: { indexdef: string }) => r.indexdef).join('\n')).toContain('(expires_at)');
  });

  it('cleans up expired rows and reports how many it deleted', async () => {
    const table = `clean${Date.now()}`;
    const store = new PostgresStore(pool, { table });
    await store.migrate();
    await store.claim({ key: 'old-1', fingerprint: 'f', token: 't', lockMs: 10, ttlMs: 10 });
    await store.claim({ key: 'old-2', fingerprint: 'f', token: 't', lockMs: 10, ttlMs: 10 });
    await store.claim({ key: 'fresh', fingerprint: 'f', token: 't', lockMs: 60_000, ttlMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(await store.cleanup()).toBe(2);
    expect(await store.cleanup()).toBe(0);
    const counts: number[] = [];
    const stop = store.startCleanup(20, (n) => counts.push(n));
    await new Promise((r) => setTimeout(r, 70));
    stop();
    expect(counts.length).toBeGreaterThan(0);
  });
});
