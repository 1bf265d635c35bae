// Store factories for the shared scenario suite, and a real Express app served on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import pg from 'pg';
import { inject } from 'vitest';
import { MemoryStore, PostgresStore, RedisStore, idempotency, type HttpIdempotencyOptions, type IdempotencyStore } from '../src/index.js';
import type { ExpressRequestLike } from '../src/express.js';

export interface StoreKit {
  name: string;
  /** Shared between processes (Redis, PostgreSQL). */
  shared: boolean;
  make(): Promise<IdempotencyStore>;
  /** A store of the same kind whose backend is unreachable. */
  down(): Promise<IdempotencyStore>;
  close(): Promise<void>;
}

const closers: (() => Promise<unknown>)[] = [];

export async function closeAll(): Promise<void> {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
}

let namespaceCounter = 0;
/** Each test gets its own key space in the shared servers. */
export function uniquePrefix(): string {
  return `t${process.pid}-${Date.now()}-${namespaceCounter++}:`;
}

export const STORE_KITS: StoreKit[] = [
  {
    name: 'memory',
    shared: false,
    make: () => Promise.resolve(new MemoryStore()),
    down: () => Promise.resolve(new BrokenStore()),
    close: () => Promise.resolve(),
  },
  {
    name: 'redis (ioredis)',
    shared: true,
    make: () => {
      const client = new Redis(inject('redisUrl'));
      closers.push(() => client.quit());
      return Promise.resolve(new RedisStore(client, { prefix: uniquePrefix() }));
    },
    down: () => {
      const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      client.on('error', () => undefined);
      closers.push(() => Promise.resolve(client.disconnect()));
      return Promise.resolve(new RedisStore(client));
    },
    close: () => Promise.resolve(),
  },
  {
    name: 'redis (node-redis)',
    shared: true,
    make: async () => {
      const client = createClient({ url: inject('redisUrl') });
      await client.connect();
      closers.push(() => client.quit());
      return new RedisStore(client, { prefix: uniquePrefix() });
    },
    down: () => {
      const client = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      return Promise.resolve(new RedisStore(client));
    },
    close: () => Promise.resolve(),
  },
  {
    name: 'postgres',
    shared: true,
    make: async () => {
      const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 20 });
      closers.push(() => pool.end());
      const table = `idem_${uniquePrefix().replace(/[^a-z0-9]/gi, '_')}`.toLowerCase();
      const store = new PostgresStore(pool, { table });
      await store.migrate();
      return store;
    },
    down: () => {
      const pool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', connectionTimeoutMillis: 500 });
      pool.on('error', () => undefined);
      closers.push(() => pool.end());
      return Promise.resolve(new PostgresStore(pool));
    },
    close: () => Promise.resolve(),
  },
];

/** A store whose backend is down: every call rejects. */
class BrokenStore implements IdempotencyStore {
  private fail(): Promise<never> {
    return Promise.reject(new Error('connection refused'));
  }
  claim(): Promise<never> {
    return this.fail();
  }
  renew(): Promise<never> {
    return this.fail();
  }
  complete(): Promise<never> {
    return this.fail();
  }
  release(): Promise<never> {
    return this.fail();
  }
  get(): Promise<never> {
    return this.fail();
  }
}

export interface TestApp {
  url: string;
  /** How often the handler body ran. */
  runs: () => number;
  close: () => Promise<void>;
}

export interface AppBehaviour {
  delayMs?: number;
  /** Status the handler answers with (default 201). */
  status?: number;
  /** Throw instead of answering, this many times. */
  failTimes?: number;
}

/** A real Express app: POST /orders creates an "order", guarded by the middleware. */
export async function startExpressApp(options: HttpIdempotencyOptions<ExpressRequestLike>, behaviour: AppBehaviour = {}): Promise<TestApp> {
  let runs = 0;
  let failures = behaviour.failTimes ?? 0;
  const app = express();
  app.use(express.json());
  app.use(idempotency(options));
  app.post('/orders', async (req, res) => {
    runs++;
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (failures > 0) {
      failures--;
      throw new Error('database timeout');
    }
    res.status(behaviour.status ?? 201).location(`/orders/${runs}`).json({ id: runs, tenant: req.get('x-tenant') ?? null, item: (req.body as { item?: string }).item, at: process.hrtime.bigint().toString() });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runs: () => runs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
