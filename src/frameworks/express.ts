// Express 4 and 5 (https://expressjs.com/en/5x/api.html#router): `express()` apps and `Router()`
// routers, `app.post(path, ...middleware, handler)`, `router.route(path).post(a).put(b)`, routers
// mounted with `app.use('/prefix', mw, router)` (across files), and middleware registered with
// `use` before a route on a matching path prefix. `app.all(path, x)` is a handler only when `x` is one:
// a router given to it is mounted (keeping full paths), a function that calls `next()` is middleware.
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, Prelude, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import type { Value } from '../core/values.js';
import { joinPaths, literalPath, pathCovers } from './paths.js';
import { kindFlags } from '../core/kinds.js';
import { callsThrough } from '../core/resolver.js';
import { initializerOf, strip } from '../core/refine.js';
import { argumentFor, callsOf, composedRegistrar, isSlot, registrarOf, type Registrar } from './express-registrars.js';

const VERBS: Record<string, HttpMethod> = { post: 'POST', put: 'PUT', patch: 'PATCH', all: 'POST' };
/** The chain of an Express app or router value: `express()`, `express.Router()`, `Router` types. */
const ROUTER_CHAIN = /^(|Router|Express|Application|IRouter|Router\.route|route|express|application)$/;

interface UseCall {
  call: ts.CallExpression;
  /** undefined: no path (every route); null: a path that is not a literal. */
  prefix: string | null | undefined;
  args: ts.Expression[];
}

/** A verb registration found in code: the call, the router it is on, and its arguments (handler last). */
interface DeclaredRoute {
  call: ts.CallExpression;
  owner: ts.Node;
  method: HttpMethod;
  path: string | null;
  /** Where the route is reported: the verb's name, or a helper call's verb argument. */
  name: ts.Node;
  args: readonly ts.Expression[];
}

/**
 * Who registers what on which router: `use` middleware and mounts by router identity, and the routers a
 * project function makes per call (`createApp()` returning a new `express()`): each call's router is its
 * own (an instance), and what the function itself does to it applies to every instance (its template).
 */
interface RouterGraph {
  uses: Map<ts.Node, UseCall[]>;
  mounts: Map<ts.Node, Mount[]>;
  templateOf: Map<ts.Node, ts.Node>;
  instancesOf: Map<ts.Node, ts.Node[]>;
}

/** The identity of the router a value is: one call's instance, else the declaration or call that made it. */
function routerIdentity(graph: RouterGraph, value: Extract<Value, { kind: 'external' }>): ts.Node | undefined {
  const made = value.origin ?? value.madeBy;
  if (value.instance && made) {
    if (!graph.templateOf.has(value.instance)) {
      graph.templateOf.set(value.instance, made);
      graph.instancesOf.set(made, [...(graph.instancesOf.get(made) ?? []), value.instance]);
    }
    return value.instance;
  }
  return made;
}

/** Where a router is mounted: its own mount, or (for a factory's template) the first of its instances'. */
function mountOf(graph: RouterGraph, owner: ts.Node): Mount | undefined {
  const own = graph.mounts.get(owner)?.[0];
  if (own) return own;
  for (const instance of graph.instancesOf.get(owner) ?? []) {
    const mount = graph.mounts.get(instance)?.[0];
    if (mount) return mount;
  }
  return undefined;
}

interface Mount {
  parent: ts.Node;
  prefix: string | null;
  call: ts.CallExpression;
  /** Middleware in the same `use` call before the router. */
  before: ts.Expression[];
}

export const expressDetector: FrameworkDetector = {
  id: 'express',
  packages: ['express'],
  // `router[verb](name, …)`: a helper that registers the routes its callers describe (express-registrars.ts).
  mightDeclareRoutes: (text) => /\bexpress\b|\bRouter\b|\.(post|put|patch|all|use|route)\s*\(|\bmethod\s*:/.test(text) ||
    (/[\w$]\[\s*[\w$.]+\s*\]\s*\(\s*[\w$`]/.test(text) && /\b(router|app|server)\b/i.test(text)),
  detect(files, ctx) {
    const t = ctx.ts;
    const graph: RouterGraph = { uses: new Map(), mounts: new Map(), templateOf: new Map(), instancesOf: new Map() };
    const routes: DeclaredRoute[] = [];
    const registrars: Registrar[] = [];

    const routerOf = (expr: ts.Expression): Value | undefined => {
      const value = ctx.resolver.resolve(expr);
      return value?.kind === 'external' && value.module === 'express' && ROUTER_CHAIN.test(value.chain.join('.')) ? value : undefined;
    };

    const definitions: RouteHandler[] = [];
    // Per-kind tests, one table lookup per node (bits: 1 type or type declaration, 2 object literal, 4 call).
    const [TYPE, OBJECT, CALL] = [1, 2, 4];
    const kinds = kindFlags(t, 'express.detect', [
      (n) => t.isTypeNode(n) || t.isInterfaceDeclaration(n) || t.isTypeAliasDeclaration(n),
      (n) => t.isObjectLiteralExpression(n),
      (n) => t.isCallExpression(n),
    ]);
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        const kind = kinds[node.kind]!;
        // Types and type declarations register nothing.
        if (kind & TYPE) return;
        if (kind & OBJECT) {
          const definition = routeDefinition(ctx, node as ts.ObjectLiteralExpression);
          if (definition) definitions.push(definition);
        }
        if (kind & CALL && t.isElementAccessExpression((node as ts.CallExpression).expression)) {
          // `router[verb](name, middlewares, wrap(controller))` in a helper: the callers declare the routes.
          const callee = (node as ts.CallExpression).expression as ts.ElementAccessExpression;
          const registrar = registrarOf(ctx, node as ts.CallExpression, callee.expression, callee.argumentExpression);
          if (registrar && (isSlot(registrar.receiver) || routerOf(callee.expression))) registrars.push(registrar);
        }
        if (kind & CALL && t.isPropertyAccessExpression((node as ts.CallExpression).expression)) {
          const call = node as ts.CallExpression & { expression: ts.PropertyAccessExpression };
          const name = call.expression.name;
          const verb = VERBS[name.text];
          if (verb || name.text === 'use') {
            const receiver = call.expression.expression;
            const routeCall = routeChainStart(ctx, receiver);
            const owner = routeCall ? routerOf(routeCall.expression.expression) : routerOf(receiver);
            // `const post = (path, handler) => router.post(path, asyncHandler(handler))`: a helper whose
            // callers pass the handler (and maybe the router).
            const registrar = verb ? (routeCall ? registrarOf(ctx, call, routeCall.expression.expression, name.text, routeCall.call.arguments[0]) : registrarOf(ctx, call, receiver, name.text)) : undefined;
            if (registrar && (owner || isSlot(registrar.receiver))) registrars.push(registrar);
            if (owner) {
              const identity = (owner.kind === 'external' ? routerIdentity(graph, owner) : undefined) ?? receiver;
              if (verb) {
                const path = routeCall ? literalPath(t, routeCall.call.arguments[0]) : literalPath(t, call.arguments[0]);
                // Middleware arrays flattened once, for the handler test here and for the route below.
                const args = flatten(ctx, routeCall ? call.arguments : call.arguments.slice(1));
                const registered = args.length > 0 && !routeCall ? notAHandler(ctx, name.text, args, routerOf) : undefined;
                if (registered) recordUse(ctx, call, identity, graph, routerOf, registered);
                else if (args.length > 0) routes.push({ call, owner: identity, method: verb, path, name, args });
              } else {
                recordUse(ctx, call, identity, graph, routerOf);
              }
              // The functions a router is given are handlers and middleware: what they do runs per
              // request and registers nothing, so the walk leaves their bodies (most of a route file).
              visit(call.expression);
              for (const arg of call.arguments) if (!t.isArrowFunction(arg) && !t.isFunctionExpression(arg)) visit(arg);
              return;
            }
          }
        }
        t.forEachChild(node, visit);
      };
      visit(sf);
    }

    // Each call of a registering helper declares a route; the helper's own registration (whose handler is
    // a parameter) stands only when no caller is found.
    // (A helper with several registrations is searched for callers once.)
    const callers = new Map<ts.Node, ts.CallExpression[]>();
    // (A helper over a helper, `apiRoute` → `route` → `router[method]`, adds its own registrar: a few levels.)
    for (let i = 0; i < registrars.length && i < MAX_REGISTRARS; i++) {
      const registrar = registrars[i]!;
      let sites = callers.get(registrar.fn);
      if (!sites) callers.set(registrar.fn, (sites = callsOf(ctx, registrar.fn)));
      for (const site of sites) {
        const composed = composedRegistrar(ctx, registrar, site);
        if (composed && !registrars.some((r) => r.fn === composed.fn && r.call === composed.call)) registrars.push(composed);
      }
      const declared = registrarRoutes(ctx, registrar, sites, routerOf, graph);
      if (declared.length === 0) continue;
      routes.push(...declared);
      for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.call === registrar.call) routes.splice(i, 1);
    }

    return [...definitions, ...routes.map((r) => {
      const args = r.args;
      const handler = args[args.length - 1]!;
      const chain: Prelude[] = args.slice(0, -1).map((expr) => ({ expr, via: 'route chain' }));
      const preludes = [...inheritedPreludes(r.owner, r.call, r.path, graph, new Set()), ...chain];
      const route = joinPaths(mountPrefix(r.owner, graph, new Set()), r.path);
      const result: RouteHandler = { framework: 'express', method: r.method, route, anchor: r.name, handler, preludes };
      return result;
    })];
  },
};

/** The routes the calls of a registering helper declare (see express-registrars.ts). */
function registrarRoutes(ctx: DetectorContext, registrar: Registrar, sites: readonly ts.CallExpression[], routerOf: (e: ts.Expression) => Value | undefined, graph: RouterGraph): DeclaredRoute[] {
  const t = ctx.ts;
  const declared: DeclaredRoute[] = [];
  for (const site of sites) {
    const args = site.arguments;
    const verbArg = isSlot(registrar.verb) ? argumentFor(ctx, args, registrar.verb) : undefined;
    // (`route(PST, '/login', …)` with `const PST = 'post'`: a constant names the verb too.)
    const verbText = typeof registrar.verb === 'string' ? registrar.verb : verbArg ? ctx.resolver.constantString(verbArg)?.toLowerCase() : undefined;
    const method = verbText ? VERBS[verbText] : undefined;
    if (!method) continue;
    const receiver = isSlot(registrar.receiver) ? argumentFor(ctx, args, registrar.receiver) : registrar.receiver;
    const owner = receiver ? routerOf(receiver) : undefined;
    if (!owner) continue;
    const identity = (owner.kind === 'external' ? routerIdentity(graph, owner) : undefined) ?? receiver!;
    const pathArg = isSlot(registrar.path) ? argumentFor(ctx, args, registrar.path) : registrar.path;
    const handlerSlot = registrar.handler;
    const handler = 'restFrom' in handlerSlot ? args[args.length - 1] : argumentFor(ctx, args, handlerSlot);
    if (!handler || t.isSpreadElement(handler)) continue;
    const middleware: ts.Expression[] = [];
    for (const part of registrar.middleware) {
      if (!isSlot(part)) middleware.push(...flatten(ctx, [part]));
      else if ('restFrom' in part) middleware.push(...flatten(ctx, args.slice(part.restFrom)));
      else {
        const given = argumentFor(ctx, args, part);
        if (given) middleware.push(...flatten(ctx, [given]));
      }
    }
    if ('restFrom' in handlerSlot) middleware.push(...flatten(ctx, args.slice(handlerSlot.restFrom, -1)));
    const name = verbArg ?? (t.isPropertyAccessExpression(site.expression) ? site.expression.name : site.expression);
    declared.push({ call: site, owner: identity, method, path: pathArg ? literalPath(t, pathArg) : null, name, args: [...middleware, handler] });
  }
  return declared;
}

/** How many registrars (helpers, and helpers over helpers) one app may have. */
const MAX_REGISTRARS = 64;

const DEFINITION_PATH = /^(path|route|url)$/;
const DEFINITION_HANDLER = /^(handler|handle|fn|action|controller)$/;
const DEFINITION_MIDDLEWARE = /^(middleware|middlewares|before|preHandlers?)$/;

/** A path spelled with constants: `'/orders'`, `PREFIX`, `` `${PREFIX}/:id` `` (each constant a string literal). */
function constantPath(ctx: DetectorContext, expr: ts.Expression, depth = 0): string | undefined {
  const t = ctx.ts;
  const e = strip(t, expr);
  if (t.isStringLiteralLike(e)) return e.text;
  if (depth > 3) return undefined;
  if (t.isIdentifier(e)) {
    const init = initializerOf(t, e);
    return init ? constantPath(ctx, init, depth + 1) : undefined;
  }
  if (t.isTemplateExpression(e)) {
    let text = e.head.text;
    for (const span of e.templateSpans) {
      const part = constantPath(ctx, span.expression, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  return undefined;
}

/**
 * A route written as data and registered by the project's own loop (`createRoute({ method: 'post',
 * path: '/orders', middleware: [auth], handler })`, then `router[r.method](r.path, …r.middleware, r.handler)`):
 * an object with a literal verb, a literal path and a handler function is a route. Fastify's
 * `route({ method, url, handler })` is the Fastify detector's.
 */
function routeDefinition(ctx: DetectorContext, obj: ts.ObjectLiteralExpression): RouteHandler | undefined {
  const t = ctx.ts;
  // Every object literal of a route file comes through here: most have no `method` and stop at once.
  if (!obj.properties.some((p) => p.name && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) && p.name.text === 'method')) return undefined;
  const props = new Map<string, ts.ObjectLiteralElementLike>();
  for (const p of obj.properties) if (p.name && (t.isIdentifier(p.name) || t.isStringLiteral(p.name))) props.set(p.name.text, p);
  const methodProp = props.get('method');
  const verb = methodProp && t.isPropertyAssignment(methodProp) && t.isStringLiteralLike(methodProp.initializer) ? methodProp.initializer.text.toLowerCase() : undefined;
  const method = verb && verb !== 'all' ? VERBS[verb] : undefined;
  if (!method || !methodProp?.name) return undefined;
  const pathProp = [...props].find(([k]) => DEFINITION_PATH.test(k))?.[1];
  const path = pathProp && t.isPropertyAssignment(pathProp) ? constantPath(ctx, pathProp.initializer) : undefined;
  const handlerProp = [...props].find(([k]) => DEFINITION_HANDLER.test(k))?.[1];
  const handler = !handlerProp ? undefined : t.isPropertyAssignment(handlerProp) ? handlerProp.initializer : t.isShorthandPropertyAssignment(handlerProp) ? handlerProp.name : t.isMethodDeclaration(handlerProp) ? handlerProp : undefined;
  if (!handler || !pathProp) return undefined;
  // `this.route({ method: 'post', path: PREFIX, handler: this.create })` in a controller class: the
  // project's own registrar (`route(o) { this.app[o.method](o.path, …, o.handler) }`) takes the object,
  // and its path may be a constant or a template.
  const parent = obj.parent;
  const registrar = t.isCallExpression(parent) && parent.arguments[0] === obj && ctx.resolver.resolve(parent.expression)?.kind === 'function';
  if (!registrar && (path === undefined || !path.startsWith('/'))) return undefined;
  // `handler: idempotent(this.create)`, `handler: wrap(async (req, res) => …)`: a wrapper around a function.
  const wrapped = t.isCallExpression(handler) ? handler.arguments[handler.arguments.length - 1] : undefined;
  const isFunction = (e: ts.Node): boolean => t.isMethodDeclaration(e) || t.isArrowFunction(e) || t.isFunctionExpression(e) || ctx.resolver.resolve(e)?.kind === 'function';
  if (!isFunction(handler) && !(wrapped && isFunction(wrapped))) return undefined;
  // `fastify.route({ method, url, handler })` belongs to the Fastify detector.
  if (!registrar && t.isCallExpression(parent) && t.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'route') return undefined;
  const middlewareProp = [...props].find(([k]) => DEFINITION_MIDDLEWARE.test(k))?.[1];
  const list = middlewareProp && t.isPropertyAssignment(middlewareProp) && t.isArrayLiteralExpression(middlewareProp.initializer) ? middlewareProp.initializer.elements : [];
  const preludes: Prelude[] = list.map((expr) => ({ expr, via: 'route definition' }));
  return { framework: 'express', method, route: path ?? null, anchor: methodProp.name, handler, preludes };
}

/** `router.route('/x').post(a).put(b)`: the `route(...)` call at the start of the chain. */
function routeChainStart(ctx: DetectorContext, receiver: ts.Expression): { call: ts.CallExpression; expression: ts.PropertyAccessExpression } | undefined {
  const t = ctx.ts;
  let current = receiver;
  while (t.isCallExpression(current) && t.isPropertyAccessExpression(current.expression)) {
    if (current.expression.name.text === 'route') return { call: current, expression: current.expression };
    if (!(current.expression.name.text in VERBS) && !['get', 'delete', 'head', 'options'].includes(current.expression.name.text)) return undefined;
    current = current.expression.expression;
  }
  return undefined;
}

/**
 * A verb registration that is not a handler: `app.all('/entries*', entriesRouter)` hands the request to
 * a router (`mount`: unlike `use`, the router sees the whole path, so its routes keep their own paths),
 * and `app.all('*', (req, res, next) => { …; next(); })` is middleware for what follows (`middleware`).
 */
function notAHandler(ctx: DetectorContext, verb: string, args: readonly ts.Expression[], routerOf: (e: ts.Expression) => Value | undefined): 'mount' | 'middleware' | undefined {
  const t = ctx.ts;
  const last = args[args.length - 1]!;
  const router = routerOf(last);
  if (router?.kind === 'external' && (router.origin ?? router.madeBy)) return 'mount';
  if (verb !== 'all') return undefined;
  let fn: ts.Node | undefined = last;
  if (!t.isFunctionLike(last)) {
    const value = ctx.resolver.resolve(last);
    fn = value?.kind === 'function' ? value.node : undefined;
  }
  const next = fn && t.isFunctionLike(fn) ? fn.parameters[2] : undefined;
  return next && t.isIdentifier(next.name) && callsThrough(t, fn!, next.name.text) === 'direct' ? 'middleware' : undefined;
}

function recordUse(
  ctx: DetectorContext,
  call: ts.CallExpression,
  owner: ts.Node,
  graph: RouterGraph,
  routerOf: (e: ts.Expression) => Value | undefined,
  /** How a verb call (`all`, `post`) that is not a handler registers (see notAHandler); undefined for `use`. */
  verbRegistration?: 'mount' | 'middleware',
): void {
  const t = ctx.ts;
  const first = call.arguments[0];
  const prefix = first ? literalPath(t, first) : null;
  const hasPath = verbRegistration !== undefined || (first !== undefined && (t.isStringLiteralLike(first) || t.isArrayLiteralExpression(first) || t.isRegularExpressionLiteral(first)));
  const args = flatten(ctx, hasPath ? call.arguments.slice(1) : call.arguments);
  const middleware: ts.Expression[] = [];
  for (const arg of args) {
    const router = routerOf(arg);
    const child = router?.kind === 'external' ? routerIdentity(graph, router) : undefined;
    if (child) {
      const list = graph.mounts.get(child) ?? [];
      list.push({ parent: owner, prefix: verbRegistration ? '' : hasPath ? prefix : '', call, before: [...middleware] });
      graph.mounts.set(child, list);
    } else {
      middleware.push(arg);
    }
  }
  // `app.use('/api/x', router)` only mounts: keeping it would make every route walk every mount.
  if (middleware.length === 0) return;
  const list = graph.uses.get(owner) ?? [];
  list.push({ call, prefix: hasPath ? prefix : undefined, args: middleware });
  graph.uses.set(owner, list);
}

/** The prefix a router is mounted at, composed up to the app; null when a part is not static. */
function mountPrefix(owner: ts.Node, graph: RouterGraph, seen: Set<ts.Node>): string | null {
  const mount = mountOf(graph, owner);
  if (!mount || seen.has(owner)) return '';
  seen.add(owner);
  return joinPaths(mountPrefix(mount.parent, graph, seen), mount.prefix);
}

/** `use` middleware of this router before the route, and of every router above it before its mount. */
function inheritedPreludes(owner: ts.Node, at: ts.Node, path: string | null, graph: RouterGraph, seen: Set<ts.Node>): Prelude[] {
  if (seen.has(owner)) return [];
  seen.add(owner);
  const result: Prelude[] = [];
  const mount = mountOf(graph, owner);
  if (mount) {
    const mountedPath = joinPaths(mount.prefix, path);
    result.push(...inheritedPreludes(mount.parent, mount.call, mountedPath, graph, seen));
    result.push(...mount.before.map((expr) => ({ expr, via: `mounted with ${mount.call.expression.getText()}(${mount.prefix ?? ''})` })));
  }
  // (An instance also has what the function that made it registered on every one it makes.)
  const template = graph.templateOf.get(owner);
  for (const use of [...(template ? graph.uses.get(template) ?? [] : []), ...(graph.uses.get(owner) ?? [])]) {
    if (!isBefore(use.call, at)) continue;
    if (use.prefix === null || (use.prefix !== undefined && !pathCovers(use.prefix, path))) continue;
    const via = `${use.call.expression.getText()}(${use.prefix ? `'${use.prefix}'` : ''}) before the route`;
    result.push(...use.args.map((expr) => ({ expr, via })));
  }
  return result;
}

/** Registration order: only `use` calls that run before the route (same file: by position). */
function isBefore(use: ts.Node, at: ts.Node): boolean {
  if (use.getSourceFile() !== at.getSourceFile()) return true;
  return use.pos < at.pos;
}

/** Middleware arrays are flattened: `router.post('/', [auth, validate], handler)`. */
function flatten(ctx: DetectorContext, args: readonly ts.Expression[]): ts.Expression[] {
  const t = ctx.ts;
  const out: ts.Expression[] = [];
  for (const arg of args) {
    if (t.isArrayLiteralExpression(arg)) out.push(...flatten(ctx, arg.elements));
    else if (t.isSpreadElement(arg)) {
      const value = ctx.resolver.resolve(arg.expression);
      if (!value) out.push(arg.expression);
    } else if (t.isIdentifier(arg)) {
      // `const guards = [auth, idem]; router.post('/', guards, handler)`.
      const binding = ctx.resolver.scopes.lookup(arg.text, arg);
      const init = binding?.kind === 'variable' ? binding.decl.initializer : undefined;
      if (init && t.isArrayLiteralExpression(init)) out.push(...flatten(ctx, init.elements));
      else out.push(arg);
    } else out.push(arg);
  }
  return out;
}
