// The benchmarked app, run in its own process: POST /orders behind the Express adapter with the given
// store, or without the wrapper ("none") for the baseline. Prints its port when listening.
import http from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { MemoryStore, PostgresStore, RedisStore, idempotency } from '../dist/index.js';

const [storeName, redisUrl, postgresUrl] = process.argv.slice(2);
let store;
if (storeName === 'memory') store = new MemoryStore({ maxEntries: 1_000_000 });
if (storeName === 'redis') store = new RedisStore(new Redis(redisUrl), { prefix: `bench${Date.now()}:` });
if (storeName === 'postgres') {
  store = new PostgresStore(new pg.Pool({ connectionString: postgresUrl, max: 10 }), { table: `bench_${Date.now()}` });
  await store.migrate();
}
let orders = 0;
const app = express();
app.use(express.json());
if (store) app.use(idempotency({ store }));
app.post('/orders', (req, res) => {
  orders++;
  res.status(201).json({ id: orders, item: req.body.item });
});
const server = http.createServer(app);
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
