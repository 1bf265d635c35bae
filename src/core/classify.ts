// Turns a detected route into a verdict: which writes it reaches, what protects it, how severe the
// remaining risk is, and why. The reason text is what a user reads to trust or refute the result.
import type { TS, tsTypes as ts } from './ts.js';
import type { RouteHandler, Prelude } from './plugin.js';
import type { Effects, FoundWrite, FunctionSummary } from './effects.js';
import type { Knowledge } from './knowledge.js';
import type { Resolver } from './resolver.js';
import type { Project } from './project.js';
import type { FunctionLike, Value } from './values.js';
import type { HandlerReport, HttpMethod, Severity, WriteEvidence } from './types.js';
import { severityOf, maxSeverity, atLeast } from './severity.js';
import { functionName, madeByFactory, stripExpression } from './resolver.js';
import { whyUnfollowable } from './unresolved.js';
import { refusesDuplicate } from './guards.js';

export interface ClassifyContext {
  ts: TS;
  project: Project;
  resolver: Resolver;
  effects: Effects;
  knowledge: Knowledge;
  methods: readonly HttpMethod[];
  minSeverity: Severity;
}

interface Protection {
  reason: string;
}

/** The open writes of each reported route, as classifyRoute found them. */
const openWrites = new WeakMap<RouteHandler, FoundWrite[]>();

export function classifyRoute(route: RouteHandler, ctx: ClassifyContext): HandlerReport {
  const handler = unwrapHandler(route.handler, ctx);
  if (handler.fn?.name === '<anonymous>') handler.fn = { ...handler.fn, name: `${route.method} ${route.route ?? ''}`.trim() };
  const branchName = `${route.method} ${route.route ?? ''} branch`.replace(/\s+/g, ' ');
  const own: FunctionSummary = handler.fn ? ctx.effects.summarize(handler.fn)
    : handler.branch ? ctx.effects.summarizeBranch(handler.branch, branchName) : { writes: [], checksIsHit: false };
  const middlewareWrites = ctx.effects.preludeWrites(route.preludes);
  const summary: FunctionSummary = middlewareWrites.length > 0 ? { ...own, writes: [...middlewareWrites, ...own.writes] } : own;
  const span = handler.fn?.node ?? route.handler;
  const sf = route.anchor.getSourceFile();
  const at = sf.getLineAndCharacterOfPosition(route.anchor.getStart(sf));
  const spanFile = span.getSourceFile();
  const start = spanFile.getLineAndCharacterOfPosition(span.getStart(spanFile));
  const end = spanFile.getLineAndCharacterOfPosition(span.getEnd());
  // SQL that no caller on the way spelled out is not counted (precision first), like unreadable SQL.
  const counted = summary.writes.filter((w) => !w.match.sqlFrom);
  const writes = counted.map((w) => evidence(w, ctx));
  // A validator, guard or middleware before the handler that refuses a record that already exists
  // stops the repeat before any of the handler's writes.
  const refusal = writes.some((w) => !w.idempotent && !w.protected) ? preludeRefusal(route.preludes, ctx) : undefined;
  if (refusal) {
    for (const w of writes) {
      if (w.idempotent || w.protected) continue;
      w.idempotent = true;
      w.severity = 'low';
      w.note = refusal;
    }
  }
  const base: Omit<HandlerReport, 'status' | 'reason' | 'severity'> = {
    file: ctx.project.relative(sf.fileName),
    line: at.line + 1,
    column: at.character + 1,
    startLine: start.line + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    framework: route.framework,
    symbol: handler.fn?.name ?? (handler.branch ? branchName : 'unresolved handler'),
    method: route.method,
    route: route.route,
    writes,
  };
  const report = (status: HandlerReport['status'], reason: string, severity: Severity | null): HandlerReport => ({ ...base, status, reason, severity });

  if (!handler.fn && !handler.branch) {
    const value = ctx.resolver.resolve(route.handler);
    if (value?.kind === 'external' && !/^[./]/.test(value.module)) return report('read-only', `the handler comes from the package ${value.module}, outside the project`, null);
    const why = whyUnfollowable(ctx.ts, ctx.resolver, ctx.project, route.handler, true)!;
    return report('unresolved', `the handler \`${why.expr}\` could not be followed: ${why.why}`, null);
  }
  if (writes.length === 0) {
    const blind = (summary.unfollowed ?? []).map((callee) => whyUnfollowable(ctx.ts, ctx.resolver, ctx.project, callee, false)).filter((u) => u !== undefined);
    if (blind.length > 0) {
      const first = blind[0]!;
      return report('unresolved', `\`${first.expr}\` could not be followed: ${first.why}${blind.length > 1 ? ` (and ${blind.length - 1} more call(s))` : ''}`, null);
    }
    return report('read-only', 'writes no state that idem-scan knows of', null);
  }
  const protection = route.handledBy ? { reason: route.handledBy } : handler.wrapper ? { reason: handler.wrapper.includes(':') ? handler.wrapper : `wrapped in ${handler.wrapper}` } : findProtection(route, summary, ctx);
  if ('reason' in protection) {
    for (const w of writes) w.protected = true;
    return report('handled', protection.reason, maxSeverity(writes.map((w) => w.severity)));
  }
  const open = writes.filter((w) => !w.protected && !w.idempotent);
  if (open.length === 0) {
    const notes = unique(writes.filter((w) => !w.protected).map((w) => w.note ?? ''));
    const protectedOnly = writes.every((w) => w.protected);
    if (protectedOnly) return report('handled', unique(writes.map((w) => w.note ?? '')).join('; '), maxSeverity(writes.map((w) => w.severity)));
    return report('naturally-idempotent', notes.join('; '), 'low');
  }
  const severity = maxSeverity(open.map((w) => w.severity))!;
  const weak = protection.weak ? ` (${protection.weak})` : '';
  const worst = open.find((w) => w.severity === severity)!;
  const reason = `${describeWrite(worst)}${open.length > 1 ? ` and ${open.length - 1} more write(s)` : ''} without idempotency handling${weak}`;
  if (protection.weak) base.weak = protection.weak;
  if (!ctx.methods.includes(route.method)) return report('below-threshold', `${route.method} is not in --methods; ${reason}`, severity);
  if (!atLeast(severity, ctx.minSeverity)) return report('below-threshold', `severity ${severity} is below ${ctx.minSeverity}; ${reason}`, severity);
  // The fix planner asks for these next: kept, not worked out again.
  openWrites.set(route, counted.filter((_, i) => open.includes(writes[i]!)));
  return report('reported', reason, severity);
}

/**
 * An early exit in idempotency middleware that lets requests through unprotected under a condition that
 * is not about the key or the method: `if (!req.user) return next()`, `if (!flags.idempotency) return next.handle()`.
 * The middleware then protects only some requests: weak protection, with the condition as the reason.
 */
function conditionalBypass(t: TS, fn: ts.Node): string | undefined {
  const body = (fn as { body?: ts.Node }).body;
  if (!body || !t.isBlock(body)) return undefined;
  for (const statement of body.statements) {
    // Only exits before the key is read: what follows (`if (claimed) return`, replaying a stored
    // response) is the middleware's normal work.
    if (/idempot|\bkey\b/i.test(statement.getText())) break;
    if (!t.isIfStatement(statement)) continue;
    const then = statement.thenStatement;
    const exitsEarly = t.isReturnStatement(then) || (t.isBlock(then) && then.statements.some((x) => t.isReturnStatement(x)));
    if (!exitsEarly) continue;
    const condition = statement.expression.getText();
    if (/idempot|\bkey\b|method|\bGET\b|\bPOST\b|\bPUT\b|\bPATCH\b/i.test(condition)) continue;
    return `\`${condition.replace(/\s+/g, ' ').slice(0, 60)}\``;
  }
  return undefined;
}

/** The first duplicate check in what runs before the handler, as a reason. */
function preludeRefusal(preludes: readonly Prelude[], ctx: ClassifyContext): string | undefined {
  const t = ctx.ts;
  for (const prelude of preludes) {
    for (const body of checkBodies(t, prelude.expr, ctx)) {
      const reason = refusesDuplicate(t, body);
      if (reason) return `${prelude.via}: ${reason}`;
    }
  }
  return undefined;
}

/**
 * Code a prelude runs that may refuse a duplicate: express-validator `.custom(fn)` callbacks, a Nest
 * guard's `canActivate`, a project middleware's body.
 */
function checkBodies(t: TS, expr: ts.Node, ctx: ClassifyContext): ts.Node[] {
  const bodies: ts.Node[] = [];
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'custom') {
      for (const arg of node.arguments) {
        if ((t.isArrowFunction(arg) || t.isFunctionExpression(arg))) bodies.push(arg.body);
        else if (t.isIdentifier(arg)) {
          const fn = ctx.resolver.resolve(arg);
          if (fn?.kind === 'function' && fn.node.body) bodies.push(fn.node.body, ...calledBodies(t, fn.node.body, ctx));
        }
      }
    }
    // `validationHandler(signupRules)` with `export const signupRules = [body('email').custom(…), …]`
    // declared elsewhere: the list's checks run before the handler too.
    if (t.isIdentifier(node) && !seen.has(node)) {
      seen.add(node);
      const decl = ctx.resolver.declarationOf(node);
      const list = decl && t.isVariableDeclaration(decl) && decl.initializer ? decl.initializer : undefined;
      if (list && t.isArrayLiteralExpression(list) && !seen.has(list)) {
        seen.add(list);
        visit(list);
      }
    }
    if (!t.isFunctionLike(node)) t.forEachChild(node, visit);
  };
  visit(expr);
  if (t.isIdentifier(expr) || t.isPropertyAccessExpression(expr) || t.isCallExpression(expr)) {
    const value = ctx.resolver.resolve(expr);
    // `withAuth(handler, opts)` that resolves to the handler it wraps: the handler's own checks are not
    // a prelude's (they are weighed where they stand, against the write they precede).
    const wrapped = t.isCallExpression(expr) && value?.kind === 'function' && expr.arguments.some((a) => {
      const arg = ctx.resolver.resolve(a);
      return arg?.kind === 'function' && arg.node === value.node;
    });
    if (value?.kind === 'function' && value.node.body && !wrapped) bodies.push(value.node.body);
    const cls = value?.kind === 'class' ? value.node : value?.kind === 'instance' ? value.cls : undefined;
    const check = cls?.members.find((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && /^(canActivate|use|validate)$/.test(m.name.getText()));
    if (check?.body) bodies.push(check.body);
  }
  return bodies;
}

/**
 * The bodies of the project functions a check body calls as statements (`await existingEmail(body.email)`):
 * a validator that delegates the lookup to a helper refuses what the helper refuses.
 */
function calledBodies(t: TS, body: ts.Node, ctx: ClassifyContext): ts.Node[] {
  if (!t.isBlock(body)) return [];
  const bodies: ts.Node[] = [];
  for (const statement of body.statements) {
    let call: ts.Expression | undefined = t.isExpressionStatement(statement) ? statement.expression : undefined;
    if (call && t.isAwaitExpression(call)) call = call.expression;
    if (!call || !t.isCallExpression(call)) continue;
    const fn = ctx.resolver.resolve(call.expression);
    if (fn?.kind === 'function' && fn.node.body) bodies.push(fn.node.body);
  }
  return bodies;
}

/**
 * The writes of a route that nothing protects and that are not idempotent by themselves: what a fix
 * must wrap. Each carries its `site` in the handler's own code.
 */
export function openWritesOf(route: RouteHandler, ctx: ClassifyContext): FoundWrite[] {
  const known = openWrites.get(route);
  if (known) return known;
  const handler = unwrapHandler(route.handler, ctx);
  if (handler.fn?.name === '<anonymous>') handler.fn = { ...handler.fn, name: `${route.method} ${route.route ?? ''}`.trim() };
  const branchName = `${route.method} ${route.route ?? ''} branch`.replace(/\s+/g, ' ');
  const summary: FunctionSummary = handler.fn ? ctx.effects.summarize(handler.fn)
    : handler.branch ? ctx.effects.summarizeBranch(handler.branch, branchName) : { writes: [], checksIsHit: false };
  return [...ctx.effects.preludeWrites(route.preludes), ...summary.writes].filter((w) => {
    if (w.match.sqlFrom) return false;
    const ev = evidence(w, ctx);
    return !ev.protected && !ev.idempotent;
  });
}

function describeWrite(w: WriteEvidence): string {
  // A toggle is reported for what the pair does, which the delete alone does not say.
  const toggle = !w.idempotent && !w.protected && w.note && (w.note.startsWith('a toggle on ') || w.kind === 'token-rotation') ? ` (${w.note})` : '';
  return `${w.kind} ${w.callee} reached via ${w.path.join(' → ')}${toggle}`;
}

function evidence(w: FoundWrite, ctx: ClassifyContext): WriteEvidence {
  const node = w.match.node;
  const sf = node.getSourceFile();
  const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const idempotentReason = w.toggle ? undefined : w.readModifyWrite ? w.guard : w.match.idempotentBecause ?? w.guard;
  const ev: WriteEvidence = {
    kind: w.readModifyWrite ? 'db-increment' : w.match.kind,
    callee: w.match.callee,
    catalogId: w.match.rule.id,
    file: ctx.project.relative(sf.fileName),
    line: pos.line + 1,
    column: pos.character + 1,
    path: w.path,
    severity: idempotentReason || w.auditTrail ? 'low' : w.readModifyWrite ? severityOf('db-increment') : w.toggle ? 'medium' : w.match.rule.impact ?? severityOf(w.match.kind),
    idempotent: idempotentReason !== undefined,
    protected: w.protectedBy !== undefined,
  };
  const note = w.protectedBy ?? idempotentReason ?? w.readModifyWrite ?? w.toggle ?? (w.auditTrail ? 'an audit-trail entry: a repeat records the action twice' : undefined) ?? w.match.rotates;
  if (note) ev.note = note;
  return ev;
}

interface Unwrapped {
  fn?: Extract<Value, { kind: 'function' }>;
  /** A handler that is a branch of a function, not a function. */
  branch?: ts.Node;
  /** A wrapper around the whole handler that provides idempotency (`withIdempotency(handler)`). */
  wrapper?: string;
}

/** Option names that hold the handler function in a wrapper's options object (shared with detectors). */
export const HANDLER_PROPERTY = /^(handler|handle|fn|action|resolve|execute|run|callback)$/;

/** The handler function given in an options object (`{ handler: async (…) => … }`, `handler() { … }`). */
export function handlerInOptions(t: TS, args: readonly ts.Expression[]): ts.Node | undefined {
  for (const arg of args) {
    if (!t.isObjectLiteralExpression(arg)) continue;
    for (const p of arg.properties) {
      const name = p.name && (t.isIdentifier(p.name) || t.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (!name || !HANDLER_PROPERTY.test(name)) continue;
      if (t.isMethodDeclaration(p)) return p;
      if (t.isPropertyAssignment(p) && (t.isFunctionLike(p.initializer) || t.isIdentifier(p.initializer) || t.isPropertyAccessExpression(p.initializer))) return p.initializer;
      if (t.isShorthandPropertyAssignment(p)) return p.name;
    }
  }
  return undefined;
}

/** `asyncHandler(fn)`, `catchErrors(async (req, res) => …)`, a reference, an inline function. */
export function unwrapHandler(node: ts.Node, ctx: ClassifyContext, depth = 0): Unwrapped {
  const t = ctx.ts;
  if (depth > 4) return {};
  if (t.isBlock(node) || t.isCaseClause(node) || t.isDefaultClause(node) || (t.isStatement(node) && !t.isFunctionDeclaration(node) && !t.isClassDeclaration(node))) return { branch: node };
  if (t.isFunctionLike(node) && 'body' in node) {
    const fn = node as FunctionLike;
    return { fn: { kind: 'function', node: fn, name: functionName(t, fn) } };
  }
  if (t.isCallExpression(node)) {
    const callee = node.expression;
    const name = t.isIdentifier(callee) ? callee.text : t.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    // `withApiWrapper({ schema, handler: async ({ req }) => … })`: the function in the options object.
    const inner = [...node.arguments].reverse().find((a) => t.isFunctionLike(a) || t.isIdentifier(a) || t.isPropertyAccessExpression(a) || t.isCallExpression(a)) ?? handlerInOptions(t, node.arguments);
    if (name && ctx.effects.isWrapper(name, callee)) {
      const unwrapped = inner ? unwrapHandler(inner, ctx, depth + 1) : {};
      return { ...unwrapped, wrapper: name };
    }
    const wrapperFn = ctx.resolver.resolve(callee);
    const value = ctx.resolver.resolve(node);
    // A factory (`createOperation(ctx, env, app, col)` returning `async function operation(req, res)`):
    // its arguments are what the handler works with, not a handler to unwrap; what the made function
    // does (a key it reads included) is the handler's own code.
    if (value?.kind === 'function' && value.wrappedBy !== node && wrapperFn?.kind === 'function' && madeByFactory(t, value.node, wrapperFn.node, node.arguments)) return { fn: value };
    if (inner && wrapperFn?.kind === 'function') {
      // A project wrapper (`withWorkspace(async (req) => …)`) whose own code claims the idempotency key.
      const keyUse = ctx.effects.keyUse(ctx.effects.summarize(wrapperFn));
      if (keyUse) return { ...unwrapHandler(inner, ctx, depth + 1), wrapper: `${wrapperFn.name}: ${keyUse}` };
    }
    if (value?.kind === 'function' && !inner) return { fn: value };
    if (inner) return unwrapHandler(inner, ctx, depth + 1);
    return value?.kind === 'function' ? { fn: value } : {};
  }
  if (t.isIdentifier(node)) {
    // `export const PUT = PATCH` where `PATCH = withAuth(async (req) => …)`: unwrap the initializer,
    // not the wrapper's own returned function.
    const binding = ctx.resolver.scopes.lookup(node.text, node);
    if (binding?.kind === 'variable' && binding.path.length === 0 && binding.decl.initializer) return unwrapHandler(binding.decl.initializer, ctx, depth + 1);
    // The same across an import (`import { postThing } from './controllers/post.js'` with
    // `export const postThing = wrap(async (req, res) => …)`): a wrapper whose declared return type is
    // a package's (`RequestHandler`) would otherwise stand for the handler.
    if (binding?.kind === 'import') {
      const decl = ctx.resolver.declarationOf(node);
      const init = decl && t.isVariableDeclaration(decl) && t.isIdentifier(decl.name) ? decl.initializer : undefined;
      if (init && t.isCallExpression(stripExpression(t, init))) return unwrapHandler(stripExpression(t, init), ctx, depth + 1);
    }
  }
  const value = ctx.resolver.resolve(node);
  // `exports.create = wrap(function* (req, res) { … })` with a package's wrapper (co, express-async-handler
  // under another name): the package returns a function that runs the project's function.
  const made = value?.kind === 'external' ? value.madeBy : undefined;
  if (made && t.isCallExpression(made) && made.arguments.some((a) => t.isFunctionExpression(a) || t.isArrowFunction(a))) return unwrapHandler(made, ctx, depth + 1);
  if (value?.kind === 'function') {
    // `userController.create` where `create = catchAsync(async (req, res) => …)`: check the wrapper too.
    if (value.wrappedBy) {
      const viaWrapper = unwrapHandler(value.wrappedBy, ctx, depth + 1);
      if (viaWrapper.wrapper) return { fn: value, wrapper: viaWrapper.wrapper };
    }
    return { fn: value };
  }
  return {};
}

/** Middleware/hooks/interceptors before the handler that provide idempotency, or a weak note. */
function findProtection(route: RouteHandler, summary: FunctionSummary, ctx: ClassifyContext): Protection | { weak?: string } {
  const keyUse = ctx.effects.keyUse(summary);
  if (keyUse) return { reason: keyUse };
  let weak: string | undefined;
  for (const prelude of route.preludes) {
    const verdict = classifyPrelude(prelude, summary, ctx, route.method);
    if (verdict && 'reason' in verdict) return verdict;
    if (verdict?.weak) weak ??= verdict.weak;
  }
  return weak ? { weak } : {};
}

export function classifyPrelude(prelude: Prelude, summary: FunctionSummary, ctx: ClassifyContext, method: HttpMethod): Protection | { weak?: string } | undefined {
  const t = ctx.ts;
  const expr = prelude.expr;
  const bare = t.isAwaitExpression(expr) ? expr.expression : expr;
  const named = (t.isFunctionDeclaration(bare) || t.isClassDeclaration(bare)) && bare.name ? bare.name.text : undefined;
  const text = (named ?? (t.isCallExpression(bare) ? bare.expression.getText() : bare.getText())).replace(/\s+/g, ' ');
  const label = `${text.slice(0, 50)} (${prelude.via})`;
  const lastName = text.split('.').pop() ?? text;
  if (ctx.knowledge.middleware.has(lastName) || ctx.knowledge.middleware.has(text)) return { reason: `configured idempotency middleware ${label}` };
  if (t.isCallExpression(bare)) {
    // A project wrapper or middleware factory whose own code claims the key: `withIdem(handler)`.
    const callee = ctx.resolver.resolve(bare.expression);
    if (callee?.kind === 'function') {
      const keyUse = ctx.effects.keyUse(ctx.effects.summarize(callee));
      if (keyUse) return { reason: `${label}: ${keyUse}` };
    }
  }
  const value = ctx.resolver.resolve(expr);
  if (value?.kind === 'external') {
    const chain = value.chain.join('.');
    const lib = ctx.knowledge.libraries.find((l) => (typeof l.module === 'string' ? l.module === value.module : l.module.test(value.module)) && l.chain.test(chain));
    if (lib?.requires === 'is-hit-check') {
      return summary.checksIsHit ? { reason: `${lib.id} middleware ${label} with an isHit(req) check` } : { weak: `${lib.id} runs the handler again on a replay unless it returns when isHit(req)` };
    }
    if (lib?.requires === 'registered-module' && lib.registration) {
      const { module, chain: registration } = lib.registration;
      const registered = [...ctx.resolver.registrations].some((r) => r.startsWith(`${module}#`) && registration.test(r.slice(module.length + 1)));
      return registered ? { reason: `${lib.id} ${label}` } : { weak: `${lib.id}'s decorator does nothing without its module registered` };
    }
    if (lib) return { reason: `${lib.id} ${label}` };
    if (/idempot/i.test(chain)) return { reason: `idempotency middleware ${label}` };
    return undefined;
  }
  if (value?.kind === 'function') {
    const keyUse = ctx.effects.keyUse(ctx.effects.summarize(value));
    if (!keyUse) return undefined;
    if (!actsOn(value.node, method)) return { weak: `${label} only acts on other HTTP methods` };
    const bypass = conditionalBypass(t, value.node);
    if (bypass) return { weak: `${label} skips the key when ${bypass}` };
    return { reason: `middleware ${label}: ${keyUse}` };
  }
  if (value?.kind === 'instance' || value?.kind === 'class') {
    const cls = value.kind === 'instance' ? value.cls : value.node;
    for (const member of cls.members) {
      if (!t.isMethodDeclaration(member) || !member.body) continue;
      const name = member.name.getText();
      if (!/^(use|intercept|handle|canActivate|onRequest|preHandler)$/.test(name)) continue;
      const keyUse = ctx.effects.keyUse(ctx.effects.summarize({ kind: 'function', node: member, name: `${cls.name?.text ?? 'class'}.${name}` }));
      if (!keyUse) continue;
      if (!actsOn(cls, method)) return { weak: `${cls.name?.text ?? 'class'} only acts on other HTTP methods` };
      const bypass = conditionalBypass(t, member);
      if (bypass) return { weak: `${cls.name?.text ?? 'class'} skips the key when ${bypass}` };
      return { reason: `${cls.name?.text ?? 'class'} (${prelude.via}): ${keyUse}` };
    }
    return undefined;
  }
  if (!value && /idempot/i.test(text)) return { reason: `idempotency middleware ${label}` };
  return undefined;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether middleware that limits itself by HTTP method acts on `method`. Comparisons with write
 * methods (`if (req.method !== 'POST') return next()`) name the methods it acts on; comparisons with
 * read methods only (`if (req.method === 'GET') …`) exclude those and cover every write.
 */
function actsOn(node: ts.Node, method: HttpMethod): boolean {
  const text = node.getText();
  const named = new Set<string>();
  for (const m of text.matchAll(/method\w*\s*(?:===|!==|==|!=)\s*['"`](\w+)['"`]|['"`](\w+)['"`]\s*(?:===|!==|==|!=)\s*[\w.]*method\b/gi)) named.add((m[1] ?? m[2]!).toUpperCase());
  for (const m of text.matchAll(/\[([^\]]*)\]\s*\.includes\(\s*[\w.]*method/gi)) for (const v of m[1]!.matchAll(/['"`](\w+)['"`]/g)) named.add(v[1]!.toUpperCase());
  for (const m of text.matchAll(/new Set\(\s*\[([^\]]*)\]\s*\)/g)) if (/method/i.test(text)) for (const v of m[1]!.matchAll(/['"`](POST|PUT|PATCH|DELETE|GET)['"`]/gi)) named.add(v[1]!.toUpperCase());
  const writes = [...named].filter((m) => WRITE_METHODS.has(m));
  return writes.length === 0 || writes.includes(method);
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length > 0))];
}
