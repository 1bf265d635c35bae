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

  it('reports a syntax error and still analyses what the parser recovered', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5' } }),
      'src/app.ts': `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst app = express();\napp.post('/a', async (req, res) => { await prisma.a.create({ data: {} }); res.end(); });\nconst broken = {;\n`,
    });
    expect(verdicts(result)).toEqual(['POST /a reported high']);
    expect(result.errors).toEqual([{ file: 'src/app.ts', message: expect.stringContaining('syntax error at line 6') as string }]);
  });
});
