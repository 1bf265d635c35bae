// fastify-decorators (https://github.com/L2jLiga/fastify-decorators): Fastify routes declared by classes.
// A controller `@Controller('/skills')` / `@Controller({ route: '/skills' })` whose methods carry
// `@POST('/x')`, `@POST('/x', { preHandler })` or `@POST({ url: '/x', options })`; or a handler class
// `@POST('/x') class CreateSkill extends RequestHandler { handle() { … } }`. Route = `bootstrap`'s
// `prefix` + controller route + method URL (paths kept in constants are read). What runs before the
// handler: `@Hook('onRequest' | 'preValidation' | 'preHandler')` methods of the controller and its base
// classes, and the route's own `onRequest`/`preValidation`/`preHandler` options.
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, Prelude, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import { joinPaths } from './paths.js';
import { propertyValue, strip } from '../core/refine.js';
import { decorators, methodDecorators, packageDecorator } from './decorators.js';

const MODULE = 'fastify-decorators';
const VERBS: Record<string, HttpMethod> = { POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', ALL: 'POST' };
/** Hooks that run before the handler and can refuse or answer a repeated request. */
const BEFORE_HANDLER = /^(onRequest|preParsing|preValidation|preHandler)$/;

export const fastifyDecoratorsDetector: FrameworkDetector = {
  id: 'fastify-decorators',
  packages: [MODULE],
  mightDeclareRoutes: (text) => text.includes(MODULE),
  detect(files, ctx) {
    const t = ctx.ts;
    const prefixes = new Map<string, string | null>();
    const classes: ts.ClassDeclaration[] = [];
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        if (t.isClassDeclaration(node)) classes.push(node);
        else if (t.isCallExpression(node)) recordPrefix(ctx, node, prefixes);
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
    const routes: RouteHandler[] = [];
    for (const cls of classes) {
      const prefix = prefixes.get(ctx.project.packageOf(cls.getSourceFile().fileName)?.dir ?? '') ?? '';
      const controller = decoratorOf(ctx, cls, /^Controller$/);
      if (controller) routes.push(...controllerRoutes(ctx, cls, controller, prefix));
      else routes.push(...handlerClassRoutes(ctx, cls, prefix));
    }
    return routes;
  },
};

/** `app.register(bootstrap, { prefix: '/api', directory, mask })`: the prefix of every route of the package. */
function recordPrefix(ctx: DetectorContext, call: ts.CallExpression, prefixes: Map<string, string | null>): void {
  const t = ctx.ts;
  if (!t.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'register') return;
  const [plugin, options] = call.arguments;
  const value = plugin ? ctx.resolver.resolve(plugin) : undefined;
  if (value?.kind !== 'external' || value.module !== MODULE || value.chain.join('.') !== 'bootstrap') return;
  const given = options && t.isObjectLiteralExpression(strip(t, options)) ? propertyValue(t, strip(t, options), 'prefix') : undefined;
  const dir = ctx.project.packageOf(call.getSourceFile().fileName)?.dir ?? '';
  prefixes.set(dir, given ? (ctx.resolver.constantString(given) ?? null) : '');
}

function controllerRoutes(ctx: DetectorContext, cls: ts.ClassDeclaration, controller: ts.Decorator, prefix: string | null): RouteHandler[] {
  const t = ctx.ts;
  const arg = t.isCallExpression(controller.expression) ? controller.expression.arguments[0] : undefined;
  const base = joinPaths(prefix, pathOf(ctx, arg, 'route'));
  const hooks = hookPreludes(ctx, cls);
  const routes: RouteHandler[] = [];
  for (const { member, decorator } of methodDecorators(t, cls)) {
    const route = routeOf(ctx, decorator);
    if (route) routes.push({ framework: 'fastify', method: route.method, route: joinPaths(base, route.path), anchor: decorator, handler: member, preludes: [...hooks, ...route.preludes] });
  }
  return routes;
}

/** `@POST('/skills') export default class CreateSkill extends RequestHandler { async handle() {…} }`. */
function handlerClassRoutes(ctx: DetectorContext, cls: ts.ClassDeclaration, prefix: string | null): RouteHandler[] {
  const t = ctx.ts;
  const handle = cls.members.find((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && m.name.getText() === 'handle' && m.body !== undefined);
  if (!handle) return [];
  const routes: RouteHandler[] = [];
  for (const decorator of decorators(t, cls)) {
    const route = routeOf(ctx, decorator);
    if (route) routes.push({ framework: 'fastify', method: route.method, route: joinPaths(prefix, route.path), anchor: decorator, handler: handle, preludes: [...hookPreludes(ctx, cls), ...route.preludes] });
  }
  return routes;
}

/** A verb decorator of the package: its method, path and the hooks in its route options. */
function routeOf(ctx: DetectorContext, decorator: ts.Decorator): { method: HttpMethod; path: string | null; preludes: Prelude[] } | undefined {
  const t = ctx.ts;
  const expr = decorator.expression;
  const callee = t.isCallExpression(expr) ? expr.expression : expr;
  const value = ctx.resolver.resolve(callee);
  if (value?.kind !== 'external' || value.module !== MODULE || value.chain.length !== 1) return undefined;
  const method = VERBS[value.chain[0]!];
  if (!method) return undefined;
  const [first, second] = t.isCallExpression(expr) ? expr.arguments : [];
  // `@POST({ url: '/x', options: { preHandler } })` or `@POST('/x', { preHandler })`.
  const config = first && t.isObjectLiteralExpression(strip(t, first)) ? (strip(t, first) as ts.ObjectLiteralExpression) : undefined;
  const optionsExpr = config ? propertyValue(t, config, 'options') : second;
  const options = optionsExpr && t.isObjectLiteralExpression(strip(t, optionsExpr)) ? (strip(t, optionsExpr) as ts.ObjectLiteralExpression) : undefined;
  const preludes: Prelude[] = [];
  for (const hook of ['onRequest', 'preValidation', 'preHandler']) {
    const given = options ? propertyValue(t, options, hook) : undefined;
    if (!given) continue;
    const list = strip(t, given);
    const items = t.isArrayLiteralExpression(list) ? list.elements : [list];
    preludes.push(...items.map((item) => ({ expr: item, via: `${hook} option` })));
  }
  return { method, path: pathOf(ctx, first, 'url'), preludes };
}

/** A decorator's path argument: a string (or a constant holding one), or an object's `key`; '' when absent. */
function pathOf(ctx: DetectorContext, arg: ts.Expression | undefined, key: string): string | null {
  const t = ctx.ts;
  if (!arg) return '';
  const a = strip(t, arg);
  if (t.isObjectLiteralExpression(a)) {
    const given = propertyValue(t, a, key);
    return given ? (ctx.resolver.constantString(given) ?? null) : '';
  }
  return ctx.resolver.constantString(a) ?? null;
}

/** `@Hook('onRequest')` methods of the class and of the classes it extends. */
function hookPreludes(ctx: DetectorContext, cls: ts.ClassLikeDeclaration): Prelude[] {
  const t = ctx.ts;
  const preludes: Prelude[] = [];
  let current: ts.ClassLikeDeclaration | undefined = cls;
  for (let depth = 0; current && depth < 5; depth++) {
    for (const member of current.members) {
      if (!t.isMethodDeclaration(member)) continue;
      const hook = decoratorOf(ctx, member, /^Hook$/);
      const name = hook && t.isCallExpression(hook.expression) && hook.expression.arguments[0] ? ctx.resolver.constantString(hook.expression.arguments[0]) : undefined;
      if (name && BEFORE_HANDLER.test(name)) preludes.push({ expr: member, via: `@Hook('${name}') of ${current.name?.text ?? 'the controller'}` });
    }
    const base = ctx.resolver.baseClass(current);
    current = base?.kind === 'class' ? base.node : undefined;
  }
  return preludes;
}

function decoratorOf(ctx: DetectorContext, node: ts.Node, name: RegExp): ts.Decorator | undefined {
  return packageDecorator(ctx, node, MODULE, name);
}
