// One of two separate processes racing on the same key (test/processes.test.ts): waits for a shared
// start time, then runs withIdempotency; the work records each execution in the shared backend.
import { Redis } from 'ioredis';
import pg from 'pg';
import { PostgresStore, RedisStore, withIdempotency } from '../dist/index.js';

const [backend, url, key, startAt, namespace] = process.argv.slice(2);
let store;
let countRun;
let close;
if (backend === 'redis') {
  const client = new Redis(url);
  store = new RedisStore(client, { prefix: `${namespace}:` });
  countRun = () => client.incr(`${namespace}:executions`);
  close = () => client.quit();
} else {
  const pool = new pg.Pool({ connectionString: url });
  store = new PostgresStore(pool, { table: namespace });
  countRun = () => pool.query(`INSERT INTO ${namespace}_runs (pid) VALUES ($1)`, [process.pid]);
  close = () => pool.end();
}
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const result = await withIdempotency(key, async () => {
  await countRun();
  await new Promise((r) => setTimeout(r, 200));
  return { ranIn: process.pid };
}, { store, concurrent: { waitMs: 5_000, pollMs: 20 } });
process.stdout.write(JSON.stringify(result));
await close();
