// Code fixed by idem-scan imports @idem-scan/runtime: every form of it must count as protection.
import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const db = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

describe('@idem-scan/runtime is recognised in every framework', () => {
  it('Express middleware and the in-handler wrapper', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'a', dependencies: { express: '^5', '@idem-scan/runtime': '*' } }),
      'src/db.ts': db,
      'src/app.ts': `import express from 'express';\nimport { idempotency, idempotent } from '@idem-scan/runtime';\nimport { prisma } from './db';\nconst app = express();\n` +
        `app.post('/one', idempotent(async (req, res) => { res.json(await prisma.order.create({ data: {} })); }));\n` +
        `app.use('/api', idempotency({ store }));\napp.post('/api/two', async (req, res) => { res.json(await prisma.order.create({ data: {} })); });\n`,
    });
    expect(verdicts(result)).toEqual(['POST /one handled', 'POST /api/two handled']);
  });

  it('Fastify plugin registered directly (it skips encapsulation itself)', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'b', dependencies: { fastify: '^5' } }),
      'src/db.ts': db,
      'src/server.ts': `import Fastify from 'fastify';\nimport { idempotencyPlugin } from '@idem-scan/runtime';\nimport { prisma } from './db';\nconst app = Fastify();\n` +
        `app.register(async (scope) => {\n  await scope.register(idempotencyPlugin, { store });\n  scope.post('/orders', async () => prisma.order.create({ data: {} }));\n});\n` +
        `app.post('/other', async () => prisma.order.create({ data: {} }));\n`,
    });
    expect(verdicts(result)).toEqual(['POST /orders handled', 'POST /other reported high']);
  });

  it('NestJS global interceptor and Next.js route wrappers', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'c', dependencies: { next: '^15', '@nestjs/common': '^11', '@nestjs/core': '^11' } }),
      'lib/db.ts': db,
      'src/main.ts': `import { NestFactory } from '@nestjs/core';\nimport { IdempotencyInterceptor } from '@idem-scan/runtime';\nasync function boot() { const app = await NestFactory.create({}); app.useGlobalInterceptors(new IdempotencyInterceptor({ store })); }\n`,
      'src/orders.controller.ts': `import { Controller, Post } from '@nestjs/common';\nimport { prisma } from '../lib/db';\n@Controller('orders')\nexport class OrdersController {\n  @Post() create() { return prisma.order.create({ data: {} }); }\n}\n`,
      'app/api/orders/route.ts': `import { withIdempotentRoute } from '@idem-scan/runtime';\nimport { prisma } from '../../../lib/db';\nexport const POST = withIdempotentRoute(async () => Response.json(await prisma.order.create({ data: {} })), { store });\n`,
      'pages/api/orders.ts': `import { withIdempotentApiRoute } from '@idem-scan/runtime';\nimport { prisma } from '../../lib/db';\nasync function handler(req, res) { if (req.method !== 'POST') return res.status(405).end(); res.json(await prisma.order.create({ data: {} })); }\nexport default withIdempotentApiRoute(handler, { store });\n`,
    });
    expect(verdicts(result)).toEqual(['POST /api/orders handled', 'POST /api/orders handled', 'POST /orders handled']);
  });
});
