import { describe, expect, it } from 'vitest';
import { scan, verdicts } from '../helpers/scan.js';

const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5.0.0' } });
const db = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

describe('express detector', () => {
  it('tells apart the apps a helper makes per call, while what the helper registers applies to each', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/util.ts': `import express from 'express';\nimport { idempotency } from 'express-idempotency';\nexport function createApp() {\n  const app = express();\n  app.use(idempotency.idempotency());\n  return app;\n}\nexport function plainApp() {\n  const app = express();\n  app.set('x-powered-by', false);\n  return app;\n}\n`,
      'src/theme.ts': `import { plainApp } from './util';\nexport function themeApp() {\n  const app = plainApp();\n  app.get('/css', (req, res) => { res.end(); });\n  return app;\n}\n`,
      'src/admin.ts': `import { plainApp } from './util';\nimport { prisma } from './db';\nexport function adminApp() {\n  const admin = plainApp();\n  admin.post('/flows', async (req, res) => { res.json(await prisma.flow.create({ data: req.body })); });\n  return admin;\n}\n`,
      'src/hooks.ts': `import { createApp } from './util';\nimport { prisma } from './db';\nexport const hooks = createApp();\nhooks.post('/deliveries', async (req, res) => { res.json(await prisma.delivery.create({ data: req.body })); });\n`,
      'src/routes.ts': `import { Router } from 'express';\nimport { prisma } from './db';\nexport function buildRouter() {\n  const router = Router();\n  router.post('/notes', async (req, res) => { res.json(await prisma.note.create({ data: req.body })); });\n  return router;\n}\n`,
      'src/main.ts': `import express from 'express';\nimport { themeApp } from './theme';\nimport { adminApp } from './admin';\nimport { hooks } from './hooks';\nimport { buildRouter } from './routes';\nconst app = express();\napp.use('/theme', themeApp());\napp.use('/admin', adminApp());\napp.use('/hooks', hooks);\napp.use('/api', buildRouter());\n`,
    });
    // The theme's prefix is not the admin's; the helper's idempotency middleware covers the app it made.
    expect(verdicts(result)).toEqual(['POST /admin/flows reported high', 'POST /hooks/deliveries handled', 'POST /api/notes reported high']);
  });

  it('follows services handed in as members of an imported interface, through Pick<>', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/order-service.ts': `import { prisma } from './db';\nexport class OrderService { create(data: { sku: string }) { return prisma.order.create({ data: { sku: data.sku } }); } }`,
      'src/services.ts': `import type { OrderService } from './order-service';\nexport interface Services { orderService: OrderService; mailer: unknown }`,
      'src/routes.ts': `
        import { Router } from 'express';
        import type { Services } from './services';
        export function orderRoutes({ orderService }: Pick<Services, 'orderService'>) {
          const router = Router();
          router.post('/orders', async (req, res) => { res.json(await orderService.create(req.body)); });
          return router;
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high']);
  });

  it('unwraps an imported handler made by a wrapper whose declared return type is the package\'s RequestHandler', async () => {
    const wrapper = `import type { Request, Response, RequestHandler } from 'express';
export function asyncWrapper(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => { fn(req, res).catch(next); };
}`;
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/wrap.ts': wrapper,
      'src/controllers/post-order.ts': `import { asyncWrapper } from '../wrap.js';\nimport { prisma } from '../db.js';\nexport const postOrder = asyncWrapper(async (req, res) => { res.json(await prisma.order.create({ data: { sku: req.body.sku } })); });\n`,
      'src/controllers/post-search.ts': `import { asyncWrapper } from '../wrap.js';\nimport { prisma } from '../db.js';\nexport const postSearch = asyncWrapper(async (req, res) => { res.json(await prisma.order.findMany({ where: { sku: req.body.sku } })); });\n`,
      'src/app.ts': `import express from 'express';\nimport { postOrder } from './controllers/post-order.js';\nimport { postSearch } from './controllers/post-search.js';\nconst app = express();\napp.post('/orders', postOrder);\napp.post('/orders/search', postSearch);\n`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high', 'POST /orders/search read-only']);
    expect(result.handlers.map((h) => h.reason)).not.toContain('the handler comes from the package express, outside the project');
  });

  it('finds routes a controller base class registers from data (this.route({ method, path, handler }))', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/controller.ts': `
        import { Router } from 'express';
        export class Controller {
          router = Router();
          route(o: { method: 'get' | 'post' | 'put'; path: string; handler: (req: any, res: any) => Promise<void> }) {
            this.router[o.method](o.path, o.handler.bind(this));
          }
        }`,
      'src/notes.ts': `
        import { Controller } from './controller';
        import { prisma } from './db';
        const PREFIX = '/api/notes';
        export class NotesController extends Controller {
          constructor() {
            super();
            this.route({ method: 'post', path: PREFIX, handler: this.create });
            this.route({ method: 'put', path: \`\${PREFIX}/:id\`, handler: this.rename });
          }
          async create(req: any, res: any) { res.json(await prisma.note.create({ data: { body: req.body.body } })); }
          async rename(req: any, res: any) { res.json(await prisma.note.update({ where: { id: req.params.id }, data: { title: req.body.title } })); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /api/notes reported high', 'PUT /api/notes/:id naturally-idempotent']);
  });

  it('mounts a router loaded with a dynamic import, and groups handlers re-exported as a namespace', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/controllers/notes/create.ts': `import { prisma } from '../../db';\nexport async function create(req: any, res: any) { res.json(await prisma.note.create({ data: { body: req.body.body } })); }`,
      'src/controllers/notes/index.ts': `export { create } from './create';`,
      'src/controllers/index.ts': `export * as notes from './notes/index';`,
      'src/ee/routes.ts': `
        import { Router } from 'express';
        import * as controllers from '../controllers/index';
        const router = Router();
        router.post('/notes', controllers.notes.create);
        export default router;`,
      'src/app.ts': `
        import express from 'express';
        const app = express();
        export async function loadEnterprise() {
          const ee = (await import('./ee/routes')).default;
          app.use('/api/v1', ee);
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /api/v1/notes reported high']);
  });

  it('finds verbs on apps and routers, composes mount prefixes across files', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/routes/orders.ts': `
        import { Router } from 'express';
        import { prisma } from '../db';
        const router = Router();
        router.post('/', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });
        router.route('/:id')
          .put(async (req, res) => { res.json(await prisma.order.update({ where: { id: req.params.id }, data: { note: req.body.note } })); })
          .patch(async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });
        export default router;`,
      'src/app.ts': `
        import express from 'express';
        import orders from './routes/orders';
        const app = express();
        app.use('/api/orders', orders);
        app.all('/ping', (req, res) => res.send('pong'));`,
    });
    expect(verdicts(result)).toEqual([
      'POST /ping read-only',
      'POST /api/orders reported high',
      'PUT /api/orders/:id naturally-idempotent',
      'PATCH /api/orders/:id below-threshold',
    ]);
    expect(result.findings[0]!.writes[0]!.path).toEqual(['POST /api/orders']);
  });

  it('supports CommonJS require/module.exports and handlers passed by reference', async () => {
    const result = await scan({
      'package.json': pkg,
      'models/user.js': `const mongoose = require('mongoose');\nmodule.exports = mongoose.model('User', new mongoose.Schema({ name: String }));\n`,
      'controllers/users.js': `const User = require('../models/user');\nexports.create = async (req, res) => { res.json(await User.create(req.body)); };\n`,
      'routes.js': `const express = require('express');\nconst users = require('./controllers/users');\nconst router = express.Router();\nrouter.post('/users', users.create);\nmodule.exports = router;\n`,
      'app.js': `const express = require('express');\nconst app = express();\napp.use('/v1', require('./routes'));\n`,
    });
    expect(verdicts(result)).toEqual(['POST /v1/users reported high']);
    const write = result.findings[0]!.writes[0]!;
    expect(write).toMatchObject({ kind: 'db-create', file: 'controllers/users.js', path: ['create'] });
  });

  it('follows handlers hung on a name for module.exports (const Controllers = module.exports; Controllers.x = require(...))', async () => {
    const result = await scan({
      'package.json': pkg,
      'models/order.js': `const mongoose = require('mongoose');\nmodule.exports = mongoose.model('Order', new mongoose.Schema({ total: Number }));\n`,
      'controllers/orders.js': `const Order = require('../models/order');\nconst Orders = module.exports;\nOrders.create = async (req, res) => { res.json(await Order.create({ total: req.body.total })); };\n`,
      'controllers/index.js': `const Controllers = module.exports;\nControllers.orders = require('./orders');\n`,
      'app.js': `const express = require('express');\nconst controllers = require('./controllers');\nconst app = express();\napp.post('/orders', controllers.orders.create);\n`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high']);
  });

  it('declares a route at each call of a helper that registers what its callers pass (router, verb, path, handler)', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/register.ts': `
        import type { Router, RequestHandler } from 'express';
        const safely = (fn: RequestHandler): RequestHandler => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
        export function register(router: Router, method: 'get' | 'post' | 'put', path: string, handler: RequestHandler) {
          router[method](path, safely(handler));
        }`,
      'src/notes.ts': `
        import { Router } from 'express';
        import { register } from './register';
        import { prisma } from './db';
        export const notes = Router();
        register(notes, 'get', '/', async (req, res) => { res.json(await prisma.note.findMany()); });
        register(notes, 'post', '/', async (req, res) => { res.json(await prisma.note.create({ data: { body: req.body.body } })); });
        register(notes, 'put', '/:id', async (req, res) => { res.json(await prisma.note.update({ where: { id: req.params.id }, data: { body: req.body.body } })); });`,
      'src/app.ts': `import express from 'express';\nimport { notes } from './notes';\nconst app = express();\napp.use('/notes', notes);\n`,
    });
    expect(verdicts(result)).toEqual(['POST /notes reported high', 'PUT /notes/:id naturally-idempotent']);
    // The route is reported where it is declared: the helper's call.
    expect(result.findings[0]).toMatchObject({ file: 'src/notes.ts', line: 7 });
  });

  it('reads an app parameter typed ReturnType<typeof express> (configured by a function called for two apps)', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/server.ts': `
        import express from 'express';
        import { prisma } from './db';
        function configure(app: ReturnType<typeof express>) {
          app.post('/orders', async (req, res) => { res.json(await prisma.order.create({ data: { sku: req.body.sku } })); });
        }
        const app = express();
        configure(app);
        export function createTestApp() { const testApp = express(); configure(testApp); return testApp; }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high']);
  });

  it('declares routes through a base controller\'s verb methods that wrap the handler inline (this.post(path, this.create))', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/base-controller.ts': `import { Router, type Request, type Response, type RequestHandler } from 'express';
export abstract class BaseController {
  readonly router = Router();
  protected post(path: string, handler: (req: Request, res: Response) => Promise<void>, ...middleware: RequestHandler[]) {
    this.router.post(path, ...middleware, (req, res, next) => handler.call(this, req, res).catch(next));
  }
  protected put(path: string, handler: (req: Request, res: Response) => Promise<void>) {
    this.router.put(path, (req, res, next) => handler.call(this, req, res).catch(next));
  }
}
`,
      'src/notes-controller.ts': `import type { Request, Response } from 'express';
import { idempotency } from '@idem-scan/runtime';
import { BaseController } from './base-controller';
import { prisma } from './db';
export class NotesController extends BaseController {
  constructor() {
    super();
    this.post('/notes', this.create);
    this.put('/notes/:id', this.update);
    this.post('/notes/replayed', this.create, idempotency());
  }
  async create(req: Request, res: Response) { res.json(await prisma.note.create({ data: { body: req.body.body } })); }
  async update(req: Request, res: Response) { res.json(await prisma.note.update({ where: { id: req.params.id }, data: { body: req.body.body } })); }
}
`,
      'src/app.ts': `import express from 'express';\nimport { NotesController } from './notes-controller';\nconst app = express();\napp.use('/api', new NotesController().router);\n`,
    });
    // Middleware the caller passes through the rest parameter runs before the handler.
    expect(verdicts(result)).toEqual(['POST /api/notes reported high', 'PUT /api/notes/:id naturally-idempotent', 'POST /api/notes/replayed handled']);
    expect(result.findings[0]).toMatchObject({ file: 'src/notes-controller.ts', line: 8 });
  });

  it('keeps a helper that forwards to an HTTP client, or that nobody calls with a router, out of the routes', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/send.ts': `
        import axios from 'axios';
        export function send(client: typeof axios, method: 'post' | 'put', url: string, body: unknown) {
          return client[method](url, body);
        }
        export async function sync(items: unknown[]) { await send(axios, 'post', '/items', items); }`,
    });
    expect(result.handlers).toEqual([]);
  });

  it('does not take Map#set, axios.post or a home-made client for routes', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/x.ts': `
        import axios from 'axios';
        const client = { post(url: string, body: unknown) { return axios.post(url, body); } };
        const m = new Map(); m.set('a', 1);
        export async function run() { await client.post('/orders', {}); await axios.post('/x', {}); }`,
    });
    expect(result.handlers).toEqual([]);
  });

  it('honours use() middleware before the route on a matching prefix, not after', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/db.ts': db,
      'src/idempotency.ts': `
        import type { Request, Response, NextFunction } from 'express';
        import { redis } from './redis';
        export async function idempotency(req: Request, res: Response, next: NextFunction) {
          const key = req.header('Idempotency-Key');
          if (!key) return next();
          const hit = await redis.get('idem:' + key);
          if (hit) return res.json(JSON.parse(hit));
          next();
        }`,
      'src/app.ts': `
        import express from 'express';
        import { prisma } from './db';
        import { idempotency } from './idempotency';
        const app = express();
        app.post('/early', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });
        app.use('/api', idempotency);
        app.post('/api/orders', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });
        app.post('/other', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });
        app.post('/chain', idempotency, async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });`,
    });
    expect(verdicts(result)).toEqual([
      'POST /early reported high',
      'POST /api/orders handled',
      'POST /other reported high',
      'POST /chain handled',
    ]);
  });
});

describe('express handlers behind higher-order wrappers', () => {
  it('analyses the function passed to catchAsync-style wrappers and guards behind is*Taken checks', async () => {
    const result = await scan({
      'package.json': pkg,
      'src/utils/catchAsync.js': `const catchAsync = (fn) => (req, res, next) => { Promise.resolve(fn(req, res, next)).catch(next); };\nmodule.exports = catchAsync;\n`,
      'src/models/user.js': `const mongoose = require('mongoose');\nconst User = mongoose.model('User', new mongoose.Schema({ email: String }));\nmodule.exports = User;\n`,
      'src/services/user.js': `const User = require('../models/user');\nconst createUser = async (body) => {\n  if (await User.isEmailTaken(body.email)) throw new Error('taken');\n  return User.create(body);\n};\nconst createNote = async (body) => User.create(body);\nmodule.exports = { createUser, createNote };\n`,
      'src/services/index.js': `module.exports.userService = require('./user');\n`,
      'src/controllers/user.js': `const catchAsync = require('../utils/catchAsync');\nconst { userService } = require('../services');\nconst createUser = catchAsync(async (req, res) => { res.send(await userService.createUser(req.body)); });\nconst createNote = catchAsync(async (req, res) => { res.send(await userService.createNote(req.body)); });\nmodule.exports = { createUser, createNote };\n`,
      'src/routes.js': `const express = require('express');\nconst controller = require('./controllers/user');\nconst router = express.Router();\nrouter.route('/users').post(controller.createUser);\nrouter.post('/notes', controller.createNote);\nmodule.exports = router;\n`,
    });
    expect(verdicts(result)).toEqual(['POST /users naturally-idempotent', 'POST /notes reported high']);
    expect(result.findings[0]!.writes[0]!.path).toEqual(['createNote', 'createNote']);
  });

  it('reads a JavaScript context object filled by boot code, but never what middleware once put on req', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.21.0', mongoose: '^8.0.0', bootevent: '^0.0.1' } }),
      'src/models/note.js': `const mongoose = require('mongoose');\nmodule.exports = mongoose.model('Note', new mongoose.Schema({ text: String }));\n`,
      'src/services/notes.js': `const Note = require('../models/note');\nmodule.exports = function notes(env, ctx) {\n  return { add: (text) => Note.create({ text }) };\n};\n`,
      'src/boot.js': `const bootevent = require('bootevent');\nmodule.exports = (env) => bootevent().acquire(function services(ctx, next) {\n  ctx.notes = require('./services/notes')(env, ctx);\n  next();\n});\n`,
      'src/auth.js': `const User = require('./models/note');\nmodule.exports = function login(req, res, next) {\n  req.user = new User({ text: 'guest' });\n  next();\n};\n`,
      'src/routes.js': [
        `const express = require('express');`,
        `module.exports = function routes(ctx) {`,
        `  const router = express.Router();`,
        `  router.post('/notes', async (req, res) => { res.status(201).json(await ctx.notes.add(req.body.text)); });`,
        `  router.post('/profile', async (req, res) => { req.user.text = req.body.text; res.json(await req.user.save()); });`,
        `  return router;`,
        `};`,
      ].join('\n'),
      'src/app.js': `const express = require('express');\nconst app = express();\nrequire('./boot')(process.env).boot((ctx) => { app.use('/api', require('./routes')(ctx)); });\n`,
    });
    expect(verdicts(result)).toEqual(['POST /api/notes reported high', 'POST /api/profile read-only']);
  });
});

describe('Express apps declared as decorated classes', () => {
  const order = `import { prisma } from './db';\nexport async function createOrder(sku: string) { return prisma.order.create({ data: { sku } }); }\nexport async function renameOrder(id: string, name: string) { return prisma.order.update({ where: { id }, data: { name } }); }\n`;

  it('routing-controllers: @JsonController + @Post/@Put/@Method, @UseBefore middleware', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', 'routing-controllers': '^0.10.0', '@idem-scan/runtime': '^0.1.0' } }),
      'src/db.ts': db,
      'src/orders.ts': order,
      'src/orders.controller.ts': `
        import { Body, JsonController, Method, Param, Post, Put, UseBefore } from 'routing-controllers';
        import { idempotency } from '@idem-scan/runtime';
        import { createOrder, renameOrder } from './orders';
        @JsonController('/orders')
        export class OrdersController {
          @Post('/')
          create(@Body() body: { sku: string }) { return createOrder(body.sku); }
          @Put('/:id')
          rename(@Param('id') id: string, @Body() body: { name: string }) { return renameOrder(id, body.name); }
          @Method('post', '/replayed')
          @UseBefore(idempotency())
          replayed(@Body() body: { sku: string }) { return createOrder(body.sku); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high', 'PUT /orders/:id naturally-idempotent', 'POST /orders/replayed handled']);
  });

  it('inversify-express-utils: @controller(path, ...middleware) and @httpPost(path, ...middleware)', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', 'inversify-express-utils': '^6.0.0' } }),
      'src/db.ts': db,
      'src/orders.ts': order,
      'src/orders.controller.ts': `
        import { controller, httpPost, httpMethod, requestBody } from 'inversify-express-utils';
        import { createOrder } from './orders';
        @controller('/v1/orders')
        export class OrdersController {
          @httpPost('/')
          create(@requestBody() body: { sku: string }) { return createOrder(body.sku); }
          @httpMethod('get', '/')
          list() { return []; }
        }`,
      'src/server.ts': `
        import { Container } from 'inversify';
        import { InversifyExpressServer } from 'inversify-express-utils';
        import './orders.controller';
        new InversifyExpressServer(new Container(), null, { rootPath: '/api' }).build().listen(3000);`,
    });
    expect(verdicts(result)).toEqual(['POST /api/v1/orders reported high']);
  });

  it('tsoa: @Route(path) and @Post/@Put without a path', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', tsoa: '^6.0.0' } }),
      'src/db.ts': db,
      'src/orders.ts': order,
      'src/orders.controller.ts': `
        import { Body, Controller, Path, Post, Put, Route } from 'tsoa';
        import { createOrder, renameOrder } from './orders';
        @Route('orders')
        export class OrdersController extends Controller {
          @Post()
          public async create(@Body() body: { sku: string }) { return createOrder(body.sku); }
          @Put('{id}')
          public async rename(@Path() id: string, @Body() body: { name: string }) { return renameOrder(id, body.name); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders reported high', 'PUT /orders/{id} naturally-idempotent']);
  });

  it('OvernightJS: @Controller(path) without a slash, @Post(path), @Middleware', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', '@overnightjs/core': '^1.7.0' } }),
      'src/db.ts': db,
      'src/orders.ts': order,
      'src/orders.controller.ts': `
        import { Controller, Middleware, Post } from '@overnightjs/core';
        import type { Request, Response, NextFunction } from 'express';
        import { createOrder } from './orders';
        const auth = (req: Request, res: Response, next: NextFunction) => next();
        @Controller('orders')
        export class Orders {
          @Post('create')
          @Middleware([auth])
          async create(req: Request, res: Response) { res.json(await createOrder(req.body.sku)); }
        }`,
    });
    expect(verdicts(result)).toEqual(['POST /orders/create reported high']);
  });
});

describe('clean-architecture chains behind class-based routes', () => {
  it('follows super.method() into the base controller and container.get(TOKEN) to what the container binds', async () => {
    const result = await scan({
      'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', inversify: '^6.0.0', 'inversify-express-utils': '^6.0.0', typeorm: '^0.3.0' } }),
      'src/types.ts': `const TYPES = { InviteRepository: Symbol.for('InviteRepository'), InviteUseCase: Symbol.for('InviteUseCase'), InvitesController: Symbol.for('InvitesController') };\nexport default TYPES;\n`,
      'src/invite.ts': `import { Entity, PrimaryGeneratedColumn, Column } from 'typeorm';\n@Entity() export class Invite { @PrimaryGeneratedColumn('uuid') uuid!: string; @Column() email!: string; }\n`,
      'src/invite-repository.ts': `import { Repository } from 'typeorm';
import { Invite } from './invite';
export interface InviteRepositoryInterface { save(invite: Invite): Promise<Invite>; }
export class TypeORMInviteRepository implements InviteRepositoryInterface {
  constructor(private ormRepository: Repository<Invite>) {}
  async save(invite: Invite): Promise<Invite> { return this.ormRepository.save(invite); }
}
`,
      'src/invite-use-case.ts': `import { Invite } from './invite';
import { InviteRepositoryInterface } from './invite-repository';
export class InviteUseCase {
  constructor(private inviteRepository: InviteRepositoryInterface) {}
  async execute(email: string) { const invite = new Invite(); invite.email = email; return this.inviteRepository.save(invite); }
}
`,
      'src/invites-controller.ts': `import { InviteUseCase } from './invite-use-case';
export class InvitesController {
  constructor(private doInvite: InviteUseCase) {}
  async invite(params: { email: string }) { return this.doInvite.execute(params.email); }
}
`,
      'src/base.ts': `import { Request } from 'express';
import { BaseHttpController } from 'inversify-express-utils';
import { InvitesController } from './invites-controller';
export class BaseInvitesController extends BaseHttpController {
  constructor(protected invitesController: InvitesController) { super(); }
  async create(request: Request) { return this.json(await this.invitesController.invite({ email: request.body.email })); }
}
`,
      'src/annotated.ts': `import { Request } from 'express';
import { inject } from 'inversify';
import { controller, httpPost } from 'inversify-express-utils';
import TYPES from './types';
import { InvitesController } from './invites-controller';
import { BaseInvitesController } from './base';
@controller('/invites')
export class AnnotatedInvitesController extends BaseInvitesController {
  constructor(@inject(TYPES.InvitesController) override invitesController: InvitesController) { super(invitesController); }
  @httpPost('/')
  override async create(request: Request) { return super.create(request); }
}
`,
      'src/container.ts': `import { Container } from 'inversify';
import { DataSource } from 'typeorm';
import TYPES from './types';
import { Invite } from './invite';
import { TypeORMInviteRepository, InviteRepositoryInterface } from './invite-repository';
import { InviteUseCase } from './invite-use-case';
import { InvitesController } from './invites-controller';
export function load(ds: DataSource) {
  const container = new Container();
  container.bind<InviteRepositoryInterface>(TYPES.InviteRepository).toConstantValue(new TypeORMInviteRepository(ds.getRepository(Invite)));
  container.bind<InviteUseCase>(TYPES.InviteUseCase).toConstantValue(new InviteUseCase(container.get<InviteRepositoryInterface>(TYPES.InviteRepository)));
  container.bind<InvitesController>(TYPES.InvitesController).toConstantValue(new InvitesController(container.get<InviteUseCase>(TYPES.InviteUseCase)));
  return container;
}
`,
    });
    expect(verdicts(result)).toEqual(['POST /invites reported high']);
    expect(result.findings[0]!.writes[0]!.path).toEqual(['AnnotatedInvitesController.create', 'BaseInvitesController.create', 'InvitesController.invite', 'InviteUseCase.execute', 'TypeORMInviteRepository.save']);
  });
});

