import { describe, expect, it } from 'vitest';
import { scan } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0' } });

/** One POST handler around `body`, with `imports` at the top of the file. */
async function kindsOf(imports: string, body: string): Promise<string[]> {
  const result = await scan({
    'package.json': pkg,
    'src/app.ts': `import express from 'express';\n${imports}\nconst app = express();\napp.post('/x', async (req, res) => {\n${body}\nres.end();\n});\n`,
  }, { minSeverity: 'low' });
  return result.handlers.flatMap((h) => h.writes.map((w) => `${w.kind}${w.idempotent ? ' (idempotent)' : ''}`));
}

describe('write catalogue', () => {
  it('classifies Prisma calls by their arguments', async () => {
    const imports = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();`;
    expect(await kindsOf(imports, `await prisma.post.update({ where: { id: 1 }, data: { views: { increment: 1 } } });`)).toEqual(['db-increment']);
    expect(await kindsOf(imports, `await prisma.post.upsert({ where: { slug: req.body.slug }, create: {}, update: {} });`)).toEqual(['db-upsert (idempotent)']);
    expect(await kindsOf(imports, `await prisma.post.findMany();`)).toEqual([]);
    // An optimistic-locking counter stepped along with absolute values is not the write's effect.
    expect(await kindsOf(imports, `await prisma.post.update({ where: { id: 1 }, data: { title: req.body.title, version: { increment: 1 } } });`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `const post = await prisma.post.findUniqueOrThrow({ where: { id: 1 } });\nawait prisma.post.update({ where: { id: 1 }, data: { version: post.version + 1, title: req.body.title } });`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `const post = await prisma.post.findUniqueOrThrow({ where: { id: 1 } });\nawait prisma.post.update({ where: { id: 1 }, data: { views: post.views + 1 } });`)).toEqual(['db-increment']);
    expect(await kindsOf(imports, `await prisma.$transaction(async (tx) => { await tx.post.create({ data: {} }); });`)).toEqual(['db-create']);
  });

  it('counts a login kept in a server-side session store, also one the project writes itself', async () => {
    const app = (deps: Record<string, string>, extra = '') => ({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0', 'express-session': '^1.18.0', ...deps } }),
      'src/app.ts': `import express from 'express';\n${extra}const app = express();\napp.post('/login', async (req: any, res) => {\n  req.session.userId = req.body.id;\n  req.session.theme = 'dark';\n  res.end();\n});\n`,
    });
    const kinds = async (files: Record<string, string>): Promise<string[]> => (await scan(files, { minSeverity: 'low' })).handlers.flatMap((h) => h.writes.map((w) => w.kind));
    expect(await kinds(app({ 'connect-redis': '^8.0.0' }))).toEqual(['token-rotation']);
    expect(await kinds(app({}))).toEqual([]);
    expect(await kinds(app({}, `import session from 'express-session';\nclass PgStore extends session.Store {}\nexport { PgStore };\n`))).toEqual(['token-rotation']);
    // Refreshing who is signed in, in a session that exists, adds no session.
    const refresh = app({ 'connect-redis': '^8.0.0' });
    refresh['src/app.ts'] = refresh['src/app.ts'].replace("req.session.userId = req.body.id;", "if (!req.session.userId) return res.status(401).end();\n  req.session.userId = req.body.id;");
    expect(await kinds(refresh)).toEqual([]);
    // Signing out clears the field: no session is added.
    const logout = app({ 'connect-redis': '^8.0.0' });
    logout['src/app.ts'] = logout['src/app.ts'].replace('req.session.userId = req.body.id;', 'req.session.userId = null;');
    expect(await kinds(logout)).toEqual([]);
  });

  it('counts a Langfuse score as an appended row, not its traces', async () => {
    expect(await kindsOf(`import { LangfuseClient } from '@langfuse/client';\nconst langfuse = new LangfuseClient();`, `langfuse.score.create({ traceId: req.body.traceId, name: 'user_feedback', value: req.body.score });`)).toEqual(['db-append']);
    expect(await kindsOf(`import { Langfuse } from 'langfuse';\nconst langfuse = new Langfuse();`, `langfuse.score({ traceId: req.body.traceId, name: 'quality', value: 1 });\nconst trace = langfuse.trace({ name: 'chat' });`)).toEqual(['db-append']);
  });

  it('follows Mongoose documents through populate (v5) and loaded documents through query steps', async () => {
    const imports = `import mongoose from 'mongoose';\nconst Product = mongoose.model('Product', new mongoose.Schema({ name: String, tags: [String] }));`;
    expect(await kindsOf(imports, `await new Product(req.body).populate('brand').save();`)).toEqual(['db-create']);
    expect(await kindsOf(imports, `const p = await Product.findById(req.params.id).populate('brand').exec(); p.tags.push(req.body.tag); await p.save();`)).toEqual(['db-append']);
    expect(await kindsOf(imports, `const p = await Product.findById(req.params.id).exec(); p.name = req.body.name; await p.save();`)).toEqual(['db-update (idempotent)']);
  });

  it('reads a Drizzle update\'s values, also from a record built up before the write', async () => {
    const imports = `import { drizzle } from 'drizzle-orm/node-postgres';\nimport { eq } from 'drizzle-orm';\nconst db = drizzle(process.env.DB!);\ndeclare const sessions: any;`;
    const load = `const [row] = await db.select().from(sessions).where(eq(sessions.id, req.body.id));`;
    expect(await kindsOf(imports, `${load}\nawait db.update(sessions).set({ lastSeen: new Date(req.body.at) }).where(eq(sessions.id, row.id));`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `${load}\nawait db.update(sessions).set({ views: row.views + 1 }).where(eq(sessions.id, row.id));`)).toEqual(['db-increment']);
    expect(await kindsOf(imports, `${load}\nconst data: any = { lastSeen: new Date(req.body.at) };\nif (req.body.page) data.views = (row.views || 0) + 1;\nawait db.update(sessions).set(data).where(eq(sessions.id, row.id));`)).toEqual(['db-increment']);
    expect(await kindsOf(imports, `await db.update(sessions).set({ apiKey: crypto.randomUUID() }).where(eq(sessions.id, req.body.id));`)).toEqual(['token-rotation']);
  });

  it('a TypeORM save in a helper given an entity its caller loaded is an update', async () => {
    const imports = `import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nconst users = ds.getRepository('User');\nasync function persist(user: any) { await users.save(user); }\nasync function touch(user: any) { user.lastSeen = new Date(); await persist(user); }`;
    expect(await kindsOf(imports, `const user = await users.findOneBy({ id: req.body.id });\nawait touch(user);`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `await touch({ name: req.body.name });`)).toEqual(['db-create']);
    // Save options after the entity; a fresh secret set on the loaded entity first is a rotation.
    const load = `const client = await users.findOneByOrFail({ id: req.params.id });`;
    expect(await kindsOf(imports, `${load}\nclient.name = req.body.name;\nawait users.save(client, { reload: true });`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `${load}\nclient.secret = crypto.randomBytes(32).toString('hex');\nawait users.save(client, { reload: true });`)).toEqual(['token-rotation']);
    // A relation list holds links: a loaded record pushed again is linked once; a new object is a new row.
    const post = `const post = await users.findOneByOrFail({ id: req.params.id });`;
    expect(await kindsOf(imports, `${post}\nconst tag = await users.findOneByOrFail({ id: req.body.tagId });\npost.tags.push(tag);\nawait users.save(post);`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `${post}\npost.comments.push({ text: req.body.text });\nawait users.save(post);`)).toEqual(['db-append']);
  });

  it('a Sequelize instance saved after it was read, or handed in and changed, is an update; a built one a create', async () => {
    const imports = `import { Model, DataTypes, Sequelize } from 'sequelize';\nconst sequelize = new Sequelize('sqlite::memory:');\nclass User extends Model { declare id: number; declare name: string; declare logins: number; }\nUser.init({ name: DataTypes.STRING, logins: DataTypes.INTEGER }, { sequelize });\nasync function finish(user: User) { user.name = 'done'; await user.save(); }\nasync function store(user: User) { await user.save(); }`;
    const load = `const user = await User.findByPk(req.params.id);\nif (!user) return;`;
    expect(await kindsOf(imports, `${load}\nuser.name = req.body.name;\nawait user.save();`)).toEqual(['db-update (idempotent)']);
    expect(await kindsOf(imports, `${load}\nuser.logins += 1;\nawait user.save();`)).toEqual(['db-increment']);
    expect(await kindsOf(imports, `const user = User.build({ name: req.body.name });\nawait user.save();`)).toEqual(['db-create']);
    expect(await kindsOf(imports, `${load}\nawait finish(user);`)).toEqual(['db-update (idempotent)']);
    // Handed in unchanged: the caller's record decides (here a built one).
    expect(await kindsOf(imports, `await store(User.build({ name: req.body.name }));`)).toEqual(['db-create']);
  });

  it('calls a client out of a generic factory made for its type (getSingleton<PrismaClient>(…), lazy<Redis>(…))', async () => {
    const imports = `import { PrismaClient } from '@prisma/client';
type Singleton<T> = (() => T) & { name: string };
function getSingleton<T>(name: string, factory: () => T): Singleton<T> {
  if (process.env['DISABLE_' + name]) return Object.assign(() => { throw new Error(name + ' disabled'); }, { name }) as Singleton<T>;
  const cache: { value?: T } = {};
  return Object.assign(() => (cache.value ??= factory()), { name }) as Singleton<T>;
}
const db = { prisma: getSingleton<PrismaClient>('prisma', () => new PrismaClient()) };
const prisma = getSingleton<PrismaClient>('prisma', () => new PrismaClient());`;
    expect(await kindsOf(imports, `await db.prisma().order.create({ data: { sku: req.body.sku } });`)).toEqual(['db-create']);
    expect(await kindsOf(imports, `await prisma().order.update({ where: { id: req.body.id }, data: { sku: req.body.sku } });`)).toEqual(['db-update (idempotent)']);
  });

  it('an outbound POST made by a function named for reading is a query sent as POST', async () => {
    const imports = `const SEARCH_URL = process.env.SEARCH_URL!;`;
    expect(await kindsOf(imports, `async function searchCatalog(q: string) { return fetch(SEARCH_URL, { method: 'POST', body: JSON.stringify({ q }) }); }\nawait searchCatalog(req.body.q);`)).toEqual(['http-mutation (idempotent)']);
    expect(await kindsOf(imports, `async function submitOrder(o: unknown) { return fetch(SEARCH_URL, { method: 'POST', body: JSON.stringify(o) }); }\nawait submitOrder(req.body);`)).toEqual(['http-mutation']);
  });

  it('follows this.method() inside a module object of methods (const Model = { update() { this._update() } })', async () => {
    const imports = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst Post = {\n  update: async function (id: string, data: object) { return this._update(id, data); },\n  async _update(id: string, data: object) { return prisma.post.update({ where: { id }, data }); },\n};`;
    expect(await kindsOf(imports, `await Post.update(req.params.id, { title: req.body.title });`)).toEqual(['db-update (idempotent)']);
  });

  it('classifies raw SQL by its verb', async () => {
    const imports = `import { Pool } from 'pg';\nconst pool = new Pool();`;
    expect(await kindsOf(imports, `await pool.query('INSERT INTO orders (email) VALUES ($1)', [req.body.email]);`)).toEqual(['db-create']);
    expect(await kindsOf(imports, `await pool.query('SELECT * FROM orders WHERE id = $1', [1]);`)).toEqual([]);
    // The node-postgres helper every Express app writes: the callers' text decides.
    const helper = `${imports}\nconst query = (text: string, params: unknown[]) => pool.query(text, params);`;
    expect(await kindsOf(helper, `await query('INSERT INTO orders (email) VALUES ($1)', [req.body.email]);`)).toEqual(['db-create']);
    expect(await kindsOf(helper, `await query('SELECT * FROM orders WHERE email = $1', [req.body.email]);`)).toEqual([]);
    expect(await kindsOf(helper, `await query('REPLACE INTO carts (id, items) VALUES ($1, $2)', [req.body.id, req.body.items]);`)).toEqual(['db-upsert (idempotent)']);
    expect(await kindsOf(imports, "await pool.query(`UPDATE accounts SET balance = balance + $1 WHERE id = $2`, [1, 2]);")).toEqual(['db-increment']);
    expect(await kindsOf(imports, `await pool.query('INSERT INTO t (k) VALUES ($1) ON CONFLICT (k) DO NOTHING', [1]);`)).toEqual(['db-upsert (idempotent)']);
  });

  it('knows Svix webhooks and a client made by a factory that returns null when unconfigured', async () => {
    const svix = `import { Svix } from 'svix';\nconst svix = process.env.K ? new Svix(process.env.K) : null;`;
    expect(await kindsOf(svix, `await svix?.endpoint.create('app', { url: req.body.url });`)).toEqual(['db-create']);
    expect(await kindsOf(svix, `await svix?.message.create('app', { eventType: 'x', payload: {} });`)).toEqual(['webhook']);
    expect(await kindsOf(svix, `await svix?.endpoint.update('app', 'e', { url: req.body.url });`)).toEqual(['db-update (idempotent)']);
    const factory = `import nodemailer from 'nodemailer';\nfunction transport() {\n  if (!process.env.SMTP) return null;\n  return nodemailer.createTransport({});\n}\nconst mail = transport();`;
    expect(await kindsOf(factory, `await mail?.sendMail({ to: req.body.email });`)).toEqual(['email']);
  });

  it('knows the Keycloak admin client: a user per username, e-mails, and updates', async () => {
    const kc = `import KcAdminClient from '@keycloak/keycloak-admin-client';\nconst admin = new KcAdminClient();`;
    expect(await kindsOf(kc, `await admin.users.create({ username: req.body.email, email: req.body.email });`)).toEqual(['db-create (idempotent)']);
    expect(await kindsOf(kc, `await admin.users.create({ username: crypto.randomUUID() });`)).toEqual(['db-create']);
    expect(await kindsOf(kc, `await admin.users.executeActionsEmail({ id: req.params.id, actions: ['UPDATE_PASSWORD'] });`)).toEqual(['email']);
    expect(await kindsOf(kc, `await admin.users.resetPassword({ id: req.params.id, credential: { value: req.body.password } });`)).toEqual(['db-update (idempotent)']);
  });

  it('sees a Knex delete of the row an insert then writes as a replacement, unique key or not', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0', knex: '^3.0.0' } }),
      'migrations/1_codes.js': `export const up = (knex) => knex.schema.createTable('codes', (t) => { t.string('email').unique(); t.string('code'); });`,
      'src/app.ts': `import express from 'express';\nimport knex from 'knex';\nconst db = knex({});\nconst app = express();\napp.post('/x', async (req, res) => {\n  await db.delete().from('codes').where({ email: req.body.email });\n  await db('codes').insert({ email: req.body.email, code: String(Math.random()) });\n  res.end();\n});\n`,
    }, { minSeverity: 'low' });
    expect(result.handlers[0]!.reason).toContain('replaces the codes record the same request deletes first');
  });

  it('tells mutating outbound HTTP from reads', async () => {
    expect(await kindsOf('', `await fetch('https://api.example.com/x');`)).toEqual([]);
    expect(await kindsOf('', `await fetch('https://api.example.com/x', { method: 'POST', body: '{}' });`)).toEqual(['http-mutation']);
    expect(await kindsOf(`import axios from 'axios';`, `await axios.post('https://hooks.example.com/webhook', {});`)).toEqual(['webhook']);
    expect(await kindsOf(`import axios from 'axios';`, `await axios.get('https://api.example.com');`)).toEqual([]);
  });

  it('knows payments, e-mail, queues and files by their package', async () => {
    expect(await kindsOf(`import Stripe from 'stripe';\nconst stripe = new Stripe('k');`, `await stripe.refunds.create({ charge: 'c' });`)).toEqual(['payment']);
    // Merchant-of-record billing platforms, like Stripe's checkout sessions.
    expect(await kindsOf(`import { Polar } from '@polar-sh/sdk';\nconst polar = new Polar({ accessToken: 't' });`, `await polar.checkouts.create({ products: ['p'] });`)).toEqual(['db-create']);
    expect(await kindsOf(`import { Polar } from '@polar-sh/sdk';\nconst polar = new Polar({ accessToken: 't' });`, `await polar.refunds.create({ orderId: 'o', reason: 'other' });`)).toEqual(['payment']);
    expect(await kindsOf(`import { Polar } from '@polar-sh/sdk';\nconst polar = new Polar({ accessToken: 't' });`, `await polar.checkouts.get({ id: 'c' });`)).toEqual([]);
    expect(await kindsOf(`import { createCheckout } from '@lemonsqueezy/lemonsqueezy.js';`, `await createCheckout(1, 2, {});`)).toEqual(['db-create']);
    expect(await kindsOf(`import { Paddle } from '@paddle/paddle-node-sdk';\nconst paddle = new Paddle('k');`, `await paddle.transactions.create({ items: [] });`)).toEqual(['db-create']);
    expect(await kindsOf(`import nodemailer from 'nodemailer';\nconst mail = nodemailer.createTransport({});`, `await mail.sendMail({ to: 'a' });`)).toEqual(['email']);
    expect(await kindsOf(`import { Queue } from 'bullmq';\nconst q = new Queue('jobs');`, `await q.add('send', {});`)).toEqual(['queue']);
    // A file at a fixed path is overwritten by a repeat; one named per call is one more file.
    expect(await kindsOf(`import { writeFile } from 'node:fs/promises';`, `await writeFile('/tmp/x', 'y');`)).toEqual(['file-write (idempotent)']);
    expect(await kindsOf(`import { writeFile } from 'node:fs/promises';`, `await writeFile(\`/tmp/\${Date.now()}.json\`, 'y');`)).toEqual(['file-write']);
    const bird = `import { Tinybird } from '@chronark/zod-bird';\nconst tb = new Tinybird({ token: 't' });\nconst ingestClick = tb.buildIngestEndpoint({ datasource: 'clicks' });\nconst topLinks = tb.buildPipe({ pipe: 'top_links' });`;
    expect(await kindsOf(bird, `await ingestClick({ link: req.body.link });`)).toEqual(['db-append']);
    expect(await kindsOf(bird, `await topLinks({ limit: 10 });`)).toEqual([]);
    // A method named like a write on something that is not a known client is not a write.
    expect(await kindsOf('', `const list: string[] = []; list.push('x'); const m = new Map(); m.set('k', 1);`)).toEqual([]);
  });
});

describe('logins that store a session', () => {
  const app = `const express = require('express');\nconst passport = require('passport');\nconst app = express();\napp.post('/login', passport.authenticate('local'), (req, res) => res.end());\napp.post('/code', (req, res) => { req.logIn({ id: req.body.id }, () => res.end()); });\napp.post('/token', passport.authenticate('local', { session: false }), (req, res) => res.end());\n`;
  const kinds = async (deps: Record<string, string>): Promise<string[]> => {
    const result = await scan({ 'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0', passport: '^0.7.0', ...deps } }), 'src/app.js': app }, { minSeverity: 'low' });
    return result.handlers.map((h) => `${h.route} ${h.writes.map((w) => w.kind).join(',') || '-'}`);
  };

  it('are writes when a session store keeps each session', async () => {
    expect(await kinds({ 'connect-redis': '^8.0.0' })).toEqual(['/login token-rotation', '/code token-rotation', '/token -']);
  });

  it('are not writes with the in-memory session of the process', async () => {
    expect(await kinds({})).toEqual(['/login -', '/code -', '/token -']);
  });
});

describe('providers behind a client class', () => {
  const smtp = `import nodemailer from 'nodemailer';
export class SmtpEmailProvider {
  private transport = nodemailer.createTransport({ url: process.env.SMTP_URL });
  async send(to: string, html: string) { await this.transport.sendMail({ to, html }); }
}`;
  const mailgun = `import formData from 'form-data';
import Mailgun from 'mailgun.js';
import type { Interfaces } from 'mailgun.js/definitions';
export class MailgunEmailProvider {
  private client: Interfaces.IMailgunClient;
  constructor() { this.client = new Mailgun(formData).client({ username: 'api', key: process.env.MAILGUN_KEY ?? '' }); }
  async send(to: string, html: string) { return this.client.messages.create('example.com', { to: [to], html }); }
}`;
  const none = (name: string) => `export class ${name} {\n  async send(_to: string, _html: string) { return; }\n}`;
  const client = (union: string, imports: string) => `${imports}
export class EmailClient {
  private provider: ${union};
  constructor() {
    const chosen = process.env.EMAIL_PROVIDER;
    if (chosen === 'a') this.provider = new (${union.split(' | ')[0]})();
    else this.provider = new (${union.split(' | ').pop()})();
  }
  send(to: string, html: string) { return this.provider.send(to, html); }
}
export const emailClient = new EmailClient();`;
  const files = (union: string, imports: string) => ({
    'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5', nodemailer: '^6', 'mailgun.js': '^10', 'form-data': '^4' } }),
    'src/smtp.ts': smtp,
    'src/mailgun.ts': mailgun,
    'src/none.ts': `${none('NoEmailProvider')}\n${none('ConsoleEmailProvider')}`,
    'src/client.ts': client(union, imports),
    'src/app.ts': `import express from 'express';\nimport { emailClient } from './client.js';\nconst app = express();\napp.post('/verification-emails', async (req, res) => { await emailClient.send(req.body.email, '<a>verify</a>'); res.end(); });\n`,
  });
  const verdict = async (union: string, imports: string) => (await scan(files(union, imports))).handlers.map((h) => `${h.status} ${h.writes.map((w) => w.callee).join(', ')}`.trim());

  it('a provider field typed as a union is the working member, not a null object listed first', async () => {
    expect(await verdict('NoEmailProvider | SmtpEmailProvider', `import { NoEmailProvider } from './none.js';\nimport { SmtpEmailProvider } from './smtp.js';`)).toEqual(['reported this.transport.sendMail']);
    // Only stand-ins (a null object and a console one that writes nothing): nothing is sent.
    expect(await verdict('NoEmailProvider | ConsoleEmailProvider', `import { NoEmailProvider, ConsoleEmailProvider } from './none.js';`)).toEqual(['read-only']);
  });

  it('a client typed by the package\'s type definitions (mailgun.js/definitions) is that package\'s client', async () => {
    expect(await verdict('MailgunEmailProvider | NoEmailProvider', `import { NoEmailProvider } from './none.js';\nimport { MailgunEmailProvider } from './mailgun.js';`)).toEqual(['reported this.client.messages.create']);
  });
});
