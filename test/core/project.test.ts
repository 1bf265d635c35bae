import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

describe('project', () => {
  it('resolves workspace packages of an uninstalled monorepo and uses each workspace tsconfig', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] }),
      'packages/db/package.json': JSON.stringify({ name: '@acme/db', main: './src/index.ts' }),
      'packages/db/src/index.ts': `import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n`,
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '^5', '@acme/db': '*' } }),
      'apps/api/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['src/*'] } } }),
      'apps/api/src/services/orders.ts': `import { db } from '@acme/db';\nexport const createOrder = (data: object) => db.order.create({ data });\n`,
      'apps/api/src/app.ts': `import express from 'express';\nimport { createOrder } from '~/services/orders';\nconst app = express();\napp.post('/orders', async (req, res) => { res.json(await createOrder(req.body)); });\n`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high']);
    expect(result.findings[0]!.writes[0]!.file).toBe('apps/api/src/services/orders.ts');
  });

  it('enters an unbuilt workspace package whose main is dist/ through its tsconfig rootDir and outDir', async () => {
    const files = (outDir: string): Record<string, string> => ({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', type: 'module', main: 'dist/index.js', typings: 'dist/index.d.ts' }),
      'packages/shared/tsconfig.json': `{\n  // built by tsc -b\n  "compilerOptions": { "rootDir": "lib", "outDir": "${outDir}" }\n}\n`,
      'packages/shared/lib/index.ts': `export { auditService } from './audit.service.js';\n`,
      'packages/shared/lib/audit.service.ts': `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport const auditService = { record: (entry: object) => db('audit_entries').insert(entry) };\n`,
      'packages/server/package.json': JSON.stringify({ name: 'server', dependencies: { express: '^5', knex: '^3', '@acme/shared': '*' } }),
      'packages/server/lib/app.ts': `import express from 'express';\nimport { auditService } from '@acme/shared';\nconst app = express();\napp.post('/notes', async (req, res) => { await auditService.record({ note: req.body.note }); res.end(); });\n`,
    });
    expect(verdicts(await scan(files('dist'), { paths: ['packages/server'] }))).toEqual(['POST /notes reported high']);
    // An outDir the entry is not under says nothing about where the source is.
    expect(verdicts(await scan(files('build'), { paths: ['packages/server'] }))).toEqual(['POST /notes read-only']);
  });

  it('finds the unique columns of a workspace database package when only the app folder is scanned', async () => {
    const schema = `model Team {\n  id   String @id @default(cuid())\n  slug String @unique\n}\n`;
    const comment = `model Comment {\n  id   String @id @default(cuid())\n  body String\n}\n`;
    const result = await scan({
      'pnpm-workspace.yaml': `packages:\n  - 'apps/*'\n  - 'packages/*'\n`,
      'package.json': JSON.stringify({ name: 'mono', private: true }),
      'packages/database/package.json': JSON.stringify({ name: '@acme/database', main: './index.ts' }),
      'packages/database/index.ts': `export * from './src/client';\n`,
      'packages/database/src/client.ts': `import { PrismaClient } from './generated/prisma/client';\nconst make = () => new PrismaClient();\nconst g = globalThis as unknown as { prisma?: ReturnType<typeof make> };\nexport const prisma = g.prisma ?? make();\n`,
      // A multi-file schema (prisma/schema/*.prisma).
      'packages/database/prisma/schema/team.prisma': schema,
      'packages/database/prisma/schema/comment.prisma': comment,
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '^5', '@acme/database': 'workspace:*' } }),
      'apps/api/src/app.ts': [
        `import express from 'express';`,
        `import { prisma } from '@acme/database';`,
        `const app = express();`,
        `app.post('/teams', async (req, res) => { res.json(await prisma.team.create({ data: { slug: req.body.slug } })); });`,
        `app.post('/comments', async (req, res) => { res.json(await prisma.comment.create({ data: { body: req.body.text } })); });`,
      ].join('\n'),
    }, { paths: ['apps/api'] });
    expect(verdicts(result)).toEqual(['POST /teams naturally-idempotent', 'POST /comments reported high']);
  });

  it('reads the Prisma schema a package configures outside itself (prisma.config.ts, package.json#prisma.schema)', async () => {
    const schema = `model Team {\n  id   String @id @default(cuid())\n  slug String @unique\n}\n`;
    const app = [
      `import express from 'express';`,
      `import { PrismaClient } from './generated/prisma/client';`,
      `const prisma = new PrismaClient();`,
      `const app = express();`,
      `app.post('/teams', async (req, res) => { res.json(await prisma.team.create({ data: { slug: req.body.slug } })); });`,
    ].join('\n');
    const pkg = { name: 'api', dependencies: { express: '^5', '@prisma/client': '^6' } };
    const byConfig = await scan({
      'database/schema/team.prisma': schema,
      'api/package.json': JSON.stringify(pkg),
      'api/prisma.config.ts': `import path from 'node:path';\nimport { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: path.join(import.meta.dirname, '..', 'database', 'schema') });\n`,
      'api/src/app.ts': app,
    }, { paths: ['api'] });
    expect(verdicts(byConfig)).toEqual(['POST /teams naturally-idempotent']);
    const byPackage = await scan({
      'database/team.prisma': schema,
      'api/package.json': JSON.stringify({ ...pkg, prisma: { schema: '../database/team.prisma' } }),
      'api/src/app.ts': app,
    }, { paths: ['api'] });
    expect(verdicts(byPackage)).toEqual(['POST /teams naturally-idempotent']);
    const unconfigured = await scan({ 'database/team.prisma': schema, 'api/package.json': JSON.stringify(pkg), 'api/src/app.ts': app }, { paths: ['api'] });
    expect(verdicts(unconfigured)).toEqual(['POST /teams reported high']);
  });

  it('reports a syntax error and still analyses what the parser recovered', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5' } }),
      'src/app.ts': `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst app = express();\napp.post('/a', async (req, res) => { await prisma.a.create({ data: {} }); res.end(); });\nconst broken = {;\n`,
    });
    expect(verdicts(result)).toEqual(['POST /a reported high']);
    expect(result.errors).toEqual([{ file: 'src/app.ts', message: expect.stringContaining('syntax error at line 6') as string }]);
  });
});

describe('prefetching the imports of route files', () => {
  it('parses the files a route file imports for their values, by relative path, and nothing else', async () => {
    const { Project } = await import('../../src/core/project.js');
    const { loadBundledTsSync } = await import('../../src/core/ts.js');
    const ts = loadBundledTsSync();
    const texts: Record<string, string> = {
      '/app/routes.ts': [
        "import { orders } from './orders.service.js';",
        "import type { Order } from './order.js';",
        "import { type Money } from './money.js';",
        "import { helper, type Options } from './helper.js';",
        "import express from 'express';",
        "import './side-effect.js';",
      ].join('\n'),
      '/app/orders.service.ts': 'export const orders = {};',
      '/app/order.ts': 'export interface Order {}',
      '/app/money.ts': 'export type Money = number;',
      '/app/helper.ts': 'export const helper = 1; export interface Options {}',
      '/app/side-effect.ts': 'console.log(1);',
      '/app/unrelated.ts': 'export const x = 1;',
    };
    const project = new Project({ ts, cwd: '/app', readSource: (file) => (file in texts ? { text: texts[file]! } : { error: 'missing' }) });
    for (const [file, text] of Object.entries(texts)) project.remember(file, text);
    const routes = project.sourceFile('/app/routes.ts')!;
    const parsed: string[] = [];
    project.watchAccess((file) => parsed.push(file));
    project.prefetchImports([routes]);
    expect(parsed.sort()).toEqual(['/app/helper.ts', '/app/orders.service.ts', '/app/side-effect.ts']);
    // Already parsed: not parsed again.
    parsed.length = 0;
    project.prefetchImports([routes]);
    expect(parsed).toEqual([]);
  });
});
