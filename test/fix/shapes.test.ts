// The shape of the fix, case by case: what is wrapped, what is returned, how the key is read, how the
// import is added, and when the route-level form (or no fix) is chosen instead.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPRESS, fixApp, type FixedApp } from './helpers.js';

const apps: FixedApp[] = [];
afterAll(() => {
  for (const app of apps) fs.rmSync(app.dir, { recursive: true, force: true });
});
async function fix(...args: Parameters<typeof fixApp>): Promise<FixedApp> {
  const app = await fixApp(...args);
  apps.push(app);
  return app;
}

const PRISMA = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";

describe('the work wrapped in withIdempotency', () => {
  it('returns the values the response needs and leaves the response code as it was', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();

router.post('/orders', async (req, res) => {
  const order = await prisma.order.create({ data: req.body });
  const note = await prisma.note.create({ data: { orderId: order.id } });
  res.status(201).json({ order, note });
});
`,
    }, EXPRESS);
    expect(app.after['routes.ts']).toBe(`import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { withIdempotency } from '@idem-scan/runtime';
const prisma = new PrismaClient();
export const router = Router();

router.post('/orders', async (req, res) => {
  const idempotencyKey = req.get('Idempotency-Key');
  const { order, note } = await withIdempotency(idempotencyKey, async () => {
    const order = await prisma.order.create({ data: req.body });
    const note = await prisma.note.create({ data: { orderId: order.id } });
    return { order, note };
  }, { input: req.body });
  res.status(201).json({ order, note });
});
`);
    const rescan = await app.rescan();
    expect(rescan.findings).toEqual([]);
    expect(rescan.handlers.find((h) => h.route === '/orders')?.status).toBe('handled');
  });

  it('wraps only the statements from the first write to the last, and scopes by the caller', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();

router.post('/notes', async (req, res) => {
  const text = String(req.body.text).trim();
  await prisma.note.create({ data: { text, authorId: req.user.id } });
  res.status(204).end();
});
`,
    }, EXPRESS);
    const text = app.after['routes.ts']!;
    expect(text).toContain("  const text = String(req.body.text).trim();\n  const idempotencyKey = req.get('Idempotency-Key');\n  await withIdempotency(idempotencyKey, async () => {\n    await prisma.note.create(");
    expect(text).toContain('}, { scope: String(req.user.id), input: req.body });\n  res.status(204).end();');
  });

  it('turns a final return into a returned withIdempotency (Fastify) and keeps the reply code', async () => {
    const app = await fix({
      'routes.ts': `import type { FastifyInstance } from 'fastify';
${PRISMA}
export default async function routes(app: FastifyInstance) {
  app.post('/invoices', async (request) => {
    const data = request.body as { total: number };
    return prisma.invoice.create({ data });
  });
  app.post('/credits', async (request) => prisma.credit.create({ data: request.body as never }));
}
`,
    }, { fastify: '^5', '@prisma/client': '^6' });
    const text = app.after['routes.ts']!;
    expect(text).toContain("    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;\n    return withIdempotency(idempotencyKey, async () => {\n      return prisma.invoice.create({ data });\n    }, { input: request.body });");
    expect(text).toContain("async (request) => withIdempotency(request.headers['idempotency-key'] as string | undefined, async () => prisma.credit.create({ data: request.body as never }), { input: request.body })");
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('adds a @Headers parameter to a Nest method (or reuses the one it has) and passes the @Body', async () => {
    const app = await fix({
      'orders.controller.ts': `import { Body, Controller, Headers, Post } from '@nestjs/common';
${PRISMA}
@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() dto: { total: number }) {
    return prisma.order.create({ data: dto });
  }

  @Post('payouts')
  payout(@Headers('idempotency-key') key: string, @Body() dto: { amount: number }) {
    if (!key) throw new Error('Idempotency-Key required');
    return prisma.payout.create({ data: dto });
  }
}
`,
    }, { '@nestjs/common': '^11', '@prisma/client': '^6' });
    const text = app.after['orders.controller.ts']!;
    expect(text).toContain("  create(@Body() dto: { total: number }, @Headers('idempotency-key') idempotencyKey: string | undefined) {\n    return withIdempotency(idempotencyKey, async () => {\n      return prisma.order.create({ data: dto });\n    }, { input: dto });");
    expect(text).toContain("  payout(@Headers('idempotency-key') key: string, @Body() dto: { amount: number }) {\n    if (!key) throw new Error('Idempotency-Key required');\n    return withIdempotency(key, async () => {");
    expect(text.match(/from '@nestjs\/common'/g)).toHaveLength(1);
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('adds the package\'s header parameter to a class-based Express route (tsoa @Header, inversify @requestHeaders)', async () => {
    const app = await fix({
      'orders.controller.ts': `import { Body, Controller, Post, Route } from 'tsoa';
${PRISMA}
@Route('orders')
export class OrdersController extends Controller {
  @Post()
  public async create(@Body() dto: { total: number }) {
    return prisma.order.create({ data: dto });
  }
}
`,
      'payouts.controller.ts': `import { controller, httpPost, requestBody } from 'inversify-express-utils';
${PRISMA}
@controller('/payouts')
export class PayoutsController {
  @httpPost('/')
  public async create(@requestBody() dto: { amount: number }) {
    return prisma.payout.create({ data: dto });
  }
}
`,
    }, { express: '^4', tsoa: '^6', 'inversify-express-utils': '^6', '@prisma/client': '^6' });
    expect(app.after['orders.controller.ts']).toContain("import { Body, Controller, Post, Route, Header } from 'tsoa';");
    expect(app.after['orders.controller.ts']).toContain("  public async create(@Body() dto: { total: number }, @Header('idempotency-key') idempotencyKey?: string) {\n    return withIdempotency(idempotencyKey, async () => {");
    expect(app.after['payouts.controller.ts']).toContain("  public async create(@requestBody() dto: { amount: number }, @requestHeaders('idempotency-key') idempotencyKey?: string) {");
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('writes CommonJS in a CommonJS file, with its quotes and without semicolons', async () => {
    const app = await fix({
      'routes.js': `const express = require("express")
const { PrismaClient } = require("@prisma/client")
const prisma = new PrismaClient()
const router = express.Router()

router.post("/tags", async (req, res) => {
  const tag = await prisma.tag.create({ data: req.body })
  res.json(tag)
})

module.exports = router
`,
    }, EXPRESS);
    const text = app.after['routes.js']!;
    expect(text).toContain('const { PrismaClient } = require("@prisma/client")\nconst { withIdempotency } = require("@idem-scan/runtime")\n');
    expect(text).toContain('  const idempotencyKey = req.get("Idempotency-Key")\n  const tag = await withIdempotency(idempotencyKey, async () => {\n    const tag = await prisma.tag.create({ data: req.body })\n    return tag\n  }, { input: req.body })\n  res.json(tag)');
    expect((await app.rescan()).findings).toEqual([]);
  });
});

describe('imports', () => {
  it('merges into an existing import from the runtime, once per file for two handlers', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
import { MemoryStore } from '@idem-scan/runtime';
${PRISMA}export const store = new MemoryStore();
export const router = Router();
router.post('/a', async (req, res) => {
  await prisma.a.create({ data: req.body });
  res.end();
});
router.post('/b', async (req, res) => {
  await prisma.b.create({ data: req.body });
  res.end();
});
`,
    }, EXPRESS);
    const text = app.after['routes.ts']!;
    expect(text).toContain("import { MemoryStore, withIdempotency } from '@idem-scan/runtime';");
    expect(text.match(/withIdempotency\(idempotencyKey/g)).toHaveLength(2);
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('aliases the wrapper when the file already has its own withIdempotency', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();
export function withIdempotency(label: string): string {
  return label;
}
router.post('/a', async (req, res) => {
  await prisma.a.create({ data: req.body });
  res.end(withIdempotency('done'));
});
`,
    }, EXPRESS);
    const text = app.after['routes.ts']!;
    expect(text).toContain("import { withIdempotency as idemScanWithIdempotency } from '@idem-scan/runtime';");
    expect(text).toContain('await idemScanWithIdempotency(idempotencyKey, async () => {');
    expect((await app.rescan()).findings).toEqual([]);
  });
});

describe('the route-level form when the response is among the writes', () => {
  it('Express: an early return between the writes wraps the handler in idempotent()', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();
router.post('/transfers', async (req, res) => {
  const from = await prisma.account.update({ where: { id: req.body.from }, data: { balance: { decrement: req.body.amount } } });
  if (from.balance < 0) return res.status(409).json({ error: 'insufficient funds' });
  await prisma.account.update({ where: { id: req.body.to }, data: { balance: { increment: req.body.amount } } });
  res.status(201).end();
});
`,
    }, EXPRESS);
    const text = app.after['routes.ts']!;
    expect(text).toContain("import { idempotent } from '@idem-scan/runtime';");
    expect(text).toContain("router.post('/transfers', idempotent(async (req, res) => {");
    expect(text).toContain('  res.status(201).end();\n}));');
    expect(app.findings[0]!.fix).toMatchObject({ available: true, shape: 'wrap-route' });
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('Express: res.json(await write()) in one statement', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();
router.post('/notes', async (req, res) => res.status(201).json(await prisma.note.create({ data: req.body })));
`,
    }, EXPRESS);
    expect(app.after['routes.ts']).toContain("router.post('/notes', idempotent(async (req, res) => res.status(201).json(await prisma.note.create({ data: req.body }))));");
  });

  it('Next App Router: the exported function becomes withIdempotentRoute(…), adding nothing else', async () => {
    const app = await fix({
      'app/api/orders/route.ts': `${PRISMA}
export async function POST() {
  const order = await prisma.order.create({ data: {} });
  return Response.json(order, { status: 201 });
}
`,
    }, { next: '^15', '@prisma/client': '^6' });
    const text = app.after['app/api/orders/route.ts']!;
    expect(text).toContain("import { withIdempotentRoute } from '@idem-scan/runtime';");
    expect(text).toContain('export const POST = withIdempotentRoute(async function POST() {');
    expect(text).toContain('  return Response.json(order, { status: 201 });\n});');
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('Pages Router: export default withIdempotentApiRoute(…)', async () => {
    const app = await fix({
      'pages/api/tickets.js': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).end();
  const ticket = await prisma.ticket.create({ data: req.body });
  res.status(201).json(ticket);
}
`,
    }, { next: '^15', '@prisma/client': '^6' });
    const text = app.after['pages/api/tickets.js']!;
    expect(text).toContain('export default withIdempotentApiRoute(async function handler(req, res) {');
    expect(text).toContain('  res.status(201).json(ticket);\n});');
    expect((await app.rescan()).findings).toEqual([]);
  });

  it('a write that assigns a variable declared before it is not lifted into a callback', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();
router.post('/runs', async (req, res) => {
  let id = '';
  id = (await prisma.run.create({ data: req.body })).id;
  res.json({ id });
});
`,
    }, EXPRESS);
    expect(app.after['routes.ts']).toContain("router.post('/runs', idempotent(async (req, res) => {");
  });
});

describe('no fix', () => {
  it('a Server Action gets a reason, not an edit', async () => {
    const app = await fix({
      'app/actions.ts': `'use server';
${PRISMA}
export async function addNote(form: FormData) {
  await prisma.note.create({ data: { text: String(form.get('text')) } });
}
`,
    }, { next: '^15', '@prisma/client': '^6' });
    expect(app.findings[0]!.fix).toEqual({ available: false, reason: expect.stringMatching(/Server Action receives no request headers/) as unknown });
    expect(app.after).toEqual({});
  });
});

describe('config', () => {
  it('fix.module, fix.wrapper and fix.policy: required', async () => {
    const app = await fix({
      'routes.ts': `import { Router } from 'express';
${PRISMA}export const router = Router();
router.post('/a', async (req, res) => {
  await prisma.a.create({ data: req.body });
  res.end();
});
`,
    }, EXPRESS, { fix: { module: '@acme/idempotency', wrapper: 'oncePerKey', policy: 'required' } });
    const text = app.after['routes.ts']!;
    expect(text).toContain("import { oncePerKey } from '@acme/idempotency';");
    expect(text).toContain("}, { input: req.body, policy: 'required' });");
    expect((await app.rescan()).findings).toEqual([]);
  });
});
