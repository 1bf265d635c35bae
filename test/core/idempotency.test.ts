import { describe, expect, it } from 'vitest';
import { scan } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0' } });
const header = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nimport Stripe from 'stripe';\nconst prisma = new PrismaClient();\nconst stripe = new Stripe('k');\nconst app = express();\n`;

async function statusOf(handlerBody: string, extra: Record<string, string> = {}, imports = ''): Promise<string> {
  const result = await scan({ 'package.json': pkg, ...extra, 'src/app.ts': `${imports}${header}app.post('/x', async (req, res) => {\n${handlerBody}\n});\n` });
  expect(result.errors).toEqual([]);
  const h = result.handlers[0]!;
  return `${h.status}${h.status === 'reported' ? ` ${h.severity}` : ''}`;
}

describe('mitigations', () => {
  it('counts a header read only when the value is used', async () => {
    expect(await statusOf(`const key = req.get('Idempotency-Key');\nconst seen = await prisma.idempotencyKey.findUnique({ where: { key } });\nif (seen) return res.json(seen.response);\nres.json(await prisma.order.create({ data: req.body }));`)).toBe('handled');
    expect(await statusOf(`if (!req.headers['idempotency-key']) return res.status(400).end();\nres.json(await prisma.order.create({ data: req.body }));`)).toBe('reported high');
    expect(await statusOf(`const key = req.headers['x-idempotency-key'];\nconsole.log('key', key);\nres.json(await prisma.order.create({ data: req.body }));`)).toBe('reported high');
  });

  it('protects a write the key is forwarded to, and only that write', async () => {
    expect(await statusOf(`await stripe.paymentIntents.create({ amount: 1 }, { idempotencyKey: req.get('Idempotency-Key') });\nres.end();`)).toBe('handled');
    expect(await statusOf(`await stripe.paymentIntents.create({ amount: 1 }, { idempotencyKey: req.get('Idempotency-Key') });\nawait prisma.order.create({ data: {} });\nres.end();`)).toBe('reported high');
    expect(await statusOf(`await stripe.paymentIntents.create({ amount: 1 }, { idempotencyKey: crypto.randomUUID() });\nres.end();`)).toBe('reported critical');
  });

  it('treats work inside withIdempotency as protected', async () => {
    const body = `const key = req.get('Idempotency-Key');\nres.json(await withIdempotency(key, () => prisma.order.create({ data: req.body })));`;
    expect(await statusOf(body, {})).toBe('handled');
  });
});

describe('natural idempotency', () => {
  it('accepts a create refused by an existence check on the request value', async () => {
    expect(await statusOf(`const existing = await prisma.user.findUnique({ where: { email: req.body.email } });\nif (existing) return res.status(409).end();\nres.json(await prisma.user.create({ data: req.body }));`)).toBe('naturally-idempotent');
  });

  it('does not take a check for a record made elsewhere (a webhook) for a duplicate guard', async () => {
    const lookup = `const purchase = await prisma.purchase.findFirst({ where: { courseId: req.body.courseId, userId: req.body.userId } });\nif (purchase) return res.status(400).end();\n`;
    // The purchase is made by the payment webhook: the repeat finds none either and opens a second session.
    expect(await statusOf(`${lookup}res.json(await stripe.checkout.sessions.create({ mode: 'payment' }));`)).toBe('reported high');
    // A check on what the handler itself makes refuses the repeat.
    expect(await statusOf(`${lookup}res.json(await prisma.purchase.create({ data: { courseId: req.body.courseId, userId: req.body.userId } }));`)).toBe('naturally-idempotent');
    // A list searched in memory, or a store the code makes through a generic manager: no claim either way.
    expect(await statusOf(`const product = await prisma.product.findUnique({ where: { id: req.body.id } });\nconst reviewed = product.reviews.find((r) => r.user === req.body.user);\nif (reviewed) return res.status(400).end();\nres.json(await prisma.product.update({ where: { id: req.body.id }, data: { reviews: { push: req.body.review } } }));`)).not.toBe('reported high');
  });

  it('does not take a parent lookup (404 when missing) for a duplicate guard', async () => {
    expect(await statusOf(`const user = await prisma.user.findUnique({ where: { id: req.body.userId } });\nif (!user) return res.status(404).end();\nres.json(await prisma.order.create({ data: { userId: user.id } }));`)).toBe('reported high');
  });

  it('accepts a state-machine guard when the request moves the state it checks', async () => {
    expect(await statusOf(`const order = await prisma.order.findUnique({ where: { id: req.body.id } });\nif (!order || order.status !== 'pending') throw new Error('not pending');\nawait stripe.charges.create({ amount: order.total });\nawait prisma.order.update({ where: { id: order.id }, data: { status: 'paid' } });\nres.end();`)).toBe('naturally-idempotent');
    // Nothing moves the order out of 'pending': the retry passes the check and charges again.
    expect(await statusOf(`const order = await prisma.order.findUnique({ where: { id: req.body.id } });\nif (!order || order.status !== 'pending') throw new Error('not pending');\nawait stripe.charges.create({ amount: order.total });\nres.end();`)).toBe('reported critical');
  });

  it('reads unique constraints from the Prisma schema', async () => {
    const schema = { 'prisma/schema.prisma': `model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  name  String\n}\n` };
    expect(await statusOf(`res.json(await prisma.user.create({ data: { email: req.body.email, name: req.body.name } }));`, schema)).toBe('naturally-idempotent');
    expect(await statusOf(`res.json(await prisma.user.create({ data: { name: req.body.name } }));`, schema)).toBe('reported high');
  });

  it('counts a composite unique key only when the create fills every column of it', async () => {
    const schema = { 'prisma/schema.prisma': `model Invite {\n  id    Int    @id @default(autoincrement())\n  orgId String\n  email String\n  role  String\n\n  @@unique([orgId, email])\n}\n` };
    expect(await statusOf(`res.json(await prisma.invite.create({ data: { orgId: req.body.orgId, email: req.body.email, role: 'member' } }));`, schema)).toBe('naturally-idempotent');
    expect(await statusOf(`res.json(await prisma.invite.create({ data: { orgId: req.body.orgId, role: 'member' } }));`, schema)).toBe('reported high');
  });

  it('does not count a composite key with an optional column unless the record type requires it', async () => {
    const schema = { 'prisma/schema.prisma': `model Category {\n  id      String  @id @default(uuid())\n  code    String?\n  storeId String\n  name    String\n\n  @@unique([code, storeId])\n}\n` };
    const helper = (type: string) => `async function addCategory(data: ${type}) {\n  return prisma.category.create({ data: { ...data, name: data.name.trim() } });\n}\n`;
    // NULL codes never collide: a category posted without one is added again on a repeat.
    expect(await statusOf(`res.json(await addCategory(req.body));`, {}, helper('{ code?: string; storeId: string; name: string }'))).toBe('reported high');
    expect(await statusOf(`res.json(await addCategory(req.body));`, {}, helper('{ code: string; storeId: string; name: string }'))).toBe('reported high');
    const withSchema = async (type: string) => statusOf(`res.json(await addCategory(req.body));`, schema, helper(type));
    expect(await withSchema('{ code?: string; storeId: string; name: string }')).toBe('reported high');
    expect(await withSchema('{ code: string; storeId: string; name: string }')).toBe('naturally-idempotent');
  });

  it('reads an update that creates related rows as a create, and one that replaces them as not', async () => {
    expect(await statusOf(`res.json(await prisma.board.update({ where: { id: req.body.id }, data: { columns: { create: { title: req.body.title } } } }));`)).toBe('reported high');
    expect(await statusOf(`res.json(await prisma.board.update({ where: { id: req.body.id }, data: { columns: { deleteMany: {}, create: req.body.columns } } }));`)).toBe('naturally-idempotent');
    expect(await statusOf(`res.json(await prisma.board.update({ where: { id: req.body.id }, data: { columns: { deleteMany: { archived: true }, create: req.body.columns } } }));`)).toBe('reported high');
    expect(await statusOf(`res.json(await prisma.board.update({ where: { id: req.body.id }, data: { tags: { connectOrCreate: { where: { name: req.body.tag }, create: { name: req.body.tag } } } } }));`)).toBe('naturally-idempotent');
  });

  it('takes a login log for an audit trail', async () => {
    expect(await statusOf(`await prisma.loginLog.create({ data: { userId: req.body.userId, ip: req.ip } });\nres.end();`)).toBe('below-threshold');
    expect(await statusOf(`await prisma.loginAttempt.create({ data: { userId: req.body.userId, ip: req.ip } });\nres.end();`)).toBe('reported high');
  });

  it('follows a port typed by a project interface to the implementation its callers hand in, when they agree', async () => {
    const files = {
      'src/repo.ts': `import type { PrismaClient } from '@prisma/client';\nexport interface NoteRepository { create(text: string): Promise<unknown> }\nexport function makePrismaNoteRepository(client: PrismaClient): NoteRepository {\n  return { create: (text) => client.note.create({ data: { text } }) };\n}\nexport function makeMemoryNoteRepository(): NoteRepository {\n  const rows: string[] = [];\n  return { create: async (text) => rows.push(text) };\n}\n`,
      'src/service.ts': `import type { NoteRepository } from './repo';\nexport function makeNoteService(repository: NoteRepository) {\n  return { add: (text: string) => repository.create(text) };\n}\n`,
    };
    const wiring = (second: string) => `import { PrismaClient as Client } from '@prisma/client';\nimport { makeNoteService } from './service';\nimport { makePrismaNoteRepository, makeMemoryNoteRepository } from './repo';\nexport const notes = makeNoteService(makePrismaNoteRepository(new Client()));\n${second}`;
    const imports = `import { notes } from './wiring';\n`;
    expect(await statusOf(`res.json(await notes.add(req.body.text));`, { ...files, 'src/wiring.ts': wiring('') }, imports)).toBe('reported high');
    // Callers that hand in different implementations: which one this service has is not known here.
    expect(await statusOf(`res.json(await notes.add(req.body.text));`, { ...files, 'src/wiring.ts': wiring(`export const drafts = makeNoteService(makeMemoryNoteRepository());\n`) }, imports)).toBe('read-only');
  });

  it('takes what a log pipeline class stores for a log entry', async () => {
    const client = (name: string) => ({ 'src/logs.ts': `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\nexport class ${name} {\n  create(entry: { message: string }) { return db.operation.create({ data: entry }); }\n}\nexport const logs = new ${name}();\n` });
    expect(await statusOf(`await logs.create({ message: 'imported' });\nres.end();`, client('OpenSearchLogsClient'), `import { logs } from './logs';\n`)).toBe('below-threshold');
    expect(await statusOf(`await logs.create({ message: 'imported' });\nres.end();`, client('OperationsClient'), `import { logs } from './logs';\n`)).toBe('reported high');
  });

  it('knows a workspace package that hands out the generated Prisma client', async () => {
    const body = `await models.note.create({ data: { text: req.body.text } });\nres.end();`;
    expect(await statusOf(body, {}, `import { PrismaClient as Models } from '@acme/prisma-models/client';\nconst models = new Models();\n`)).toBe('reported high');
    expect(await statusOf(body, {}, `import { Client as Models } from '@acme/models';\nconst models = new Models();\n`)).toBe('read-only');
  });

  it('never treats increments as idempotent', async () => {
    expect(await statusOf(`await prisma.post.update({ where: { id: req.body.id }, data: { likes: { increment: 1 } } });\nres.end();`)).toBe('reported medium');
  });
});

describe('keys read through constants and helpers', () => {
  it('follows header names held in enums and constant objects, and helpers that return the key', async () => {
    const headersFile = `export enum Headers { IDEMPOTENCY_KEY = 'Idempotency-Key' }\nexport const HEADER_NAMES = { idempotency: 'x-idempotency-key' } as const;\n`;
    const viaEnum = `const key = req.headers[Headers.IDEMPOTENCY_KEY.toLowerCase()];\nif (await redis.get(String(key))) return res.end();\nres.json(await prisma.order.create({ data: req.body }));`;
    // Without the import, `Headers` is unknown: the name is not guessed.
    expect(await statusOf(viaEnum, { 'src/headers.ts': headersFile })).toBe('reported high');
    const result = await scan({
      'package.json': pkg,
      'src/headers.ts': headersFile,
      'src/app.ts': `${header}import { Headers, HEADER_NAMES } from './headers';\nimport { redis } from './redis';\n` +
        `function keyOf(req: any) { return req.headers[Headers.IDEMPOTENCY_KEY.toLowerCase()]; }\n` +
        `function cacheKey(req: any) { return \`idem:\${req.user.org}:\${keyOf(req)}\`; }\n` +
        `app.post('/a', async (req, res) => { if (await redis.get(cacheKey(req))) return res.end(); res.json(await prisma.order.create({ data: req.body })); });\n` +
        `app.post('/b', async (req, res) => { const k = req.get(HEADER_NAMES.idempotency); await redis.set(k, '1', 'NX'); res.json(await prisma.order.create({ data: req.body })); });\n` +
        `app.post('/c', async (req, res) => { const k = keyOf(req); if (!k) throw new BadRequestException(\`missing \${k}\`); res.json(await prisma.order.create({ data: req.body })); });\n`,
    });
    expect(result.handlers.map((h) => `${h.route ?? ''} ${h.status}`)).toEqual(['/a handled', '/b handled', '/c reported']);
  });
});

describe('read-modify-write across a call', () => {
  it('treats an update of a value the caller computed from the stored one as an increment', async () => {
    const service = `export async function saveBalance({ accountId, balance }: { accountId: string; balance: number }) {\n  return prisma.account.upsert({ where: { id: accountId }, create: { id: accountId, balance }, update: { balance } });\n}\n`;
    const handler = (value: string) => `const account = await prisma.account.findUniqueOrThrow({ where: { id: req.body.id } });\nawait saveBalance({ accountId: account.id, balance: ${value} });\nres.end();`;
    const extra = { 'src/balances.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n${service}` };
    const imports = `import { saveBalance } from './balances';\nimport Big from 'big.js';\n`;
    expect(await statusOf(handler('account.balance + req.body.amount'), extra, imports)).toBe('reported medium');
    expect(await statusOf(handler('new Big(account.balance).plus(req.body.amount).toNumber()'), extra, imports)).toBe('reported medium');
    expect(await statusOf(handler('req.body.balance'), extra, imports)).toBe('naturally-idempotent');
  });
});
