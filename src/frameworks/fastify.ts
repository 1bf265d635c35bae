// Fastify (https://fastify.dev/docs/latest/Reference/Routes/, .../Encapsulation/): shorthand routes
// `fastify.post(url, [opts], handler)`, full declarations `fastify.route({ method, url, handler })`,
// route plugins registered with `register(plugin, { prefix })`, and hooks. Encapsulation decides what
// a hook covers: `addHook` applies to its plugin's routes and its children; a plugin wrapped in
// `fastify-plugin` shares its hooks with the context that registers it.
import path from 'node:path';
import type { tsTypes as ts } from '../core/ts.js';
import { parentOf } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, Prelude, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import { joinPaths, literalPath } from './paths.js';
import { propertyValue, strip } from '../core/refine.js';
import { SHARED_FASTIFY_PLUGINS } from '../catalog/mitigations.js';
import { PLUGIN_DECORATIONS } from '../catalog/contextual.js';

const VERBS: Record<string, HttpMethod> = { post: 'POST', put: 'PUT', patch: 'PATCH', all: 'POST' };
const PRE_HANDLER_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
const INSTANCE_CHAIN = /^(|FastifyInstance|default|fastify|Fastify|FastifyPluginAsync|FastifyPluginCallback)$/;
const FP_MODULES = new Set(['fastify-plugin']);

/** An encapsulation context: the root instance, or a plugin function. */
interface Scope {
  key: ts.Node;
  parent?: Scope;
  prefix: string | null;
  /** Registered through fastify-plugin: its hooks belong to the parent context. */
  shared: boolean;
  hooks: Prelude[];
  children: Scope[];
}

/** `register(autoload, { dir })`: every plugin file below `dir` is registered with a folder prefix. */
interface Autoload {
  dir: string;
  parent: Scope;
}

interface State {
  scopes: Map<ts.Node, Scope>;
  autoloads: Autoload[];
  /** `autohooks.ts` plugins: their hooks cover every route below their folder. */
  autohooks: { dir: string; scope: Scope }[];
}

export const fastifyDetector: FrameworkDetector = {
  id: 'fastify',
  packages: ['fastify'],
  mightDeclareRoutes: (text) => /fastify|\.register\s*\(|\.route\s*\(|\.addHook\s*\(|\.(post|put|patch)\s*\(/i.test(text),
  detect(files, ctx) {
    const t = ctx.ts;
    for (const d of PLUGIN_DECORATIONS) {
      if (d.host === 'fastify') ctx.resolver.pluginDecorations.set(`fastify#${d.member}`, { kind: 'external', module: d.module, chain: [d.member] });
    }
    const scopes = new Map<ts.Node, Scope>();
    const calls: { call: ts.CallExpression; receiver: ts.Expression; name: ts.MemberName }[] = [];
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        if (t.isTypeNode(node) || t.isInterfaceDeclaration(node) || t.isTypeAliasDeclaration(node)) return;
        if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
          const name = node.expression.name;
          if (name.text in VERBS || name.text === 'route' || name.text === 'addHook' || name.text === 'register' || name.text === 'decorate') {
            calls.push({ call: node, receiver: node.expression.expression, name });
          }
        }
        t.forEachChild(node, visit);
      };
      visit(sf);
    }

    const state: State = { scopes, autoloads: [], autohooks: [] };
    const scopeOf = (receiver: ts.Expression): Scope | undefined => {
      const key = instanceKey(ctx, receiver, scopes, state.autoloads);
      if (!key) return undefined;
      let scope = scopes.get(key);
      if (!scope) {
        scope = { key, prefix: '', shared: false, hooks: [], children: [] };
        scopes.set(key, scope);
        attachAutoloaded(scope, state);
      }
      return scope;
    };

    // Registrations first, repeatedly, so that plugins registered by plugins are known.
    const registered = new Set<ts.CallExpression>();
    for (let round = 0; round < 6; round++) {
      let changed = false;
      for (const { call, receiver, name } of calls) {
        if (name.text !== 'register' || registered.has(call)) continue;
        const parent = scopeOf(receiver);
        if (!parent) continue;
        registered.add(call);
        changed = true;
        register(ctx, call, parent, state);
      }
      if (!changed) break;
    }
    for (const scope of scopes.values()) attachAutoloaded(scope, state);

    // `fastify.decorate('repo', createRepo(fastify))`: later `fastify.repo.create()` resolves to it.
    for (const { call, receiver, name } of calls) {
      const [decorated, value] = call.arguments;
      if (name.text === 'decorate' && decorated && value && t.isStringLiteralLike(decorated) && scopeOf(receiver)) {
        ctx.resolver.decorations.set(`fastify#${decorated.text}`, value);
      }
    }

    for (const { call, receiver, name } of calls) {
      if (name.text !== 'addHook') continue;
      const scope = scopeOf(receiver);
      const hookName = call.arguments[0];
      const fn = call.arguments[1];
      if (scope && fn && hookName && t.isStringLiteralLike(hookName) && PRE_HANDLER_HOOKS.has(hookName.text)) {
        scope.hooks.push({ expr: fn, via: `addHook('${hookName.text}')` });
      }
    }

    const routes: RouteHandler[] = [];
    for (const { call, receiver, name } of calls) {
      if (!(name.text in VERBS) && name.text !== 'route') continue;
      const scope = scopeOf(receiver);
      if (!scope) continue;
      const file = call.getSourceFile().fileName;
      const autohooks = state.autohooks.filter((a) => a.scope !== scope && file.startsWith(a.dir + path.sep)).flatMap((a) => a.scope.hooks);
      const found = routesOf(ctx, call, name, scope, autohooks);
      for (const route of found) bindThis(ctx, route.handler, receiver);
      routes.push(...found);
    }
    return routes;
  },
};

/**
 * Fastify calls a handler written as a `function` with `this` set to the instance it was registered on
 * (`async function createUser (request, reply) { await this.mongo.client.db()… }`): the decorations
 * are reached through `this`.
 */
function bindThis(ctx: DetectorContext, handler: ts.Node, receiver: ts.Expression): void {
  const t = ctx.ts;
  const value = t.isFunctionExpression(handler) || t.isFunctionDeclaration(handler) ? { node: handler } : t.isIdentifier(handler) ? ctx.resolver.resolve(handler) : undefined;
  const fn = value && 'node' in value ? value.node : undefined;
  if (!fn || !(t.isFunctionExpression(fn) || t.isFunctionDeclaration(fn))) return;
  const instance = ctx.resolver.resolve(throughTypeProvider(ctx, receiver));
  ctx.resolver.frameworkThis.set(fn, instance?.kind === 'external' && instance.module === 'fastify' ? instance : { kind: 'external', module: 'fastify', chain: [] });
}

/**
 * `fastify.withTypeProvider<T>()` returns the same instance with other types, inline or kept in a
 * variable (`const f = app.withTypeProvider<ZodTypeProvider>()`): see through it to the instance.
 */
function throughTypeProvider(ctx: DetectorContext, expr: ts.Expression): ts.Expression {
  const t = ctx.ts;
  let r = strip(t, expr);
  for (let i = 0; i < 4; i++) {
    // `.register(auth)` and `.addHook(…)` return the instance too: `app.withTypeProvider<Z>().register(auth).post(…)`.
    if (t.isCallExpression(r) && t.isPropertyAccessExpression(r.expression) && /^(withTypeProvider|register|addHook|decorateRequest|decorate|setErrorHandler)$/.test(r.expression.name.text)) {
      r = strip(t, r.expression.expression);
      continue;
    }
    if (t.isIdentifier(r)) {
      const binding = ctx.resolver.scopes.lookup(r.text, r);
      const init = binding?.kind === 'variable' && binding.path.length === 0 ? binding.decl.initializer : undefined;
      if (init && t.isCallExpression(strip(t, init)) && /\.withTypeProvider\s*(<[^]*>)?\s*\(/.test(init.getText())) {
        r = strip(t, init);
        continue;
      }
    }
    break;
  }
  return r;
}

/** The scope key of an expression that is a Fastify instance, or undefined when it is not one. */
function instanceKey(ctx: DetectorContext, receiver: ts.Expression, scopes: Map<ts.Node, Scope>, autoloads: readonly Autoload[]): ts.Node | undefined {
  const t = ctx.ts;
  const r = throughTypeProvider(ctx, receiver);
  if (t.isIdentifier(r)) {
    const binding = ctx.resolver.scopes.lookup(r.text, r);
    // The first parameter of a registered plugin function is that plugin's instance.
    if (binding?.kind === 'parameter' && binding.path.length === 0) {
      const fn = binding.decl.parent;
      if ((fn as ts.FunctionLikeDeclaration).parameters[0] === binding.decl) {
        if (scopes.has(fn)) return fn;
        // A file in an autoloaded folder is loaded as a plugin: its top-level function's first
        // parameter is the instance, typed or not (`async function routes (server, options) {…}`).
        if (autoloadedPlugin(t, fn, autoloads)) {
          // What the analysis of its code needs too: `server.knex` there is what a plugin decorated.
          ctx.resolver.frameworkParameters.set(binding.decl, { kind: 'external', module: 'fastify', chain: [], origin: binding.decl });
          return fn;
        }
      }
    }
  }
  if (r.kind === t.SyntaxKind.ThisKeyword) return undefined;
  const value = ctx.resolver.resolve(r);
  if (value?.kind !== 'external' || value.module !== 'fastify' || !INSTANCE_CHAIN.test(value.chain.join('.'))) return undefined;
  const origin = value.origin;
  if (origin && t.isParameter(origin)) return origin.parent;
  return origin ?? value.madeBy;
}

function register(ctx: DetectorContext, call: ts.CallExpression, parent: Scope, state: State): void {
  const t = ctx.ts;
  const scopes = state.scopes;
  const [pluginArg, options] = call.arguments;
  if (!pluginArg) return;
  const { fn, shared, library } = pluginFunction(ctx, pluginArg);
  const libraryValue = library ? ctx.resolver.resolve(library) : undefined;
  if (libraryValue?.kind === 'external' && libraryValue.module === '@fastify/autoload') {
    const dir = options ? autoloadDir(ctx, propertyValue(t, options, 'dir'), call.getSourceFile().fileName) : undefined;
    if (dir) state.autoloads.push({ dir, parent });
    return;
  }
  if (library) {
    // A package's plugin wrapped in fp() (e.g. @node-idempotency/fastify), or one that skips
    // encapsulation itself, adds its hooks to this context.
    const sharesItself = libraryValue?.kind === 'external' && SHARED_FASTIFY_PLUGINS.some((p) => (typeof p.module === 'string' ? p.module === libraryValue.module : p.module.test(libraryValue.module)) && p.chain.test(libraryValue.chain.join('.')));
    if (shared || sharesItself) parent.hooks.push({ expr: library, via: shared ? `register(fp(${library.getText()}))` : `register(${library.getText()})` });
    return;
  }
  if (!fn) return;
  const prefixNode = options ? propertyValue(t, options, 'prefix') : undefined;
  const prefix = prefixNode ? literalPath(t, prefixNode) : '';
  let scope = scopes.get(fn);
  if (!scope) {
    scope = { key: fn, prefix: '', shared, hooks: [], children: [] };
    scopes.set(fn, scope);
  }
  if (scope.parent) return;
  scope.parent = parent;
  scope.shared = shared;
  scope.prefix = joinPaths(parent.prefix, prefix);
  parent.children.push(scope);
}

/** `path.join(import.meta.dirname, 'routes')`, `join(__dirname, 'plugins')`: the folder, when its parts are literal. */
function autoloadDir(ctx: DetectorContext, expr: ts.Expression | undefined, file: string): string | undefined {
  const t = ctx.ts;
  if (!expr) return undefined;
  const e = strip(t, expr);
  if (t.isStringLiteralLike(e)) return path.resolve(path.dirname(file), e.text);
  if (!t.isCallExpression(e) || !/(^|\.)(join|resolve)$/.test(e.expression.getText())) return undefined;
  const parts = e.arguments.slice(1);
  if (!parts.every((p) => t.isStringLiteralLike(p))) return undefined;
  return path.resolve(path.dirname(file), ...parts.map((p) => (p).text));
}

/** A top-level function (declared, or assigned to a top-level name or export) of a file below an autoload folder. */
function autoloadedPlugin(t: DetectorContext['ts'], fn: ts.Node, autoloads: readonly Autoload[]): boolean {
  if (autoloads.length === 0) return false;
  const file = fn.getSourceFile().fileName;
  if (!autoloads.some((a) => file.startsWith(a.dir + path.sep))) return false;
  let holder = parentOf(fn);
  // `const routes = async (app) => {}`, `module.exports = async function (app) {}`, `export default fp(async (app) => {})`.
  while (holder && (t.isVariableDeclaration(holder) || t.isVariableDeclarationList(holder) || t.isVariableStatement(holder) || t.isCallExpression(holder) ||
    t.isBinaryExpression(holder) || t.isExpressionStatement(holder) || t.isExportAssignment(holder) || t.isParenthesizedExpression(holder))) {
    holder = parentOf(holder);
  }
  return holder !== undefined && t.isSourceFile(holder) && (t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn) || t.isArrowFunction(fn));
}

/** A plugin in an autoloaded folder: registered by the autoload's context, prefixed with its folders. */
function attachAutoloaded(scope: Scope, state: State): void {
  if (scope.parent) return;
  const file = scope.key.getSourceFile().fileName;
  const load = state.autoloads.find((a) => file.startsWith(a.dir + path.sep));
  if (!load || load.parent === scope) return;
  const folders = path.relative(load.dir, path.dirname(file)).split(path.sep).filter(Boolean).join('/');
  scope.parent = load.parent;
  scope.prefix = joinPaths(load.parent.prefix, folders);
  load.parent.children.push(scope);
  if (/^autohooks\.[cm]?[jt]s$/.test(path.basename(file))) state.autohooks.push({ dir: path.dirname(file), scope });
}

/** `routes`, `fp(routes)`, `import('./routes')`, an inline `async (app) => {}`. */
function pluginFunction(ctx: DetectorContext, arg: ts.Expression): { fn?: ts.FunctionLikeDeclaration; shared: boolean; library?: ts.Expression } {
  const t = ctx.ts;
  const a = strip(t, arg);
  if (t.isCallExpression(a) && a.arguments[0]) {
    const callee = ctx.resolver.resolve(a.expression);
    if (callee?.kind === 'external' && FP_MODULES.has(callee.module)) {
      const inner = pluginFunction(ctx, a.arguments[0]);
      return { ...inner, shared: true };
    }
  }
  let value = ctx.resolver.resolve(a);
  // `register(import('./routes/archive.js'))`: Fastify registers the module's default export.
  if (value?.kind === 'module') value = ctx.resolver.member(value, 'default', 0);
  if (value?.kind === 'function') {
    // A plugin defined as `fp(async (app) => …)` and exported: the resolved value is the fp call's result.
    return { fn: value.node, shared: false };
  }
  if (value?.kind === 'external') {
    if (FP_MODULES.has(value.module) && value.madeBy && t.isCallExpression(value.madeBy) && value.madeBy.arguments[0]) {
      return { ...pluginFunction(ctx, value.madeBy.arguments[0]), shared: true };
    }
    return { shared: false, library: a };
  }
  return { shared: false };
}

function routesOf(ctx: DetectorContext, call: ts.CallExpression, name: ts.MemberName, scope: Scope, autohooks: Prelude[]): RouteHandler[] {
  const t = ctx.ts;
  const scopePreludes = [...autohooks, ...inheritedHooks(scope)];
  if (name.text === 'route') {
    const options = call.arguments[0];
    if (!options || !t.isObjectLiteralExpression(strip(t, options))) return [];
    const methodNode = propertyValue(t, options, 'method');
    const url = propertyValue(t, options, 'url') ?? propertyValue(t, options, 'path');
    const handler = propertyValue(t, options, 'handler');
    if (!methodNode || !handler) return [];
    const methods = t.isArrayLiteralExpression(methodNode) ? methodNode.elements : [methodNode];
    const route = joinPaths(scope.prefix, literalPath(t, url));
    const preludes = [...scopePreludes, ...routeHooks(ctx, options)];
    return methods.flatMap((m) => {
      const method = t.isStringLiteralLike(m) ? VERBS[m.text.toLowerCase()] : undefined;
      return method && m.getText().toLowerCase() !== "'all'" ? [{ framework: 'fastify' as const, method, route, anchor: name, handler, preludes }] : [];
    });
  }
  const method = VERBS[name.text]!;
  const [url, second, third] = call.arguments;
  let handler = third ?? second;
  let preludes = scopePreludes;
  if (second && t.isObjectLiteralExpression(strip(t, second))) {
    preludes = [...scopePreludes, ...routeHooks(ctx, second)];
    if (!third) handler = propertyValue(t, second, 'handler');
  }
  if (!handler) return [];
  return [{ framework: 'fastify', method, route: joinPaths(scope.prefix, literalPath(t, url)), anchor: name, handler, preludes }];
}

/** Hooks of the route's own context and its ancestors, plus those that fp-plugins share into them. */
function inheritedHooks(scope: Scope): Prelude[] {
  const result: Prelude[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    result.push(...s.hooks);
    const visitShared = (parent: Scope): void => {
      for (const child of parent.children) {
        if (!child.shared) continue;
        result.push(...child.hooks);
        visitShared(child);
      }
    };
    visitShared(s);
  }
  return result;
}

function routeHooks(ctx: DetectorContext, options: ts.Expression): Prelude[] {
  const t = ctx.ts;
  const result: Prelude[] = [];
  for (const hook of PRE_HANDLER_HOOKS) {
    const value = propertyValue(t, options, hook);
    if (!value) continue;
    const items = t.isArrayLiteralExpression(value) ? value.elements : [value];
    result.push(...items.map((expr) => ({ expr, via: `${hook} option` })));
  }
  return result;
}
