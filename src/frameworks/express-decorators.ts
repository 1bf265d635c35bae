// Express apps whose routes are classes: routing-controllers (`@JsonController('/orders')`, `@Post('/')`,
// `@UseBefore(mw)`), inversify-express-utils (`@controller('/orders', mw)`, `@httpPost('/', mw)`), tsoa
// (`@Route('orders')`, `@Post()`, `@Middlewares(mw)`) and OvernightJS (`@Controller('orders')`, `@Post('')`,
// `@Middleware(mw)`). Each package is a row of data:
// which decorators make a controller, which name a verb, and where middleware is written. Route =
// server prefix (`routePrefix`, `rootPath`) + controller path + method path; what runs before
// the handler: the middleware on the class, then on the method.
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, Prelude, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import { joinPaths } from './paths.js';
import { decorators, methodDecorators } from './decorators.js';
import { propertyValue, strip } from '../core/refine.js';

interface DecoratorPackage {
  module: string;
  /** Class decorators that declare a controller; their first argument is its path. */
  controller: RegExp;
  /** Method decorators that declare a route, by name; their first argument is its path. */
  verbs: Readonly<Record<string, HttpMethod>>;
  /** `@Method('post', '/x')`, `@httpMethod('post', '/x')`: the verb is the first argument, the path the second. */
  anyVerb?: RegExp;
  /** Decorators (on the class or the method) whose arguments are middleware run before the handler. */
  middleware?: RegExp;
  /** The controller and verb decorators take middleware after the path (`@httpPost('/', auth)`). */
  middlewareAfterPath?: boolean;
  /** Where the server is set up with a prefix for every route: the call (or class made with `new`), the options' position and key. */
  server?: { chain: RegExp; options: number; key: string };
}

const PACKAGES: readonly DecoratorPackage[] = [
  {
    module: 'routing-controllers',
    controller: /^(Controller|JsonController)$/,
    verbs: { Post: 'POST', Put: 'PUT', Patch: 'PATCH', All: 'POST' },
    anyVerb: /^Method$/,
    middleware: /^UseBefore$/,
    // `useExpressServer(app, { routePrefix: '/api', controllers })`, `createExpressServer({ routePrefix })`.
    server: { chain: /^(useExpressServer|createExpressServer)$/, options: -1, key: 'routePrefix' },
  },
  {
    module: 'inversify-express-utils',
    controller: /^controller$/,
    verbs: { httpPost: 'POST', httpPut: 'PUT', httpPatch: 'PATCH', all: 'POST' },
    anyVerb: /^httpMethod$/,
    middlewareAfterPath: true,
    // `new InversifyExpressServer(container, null, { rootPath: '/api' })`.
    server: { chain: /^InversifyExpressServer$/, options: 2, key: 'rootPath' },
  },
  {
    // tsoa controllers (`@Route('orders')`, `@Post()`, `@Middlewares(auth)`), registered by generated routes.
    module: 'tsoa',
    controller: /^Route$/,
    verbs: { Post: 'POST', Put: 'PUT', Patch: 'PATCH' },
    middleware: /^Middlewares$/,
  },
  {
    module: '@overnightjs/core',
    controller: /^Controller$/,
    verbs: { Post: 'POST', Put: 'PUT', Patch: 'PATCH', All: 'POST' },
    middleware: /^(Middleware|ClassMiddleware)$/,
  },
];

const VERB_NAMES: Readonly<Record<string, HttpMethod>> = { post: 'POST', put: 'PUT', patch: 'PATCH', all: 'POST' };

export const expressDecoratorsDetector: FrameworkDetector = {
  id: 'express-decorators',
  packages: PACKAGES.map((p) => p.module),
  mightDeclareRoutes: (text) => PACKAGES.some((p) => text.includes(p.module)),
  detect(files, ctx) {
    const t = ctx.ts;
    const classes: ts.ClassDeclaration[] = [];
    // The prefix each package's server adds, by package folder and module.
    const prefixes = new Map<string, string | null>();
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        if (t.isClassDeclaration(node)) classes.push(node);
        else if (t.isCallExpression(node) || t.isNewExpression(node)) recordPrefix(ctx, node, prefixes);
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
    return classes.flatMap((cls) => controllerRoutes(ctx, cls, (pkg) => prefixes.get(prefixKey(ctx, cls, pkg)) ?? ''));
  },
};

function prefixKey(ctx: DetectorContext, node: ts.Node, pkg: DecoratorPackage): string {
  return `${ctx.project.packageOf(node.getSourceFile().fileName)?.dir ?? ''}#${pkg.module}`;
}

/** A server set up with a route prefix (`useExpressServer(app, { routePrefix: '/api' })`). */
function recordPrefix(ctx: DetectorContext, node: ts.CallExpression | ts.NewExpression, prefixes: Map<string, string | null>): void {
  const t = ctx.ts;
  const args = node.arguments ?? [];
  if (args.length === 0 || !(t.isIdentifier(node.expression) || t.isPropertyAccessExpression(node.expression))) return;
  const value = ctx.resolver.resolve(node.expression);
  if (value?.kind !== 'external') return;
  const pkg = PACKAGES.find((p) => p.module === value.module && p.server?.chain.test(value.chain.join('.')));
  if (!pkg?.server) return;
  const options = pkg.server.options < 0 ? args[args.length + pkg.server.options] : args[pkg.server.options];
  const object = options ? strip(ctx.ts, options) : undefined;
  if (!object || !t.isObjectLiteralExpression(object)) return;
  const given = propertyValue(t, object, pkg.server.key);
  if (given) prefixes.set(prefixKey(ctx, node, pkg), ctx.resolver.constantString(given) ?? null);
}

/** A decorator of one of the packages in the table: the package, the decorator's exported name, its arguments. */
function tableDecorator(ctx: DetectorContext, decorator: ts.Decorator): { pkg: DecoratorPackage; name: string; args: readonly ts.Expression[] } | undefined {
  const t = ctx.ts;
  const expr = decorator.expression;
  const callee = t.isCallExpression(expr) ? expr.expression : expr;
  const value = ctx.resolver.resolve(callee);
  if (value?.kind !== 'external' || value.chain.length !== 1) return undefined;
  const pkg = PACKAGES.find((p) => p.module === value.module);
  return pkg ? { pkg, name: value.chain[0]!, args: t.isCallExpression(expr) ? expr.arguments : [] } : undefined;
}

function controllerRoutes(ctx: DetectorContext, cls: ts.ClassDeclaration, prefixOf: (pkg: DecoratorPackage) => string | null): RouteHandler[] {
  const t = ctx.ts;
  const classDecorators = decorators(t, cls).map((d) => tableDecorator(ctx, d)).filter((d) => d !== undefined);
  const controller = classDecorators.find((d) => d.pkg.controller.test(d.name));
  if (!controller) return [];
  const { pkg } = controller;
  const base = joinPaths(prefixOf(pkg), pathArgument(ctx, controller.args[0]));
  const classMiddleware: Prelude[] = [
    ...(pkg.middlewareAfterPath ? controller.args.slice(1).map((expr) => ({ expr, via: `@${controller.name} on the class` })) : []),
    ...classDecorators.filter((d) => d.pkg === pkg && pkg.middleware?.test(d.name)).flatMap((d) => d.args.map((expr) => ({ expr, via: `@${d.name} on the class` }))),
  ];
  const routes: RouteHandler[] = [];
  for (const { member, decorator } of methodDecorators(t, cls)) {
    const found = tableDecorator(ctx, decorator);
    if (found?.pkg !== pkg) continue;
    const route = routeOf(ctx, found);
    if (!route) continue;
    const methodMiddleware = decorators(t, member).map((d) => tableDecorator(ctx, d)).filter((d) => d !== undefined && d.pkg === pkg && pkg.middleware?.test(d.name) === true)
      .flatMap((d) => d!.args.map((expr) => ({ expr, via: `@${d!.name} on the method` })));
    routes.push({
      framework: 'express',
      method: route.method,
      route: joinPaths(base, route.path),
      anchor: decorator,
      handler: member,
      preludes: [...classMiddleware, ...methodMiddleware, ...route.middleware.map((expr) => ({ expr, via: `@${found.name}` }))],
    });
  }
  return routes;
}

/** A route decorator's verb, path and the middleware written in it. */
function routeOf(ctx: DetectorContext, found: { pkg: DecoratorPackage; name: string; args: readonly ts.Expression[] }): { method: HttpMethod; path: string | null; middleware: readonly ts.Expression[] } | undefined {
  const { pkg, name, args } = found;
  const fixed = pkg.verbs[name];
  if (fixed) return { method: fixed, path: pathArgument(ctx, args[0]), middleware: pkg.middlewareAfterPath ? args.slice(1) : [] };
  if (!pkg.anyVerb?.test(name)) return undefined;
  const verb = args[0] ? ctx.resolver.constantString(args[0])?.toLowerCase() : undefined;
  const method = verb ? VERB_NAMES[verb] : undefined;
  return method ? { method, path: pathArgument(ctx, args[1]), middleware: pkg.middlewareAfterPath ? args.slice(2) : [] } : undefined;
}

/** A path argument: '' when absent, null when not a constant; OvernightJS paths lack the leading slash. */
function pathArgument(ctx: DetectorContext, arg: ts.Expression | undefined): string | null {
  if (!arg) return '';
  const text = ctx.resolver.constantString(arg);
  if (text === undefined) return null;
  return text === '' || text.startsWith('/') ? text : `/${text}`;
}
