import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0', '@prisma/client': '^6.0.0', nodemailer: '^6.0.0' } });
const prelude = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nimport nodemailer from 'nodemailer';\nconst prisma = new PrismaClient();\nconst mail = nodemailer.createTransport({});\nconst app = express();\n`;

async function verdictOf(files: Record<string, string>): Promise<string[]> {
  return verdicts(await scan({ 'package.json': pkg, ...files }));
}

describe('lookups through a store service', () => {
  it('a service keeping configuration records is a store: its get… method is a lookup, not configuration', async () => {
    const service = (name: string, method: string) => `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const ${name} = {
  ${method}: (key: string) => prisma.integration.findFirst({ where: { key } }),
  create: (key: string) => prisma.integration.create({ data: { key } }),
};`;
    const route = (name: string, method: string) => `import express from 'express';
import { ${name} } from './store.js';
const app = express();
app.post('/integrations', async (req, res) => {
  const exists = await ${name}.${method}(req.body.key);
  if (exists) return res.status(409).end();
  res.json(await ${name}.create(req.body.key));
});`;
    expect(await verdictOf({ 'src/store.ts': service('configService', 'getProviderConfig'), 'src/app.ts': route('configService', 'getProviderConfig') })).toEqual(['POST /integrations naturally-idempotent']);
    // Configuration itself (a flag or setting read) is no lookup of the record being made.
    expect(await verdictOf({ 'src/store.ts': service('configService', 'getConfig'), 'src/app.ts': route('configService', 'getConfig') })).toEqual(['POST /integrations reported high']);
  });

  it('checkIfXExists and doesXExist are lookups: update when found, else insert, is a manual upsert', async () => {
    const app = (method: string) => `${prelude}const connections = {
  ${method}: (id: string) => prisma.connection.findFirst({ where: { connectionId: id } }),
};
app.post('/connections', async (req, res) => {
  const stored = await connections.${method}(req.body.connectionId);
  if (stored) return res.json(await prisma.connection.update({ where: { id: stored.id }, data: { credentials: req.body.credentials } }));
  res.json(await prisma.connection.create({ data: { connectionId: req.body.connectionId, credentials: req.body.credentials } }));
});`;
    expect(await verdictOf({ 'src/app.ts': app('checkIfConnectionExists') })).toEqual(['POST /connections naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': app('doesConnectionExist') })).toEqual(['POST /connections naturally-idempotent']);
    // A check of something else the request carries is no lookup.
    expect(await verdictOf({ 'src/app.ts': app('checkConnectionFormat') })).toEqual(['POST /connections reported high']);
  });
});

describe('a secret proved and then replaced', () => {
  it('a byte-for-byte compare of the stored hash (timingSafeEqual after a length check) refuses the repeat once the hash is replaced', async () => {
    const app = (update: string) => `import express from 'express';
import crypto from 'node:crypto';
import knex from 'knex';
const db = knex({ client: 'pg' });
const app = express();
app.put('/user/password', async (req, res) => {
  const user = await db('users').where({ id: req.body.userId }).first();
  const oldHashed = crypto.pbkdf2Sync(req.body.oldPassword, user.salt, 1000, 32, 'sha256');
  const actual = Buffer.from(user.hashed_password, 'base64');
  if (oldHashed.length !== actual.length || !crypto.timingSafeEqual(actual, oldHashed)) {
    res.status(400).end();
    return;
  }
  ${update}
  await db('sessions').insert({ user_id: user.id, token: crypto.randomUUID() });
  res.end();
});`;
    const files = (update: string) => ({ 'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5', knex: '^3' } }), 'src/app.ts': app(update) });
    expect(verdicts(await scan(files(`await db('users').where({ id: user.id }).update({ hashed_password: crypto.randomBytes(32).toString('base64') });`)))).toEqual(['PUT /user/password naturally-idempotent']);
    // The password stays: the repeat proves it again and opens another session.
    expect(verdicts(await scan(files(`await db('users').where({ id: user.id }).update({ last_login_at: new Date() });`)))).toEqual(['PUT /user/password reported high']);
  });
});

describe('state-filtered lookups through a query builder', () => {
  it('a row looked up only while a column is null, which the request then sets, refuses the repeat', async () => {
    const app = (set: string) => `import express from 'express';
import knex from 'knex';
const db = knex({ client: 'pg' });
const app = express();
const FACTORS = 'mfa_factors';
app.post('/mfa/activate', async (req, res) => {
  await db.transaction(async (trx) => {
    const factor = await trx(FACTORS).where({ user_id: req.body.userId }).whereNull('enabled_at').forUpdate().first();
    if (!factor) throw new Error('enrollment_not_found');
    await trx(FACTORS).where({ id: factor.id }).update({ ${set}: trx.fn.now() });
    await trx('recovery_codes').insert({ user_id: req.body.userId, code: Math.random().toString(36) });
  });
  res.end();
});`;
    const files = (set: string) => ({ 'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5', knex: '^3' } }), 'src/app.ts': app(set) });
    expect(verdicts(await scan(files('enabled_at')))).toEqual(['POST /mfa/activate naturally-idempotent']);
    // An update of another column leaves the row where the lookup finds it again.
    expect(verdicts(await scan(files('last_seen_at')))).toEqual(['POST /mfa/activate reported high']);
  });
});

describe('duplicate checks nested under a condition', () => {
  it('a check that runs only when an optional value is given leaves every request without it unchecked', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}app.post('/links', async (req, res) => {
  if (req.body.alias) {
    const taken = await prisma.link.findFirst({ where: { alias: req.body.alias } });
    if (taken) return res.status(409).end();
  }
  res.json(await prisma.link.create({ data: { alias: req.body.alias ?? null, target: req.body.url } }));
});
`,
    })).toEqual(['POST /links reported high']);
    // Either of two conditions, one of them a header the client may leave out.
    expect(await verdictOf({
      'src/app.ts': `${prelude}const naming = process.env.NAMING ?? 'random';
app.post('/files', async (req, res) => {
  if (naming === 'original' || req.headers['x-file-name']) {
    const taken = await prisma.file.findFirst({ where: { name: req.body.name } });
    if (taken) return res.status(409).end();
  }
  res.json(await prisma.file.create({ data: { name: req.body.name, size: req.body.size } }));
});
`,
    })).toEqual(['POST /files reported high']);
  });

  it('the same check counts when the write runs only with that value, or the declared input requires it', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}app.post('/profile/email', async (req, res) => {
  const { email } = req.body;
  if (email) {
    const taken = await prisma.user.findFirst({ where: { email } });
    if (taken) return res.status(409).end();
  }
  if (email) await mail.sendMail({ to: email, subject: 'Confirm your new address' });
  res.end();
});
`,
    })).toEqual(['POST /profile/email naturally-idempotent']);
    const service = (param: string) => `${prelude}async function register(input: ${param}) {
  if (input.email) {
    const taken = await prisma.user.findFirst({ where: { email: input.email } });
    if (taken) throw new Error('taken');
  }
  return prisma.user.create({ data: { email: input.email ?? null, name: input.name } });
}
app.post('/users', async (req, res) => { res.json(await register(req.body)); });
`;
    expect(await verdictOf({ 'src/app.ts': service('{ email: string; name: string }') })).toEqual(['POST /users naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': service('{ email?: string; name: string }') })).toEqual(['POST /users reported high']);
  });

  it('a check under a condition that is not an optional input runs on every request of that kind', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}const unique = process.env.UNIQUE_TITLES === '1';
app.post('/boards', async (req, res) => {
  if (unique) {
    const taken = await prisma.board.findFirst({ where: { title: req.body.title } });
    if (taken) return res.status(409).end();
  }
  res.json(await prisma.board.create({ data: { title: req.body.title } }));
});
`,
    })).toEqual(['POST /boards naturally-idempotent']);
  });
});

describe('deferred refusals', () => {
  it('an exit on a flag that a lookup raised earlier is that lookup\'s check; a flag from input checks is not', async () => {
    const handler = (setter: string) => `${prelude}app.post('/register', async (req, res) => {
  let invalid = false;
  if (!req.body.password) invalid = true;
  const existing = await prisma.user.findFirst({ where: { username: req.body.username } });
  ${setter}
  if (invalid) return res.status(400).end();
  res.json(await prisma.user.create({ data: { username: req.body.username, password: req.body.password } }));
});
`;
    expect(await verdictOf({ 'src/app.ts': handler('if (existing) invalid = true;') })).toEqual(['POST /register naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler('if (!req.body.username) invalid = true;') })).toEqual(['POST /register reported high']);
  });

  it('a role the caller must hold is a permission check, not a state the first request changes', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}app.post('/sites', async (req, res) => {
  const member = await prisma.member.findFirst({ where: { userId: req.body.userId, orgId: req.body.orgId } });
  if (!member || (member.role !== 'admin' && member.role !== 'owner')) return res.status(403).end();
  res.json(await prisma.site.create({ data: { domain: req.body.domain, orgId: req.body.orgId } }));
});
`,
    })).toEqual(['POST /sites reported high']);
  });

  it('what a request writes right before it is refused is bookkeeping of the refusal, not a repeated effect', async () => {
    const handler = (after: string) => `${prelude}app.post('/login', async (req, res) => {
  const user = await prisma.user.findFirst({ where: { email: req.body.email } });
  if (!user) return res.status(401).end();
  if (user.password !== req.body.password) {
    await prisma.user.update({ where: { id: user.id }, data: { failedLogins: { increment: 1 } } });
    ${after}
  }
  res.json({ token: 'signed' });
});
`;
    expect(await verdictOf({ 'src/app.ts': handler("throw new Error('invalid credentials');") })).toEqual(['POST /login naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler('return res.json({ warning: true });') })).toEqual(['POST /login reported medium']);
  });

  it('a flag a helper sets guards the helper\'s writes; a model\'s own _get is a lookup', async () => {
    const handler = (setsFlag: string) => `${prelude}const User = { _get: (where: object) => prisma.user.findFirst({ where }) };
async function issueCodes(userId: string) {
  await prisma.recoveryCode.createMany({ data: [{ userId, code: crypto.randomUUID() }] });
  ${setsFlag}
}
app.post('/login', async (req, res) => {
  const user = await User._get({ username: req.body.username });
  if (!user) return res.status(401).end();
  if (!user.seenCodes) await issueCodes(user.id);
  res.json({ ok: true });
});
`;
    expect(await verdictOf({ 'src/app.ts': handler(`await prisma.user.update({ where: { id: userId }, data: { seenCodes: true } });`) })).toEqual(['POST /login naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler('') })).toEqual(['POST /login reported high']);
  });

  it('a unique value the code replaces with a fresh one when it is taken protects nothing', async () => {
    const handler = (taken: string) => `${prelude}app.post('/workspaces', async (req, res) => {
  let slug = req.body.name.toLowerCase();
  const existing = await prisma.workspace.findFirst({ where: { slug } });
  if (existing) ${taken};
  res.json(await prisma.workspace.create({ data: { name: req.body.name, slug } }));
});
`;
    const schema = `model Workspace {\n  id   Int    @id @default(autoincrement())\n  name String\n  slug String @unique\n}\n`;
    expect(verdicts(await scan({ 'package.json': pkg, 'prisma/schema.prisma': schema, 'src/app.ts': handler('slug = `${slug}-${Math.floor(Math.random() * 1e8)}`') }))).toEqual(['POST /workspaces reported high']);
    expect(verdicts(await scan({ 'package.json': pkg, 'prisma/schema.prisma': schema, 'src/app.ts': handler('return res.status(409).end()') }))).toEqual(['POST /workspaces naturally-idempotent']);
  });

  it('a lookup that admits only records in a state the request then leaves refuses the repeat', async () => {
    const handler = (status: string) => `${prelude}app.post('/quotes/:id/approve', async (req, res) => {
  const quote = await prisma.quote.findFirst({ where: { publicId: req.params.id, status: { in: ['SENT', 'VIEWED'] } } });
  if (!quote) return res.status(404).end();
  await prisma.movement.create({ data: { quoteId: quote.id, amount: quote.total } });
  await prisma.quote.update({ where: { id: quote.id }, data: { ${status} } });
  res.end();
});
`;
    expect(await verdictOf({ 'src/app.ts': handler(`status: 'APPROVED'`) })).toEqual(['POST /quotes/:id/approve naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler(`approvedAt: new Date()`) })).toEqual(['POST /quotes/:id/approve reported high']);
  });

  it('a set replaced through helpers (delete by the caller\'s filter, then create the new rows) ends in the same state', async () => {
    const handler = (filter: string) => `${prelude}const Members = {
  remove: async (clause: object) => prisma.member.deleteMany({ where: clause }),
  addMany: async (teamId: number, userIds: number[]) => { for (const userId of userIds) await prisma.member.create({ data: { teamId, userId } }); },
};
app.post('/teams/:id/members', async (req, res) => {
  const teamId = Number(req.params.id);
  await Members.remove(${filter});
  await Members.addMany(teamId, req.body.userIds);
  res.end();
});
`;
    expect(await verdictOf({ 'src/app.ts': handler('{ teamId }') })).toEqual(['POST /teams/:id/members naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler('{ expired: true }') })).toEqual(['POST /teams/:id/members reported high']);
  });

  it('rows worked out against the rows read first are the missing ones: the repeat adds none', async () => {
    const handler = (list: string) => `${prelude}app.post('/posts/:id/tags', async (req, res) => {
  const existing = await prisma.tag.findMany({ where: { postId: req.params.id } });
  const ${list} = req.body.names.filter((name: string) => !existing.some((t) => t.name === name));
  await prisma.tag.createMany({ data: ${list}.map((name: string) => ({ postId: req.params.id, name })) });
  await prisma.post.update({ where: { id: req.params.id }, data: { tagCount: { increment: ${list}.length } } });
  res.end();
});
`;
    expect(await verdictOf({ 'src/app.ts': handler('tagsToAdd') })).toEqual(['POST /posts/:id/tags naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler('names') })).toEqual(['POST /posts/:id/tags reported high']);
  });
});


describe('checks in what runs before the handler', () => {
  it('a middleware that lets the caller through when found refuses nothing; one that refuses a found record does', async () => {
    const authenticate = `async function authenticate(req: any, res: any, next: any) {
  const key = req.get('x-api-key');
  if (key) {
    const owner = await prisma.apiKey.findFirst({ where: { key } });
    if (owner) {
      const user = await prisma.user.findUnique({ where: { id: owner.userId } });
      if (user) {
        req.user = user;
        return next();
      }
    }
    return res.status(401).end();
  }
  return res.status(401).end();
}
`;
    expect(await verdictOf({
      'src/app.ts': `${prelude}${authenticate}app.post('/notes', authenticate, async (req, res) => {
  res.json(await prisma.note.create({ data: { body: req.body.body } }));
});
`,
    })).toEqual(['POST /notes reported high']);
    expect(await verdictOf({
      'src/app.ts': `${prelude}async function slugIsFree(req: any, res: any, next: any) {
  const taken = await prisma.note.findFirst({ where: { slug: req.body.slug } });
  if (taken) return res.status(409).end();
  return next();
}
app.post('/notes', slugIsFree, async (req, res) => {
  res.json(await prisma.note.create({ data: { slug: req.body.slug, body: req.body.body } }));
});
`,
    })).toEqual(['POST /notes naturally-idempotent']);
  });

  it('a middleware lookup keyed by who calls (a ban, a suspension) is no duplicate check; one keyed by what the request names is', async () => {
    const guarded = (key: string) => `${prelude}async function notBanned(req: any, res: any, next: any) {
  const ban = await prisma.ban.findFirst({ where: { userId: ${key} } });
  if (ban) return res.status(403).end();
  return next();
}
app.post('/bans', notBanned, async (req, res) => {
  res.json(await prisma.ban.create({ data: { userId: req.body.user.id, reason: req.body.reason } }));
});
`;
    expect(await verdictOf({ 'src/app.ts': guarded('req.user.id') })).toEqual(['POST /bans reported high']);
    expect(await verdictOf({ 'src/app.ts': guarded('res.locals.user.id') })).toEqual(['POST /bans reported high']);
    expect(await verdictOf({ 'src/app.ts': guarded('req.session.userId') })).toEqual(['POST /bans reported high']);
    expect(await verdictOf({ 'src/app.ts': guarded('req.body.user.id') })).toEqual(['POST /bans naturally-idempotent']);
  });
});

describe('records handed in or read', () => {
  it('a record taken from the caller, else read (given ?? await find()), guards a lazy first version', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}async function stateOf(id: string, given?: { version: string | null }) {
  const canvas = given ?? (await prisma.canvas.findUnique({ where: { id } }));
  if (!canvas) throw new Error('not found');
  if (!canvas.version) {
    await prisma.$transaction([
      prisma.canvas.update({ where: { id }, data: { version: 'v1' } }),
      prisma.canvasVersion.create({ data: { canvasId: id, version: 'v1' } }),
    ]);
  }
  return canvas;
}
app.post('/canvases/:id/open', async (req, res) => {
  res.json(await stateOf(req.params.id));
});
`,
    })).toEqual(['POST /canvases/:id/open naturally-idempotent']);
  });
});

describe('unique values the request may leave out (class 6: the default path decides)', () => {
  const schema = `model Board {\n  id      Int    @id @default(autoincrement())\n  boardId String @unique\n  title   String\n}\n`;
  const scanWith = async (app: string): Promise<string[]> => verdicts(await scan({ 'package.json': pkg, 'prisma/schema.prisma': schema, 'src/app.ts': `${prelude}${app}` }));

  it('a field filled with a fresh id when missing, here or by the caller, protects nothing', async () => {
    expect(await scanWith(`app.post('/boards', async (req, res) => {
  const input = req.body;
  input.boardId ||= crypto.randomUUID();
  const { boardId } = input;
  res.json(await prisma.board.create({ data: { boardId, title: input.title } }));
});
`)).toEqual(['POST /boards reported high']);
    const helper = `async function createBoard(input: { boardId?: string; title: string }) {
  return prisma.board.create({ data: { boardId: input.boardId!, title: input.title } });
}
`;
    expect(await scanWith(`${helper}app.post('/boards', async (req, res) => {
  const input = req.body;
  input.boardId ??= crypto.randomUUID();
  res.json(await createBoard(input));
});
`)).toEqual(['POST /boards reported high']);
    expect(await scanWith(`${helper}app.post('/boards', async (req, res) => {
  const input = req.body;
  res.json(await createBoard(input));
});
`)).toEqual(['POST /boards naturally-idempotent']);
  });

  it('a unique value a helper reads back from its parameter is what each caller passes', async () => {
    const helper = `async function saveBoard(params: { boardId: string; title: string }) {
  const { boardId, title } = params;
  return prisma.board.create({ data: { boardId, title } });
}
`;
    expect(await scanWith(`${helper}app.post('/boards', async (req, res) => {
  const boardId = crypto.randomUUID();
  res.json(await saveBoard({ boardId, title: req.body.title }));
});
`)).toEqual(['POST /boards reported high']);
    expect(await scanWith(`${helper}app.post('/boards', async (req, res) => {
  res.json(await saveBoard({ boardId: req.body.boardId, title: req.body.title }));
});
`)).toEqual(['POST /boards naturally-idempotent']);
  });

  it('an upsert at a key made up when the request gives none creates', async () => {
    expect(await scanWith(`app.post('/boards', async (req, res) => {
  const boardId = req.body.boardId ?? crypto.randomUUID();
  res.json(await prisma.board.upsert({ where: { boardId }, create: { boardId, title: req.body.title }, update: { title: req.body.title } }));
});
`)).toEqual(['POST /boards reported high']);
    expect(await scanWith(`app.post('/boards', async (req, res) => {
  const boardId = req.body.boardId;
  res.json(await prisma.board.upsert({ where: { boardId }, create: { boardId, title: req.body.title }, update: { title: req.body.title } }));
});
`)).toEqual(['POST /boards naturally-idempotent']);
  });
});

describe('lookups the created record never matches', () => {
  it('a reinstall-or-create looks only among uninstalled rows: the repeat creates again', async () => {
    const handler = (filter: string, restore = 'uninstalled: false') => `${prelude}app.post('/toolsets', async (req, res) => {
  const { key, name } = req.body;
  const uninstalled = await prisma.toolset.findFirst({ where: { key, ${filter} } });
  if (uninstalled) {
    return res.json(await prisma.toolset.update({ where: { id: uninstalled.id }, data: { ${restore}, name } }));
  }
  res.json(await prisma.toolset.create({ data: { key, name } }));
});
`;
    expect(await verdictOf({ 'src/app.ts': handler('uninstalled: true') })).toEqual(['POST /toolsets reported high']);
    expect(await verdictOf({ 'src/app.ts': handler(`status: 'removed'`, `status: 'active'`) })).toEqual(['POST /toolsets reported high']);
    // A filter on what a new row has anyway (no deletion mark), or on a state nothing here moves rows out
    // of (a new row may well default to it), finds the first request's row.
    expect(await verdictOf({ 'src/app.ts': handler('deletedAt: null', 'deletedAt: null') })).toEqual(['POST /toolsets naturally-idempotent']);
    expect(await verdictOf({ 'src/app.ts': handler(`status: 'active'`, `title: 'x'`) })).toEqual(['POST /toolsets naturally-idempotent']);
  });
});

describe('lookups named for what they look up', () => {
  it('a store method named for its key (UserService.email(email), isMember) is a lookup the check refuses on', async () => {
    const services = `class UserService {
  static async email(email: string) { return prisma.user.findUnique({ where: { email } }); }
}
class MembershipService {
  static async isMember(projectId: string, userId: string) { return (await prisma.membership.count({ where: { projectId, userId } })) > 0; }
}
`;
    expect(await verdictOf({
      'src/app.ts': `${prelude}${services}app.post('/signup', async (req, res) => {
  const user = await UserService.email(req.body.email);
  if (user) return res.status(409).end();
  res.json(await prisma.user.create({ data: { email: req.body.email } }));
});
app.post('/projects/:id/members', async (req, res) => {
  const alreadyMember = await MembershipService.isMember(req.params.id, req.body.userId);
  if (alreadyMember) return res.status(409).end();
  res.json(await prisma.membership.create({ data: { projectId: req.params.id, userId: req.body.userId } }));
});
`,
    })).toEqual(['POST /signup naturally-idempotent', 'POST /projects/:id/members naturally-idempotent']);
    // A verb is not a lookup: the check tests what an e-mail call returned.
    expect(await verdictOf({
      'src/app.ts': `${prelude}class Mailer {\n  static async notify(email: string) { return mail.sendMail({ to: email }); }\n}\napp.post('/signup', async (req, res) => {
  const sent = await Mailer.notify(req.body.email);
  if (!sent) return res.status(502).end();
  res.json(await prisma.user.create({ data: { email: req.body.email } }));
});
`,
    })).toEqual(['POST /signup reported high']);
  });

  it('a secret generated in a loop until it is free and then stored is a rotation', async () => {
    expect(await verdictOf({
      'src/app.ts': `${prelude}app.post('/projects/:id/keys', async (req, res) => {
  let secretKey = '';
  let free = false;
  while (!free) {
    secretKey = crypto.randomBytes(24).toString('hex');
    free = (await prisma.project.count({ where: { secret: secretKey } })) === 0;
  }
  res.json(await prisma.project.update({ where: { id: req.params.id }, data: { secret: secretKey } }));
});
`,
    })).toEqual(['POST /projects/:id/keys reported medium']);
  });
});

describe('use cases and results', () => {
  it('a use case named for a read, whose Result says it found nothing, guards the insert it leads to', async () => {
    const app = (lookup: string) => `${prelude}class Result<T> { constructor(private v?: T) {} isFailed() { return this.v === undefined; } }
class ${lookup} { async execute(name: string) { return new Result((await prisma.setting.findFirst({ where: { name } })) ?? undefined); } }
class SettingRepository { async insert(s: { name: string; value: string }) { await prisma.setting.create({ data: s }); } }
class SetSetting {
  constructor(private lookup: ${lookup}, private settingRepository: SettingRepository) {}
  async execute(name: string, value: string) {
    const existing = await this.lookup.execute(name);
    if (existing.isFailed()) {
      await this.settingRepository.insert({ name, value });
      return;
    }
    await prisma.setting.update({ where: { name }, data: { value } });
  }
}
const setSetting = new SetSetting(new ${lookup}(), new SettingRepository());
app.put('/settings/:name', async (req, res) => { await setSetting.execute(req.params.name, req.body.value); res.end(); });
`;
    expect(await verdictOf({ 'src/app.ts': app('GetSetting').replace(/private lookup: GetSetting/, 'private getSetting: GetSetting').replace('this.lookup.execute', 'this.getSetting.execute') })).toEqual(['PUT /settings/:name naturally-idempotent']);
  });
});

