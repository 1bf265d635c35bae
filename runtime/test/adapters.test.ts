// Fastify, Next.js (App and Pages Router) and NestJS adapters, each capturing and replaying the
// response the framework's way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { IdempotencyInterceptor, Idempotent, MemoryStore, idempotencyPlugin, withIdempotentApiRoute, withIdempotentRoute } from '../src/index.js';
import type { CallHandlerLike, ExecutionContextLike } from '../src/nest.js';
import { post } from './helpers.js';

describe('fastify plugin', () => {
  it('replays from its hooks and covers the registering context (no encapsulation)', async () => {
    let runs = 0;
    const app = Fastify();
    await app.register(idempotencyPlugin, { store: new MemoryStore() });
    app.post('/orders', async (request, reply) => {
      runs++;
      return reply.code(201).header('location', `/orders/${runs}`).send({ id: runs, item: (request.body as { item: string }).item });
    });
    app.post('/fail', async () => {
      runs++;
      throw new Error('boom');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const first = await post(`${url}/orders`, { item: 'a' }, { 'Idempotency-Key': 'f1' });
    const second = await post(`${url}/orders`, { item: 'a' }, { 'Idempotency-Key': 'f1' });
    expect(await second.text()).toBe(await first.text());
    expect(second.status).toBe(201);
    expect(second.headers.get('location')).toBe('/orders/1');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await post(`${url}/orders`, { item: 'b' }, { 'Idempotency-Key': 'f1' })).status).toBe(422);
    expect((await post(`${url}/fail`, {}, { 'Idempotency-Key': 'f2' })).status).toBe(500);
    expect((await post(`${url}/fail`, {}, { 'Idempotency-Key': 'f2' })).status).toBe(500);
    expect(runs).toBe(3);
    await app.close();
  });
});

describe('next.js', () => {
  it('wraps App Router handlers: replay, mismatch, errors release', async () => {
    let runs = 0;
    const POST = withIdempotentRoute(async (req: Request) => {
      runs++;
      const body = (await req.json()) as { item: string };
      if (body.item === 'explode') throw new Error('boom');
      return Response.json({ id: runs, item: body.item }, { status: 201, headers: { location: `/orders/${runs}` } });
    }, { store: new MemoryStore() });
    const request = (item: string, key = 'n1') => new Request('https://shop.example/api/orders', { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ item }) });
    const first = await POST(request('a'), {});
    const replay = await POST(request('a'), {});
    expect(await replay.text()).toBe(await first.text());
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('location')).toBe('/orders/1');
    expect((await POST(request('b'), {})).status).toBe(422);
    await expect(POST(request('explode', 'n2'), {})).rejects.toThrow('boom');
    await expect(POST(request('explode', 'n2'), {})).rejects.toThrow('boom');
    expect(runs).toBe(3);
  });

  it('wraps Pages Router API handlers on a real Node server', async () => {
    let runs = 0;
    const handler = withIdempotentApiRoute(async (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => {
      runs++;
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: runs, body: req.body }));
    }, { store: new MemoryStore() });
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        void handler(Object.assign(req, { body: JSON.parse(data || '{}') as unknown }), res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/orders`;
    const first = await post(url, { item: 'a' }, { 'Idempotency-Key': 'p1' });
    const second = await post(url, { item: 'a' }, { 'Idempotency-Key': 'p1' });
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(runs).toBe(1);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('nestjs interceptor', () => {
  class OrdersController {
    runs = 0;
    create(): { id: number } {
      return { id: ++this.runs };
    }
    list(): string[] {
      return [];
    }
  }
  // What `@Idempotent()` on `create` does under TypeScript's experimentalDecorators.
  Idempotent()(OrdersController.prototype, 'create', Object.getOwnPropertyDescriptor(OrdersController.prototype, 'create')!);

  /** What Nest hands an interceptor: the request/response and a handler returning an observable. */
  function call(interceptor: IdempotencyInterceptor, controller: OrdersController, method: 'create' | 'list', key: string, body: unknown): Promise<{ value: unknown; status: number; headers: Record<string, string> }> {
    const headers: Record<string, string> = {};
    const res = { statusCode: 201, setHeader: (n: string, v: string) => (headers[n] = v), status(code: number) { this.statusCode = code; } };
    const context: ExecutionContextLike = {
      switchToHttp: () => ({ getRequest: () => ({ method: 'POST', url: '/orders', body, headers: { 'idempotency-key': key } }), getResponse: () => res }),
      getHandler: () => OrdersController.prototype[method],
    };
    const next: CallHandlerLike = {
      handle: () => ({
        subscribe(observer) {
          observer.next?.(controller[method]());
          observer.complete?.();
          return { unsubscribe: () => undefined };
        },
      }),
    };
    return new Promise((resolve, reject) => {
      interceptor.intercept(context, next).subscribe({ next: (value) => resolve({ value, status: res.statusCode, headers }), error: reject });
    });
  }

  it('guards handlers marked @Idempotent and replays their result', async () => {
    const interceptor = new IdempotencyInterceptor({ store: new MemoryStore() });
    const controller = new OrdersController();
    const first = await call(interceptor, controller, 'create', 'n-1', { item: 'a' });
    const second = await call(interceptor, controller, 'create', 'n-1', { item: 'a' });
    expect(second.value).toEqual(first.value);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(controller.runs).toBe(1);
    await expect(call(interceptor, controller, 'create', 'n-1', { item: 'b' })).rejects.toMatchObject({ status: 422 });
    // Unmarked handlers pass through unless `all` is set.
    expect((await call(interceptor, controller, 'list', 'n-1', { item: 'a' })).headers['idempotent-replayed']).toBeUndefined();
  });
});
