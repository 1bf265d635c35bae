// Rule cases per framework, untyped and typed. Each case is a file of a small app under
// test/eslint/apps/<framework> (its package.json enables the framework), linted from its buffer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import { missingIdempotencyKey, type RuleOptions } from '../../rules/missing-idempotency-key.js';

const APPS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apps');
const at = (app: string, file: string): string => path.join(APPS, app, file);
/** RuleTester lints with cwd `/`: evidence paths are relative to it, as ESLint's are to its cwd. */
const shown = (file: string): string => path.relative('/', file).split(path.sep).join('/');

/** The message data of a finding whose worst write is at `file:line`. */
function data(where: string, severity: string, write: string, file: string, line: number, via = where): Record<string, string> {
  const [method, route = ''] = where.split(' ');
  return {
    where,
    method: method!,
    route,
    severity,
    reason: `${write} reached via ${via} without idempotency handling`,
    write,
    location: ` — write at ${shown(file)}:${line}`,
  };
}

type Valid = ValidTestCase<[RuleOptions]>;
type Invalid = InvalidTestCase<'missingIdempotencyKey' | 'addIdempotency', [RuleOptions]>;

const valid: Valid[] = [
  {
    name: 'express: a POST that only reads',
    filename: at('express', 'search.ts'),
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.post('/search', async (req, res) => {
  res.json(await prisma.order.findMany({ where: { status: req.body.status } }));
});
`,
  },
  {
    name: 'express: the Idempotency-Key header read and passed to Stripe',
    filename: at('express', 'charges.ts'),
    code: `import { Router } from 'express';
import Stripe from 'stripe';
const stripe = new Stripe('sk');
export const router = Router();
router.post('/charges', async (req, res) => {
  const key = req.get('Idempotency-Key');
  res.json(await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' }, { idempotencyKey: key }));
});
`,
  },
  {
    name: 'express: an upsert is naturally idempotent',
    filename: at('express', 'profiles.ts'),
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.put('/profiles/:id', async (req, res) => {
  res.json(await prisma.profile.upsert({ where: { id: req.params.id }, create: req.body, update: req.body }));
});
`,
  },
  {
    name: 'express: an idem-scan-ignore comment with a reason',
    filename: at('express', 'ignored.ts'),
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
// idem-scan-ignore missing-idempotency-key -- duplicates are merged by a nightly job
router.post('/notes', async (req, res) => {
  res.json(await prisma.note.create({ data: req.body }));
});
`,
  },
  {
    name: 'express: a medium finding below minSeverity high',
    filename: at('express', 'views.ts'),
    options: [{ minSeverity: 'high' }],
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.post('/orders/:id/views', async (req, res) => {
  res.json(await prisma.order.update({ where: { id: req.params.id }, data: { views: { increment: 1 } } }));
});
`,
  },
  {
    name: 'express: a project wrapper named in the options',
    filename: at('express', 'wrapped.ts'),
    options: [{ wrappers: ['onceper'] }],
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
declare function onceper<T>(key: string | undefined, work: () => Promise<T>): Promise<T>;
const prisma = new PrismaClient();
export const router = Router();
router.post('/notes', async (req, res) => {
  res.json(await onceper(req.get('Idempotency-Key'), () => prisma.note.create({ data: req.body })));
});
`,
  },
  {
    name: 'fastify: a read-only POST',
    filename: at('fastify', 'reports.ts'),
    code: `import type { FastifyInstance } from 'fastify';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export default async function routes(app: FastifyInstance) {
  app.post('/reports', async (request) => prisma.order.count({ where: request.body as object }));
}
`,
  },
  {
    name: 'nest: a handler that reads the Idempotency-Key header',
    filename: at('nest', 'orders.controller.ts'),
    code: `import { Body, Controller, Headers, Post } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() body: { total: number }, @Headers('idempotency-key') key: string) {
    return prisma.order.upsert({ where: { key }, create: { ...body, key }, update: {} });
  }
}
`,
  },
  {
    name: 'next app router: a GET is not a POST',
    filename: at('next', 'app/api/orders/route.ts'),
    code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function GET() {
  return Response.json(await prisma.order.findMany());
}
`,
  },
  {
    name: 'not a route: a function named post',
    filename: at('express', 'client.ts'),
    code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const api = { post: (path: string, fn: () => unknown) => [path, fn] };
api.post('/orders', () => prisma.order.create({ data: {} }));
`,
  },
];

const invalid: Invalid[] = [
  {
    name: 'express: a POST that creates a record',
    filename: at('express', 'orders.ts'),
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.post('/orders', async (req, res) => {
  res.status(201).json(await prisma.order.create({ data: req.body }));
});
`,
    errors: [
      {
        messageId: 'missingIdempotencyKey',
        line: 5,
        column: 8,
        endLine: 5,
        endColumn: 12,
        data: data('POST /orders', 'high', 'db-create prisma.order.create', at('express', 'orders.ts'), 6), suggestions: [{ messageId: 'addIdempotency', data: { description: 'wraps the handler in idempotent, which stores the first response and replays it for the same idempotency-key (the response is sent among the writes)' }, output: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { idempotent } from '@idem-scan/runtime';
const prisma = new PrismaClient();
export const router = Router();
router.post('/orders', idempotent(async (req, res) => {
  res.status(201).json(await prisma.order.create({ data: req.body }));
}));
` }] },
    ],
  },
  {
    name: 'express: a charge without a key is critical',
    filename: at('express', 'payments.ts'),
    code: `import express from 'express';
import Stripe from 'stripe';
const stripe = new Stripe('sk');
const app = express();
app.post('/payments', async (req, res) => {
  res.json(await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' }));
});
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 5, column: 5, data: data('POST /payments', 'critical', 'payment stripe.paymentIntents.create', at('express', 'payments.ts'), 6), suggestions: [{ messageId: 'addIdempotency', data: { description: 'wraps the handler in idempotent, which stores the first response and replays it for the same idempotency-key (the response is sent among the writes)' }, output: `import express from 'express';
import Stripe from 'stripe';
import { idempotent } from '@idem-scan/runtime';
const stripe = new Stripe('sk');
const app = express();
app.post('/payments', idempotent(async (req, res) => {
  res.json(await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'eur' }));
}));
` }] }],
  },
  {
    name: 'express: PATCH is reported only when asked for',
    filename: at('express', 'patch.ts'),
    options: [{ methods: ['POST', 'PUT', 'PATCH'] }],
    code: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
router.patch('/orders/:id/views', async (req, res) => {
  res.json(await prisma.order.update({ where: { id: req.params.id }, data: { views: { increment: 1 } } }));
});
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 5, column: 8, data: data('PATCH /orders/:id/views', 'medium', 'db-increment prisma.order.update', at('express', 'patch.ts'), 6), suggestions: [{ messageId: 'addIdempotency', data: { description: 'wraps the handler in idempotent, which stores the first response and replays it for the same idempotency-key (the response is sent among the writes)' }, output: `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
import { idempotent } from '@idem-scan/runtime';
const prisma = new PrismaClient();
export const router = Router();
router.patch('/orders/:id/views', idempotent(async (req, res) => {
  res.json(await prisma.order.update({ where: { id: req.params.id }, data: { views: { increment: 1 } } }));
}));
` }] }],
  },
  {
    name: 'fastify: a route that sends a queue job',
    filename: at('fastify', 'jobs.ts'),
    code: `import type { FastifyInstance } from 'fastify';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export default async function routes(app: FastifyInstance) {
  app.post('/invoices', async (request, reply) => {
    const invoice = await prisma.invoice.create({ data: request.body as never });
    return reply.code(201).send(invoice);
  });
}
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 5, column: 7, data: data('POST /invoices', 'high', 'db-create prisma.invoice.create', at('fastify', 'jobs.ts'), 6), suggestions: [{ messageId: 'addIdempotency', data: { description: 'reads the idempotency-key header and runs 1 statement(s) with the writes once per key through withIdempotency' }, output: `import type { FastifyInstance } from 'fastify';
import { PrismaClient } from '@prisma/client';
import { withIdempotency } from '@idem-scan/runtime';
const prisma = new PrismaClient();
export default async function routes(app: FastifyInstance) {
  app.post('/invoices', async (request, reply) => {
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    const invoice = await withIdempotency(idempotencyKey, async () => {
      const invoice = await prisma.invoice.create({ data: request.body as never });
      return invoice;
    }, { input: request.body });
    return reply.code(201).send(invoice);
  });
}
` }] }],
  },
  {
    name: 'nest: a controller method that creates a record',
    filename: at('nest', 'invoices.controller.ts'),
    code: `import { Body, Controller, Post } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
@Controller('invoices')
export class InvoicesController {
  @Post()
  create(@Body() body: { total: number }) {
    return prisma.invoice.create({ data: body });
  }
}
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 6, column: 3, data: data('POST /invoices', 'high', 'db-create prisma.invoice.create', at('nest', 'invoices.controller.ts'), 8, 'InvoicesController.create'), suggestions: [{ messageId: 'addIdempotency', data: { description: 'reads the idempotency-key header and runs 1 statement(s) with the writes once per key through withIdempotency' }, output: `import { Body, Controller, Post, Headers } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import { withIdempotency } from '@idem-scan/runtime';
const prisma = new PrismaClient();
@Controller('invoices')
export class InvoicesController {
  @Post()
  create(@Body() body: { total: number }, @Headers('idempotency-key') idempotencyKey: string | undefined) {
    return withIdempotency(idempotencyKey, async () => {
      return prisma.invoice.create({ data: body });
    }, { input: body });
  }
}
` }] }],
  },
  {
    name: 'next app router: a POST route handler',
    filename: at('next', 'app/api/orders/route.ts'),
    code: `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function POST(request: Request) {
  const body = await request.json();
  return Response.json(await prisma.order.create({ data: body }), { status: 201 });
}
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 3, data: data('POST /api/orders', 'high', 'db-create prisma.order.create', at('next', 'app/api/orders/route.ts'), 5, 'POST'), suggestions: [{ messageId: 'addIdempotency', data: { description: 'wraps the handler in withIdempotentRoute, which stores the first response and replays it for the same idempotency-key' }, output: `import { PrismaClient } from '@prisma/client';
import { withIdempotentRoute } from '@idem-scan/runtime';
const prisma = new PrismaClient();
export const POST = withIdempotentRoute(async function POST(request: Request) {
  const body = await request.json();
  return Response.json(await prisma.order.create({ data: body }), { status: 201 });
});
` }] }],
  },
  {
    name: 'next pages router: a POST branch that sends e-mail',
    filename: at('next', 'pages/api/invite.ts'),
    code: `import type { NextApiRequest, NextApiResponse } from 'next';
import { Resend } from 'resend';
const resend = new Resend('re_key');
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'POST') {
    await resend.emails.send({ from: 'a@b.c', to: req.body.email, subject: 'Invite', html: '<p>hi</p>' });
    return res.status(202).end();
  }
  res.status(405).end();
}
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 5, data: data('POST /api/invite', 'high', 'email resend.emails.send', at('next', 'pages/api/invite.ts'), 6, 'POST /api/invite branch'), suggestions: [{ messageId: 'addIdempotency', data: { description: 'wraps the handler in withIdempotentApiRoute, which stores the first response and replays it for the same idempotency-key' }, output: `import type { NextApiRequest, NextApiResponse } from 'next';
import { Resend } from 'resend';
import { withIdempotentApiRoute } from '@idem-scan/runtime';
const resend = new Resend('re_key');
export default withIdempotentApiRoute(async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'POST') {
    await resend.emails.send({ from: 'a@b.c', to: req.body.email, subject: 'Invite', html: '<p>hi</p>' });
    return res.status(202).end();
  }
  res.status(405).end();
});
` }] }],
  },
  {
    name: 'next server action: a create',
    filename: at('next', 'app/actions/orders.ts'),
    code: `'use server';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function placeOrder(form: FormData) {
  await prisma.order.create({ data: { item: String(form.get('item')) } });
}
`,
    errors: [{ messageId: 'missingIdempotencyKey', line: 4, data: { ...data('POST handler', 'high', 'db-create prisma.order.create', at('next', 'app/actions/orders.ts'), 5, 'placeOrder'), route: '' } }],
  },
];

describe('missing-idempotency-key (untyped)', () => {
  const ruleTester = new RuleTester();
  ruleTester.run('missing-idempotency-key', missingIdempotencyKey, { valid, invalid });
});

describe('missing-idempotency-key (typed: typeInfo "require")', () => {
  const ruleTester = new RuleTester({
    languageOptions: {
      // The cases' files exist only as buffers, so each lands in the default project.
      parserOptions: {
        projectService: { allowDefaultProject: ['*/*.ts', '*/*/*/*.ts', '*/*/*/*/*.ts'], maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 64 },
        tsconfigRootDir: APPS,
      },
    },
  });
  const typed = <T extends Valid | Invalid>(cases: T[]): T[] =>
    cases.map((c) => ({ ...c, name: `${c.name} (typed)`, options: [{ ...(c.options?.[0] ?? {}), typeInfo: 'require' as const }] }));
  ruleTester.run('missing-idempotency-key', missingIdempotencyKey, { valid: typed(valid), invalid: typed(invalid) });
});
