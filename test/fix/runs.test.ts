// A fixed handler runs: for Express, Fastify, NestJS, the Next.js App Router and Pages Router, a small app
// whose "database" is an in-memory package (made known to the scanner through the config's write
// catalogue) is fixed with `idem-scan --fix`, started, and sent the same POST twice with one key and
// once with another body: one insert, an identical replayed response, and a 422. (The apps live
// under the repository's ignored .fix-test folder, hence --no-gitignore.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(ROOT, '.fix-test', 'runs');
const BIN = path.join(ROOT, 'bin/idem-scan.js');

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
});

const MEMDB = `const rows = [];
export async function insert(row) {
  const stored = { ...row, id: rows.length + 1, at: Date.now() };
  rows.push(stored);
  return stored;
}
export function count() {
  return rows.length;
}
`;

/** Writes an app (with the in-memory package and the config that names its write), fixes it, returns its folder. */
function fixedApp(name: string, dependencies: Record<string, string>, files: Record<string, string>): string {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('package.json', JSON.stringify({ name: `run-${name}`, type: 'module', dependencies: { ...dependencies, memdb: '*' } }));
  write('node_modules/memdb/package.json', JSON.stringify({ name: 'memdb', type: 'module', exports: './index.js' }));
  write('node_modules/memdb/index.js', MEMDB);
  write('idem-scan.config.json', JSON.stringify({ writes: [{ id: 'memdb.insert', kind: 'db-create', module: 'memdb', path: '^insert$' }] }));
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  const before = spawnSync(process.execPath, [BIN, '.', '--no-gitignore', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  const findings = (JSON.parse(before.stdout) as { findings: unknown[] }).findings;
  expect(findings, before.stderr).toHaveLength(1);
  const fixed = spawnSync(process.execPath, [BIN, '.', '--no-gitignore', '--fix'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(fixed.stdout, fixed.stderr).toContain('fixed 1 of 1 finding(s)');
  expect(fixed.status).toBe(0);
  return dir;
}

async function memdbCount(dir: string): Promise<number> {
  const memdb = (await import(pathToFileURL(path.join(dir, 'node_modules/memdb/index.js')).href)) as { count: () => number };
  return memdb.count();
}

interface Reply {
  status: number;
  body: string;
}

/**
 * The requests every framework must answer alike. Keys are unique per app: the apps share this test
 * process and so the runtime's default in-memory store, as routes of one server would.
 */
async function exercise(send: (key: string, body: unknown) => Promise<Reply>, dir: string): Promise<void> {
  const key = (n: number): string => `${path.basename(dir)}-key-${n}`;
  const first = await send(key(1), { item: 'book' });
  const retry = await send(key(1), { item: 'book' });
  expect(first.status).toBe(201);
  expect(retry.status).toBe(201);
  expect(retry.body).toBe(first.body);
  expect(await memdbCount(dir)).toBe(1);
  const reused = await send(key(1), { item: 'lamp' });
  expect(reused.status).toBe(422);
  expect(await memdbCount(dir)).toBe(1);
  const other = await send(key(2), { item: 'lamp' });
  expect(other.status).toBe(201);
  expect(await memdbCount(dir)).toBe(2);
}

async function overHttp(server: http.Server, pathName: string): Promise<(key: string, body: unknown) => Promise<Reply>> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return async (key, body) => {
    const res = await fetch(`http://127.0.0.1:${port}${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.text() };
  };
}

describe('a fixed handler replays duplicates', () => {
  it('Express', async () => {
    const dir = fixedApp('express', { express: '^5' }, {
      'app.js': `import express from 'express';
import { insert } from 'memdb';

export const app = express();
app.use(express.json());

app.post('/orders', async (req, res) => {
  const order = await insert({ item: req.body.item });
  res.status(201).json(order);
});
`,
    });
    const { app } = (await import(pathToFileURL(path.join(dir, 'app.js')).href)) as { app: http.RequestListener };
    const server = http.createServer(app);
    try {
      await exercise(await overHttp(server, '/orders'), dir);
    } finally {
      server.close();
    }
  });

  it('Fastify', async () => {
    const dir = fixedApp('fastify', { fastify: '^5' }, {
      'server.js': `import Fastify from 'fastify';
import { insert } from 'memdb';

export const app = Fastify();

app.post('/orders', async (request, reply) => {
  const order = await insert({ item: request.body.item });
  reply.code(201);
  return order;
});
`,
    });
    const { app } = (await import(pathToFileURL(path.join(dir, 'server.js')).href)) as { app: { listen: (o: object) => Promise<string>; close: () => Promise<void> } };
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await exercise(async (key, body) => {
        const res = await fetch(`${address}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
        return { status: res.status, body: await res.text() };
      }, dir);
    } finally {
      await app.close();
    }
  });

  it('NestJS (the fixed TypeScript controller compiled with decorators and served by Nest)', async () => {
    const dir = fixedApp('nest', { '@nestjs/common': '^11', '@nestjs/core': '^11' }, {
      'app.module.ts': `import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { insert } from 'memdb';

@Controller('orders')
export class OrdersController {
  @Post()
  @HttpCode(201)
  create(@Body() body: { item: string }) {
    return insert({ item: body.item });
  }
}

@Module({ controllers: [OrdersController] })
export class AppModule {}
`,
    });
    const source = fs.readFileSync(path.join(dir, 'app.module.ts'), 'utf8');
    expect(source).toContain("@Headers('idempotency-key') idempotencyKey: string | undefined");
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true },
    }).outputText;
    fs.writeFileSync(path.join(dir, 'app.module.js'), `import 'reflect-metadata';\n${js}`);
    const { NestFactory } = (await import('@nestjs/core')) as { NestFactory: { create: (m: unknown, o: object) => Promise<{ listen: (p: number, h: string) => Promise<unknown>; getUrl: () => Promise<string>; close: () => Promise<void> }> } };
    const { AppModule } = (await import(pathToFileURL(path.join(dir, 'app.module.js')).href)) as { AppModule: unknown };
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    try {
      await exercise(async (key, body) => {
        const res = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
        return { status: res.status, body: await res.text() };
      }, dir);
    } finally {
      await app.close();
    }
  });

  it('Next.js App Router (the route called with real Request objects)', async () => {
    const dir = fixedApp('next-app', { next: '^15' }, {
      'app/api/orders/route.js': `import { insert } from 'memdb';

export async function POST(request) {
  const body = await request.json();
  const order = await insert({ item: body.item });
  return Response.json(order, { status: 201 });
}
`,
    });
    const { POST } = (await import(pathToFileURL(path.join(dir, 'app/api/orders/route.js')).href)) as { POST: (req: Request, ctx: unknown) => Promise<Response> };
    await exercise(async (key, body) => {
      const res = await POST(new Request('http://localhost/api/orders', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
      return { status: res.status, body: await res.text() };
    }, dir);
  });

  it('Next.js Pages Router (the API route served with Next-style req.body, res.status and res.json)', async () => {
    const dir = fixedApp('next-pages', { next: '^15' }, {
      'pages/api/orders.js': `import { insert } from 'memdb';

export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).end();
  const order = await insert({ item: req.body.item });
  res.status(201).json(order);
}
`,
    });
    const { default: handler } = (await import(pathToFileURL(path.join(dir, 'pages/api/orders.js')).href)) as { default: (req: unknown, res: unknown) => Promise<void> };
    // What Next's API resolver adds to Node's request and response before calling the route.
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const api = Object.assign(res, {
          status(code: number) {
            res.statusCode = code;
            return api;
          },
          json(value: unknown) {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(value));
            return api;
          },
        });
        void handler(Object.assign(req, { body: text ? (JSON.parse(text) as unknown) : undefined }), api);
      });
    });
    try {
      await exercise(await overHttp(server, '/api/orders'), dir);
    } finally {
      server.close();
    }
  });
});
