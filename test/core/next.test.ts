import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'web', dependencies: { next: '^16', '@prisma/client': '^6' } });
const db = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

describe('next detectors', () => {
  it('follows a Pages API route whose default export is re-exported from another module', async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'lib/api/webhook.ts': `import type { NextApiRequest, NextApiResponse } from 'next';\nimport { prisma } from '../db';\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  if (req.method === 'POST') return res.json(await prisma.delivery.create({ data: { payload: req.body } }));\n  res.status(405).end();\n}\n`,
      'lib/api/index.ts': `export { default } from './webhook';\n`,
      'pages/api/webhook.ts': `export { default, config } from '../../lib/api';\n`,
      'pages/api/health.ts': `export { default as health } from '../../lib/api';\n`,
    });
    // Only the re-exported default answers a route (`health` re-exports it under another name).
    expect(verdicts(result)).toEqual(['POST /api/webhook reported high']);
  });

  it('finds App Router methods destructured from a handler object or re-exported from another module', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'web', dependencies: { next: '^16', '@prisma/client': '^6', 'next-auth': '^5' } }),
      'lib/db.ts': db,
      'auth.ts': `import NextAuth from 'next-auth';\nexport const { handlers: { GET, POST }, auth } = NextAuth({ providers: [] });\n`,
      'lib/feedback.ts': `import { prisma } from './db';\nexport async function POST(req: Request) { return Response.json(await prisma.feedback.create({ data: await req.json() })); }\n`,
      'lib/handlers.ts': `import { prisma } from './db';\nexport const handlers = { PUT: async (req: Request) => Response.json(await prisma.setting.update({ where: { id: 1 }, data: await req.json() })) };\n`,
      'app/api/auth/[...nextauth]/route.ts': `export { GET, POST } from '@/auth';\n`,
      'app/api/feedback/route.ts': `export { POST } from '@/lib/feedback';\n`,
      'app/api/settings/route.ts': `import { handlers } from '@/lib/handlers';\nexport const { PUT } = handlers;\n`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    expect(verdicts(result)).toEqual([
      'POST /api/auth/[...nextauth] read-only',
      'POST /api/feedback reported high',
      'PUT /api/settings naturally-idempotent',
    ]);
  });

  it('reads App Router exports: declarations, consts, wrappers, aliases; routes from the file system', async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'lib/auth.ts': `export function withAuth(h: (req: Request) => Promise<Response>) { return async (req: Request) => h(req); }`,
      'app/(shop)/orders/route.ts': `
        import { prisma } from '@/lib/db';
        import { withAuth } from '../../../lib/auth';
        export async function POST(req: Request) { return Response.json(await prisma.order.create({ data: await req.json() })); }
        export const PATCH = withAuth(async (req) => Response.json(await prisma.order.update({ where: { id: '1' }, data: { a: 1 } })));
        export const PUT = PATCH;
        export async function GET() { return Response.json([]); }`,
      'app/api/search/route.ts': `
        import { prisma } from '../../../lib/db';
        async function search(req: Request) { return Response.json(await prisma.order.findMany()); }
        export { search as POST };`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    expect(verdicts(result)).toEqual([
      'POST /orders reported high',
      'PATCH /orders naturally-idempotent',
      'PUT /orders naturally-idempotent',
      'POST /api/search read-only',
    ]);
  });

  it('splits Pages Router handlers by method branch, switch case and guard, and unwraps withAuth', async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'pages/api/orders/index.ts': `
        import { prisma } from '../../../lib/db';
        import { withAuth } from '../../../lib/auth';
        async function handler(req, res) {
          if (req.method === 'POST') {
            return res.json(await prisma.order.create({ data: req.body }));
          } else if (req.method === 'PUT') {
            return res.json(await prisma.order.update({ where: { id: req.body.id }, data: req.body }));
          }
          res.status(405).end();
        }
        export default withAuth(handler);`,
      'pages/api/orders/[id].ts': `
        import { prisma } from '../../../lib/db';
        export default async function handler(req, res) {
          switch (req.method) {
            case 'PATCH':
            case 'PUT':
              return res.json(await prisma.order.update({ where: { id: req.query.id }, data: req.body }));
            case 'GET':
              return res.json(await prisma.order.findUnique({ where: { id: req.query.id } }));
          }
        }`,
      'pages/api/pay.ts': `
        import Stripe from 'stripe';
        const stripe = new Stripe('k');
        export default async function pay(req, res) {
          if (req.method !== 'POST') return res.status(405).end();
          res.json(await stripe.paymentIntents.create({ amount: req.body.amount }));
        }`,
      'lib/auth.ts': `export const withAuth = (h) => (req, res) => h(req, res);`,
    });
    expect(verdicts(result)).toEqual([
      'PATCH /api/orders/[id] naturally-idempotent',
      'PUT /api/orders/[id] naturally-idempotent',
      'POST /api/orders reported high',
      'PUT /api/orders naturally-idempotent',
      'POST /api/pay reported critical',
    ]);
  });

  it('honours middleware.ts that claims the key for the routes its matcher covers; reports server actions', async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'middleware.ts': `
        import { NextResponse, type NextRequest } from 'next/server';
        import { redis } from './lib/redis';
        export async function middleware(req: NextRequest) {
          const key = req.headers.get('idempotency-key');
          if (key && !(await redis.set('idem:' + key, '1', { nx: true, ex: 86400 }))) return new NextResponse(null, { status: 409 });
          return NextResponse.next();
        }
        export const config = { matcher: ['/api/payments/:path*'] };`,
      'app/api/payments/route.ts': `import { prisma } from '../../../lib/db';\nexport async function POST() { return Response.json(await prisma.payment.create({ data: {} })); }`,
      'app/api/refunds/route.ts': `import { prisma } from '../../../lib/db';\nexport async function POST() { return Response.json(await prisma.refund.create({ data: {} })); }`,
      'app/actions.ts': `'use server';\nimport { prisma } from '../lib/db';\nexport async function createPost(form: FormData) { await prisma.post.create({ data: { title: String(form.get('t')) } }); }\nexport async function listPosts() { return prisma.post.findMany(); }`,
    });
    expect(verdicts(result)).toEqual([
      'POST ? reported high',
      'POST ? read-only',
      'POST /api/payments handled',
      'POST /api/refunds reported high',
    ]);
  });

  it("names an action written inline in a form after the element and the component", async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'app/page.tsx': `import { prisma } from '../lib/db';\nexport default function Newsletter() {\n  return <form action={async (form: FormData) => { 'use server'; await prisma.subscriber.create({ data: { email: String(form.get('email')) } }); }}><button /></form>;\n}`,
    });
    expect(result.handlers.map((h) => `${h.symbol} ${h.status}`)).toEqual(['<form action> in Newsletter reported']);
  });
});

describe('per-workspace enablement', () => {
  it('weighs a wrapped Pages handler\'s own checks where they stand, not as the wrapper\'s; reads a client cast from a global', async () => {
    const result = await scan({
      'package.json': pkg,
      // The Next.js dev-server idiom: one client kept on the global object, exported under its asserted type.
      'lib/prisma.ts': `import { PrismaClient } from '@prisma/client';
        declare global { var prisma: PrismaClient | undefined }
        if (!global.prisma) global.prisma = new PrismaClient();
        export default global.prisma as PrismaClient;`,
      'lib/with-api.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
        export const withApi = (handler: (req: NextApiRequest, res: NextApiResponse) => Promise<unknown>, methods: string[] | { methods: string[] }) =>
          (req: NextApiRequest, res: NextApiResponse) => {
            if (!(Array.isArray(methods) ? methods : methods.methods).includes(req.method ?? '')) return res.status(405).end();
            return handler(req, res);
          };`,
      'pages/api/links.ts': `import prisma from '../../lib/prisma';
        import { withApi } from '../../lib/with-api';
        async function handler(req, res) {
          if (req.body.alias) {
            const existing = await prisma.link.findFirst({ where: { alias: req.body.alias } });
            if (existing) return res.status(409).end();
          }
          return res.json(await prisma.link.create({ data: { alias: req.body.alias ?? null, url: req.body.url } }));
        }
        export default withApi(handler, ['POST']);`,
      // The wrapper's options list every method the route answers: no POST here, whatever the else does.
      'pages/api/sessions.ts': `import prisma from '../../lib/prisma';
        import { withApi } from '../../lib/with-api';
        async function handler(req, res) {
          if (req.method === 'DELETE') return res.json(await prisma.session.deleteMany({ where: { id: { in: req.body.ids } } }));
          return res.json(await prisma.session.findMany());
        }
        export default withApi(handler, { methods: ['GET', 'DELETE'] });`,
    });
    expect(verdicts(result)).toEqual(['POST /api/links reported high']);
  });

  it('reads a Pages method map held in a variable beside other settings, each method an options object with its handle', async () => {
    const result = await scan({
      'package.json': pkg,
      'lib/db.ts': db,
      'lib/api.ts': `export type Api = Record<string, unknown>;
export function apiHandler(api: Api) { return async (req: any, res: any) => res.end(); }
`,
      'pages/api/workspaces.ts': `
        import { prisma } from '../../lib/db';
        import { apiHandler, type Api } from '../../lib/api';
        const api: Api = {
          url: '/api/workspaces',
          GET: { auth: true, handle: async () => prisma.workspace.findMany() },
          POST: { auth: true, handle: async ({ body }: any) => prisma.workspace.create({ data: { name: body.name } }) },
          PUT: { auth: true, handle: async ({ body }: any) => prisma.workspace.update({ where: { id: body.id }, data: { name: body.name } }) },
        };
        export default apiHandler(api);`,
    });
    expect(verdicts(result)).toEqual(['POST /api/workspaces reported high', 'PUT /api/workspaces naturally-idempotent']);
  });

  it('runs the Next.js detectors only where the nearest package.json depends on next', async () => {
    const routeFile = `import { prisma } from '../../../db';\nexport async function POST() { return Response.json(await prisma.order.create({ data: {} })); }\n`;
    const result = await scan({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': pkg,
      'apps/web/db.ts': db,
      'apps/web/app/api/orders/route.ts': routeFile,
      'apps/worker/package.json': JSON.stringify({ name: 'worker', dependencies: { '@prisma/client': '^6' } }),
      'apps/worker/db.ts': db,
      'apps/worker/app/api/orders/route.ts': routeFile,
    });
    expect(result.handlers.map((h) => `${h.file} ${h.status}`)).toEqual(['apps/web/app/api/orders/route.ts reported']);
  });
});
