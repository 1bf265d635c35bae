// Two separate Node processes, sharing Redis or PostgreSQL, receive the same key at the same moment:
// the work runs exactly once and both get its result.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { PostgresStore } from '../src/index.js';

const run = promisify(execFile);
const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.mjs');

async function race(backend: 'redis' | 'postgres', url: string, namespace: string): Promise<{ ranIn: number }[]> {
  const startAt = String(Date.now() + 700);
  const outputs = await Promise.all([1, 2].map(() => run(process.execPath, [worker, backend, url, 'same-order', startAt, namespace])));
  return outputs.map((o) => JSON.parse(o.stdout) as { ranIn: number });
}

describe('two processes, one key', () => {
  it('run the work once with a shared Redis', async () => {
    const namespace = `proc${Date.now()}`;
    const results = await race('redis', inject('redisUrl'), namespace);
    const client = new Redis(inject('redisUrl'));
    expect(Number(await client.get(`${namespace}:executions`))).toBe(1);
    await client.quit();
    expect(results[0]).toEqual(results[1]);
  });

  it('run the work once with a shared PostgreSQL', async () => {
    const namespace = `proc${Date.now()}`;
    const pool = new pg.Pool({ connectionString: inject('postgresUrl') });
    await new PostgresStore(pool, { table: namespace }).migrate();
    await pool.query(`CREATE TABLE ${namespace}_runs (pid int)`);
    const results = await race('postgres', inject('postgresUrl'), namespace);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${namespace}_runs`)).rows[0]).toEqual({ n: 1 });
    await pool.end();
    expect(results[0]).toEqual(results[1]);
  });
});
