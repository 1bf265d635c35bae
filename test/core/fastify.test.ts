import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'api', dependencies: { fastify: '^5.0.0', 'fastify-plugin': '^5.0.0' } });
const db = `import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);\n`;

describe('fastify detector', () => {
  it('binds this to the instance in a handler written as a function, so decorations are reached through it', async () => {
    const app = (handler: string) => `import Fastify from 'fastify';
import mongodb from '@fastify/mongodb';
const app = Fastify();
app.register(mongodb, { url: process.env.MONGO_URL });
app.register(async function api(fastify) {
  fastify.put('/users/:id', { handler: trackVisit });
  fastify.post('/users/:id/name', { handler: rename });
}, { prefix: '/api' });
${handler}
async function rename(request) {
  await this.mongo.client.db().collection('users').updateOne({ id: request.params.id }, { $set: { name: request.body.name } });
  return { ok: true };
}`;
    const files = (handler: string) => ({ 'package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '^5', '@fastify/mongodb': '^9' } }), 'src/app.ts': app(handler) });
    expect(verdicts(await scan(files(`async function trackVisit(request) {
  await this.mongo.client.db().collection('users').updateOne({ id: request.params.id }, { $push: { visits: new Date() } }, { upsert: true });
  return { ok: true };
}`)))).toEqual(['PUT /api/users/:id reported medium', 'POST /api/users/:id/name naturally-idempotent']);
    // An arrow function keeps the module's this: nothing is known of it.
    expect(verdicts(await scan(files(`const trackVisit = async (request) => {
  await this.mongo.client.db().collection('users').updateOne({ id: request.params.id }, { $push: { visits: new Date() } }, { upsert: true });
  return { ok: true };
};`)))).toEqual(['PUT /api/users/:id read-only', 'POST /api/users/:id/name naturally-idempotent']);
  });

  it('follows register() prefixes into plugins, shorthand and full route declarations', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/routes/orders.ts': `
        import type { FastifyInstance } from 'fastify';
        import { db } from '../db';
        import { orders } from '../schema';
        export default async function orderRoutes(app: FastifyInstance) {
          app.post('/', async (request) => db.insert(orders).values(request.body as never));
          app.route({ method: ['PUT', 'PATCH'], url: '/:id', handler: async (request) => db.update(orders).set({ note: 'x' }) });
          app.post('/search', { schema: {} }, async () => db.select().from(orders));
        }`,
      'src/server.ts': `
        import Fastify from 'fastify';
        import orderRoutes from './routes/orders';
        const server = Fastify();
        server.register(orderRoutes, { prefix: '/orders' });`,
    });
    expect(verdicts(result)).toEqual([
      'POST /orders reported high',
      'PUT /orders/:id naturally-idempotent',
      'PATCH /orders/:id naturally-idempotent',
      'POST /orders/search read-only',
    ]);
  });

  it('applies hooks by encapsulation: own scope and fp-shared plugins, not sibling plugins', async () => {
    const idem = `
      import fp from 'fastify-plugin';
      import { redis } from './redis';
      export default fp(async (app) => {
        app.addHook('preHandler', async (request, reply) => {
          const key = request.headers['idempotency-key'];
          if (key && (await redis.get(String(key)))) return reply.send(await redis.get(String(key)));
        });
      });`;
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/idem.ts': idem,
      'src/server.ts': `
        import Fastify from 'fastify';
        import idem from './idem';
        import { db } from './db';
        import { orders } from './schema';
        const app = Fastify();
        app.register(async (scoped) => {
          scoped.register(idem);
          scoped.post('/protected', async (req) => db.insert(orders).values({}));
        });
        app.register(async (sibling) => {
          sibling.post('/sibling', async (req) => db.insert(orders).values({}));
        });
        app.post('/hooked', { preHandler: [async (req: any) => { await redis.set(req.headers['idempotency-key'], '1', 'NX'); }] }, async () => db.insert(orders).values({}));`,
    });
    expect(verdicts(result)).toEqual(['POST /protected handled', 'POST /sibling reported high', 'POST /hooked handled']);
  });
});

describe('fastify plugins in the wild', () => {
  it('follows @fastify/autoload folders, contextually typed plugins and decorators', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/app.ts': `
        import path from 'node:path';
        import autoload from '@fastify/autoload';
        import type { FastifyInstance } from 'fastify';
        export default async function app(fastify: FastifyInstance) {
          fastify.register(autoload, { dir: path.join(import.meta.dirname, 'plugins') });
          fastify.register(autoload, { dir: path.join(import.meta.dirname, 'routes') });
        }`,
      'src/plugins/db.ts': `
        import fp from 'fastify-plugin';
        import knex from 'knex';
        export default fp(async (fastify, opts) => { fastify.decorate('knex', knex(opts)); });`,
      'src/plugins/orders-repository.ts': `
        import fp from 'fastify-plugin';
        import type { FastifyInstance } from 'fastify';
        function createRepository(fastify: FastifyInstance) {
          return { create: (order: object) => fastify.knex('orders').insert(order) };
        }
        export default fp(async (fastify) => { fastify.decorate('ordersRepository', createRepository(fastify)); });`,
      'src/routes/api/orders/index.ts': `
        import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
        const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
          const { ordersRepository } = fastify;
          fastify.post('/', async (request) => ordersRepository.create(request.body));
        };
        export default plugin;`,
    });
    expect(verdicts(result)).toEqual(['POST /api/orders reported high']);
    expect(result.findings[0]!.writes[0]).toMatchObject({ callee: "fastify.knex('orders').insert", path: ['POST /api/orders', 'create'] });
  });
  it('knows what the untyped parameters of JavaScript plugins and helpers are from where they are registered and called', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '^5.0.0', 'fastify-plugin': '^5.0.0', knex: '^3.0.0' } }),
      'src/db.js': `const fp = require('fastify-plugin');\nconst knex = require('knex');\nmodule.exports = fp(async function dbPlugin(fastify, opts) { fastify.decorate('knex', knex(opts.connection)); });\n`,
      'src/routes/items.js': `module.exports = async function (fastify) {\n  fastify.post('/items', async (request) => { await fastify.knex('items').insert({ name: request.body.name }); return {}; });\n  fastify.post('/others', (req, reply) => createOther(req, reply, fastify));\n  fastify.post('/lookups', async (request) => fastify.knex('items').where({ name: request.body.name }));\n};\nasync function createOther(req, reply, ctx) { await ctx.knex('others').insert({ name: req.body.name }); reply.send({}); }\n`,
      'src/app.js': `const Fastify = require('fastify');\nconst app = Fastify();\napp.register(require('./db'), { connection: process.env.DATABASE_URL });\napp.register(require('./routes/items'), { prefix: '/v1' });\n`,
    });
    expect(verdicts(result)).toEqual(['POST /v1/items reported high', 'POST /v1/others reported high', 'POST /v1/lookups read-only']);
  });

  it('runs only where the framework is a dependency, or where the file names it', async () => {
    const files = {
      'src/db.ts': db,
      'src/server.ts': `
        import Fastify from 'fastify';
        const app = Fastify();
        app.post('/a', async () => 'ok');`,
    };
    // A package.json that lists fastify, none at all, or one without it but a file importing it: found.
    expect(verdicts(await scan({ 'package.json': pkg, ...files }))).toEqual(['POST /a read-only']);
    expect(verdicts(await scan(files))).toEqual(['POST /a read-only']);
    expect(verdicts(await scan({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^5.0.0' } }), ...files }))).toEqual(['POST /a read-only']);
    // An Express app's router is not also read as a Fastify plugin.
    const express = await scan({
      'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^5.0.0' } }),
      'src/routes.js': `
        const { Router } = require('express');
        const router = Router();
        router.post('/b', (req, res) => res.end());
        module.exports = router;`,
    });
    expect(express.handlers.map((h) => h.framework)).toEqual(['express']);
  });
});
