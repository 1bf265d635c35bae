// Next.js Pages Router API routes (https://nextjs.org/docs/pages/building-your-application/routing/api-routes):
// the default export of `pages/api/**`. Each `req.method === 'POST'` branch or `case 'POST':` is one
// handler located at that branch; a function that rejects every other method up front is one handler
// located at the function; next-connect routers (`createRouter().post(fn)`) register handlers by verb.
import type { TS, tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import type { FunctionLike } from '../core/values.js';
import { middlewarePreludes, nextRoot, pagesApiRoute } from './next-shared.js';
import { propertyValue, strip } from '../core/refine.js';
import { hasModifier } from '../core/resolver.js';
import { HANDLER_PROPERTY, handlerInOptions } from '../core/classify.js';

const METHODS = new Set<string>(['POST', 'PUT', 'PATCH']);
const CONNECT_VERBS: Record<string, HttpMethod> = { post: 'POST', put: 'PUT', patch: 'PATCH' };

export const nextPagesDetector: FrameworkDetector = {
  id: 'next-pages',
  packages: ['next'],
  // (`export { default } from '@acme/app-store/api/webhook'`: the handler lives in another module.)
  mightDeclareRoutes: (text, file) => /[\\/]pages[\\/]api[\\/]/.test(file) && (/POST|PUT|PATCH|\.(post|put|patch)\s*\(|\bbody(Parser)?\b/.test(text) || /\bdefault\b[^;]*\bfrom\b/.test(text)),
  detect(files, ctx) {
    const routes: RouteHandler[] = [];
    for (const file of files) {
      const root = nextRoot(ctx, file.fileName);
      const route = root ? pagesApiRoute(root, file.fileName) : undefined;
      if (!root || route === undefined) continue;
      // The module whose default export answers the route: this file, or the one it re-exports it from.
      const sf = defaultModule(ctx, file);
      if (!sf) continue;
      const preludes = [...middlewarePreludes(ctx, root, route), ...defaultExportWrappers(ctx, sf)];
      const found = [...connectRoutes(ctx, sf), ...methodBranches(ctx, sf), ...methodMap(ctx, sf)];
      // Methods the wrapper lists (`methods: ['GET', 'DELETE']`) are all the route answers.
      const declared = found.length === 0 ? declaredMethods(ctx, sf) : undefined;
      if (declared) found.push(...declared);
      else if (found.length === 0) found.push(...bodyReadingHandler(ctx, sf));
      routes.push(...found.map((f) => ({ framework: 'next-pages' as const, route, preludes, ...f })));
    }
    return routes;
  },
};

type Found = Pick<RouteHandler, 'method' | 'anchor' | 'handler'>;

/** `export { default } from './shared/handler'` (also through a chain of such files): the module that defines it. */
function defaultModule(ctx: DetectorContext, sf: ts.SourceFile, hops = 0): ts.SourceFile | undefined {
  const t = ctx.ts;
  if (hops > 4) return undefined;
  for (const s of sf.statements) {
    if (!t.isExportDeclaration(s) || !s.moduleSpecifier || !t.isStringLiteral(s.moduleSpecifier) || !s.exportClause || !t.isNamedExports(s.exportClause)) continue;
    const reexported = s.exportClause.elements.find((e) => e.name.text === 'default' && (e.propertyName?.text ?? 'default') === 'default');
    if (!reexported) continue;
    const file = ctx.project.resolveImport(s.moduleSpecifier.text, sf.fileName);
    const other = file ? ctx.project.sourceFile(file) : undefined;
    return other ? defaultModule(ctx, other, hops + 1) : undefined;
  }
  return sf;
}

/**
 * A default-exported handler that checks no method but reads the request body (`const { title } =
 * req.body`): it answers every method, and the client sends it a body, which GET requests do not carry
 * — a POST handler. One that reads no body (`/api/hello`, a list) is left out.
 */
function bodyReadingHandler(ctx: DetectorContext, sf: ts.SourceFile): Found[] {
  const t = ctx.ts;
  const fn = defaultHandler(ctx, sf);
  const request = fn?.parameters[0]?.name;
  if (!fn?.body || !request) return [];
  const takesBody = (pattern: ts.BindingName): boolean => t.isObjectBindingPattern(pattern) && pattern.elements.some((e) => (e.propertyName ?? e.name).getText() === 'body');
  // `export default async function POST(req, res)`: the name says the method.
  const named = fn.name && t.isIdentifier(fn.name) && /^(POST|PUT|PATCH)$/.test(fn.name.text) ? (fn.name.text as HttpMethod) : undefined;
  if (named) return [{ method: named, anchor: fn, handler: fn }];
  const handler: Found[] = [{ method: 'POST', anchor: fn, handler: fn }];
  // `export const config = { api: { bodyParser: false } }`: the handler reads the raw body itself (a webhook).
  if (readsRawBody(t, sf)) return handler;
  // `({ body, query }, res) =>`: the body taken straight from the parameter.
  if (takesBody(request)) return handler;
  if (!t.isIdentifier(request)) return [];
  const name = request.text;
  const seen = { body: false };
  const visit = (node: ts.Node): void => {
    // `req.body`, or `const { body } = req`.
    if (t.isPropertyAccessExpression(node) && node.name.text === 'body' && t.isIdentifier(node.expression) && node.expression.text === name) seen.body = true;
    else if (t.isVariableDeclaration(node) && node.initializer && t.isIdentifier(strip(t, node.initializer)) && strip(t, node.initializer).getText() === name && takesBody(node.name)) seen.body = true;
    if (!seen.body) t.forEachChild(node, visit);
  };
  visit(fn.body);
  return seen.body ? handler : [];
}

/** The page's `config` turns Next's body parser off: the route reads the request body as a stream. */
function readsRawBody(t: TS, sf: ts.SourceFile): boolean {
  for (const statement of sf.statements) {
    if (!t.isVariableStatement(statement) || !hasModifier(t, statement, t.SyntaxKind.ExportKeyword)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!t.isIdentifier(decl.name) || decl.name.text !== 'config' || !decl.initializer) continue;
      const api = propertyValue(t, strip(t, decl.initializer), 'api');
      const parser = api ? propertyValue(t, strip(t, api), 'bodyParser') : undefined;
      if (parser && strip(t, parser).kind === t.SyntaxKind.FalseKeyword) return true;
    }
  }
  return false;
}

/** Branches on `req.method` inside the default-exported handler (unwrapped from `withAuth(handler)`). */
function methodBranches(ctx: DetectorContext, sf: ts.SourceFile): Found[] {
  const fn = defaultHandler(ctx, sf);
  return fn ? branchesIn(ctx, fn) : [];
}

/** The `req.method` branches of one handler function. */
function branchesIn(ctx: DetectorContext, fn: FunctionLike): Found[] {
  if (!fn.body) return [];
  const t = ctx.ts;
  const found: Found[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && t.isFunctionLike(node)) return;
    if (t.isIfStatement(node)) {
      const positive = comparedMethods(ctx, node.expression, false);
      if (positive.length > 0) for (const method of positive) found.push({ method, anchor: node, handler: node.thenStatement });
      const negative = comparedMethods(ctx, node.expression, true);
      if (negative.length > 0 && exits(ctx, node.thenStatement) && found.length === 0) {
        // `if (req.method !== 'POST') return res.status(405).end()`: the whole function handles POST.
        for (const method of negative) found.push({ method, anchor: fn, handler: fn });
        return;
      }
    }
    if (t.isSwitchStatement(node) && isMethodExpression(ctx, node.expression)) {
      const clauses = node.caseBlock.clauses;
      clauses.forEach((clause, index) => {
        if (!t.isCaseClause(clause) || !t.isStringLiteralLike(clause.expression) || !METHODS.has(clause.expression.text)) return;
        // `case 'POST': case 'PUT': …` falls through to the next clause with statements.
        const body = clauses.slice(index).find((c) => c.statements.length > 0) ?? clause;
        found.push({ method: clause.expression.text as HttpMethod, anchor: clause, handler: body });
      });
    }
    t.forEachChild(node, visit);
  };
  visit(fn.body);
  // `if (method !== 'POST' && method !== 'GET') return 405` then `switch (method) { case 'POST': … }`:
  // the branch is the POST handler; the up-front check only narrowed the methods.
  return found.filter((f) => f.handler !== fn || !found.some((g) => g.handler !== fn && g.method === f.method));
}

/** Methods a condition tests: `req.method === 'POST'`, `['POST','PUT'].includes(req.method)`; negated with !== or !. */
function comparedMethods(ctx: DetectorContext, condition: ts.Expression, negated: boolean): HttpMethod[] {
  const t = ctx.ts;
  const c = strip(t, condition);
  if (t.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const joiner = negated ? t.SyntaxKind.AmpersandAmpersandToken : t.SyntaxKind.BarBarToken;
    if (op === joiner) return [...comparedMethods(ctx, c.left, negated), ...comparedMethods(ctx, c.right, negated)];
    const eq = op === t.SyntaxKind.EqualsEqualsEqualsToken || op === t.SyntaxKind.EqualsEqualsToken;
    const ne = op === t.SyntaxKind.ExclamationEqualsEqualsToken || op === t.SyntaxKind.ExclamationEqualsToken;
    if ((negated ? ne : eq)) {
      const [method, literal] = isMethodExpression(ctx, c.left) ? [c.left, c.right] : [c.right, c.left];
      if (isMethodExpression(ctx, method) && t.isStringLiteralLike(literal) && METHODS.has(literal.text.toUpperCase())) return [literal.text.toUpperCase() as HttpMethod];
    }
    return [];
  }
  if (negated && t.isPrefixUnaryExpression(c) && c.operator === t.SyntaxKind.ExclamationToken) return includedMethods(ctx, c.operand);
  if (!negated) return includedMethods(ctx, c);
  return [];
}

function includedMethods(ctx: DetectorContext, expr: ts.Expression): HttpMethod[] {
  const t = ctx.ts;
  const e = strip(t, expr);
  if (!t.isCallExpression(e) || !t.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'includes') return [];
  if (!e.arguments[0] || !isMethodExpression(ctx, e.arguments[0])) return [];
  const list = strip(t, e.expression.expression);
  if (!t.isArrayLiteralExpression(list)) return [];
  return list.elements.flatMap((el) => (t.isStringLiteralLike(el) && METHODS.has(el.text.toUpperCase()) ? [el.text.toUpperCase() as HttpMethod] : []));
}

function isMethodExpression(ctx: DetectorContext, expr: ts.Expression): boolean {
  const e = strip(ctx.ts, expr);
  return ctx.ts.isPropertyAccessExpression(e) && e.name.text === 'method' || (ctx.ts.isIdentifier(e) && e.text === 'method');
}

function exits(ctx: DetectorContext, branch: ts.Statement): boolean {
  const t = ctx.ts;
  if (t.isReturnStatement(branch) || t.isThrowStatement(branch)) return true;
  return t.isBlock(branch) && branch.statements.some((s) => t.isReturnStatement(s) || t.isThrowStatement(s));
}

/** `export default withIdempotentApiRoute(withAuth(handler))`: the wrapper calls, outermost first. */
function defaultExportWrappers(ctx: DetectorContext, sf: ts.SourceFile): { expr: ts.Node; via: string }[] {
  const t = ctx.ts;
  const exported = sf.statements.find(t.isExportAssignment);
  const wrappers: { expr: ts.Node; via: string }[] = [];
  for (let e = exported ? strip(t, exported.expression) : undefined; e && t.isCallExpression(e); ) {
    wrappers.push({ expr: e, via: 'wrapper of the default export' });
    const inner = e.arguments.find((a) => t.isCallExpression(strip(t, a)));
    e = inner ? strip(t, inner) : undefined;
  }
  return wrappers;
}

/** The function behind `export default`, through wrappers such as `withAuth(handler)`. */
function defaultHandler(ctx: DetectorContext, sf: ts.SourceFile): FunctionLike | undefined {
  const t = ctx.ts;
  const declared = sf.statements.find((s): s is ts.FunctionDeclaration => t.isFunctionDeclaration(s) && hasModifier(t, s, t.SyntaxKind.DefaultKeyword));
  if (declared) return declared;
  const exported = sf.statements.find(t.isExportAssignment);
  let node: ts.Expression | undefined = exported?.expression;
  for (let i = 0; node && i < 6; i++) {
    const e = strip(t, node);
    if (t.isFunctionExpression(e) || t.isArrowFunction(e)) return e;
    if (t.isCallExpression(e)) {
      // `withAuth(handler)`, `withAuth(withValidation(handler))`: the innermost function argument.
      node = [...e.arguments].reverse().find((a) => t.isFunctionLike(a) || t.isIdentifier(a) || t.isCallExpression(a));
      continue;
    }
    if (t.isIdentifier(e)) {
      const binding = ctx.resolver.scopes.lookup(e.text, e);
      if (binding?.kind === 'function') return binding.decl;
      if (binding?.kind === 'variable' && binding.decl.initializer) {
        node = binding.decl.initializer;
        continue;
      }
      const value = ctx.resolver.resolve(e);
      return value?.kind === 'function' ? value.node : undefined;
    }
    return undefined;
  }
  return undefined;
}

const HTTP_METHOD_KEY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/;

/**
 * A handler per method given to a wrapper as an object: `export default withMiddlewares({ GET: …,
 * POST: createAuthedRoute({ fn: async (…) => … }) })`. Each POST/PUT/PATCH entry is a handler; what
 * the entry's own wrapper adds around the `fn`/`handler` option is followed when it is classified.
 */
function methodMap(ctx: DetectorContext, sf: ts.SourceFile): Found[] {
  const t = ctx.ts;
  for (const call of defaultExportCalls(ctx, sf)) {
    const map = call.arguments.map((a) => objectBehind(ctx, a)).find((a): a is ts.ObjectLiteralExpression => a !== undefined && isMethodMap(ctx, a));
    if (!map) continue;
    const found: Found[] = [];
    for (const prop of map.properties) {
      const key = prop.name && (t.isIdentifier(prop.name) || t.isStringLiteral(prop.name)) ? prop.name.text.toUpperCase() : undefined;
      if (!key || !METHODS.has(key)) continue;
      let handler: ts.Node | undefined = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : t.isMethodDeclaration(prop) ? prop : undefined;
      // `POST: { auth: true, types: { body }, handle: async ({ body }) => … }`: the entry's handler option.
      const entry = handler && t.isExpression(handler) ? objectBehind(ctx, handler) : undefined;
      if (entry) handler = handlerInOptions(t, [entry]);
      if (handler) found.push({ method: key as HttpMethod, anchor: prop, handler });
    }
    return found;
  }
  return [];
}

/**
 * The calls around the default export, outermost first: `export default withSession(withHandler({…}))`
 * gives `withSession(…)` then `withHandler(…)`, through local variables holding them.
 */
function* defaultExportCalls(ctx: DetectorContext, sf: ts.SourceFile): Generator<ts.CallExpression> {
  const t = ctx.ts;
  const exported = sf.statements.find(t.isExportAssignment);
  let node: ts.Expression | undefined = exported?.expression;
  for (let i = 0; node && i < 6; i++) {
    const e = strip(t, node);
    if (t.isIdentifier(e)) {
      const binding = ctx.resolver.scopes.lookup(e.text, e);
      node = binding?.kind === 'variable' ? binding.decl.initializer : undefined;
      continue;
    }
    if (!t.isCallExpression(e)) return;
    yield e;
    node = [...e.arguments].reverse().find((a) => t.isCallExpression(strip(t, a)) || t.isIdentifier(strip(t, a)));
  }
}

const METHODS_KEY = /^(methods?|allowedMethods|allow)$/;

/**
 * Methods named next to the handler in a wrapper's arguments: `withHandler({ methods: ['POST'],
 * handler })`, `withHandler(handler, { methods: ['POST'] })`, `withHandler('POST', handler)`. One handler per POST/PUT/PATCH listed, located at the
 * list, unless the handler function itself branches on `req.method` (then each branch is one).
 */
function declaredMethods(ctx: DetectorContext, sf: ts.SourceFile): Found[] | undefined {
  for (const call of defaultExportCalls(ctx, sf)) {
    const declared = optionsWithMethods(ctx, call) ?? positionalMethods(ctx, call);
    if (!declared) continue;
    const fn = handlerFunction(ctx, declared.handler);
    const branches = fn ? branchesIn(ctx, fn).filter((b) => declared.methods.includes(b.method)) : [];
    if (branches.length > 0) return branches;
    return declared.methods.filter((m) => METHODS.has(m)).map((method) => ({ method, anchor: declared.anchor, handler: declared.handler }));
  }
  return undefined;
}

interface Declared {
  methods: HttpMethod[];
  anchor: ts.Node;
  handler: ts.Expression;
}

function optionsWithMethods(ctx: DetectorContext, call: ts.CallExpression): Declared | undefined {
  const t = ctx.ts;
  for (const arg of call.arguments) {
    const obj = objectBehind(ctx, arg);
    if (!obj) continue;
    let methods: { list: HttpMethod[]; at: ts.Node } | undefined;
    let handler: ts.Expression | undefined;
    for (const prop of obj.properties) {
      const name = prop.name && (t.isIdentifier(prop.name) || t.isStringLiteral(prop.name)) ? prop.name.text : undefined;
      if (!name) continue;
      const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      if (!value) continue;
      if (METHODS_KEY.test(name)) {
        const list = literalMethods(ctx, value);
        if (list) methods = { list, at: prop };
      } else if (HANDLER_PROPERTY.test(name)) handler = value;
    }
    // `withApi(handler, { methods: ['GET', 'DELETE'] })`: the handler beside the options.
    handler ??= call.arguments.find((a) => a !== arg && (t.isFunctionLike(strip(t, a)) || t.isIdentifier(strip(t, a))));
    if (methods && handler) return { methods: methods.list, anchor: methods.at, handler };
  }
  return undefined;
}

function positionalMethods(ctx: DetectorContext, call: ts.CallExpression): Declared | undefined {
  const t = ctx.ts;
  const listed = call.arguments.map((a) => ({ arg: a, list: literalMethods(ctx, a) })).find((x) => x.list);
  const handler = call.arguments.find((a) => {
    const e = strip(t, a);
    return t.isFunctionLike(e) || t.isIdentifier(e);
  });
  return listed?.list && handler ? { methods: listed.list, anchor: listed.arg, handler } : undefined;
}

/** `'POST'`, `['GET', 'POST']`: HTTP methods written as literals; undefined for anything else. */
function literalMethods(ctx: DetectorContext, expr: ts.Expression): HttpMethod[] | undefined {
  const t = ctx.ts;
  const e = strip(t, expr);
  const items = t.isArrayLiteralExpression(e) ? e.elements : [e];
  const names = items.map((el) => (t.isStringLiteralLike(el) ? el.text.toUpperCase() : ''));
  return names.length > 0 && names.every((n) => HTTP_METHOD_KEY.test(n)) ? (names as HttpMethod[]) : undefined;
}

function handlerFunction(ctx: DetectorContext, expr: ts.Expression): FunctionLike | undefined {
  const t = ctx.ts;
  const e = strip(t, expr);
  if (t.isFunctionExpression(e) || t.isArrowFunction(e)) return e;
  const value = ctx.resolver.resolve(e);
  return value?.kind === 'function' ? value.node : undefined;
}

/** An object literal, or the one a local `const handlers = { … }` holds. */
function objectBehind(ctx: DetectorContext, arg: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const t = ctx.ts;
  const e = strip(t, arg);
  if (t.isObjectLiteralExpression(e)) return e;
  if (!t.isIdentifier(e)) return undefined;
  const binding = ctx.resolver.scopes.lookup(e.text, e);
  const init = binding?.kind === 'variable' && binding.path.length === 0 && binding.decl.initializer ? strip(t, binding.decl.initializer) : undefined;
  return init && t.isObjectLiteralExpression(init) ? init : undefined;
}

/**
 * `{ GET: …, POST: … }`, also beside other settings (`{ url: inferUrl(__filename), GET: {…}, POST: {…} }`):
 * method names in capitals are keys of nothing else.
 */
function isMethodMap(ctx: DetectorContext, obj: ts.ObjectLiteralExpression): boolean {
  const t = ctx.ts;
  const keys = obj.properties.map((p) => (p.name && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) ? p.name.text : ''));
  return keys.some((k) => HTTP_METHOD_KEY.test(k));
}

/** next-connect: `const router = createRouter(); router.post(handler); export default router.handler()`. */
function connectRoutes(ctx: DetectorContext, sf: ts.SourceFile): Found[] {
  const t = ctx.ts;
  const found: Found[] = [];
  const visit = (node: ts.Node): void => {
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text in CONNECT_VERBS) {
      const value = ctx.resolver.resolve(node.expression.expression);
      const handler = node.arguments[node.arguments.length - 1];
      if (value?.kind === 'external' && value.module === 'next-connect' && handler) {
        found.push({ method: CONNECT_VERBS[node.expression.name.text]!, anchor: node.expression.name, handler });
      }
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
