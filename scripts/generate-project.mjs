// Writes a large synthetic but realistic Express + Prisma backend: per domain a router, a controller-free
// service with Prisma/Stripe/e-mail/queue calls, validation schemas, types and utilities, so that most
// files are not routes (as in real code) and handlers reach their writes two files away.
import fs from 'node:fs';
import path from 'node:path';

export function generateProject(dir, fileCount) {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  write('package.json', JSON.stringify({ name: 'bench-app', dependencies: { express: '^5', '@prisma/client': '^6', stripe: '^17', nodemailer: '^6', bullmq: '^5' } }));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
  write('src/lib/prisma.ts', "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n");
  write('src/lib/stripe.ts', "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_KEY ?? '');\n");
  write('src/lib/mail.ts', "import nodemailer from 'nodemailer';\nconst t = nodemailer.createTransport({});\nexport const send = (to: string, s: string) => t.sendMail({ to, subject: s });\n");
  write('src/lib/queue.ts', "import { Queue } from 'bullmq';\nexport const jobs = new Queue('jobs');\n");
  const domains = Math.max(1, Math.floor((fileCount - 5) / 6));
  const mounts = [];
  for (let i = 0; i < domains; i++) {
    const name = `domain${i}`;
    const Model = `Entity${i}`;
    write(`src/${name}/types.ts`, `export interface ${Model} {\n  id: string;\n  name: string;\n  amount: number;\n  status: 'draft' | 'active' | 'archived';\n  createdAt: Date;\n}\n\nexport type New${Model} = Omit<${Model}, 'id' | 'createdAt'>;\n\nexport interface ${Model}Filter {\n  status?: ${Model}['status'];\n  search?: string;\n  page?: number;\n}\n`);
    write(`src/${name}/schema.ts`, `import { z } from 'zod';\n\nexport const create${Model} = z.object({\n  name: z.string().min(1).max(200),\n  amount: z.number().int().nonnegative(),\n  status: z.enum(['draft', 'active', 'archived']).default('draft'),\n});\n\nexport const update${Model} = create${Model}.partial();\n`);
    write(`src/${name}/format.ts`, `import type { ${Model} } from './types.js';\n\nexport function describe${Model}(item: ${Model}): string {\n  const amount = (item.amount / 100).toFixed(2);\n  return \`\${item.name} (\${item.status}) — \${amount}\`;\n}\n\nexport function sort${Model}s(items: ${Model}[]): ${Model}[] {\n  return [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.name.localeCompare(b.name));\n}\n`);
    write(`src/${name}/repository.ts`, `import { prisma } from '../lib/prisma.js';\nimport type { New${Model}, ${Model}Filter } from './types.js';\n\nexport const ${name}Repository = {\n  list(filter: ${Model}Filter) {\n    return prisma.${name}.findMany({ where: { status: filter.status, name: { contains: filter.search } }, skip: ((filter.page ?? 1) - 1) * 20, take: 20 });\n  },\n  create(data: New${Model}) {\n    return prisma.${name}.create({ data });\n  },\n  rename(id: string, name: string) {\n    return prisma.${name}.update({ where: { id }, data: { name } });\n  },\n  bump(id: string) {\n    return prisma.${name}.update({ where: { id }, data: { amount: { increment: 1 } } });\n  },\n};\n`);
    write(`src/${name}/service.ts`, `import { ${name}Repository } from './repository.js';\nimport { stripe } from '../lib/stripe.js';\nimport { send } from '../lib/mail.js';\nimport { jobs } from '../lib/queue.js';\nimport type { New${Model} } from './types.js';\n\nexport class ${Model}Service {\n  async create(input: New${Model}, owner: string) {\n    const item = await ${name}Repository.create(input);\n    await jobs.add('index', { id: item.id });\n    await send(owner, 'created');\n    return item;\n  }\n\n  async charge(amount: number, customer: string, key?: string) {\n    return stripe.paymentIntents.create({ amount, currency: 'eur', customer }, key ? { idempotencyKey: key } : undefined);\n  }\n\n  rename(id: string, name: string) {\n    return ${name}Repository.rename(id, name);\n  }\n\n  bump(id: string) {\n    return ${name}Repository.bump(id);\n  }\n}\n\nexport const ${name}Service = new ${Model}Service();\n`);
    write(`src/${name}/routes.ts`, `import { Router } from 'express';\nimport { ${name}Service } from './service.js';\nimport { ${name}Repository } from './repository.js';\n\nexport const ${name}Router = Router();\n\n${name}Router.post('/', async (req, res) => {\n  res.status(201).json(await ${name}Service.create(req.body, req.get('x-user') ?? ''));\n});\n\n${name}Router.post('/search', async (req, res) => {\n  res.json(await ${name}Repository.list(req.body));\n});\n\n${name}Router.put('/:id', async (req, res) => {\n  res.json(await ${name}Service.rename(req.params.id, req.body.name));\n});\n\n${name}Router.post('/:id/bump', async (req, res) => {\n  res.json(await ${name}Service.bump(req.params.id));\n});\n\n${name}Router.post('/:id/charge', async (req, res) => {\n  res.json(await ${name}Service.charge(req.body.amount, req.body.customer, req.get('Idempotency-Key')));\n});\n`);
    mounts.push([name, `/api/${name}`]);
  }
  write('src/app.ts', `import express from 'express';\n${mounts.map(([n]) => `import { ${n}Router } from './${n}/routes.js';`).join('\n')}\n\nexport const app = express();\napp.use(express.json());\n${mounts.map(([n, p]) => `app.use('${p}', ${n}Router);`).join('\n')}\n`);
  return domains * 6 + 5;
}
