// Project helpers that register routes for their callers: `setupApiRoute(router, 'post', '/', [auth],
// controller)` over `router[verb](name, middlewares, wrap(controller))`, `const post = (path, h) =>
// router.post(path, asyncHandler(h))`. The route is declared where the helper is called: the verb, the
// path, the handler and part of the middleware are the caller's arguments, so each call site is one route.
import { enclosingFunction, type tsTypes as ts } from '../core/ts.js';
import type { DetectorContext } from '../core/plugin.js';
import { strip } from '../core/refine.js';
import { calledNames, callsThrough } from '../core/resolver.js';

/** Where a helper's value comes from among its caller's arguments. */
export type Slot =
  | { index: number }
  /** `args[args.length - k]` of a rest parameter; only when the caller passes at least `minArgs`. */
  | { fromEnd: number; minArgs: number }
  /** `...handlers`: every argument from `index` on. */
  | { restFrom: number };

/** One registration inside a helper, with each part either fixed or one of the caller's arguments. */
export interface Registrar {
  fn: ts.SignatureDeclaration;
  /** The registration call inside the helper (its own route, kept when no caller is found). */
  call: ts.CallExpression;
  verb: string | Slot;
  receiver: ts.Expression | Slot;
  path: ts.Expression | Slot | undefined;
  /** Middleware in order: fixed expressions, or slots whose argument is flattened at the call site. */
  middleware: (ts.Expression | Slot)[];
  handler: Slot;
}

export function isSlot(x: unknown): x is Slot {
  return typeof x === 'object' && x !== null && ('index' in x || 'fromEnd' in x || 'restFrom' in x);
}

/** The function a registration sits in, when it is one a caller can call with arguments. */
function enclosingHelper(t: DetectorContext['ts'], node: ts.Node): ts.SignatureDeclaration | undefined {
  const fn = enclosingFunction(t, node);
  return fn && (t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn) || t.isArrowFunction(fn) || t.isMethodDeclaration(fn)) ? fn : undefined;
}

/** The rest parameter of `fn` an identifier names, with its position. */
function restParameter(ctx: DetectorContext, fn: ts.SignatureDeclaration, id: ts.Expression): number | undefined {
  const t = ctx.ts;
  if (!t.isIdentifier(id)) return undefined;
  const binding = ctx.resolver.scopes.lookup(id.text, id);
  if (binding?.kind !== 'parameter' || binding.decl.parent !== fn || !binding.decl.dotDotDotToken || binding.path.length > 0) return undefined;
  return fn.parameters.indexOf(binding.decl);
}

/** `args.length > 4 ? args[args.length - 2] : []`: the least argument count the test asks for. */
function lengthTest(ctx: DetectorContext, fn: ts.SignatureDeclaration, cond: ts.Expression): number | undefined {
  const t = ctx.ts;
  const c = strip(t, cond);
  if (!t.isBinaryExpression(c) || !t.isNumericLiteral(c.right) || !t.isPropertyAccessExpression(c.left) || c.left.name.text !== 'length') return undefined;
  if (restParameter(ctx, fn, c.left.expression) !== 0) return undefined;
  const n = Number(c.right.text);
  if (c.operatorToken.kind === t.SyntaxKind.GreaterThanToken) return n + 1;
  if (c.operatorToken.kind === t.SyntaxKind.GreaterThanEqualsToken) return n;
  return undefined;
}

/**
 * Which of the caller's arguments an expression inside `fn` is: a parameter, an element of a rest
 * parameter (`args[2]`, `args[args.length - 1]`, `const [router, verb] = args`), or a variable
 * initialised from one of those.
 */
export function slotOf(ctx: DetectorContext, fn: ts.SignatureDeclaration, expr: ts.Expression, depth = 0): Slot | undefined {
  const t = ctx.ts;
  const e = strip(t, expr);
  if (depth > 3) return undefined;
  if (t.isIdentifier(e)) {
    const binding = ctx.resolver.scopes.lookup(e.text, e);
    if (binding?.kind === 'parameter' && binding.decl.parent === fn && binding.path.length === 0) {
      const index = fn.parameters.indexOf(binding.decl);
      return binding.decl.dotDotDotToken ? undefined : { index };
    }
    if (binding?.kind !== 'variable' || enclosingHelper(t, binding.decl) !== fn || !binding.decl.initializer) return undefined;
    const init = binding.decl.initializer;
    // `const [router, verb, name] = args`.
    if (binding.path.length === 1 && /^\d+$/.test(binding.path[0]!)) {
      const rest = restParameter(ctx, fn, strip(t, init));
      return rest === undefined ? undefined : { index: rest + Number(binding.path[0]) };
    }
    // A reassigned `let` may hold something else by the time it is used.
    return binding.path.length === 0 && !isReassigned(ctx, binding.decl) ? slotOf(ctx, fn, init, depth + 1) : undefined;
  }
  if (t.isElementAccessExpression(e)) {
    const rest = restParameter(ctx, fn, strip(t, e.expression));
    if (rest === undefined) return undefined;
    const at = strip(t, e.argumentExpression);
    if (t.isNumericLiteral(at)) return { index: rest + Number(at.text) };
    // `args[args.length - 1]`.
    if (rest === 0 && t.isBinaryExpression(at) && at.operatorToken.kind === t.SyntaxKind.MinusToken && t.isNumericLiteral(at.right) && t.isPropertyAccessExpression(at.left) && at.left.name.text === 'length' && restParameter(ctx, fn, at.left.expression) === 0) {
      return { fromEnd: Number(at.right.text), minArgs: Number(at.right.text) };
    }
    return undefined;
  }
  if (t.isConditionalExpression(e)) {
    const least = lengthTest(ctx, fn, e.condition);
    const chosen = least === undefined ? undefined : slotOf(ctx, fn, e.whenTrue, depth + 1);
    return chosen && 'fromEnd' in chosen ? { fromEnd: chosen.fromEnd, minArgs: Math.max(chosen.minArgs, least!) } : chosen;
  }
  return undefined;
}

function isReassigned(ctx: DetectorContext, decl: ts.VariableDeclaration): boolean {
  const t = ctx.ts;
  if (!t.isIdentifier(decl.name) || (decl.parent.flags & t.NodeFlags.Const) !== 0) return false;
  return assignmentsTo(ctx, decl).length > 0;
}

/** `name = value` statements for a `let` variable in its function, in source order. */
function assignmentsTo(ctx: DetectorContext, decl: ts.VariableDeclaration): ts.BinaryExpression[] {
  const t = ctx.ts;
  const name = t.isIdentifier(decl.name) ? decl.name.text : undefined;
  const scope = enclosingHelper(t, decl);
  if (!name || !scope || !('body' in scope) || !scope.body) return [];
  const found: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(node.left) && node.left.text === name && ctx.resolver.scopes.lookup(name, node.left)?.kind === 'variable') found.push(node);
    t.forEachChild(node, visit);
  };
  visit(scope.body);
  return found;
}

/**
 * The middleware a registration argument stands for: a caller's argument (flattened where the route is
 * declared), or an array written in the helper (`middlewares = [auth, ...middlewares, extra]`), taken
 * from the last assignment before the registration.
 */
function middlewareParts(ctx: DetectorContext, fn: ts.SignatureDeclaration, arg: ts.Expression, at: ts.Node): (ts.Expression | Slot)[] {
  const t = ctx.ts;
  // `router.post(path, ...middleware, wrapped)` with a rest parameter: the caller's arguments from there on;
  // with a plain parameter (`route(method, path, middleware, handler)`), the array the caller passes.
  if (t.isSpreadElement(arg)) {
    const rest = restParameter(ctx, fn, strip(t, arg.expression));
    if (rest !== undefined) return [{ restFrom: rest }];
    const given = slotOf(ctx, fn, arg.expression);
    return given ? [given] : [];
  }
  const e = strip(t, arg);
  const slot = slotOf(ctx, fn, e);
  if (slot) return [slot];
  let array: ts.Expression | undefined = e;
  if (t.isIdentifier(e)) {
    const binding = ctx.resolver.scopes.lookup(e.text, e);
    if (binding?.kind === 'variable' && binding.path.length === 0 && enclosingHelper(t, binding.decl) === fn) {
      const before = assignmentsTo(ctx, binding.decl).filter((a) => a.end <= at.pos);
      array = before.length > 0 ? before[before.length - 1]!.right : binding.decl.initializer;
    }
  }
  if (!array || !t.isArrayLiteralExpression(strip(t, array))) return [e];
  const parts: (ts.Expression | Slot)[] = [];
  for (const element of (strip(t, array) as ts.ArrayLiteralExpression).elements) {
    if (t.isSpreadElement(element)) {
      // `...middlewares` from the caller; other spreads (`...(cond ? [upload] : [])`) are left out.
      const inner = t.isIdentifier(strip(t, element.expression)) ? initialSlot(ctx, fn, strip(t, element.expression) as ts.Identifier) : undefined;
      if (inner) parts.push(inner);
    } else parts.push(slotOf(ctx, fn, element) ?? element);
  }
  return parts;
}

/** A `let` holding a caller's argument at its declaration (`let middlewares = args.length > 4 ? … : []`). */
function initialSlot(ctx: DetectorContext, fn: ts.SignatureDeclaration, id: ts.Identifier): Slot | undefined {
  const binding = ctx.resolver.scopes.lookup(id.text, id);
  if (binding?.kind !== 'variable' || binding.path.length > 0 || !binding.decl.initializer || enclosingHelper(ctx.ts, binding.decl) !== fn) return slotOf(ctx, fn, id);
  return slotOf(ctx, fn, binding.decl.initializer);
}

/**
 * The registrar a verb call inside a function describes, when the caller decides the verb or the handler:
 * `receiver.verb(path, …middleware, handler)` or `receiver[verb](…)`. `verb` is the member name, or the
 * element-access argument.
 */
export function registrarOf(ctx: DetectorContext, call: ts.CallExpression, receiver: ts.Expression, verb: string | ts.Expression, routePath?: ts.Expression): Registrar | undefined {
  const t = ctx.ts;
  const fn = enclosingHelper(t, call);
  // (`router.route(path).post(…handlers)`: the path is the route call's, every argument here a handler.)
  const pathArgs = routePath ? 0 : 1;
  if (!fn || call.arguments.length < pathArgs + 1) return undefined;
  const verbPart = typeof verb === 'string' ? verb : slotOf(ctx, fn, verb);
  if (!verbPart) return undefined;
  const args = call.arguments;
  let last = strip(t, args[args.length - 1]!);
  // `const wrapped = exposeError(handler); router.post(path, wrapped)`: the wrapper, as if written in place.
  const wrapped = t.isIdentifier(last) ? constantIn(ctx, fn, last) : undefined;
  if (wrapped && t.isCallExpression(wrapped)) last = wrapped;
  let handler: Slot | undefined;
  const middleware: (ts.Expression | Slot)[] = [];
  if (t.isSpreadElement(args[args.length - 1]!)) {
    // `router.post(path, ...handlers)`: the caller's arguments from the rest parameter on.
    const rest = restParameter(ctx, fn, strip(t, (args[args.length - 1] as ts.SpreadElement).expression));
    if (rest !== undefined) handler = { restFrom: rest };
  } else {
    // `wrap(controller)`, `helpers.tryRoute(controller, onError)`: a wrapper around the caller's function;
    // `(req, res, next) => handler.call(this, req, res).catch(next)`: an inline one that calls it.
    const inner = t.isCallExpression(last) && last.arguments.length > 0 ? last.arguments[0]! : undefined;
    const slot = slotOf(ctx, fn, last) ?? (inner ? slotOf(ctx, fn, inner) : undefined) ?? calledParameter(ctx, fn, last);
    if (slot && !('restFrom' in slot)) handler = slot;
  }
  if (!handler) return undefined;
  for (const arg of args.slice(pathArgs, -1)) middleware.push(...middlewareParts(ctx, fn, arg, call));
  const path = routePath ?? args[0]!;
  return {
    fn,
    call,
    verb: verbPart,
    receiver: slotOf(ctx, fn, receiver) ?? receiver,
    path: slotOf(ctx, fn, path) ?? path,
    middleware,
    handler,
  };
}

/** The initializer of a `const` declared in `fn` itself. */
function constantIn(ctx: DetectorContext, fn: ts.SignatureDeclaration, id: ts.Identifier): ts.Expression | undefined {
  const binding = ctx.resolver.scopes.lookup(id.text, id);
  if (binding?.kind !== 'variable' || binding.path.length > 0 || !binding.decl.initializer || enclosingHelper(ctx.ts, binding.decl) !== fn) return undefined;
  return (binding.decl.parent.flags & ctx.ts.NodeFlags.Const) !== 0 ? strip(ctx.ts, binding.decl.initializer) : undefined;
}

/** A parameter of `fn` that an inline function calls (`(req, res) => handler.call(this, req, res)`). */
function calledParameter(ctx: DetectorContext, fn: ts.SignatureDeclaration, expr: ts.Expression): Slot | undefined {
  const t = ctx.ts;
  if (!t.isArrowFunction(expr) && !t.isFunctionExpression(expr)) return undefined;
  const index = fn.parameters.findIndex((p) => t.isIdentifier(p.name) && !p.dotDotDotToken && callsThrough(t, expr, p.name.text) === 'direct');
  return index < 0 ? undefined : { index };
}

/**
 * A helper that calls another helper with its own parameters (`apiRoute(method, path, handler)` →
 * `route(method, path, [auth], handler, result)`) registers what its own callers pass: the inner
 * registrar seen from the outer helper, or undefined when the call fixes the handler itself.
 */
export function composedRegistrar(ctx: DetectorContext, inner: Registrar, site: ts.CallExpression): Registrar | undefined {
  const t = ctx.ts;
  const outer = enclosingHelper(t, site);
  if (!outer || outer === inner.fn || 'restFrom' in inner.handler) return undefined;
  const args = site.arguments;
  const through = (part: ts.Expression | Slot): ts.Expression | Slot | undefined => {
    if (!isSlot(part)) return part;
    const given = argumentFor(ctx, args, part);
    return given ? slotOf(ctx, outer, given) ?? strip(t, given) : undefined;
  };
  const handler = through(inner.handler);
  if (!handler || !isSlot(handler) || 'restFrom' in handler) return undefined;
  let verb: string | Slot | undefined;
  if (typeof inner.verb === 'string') verb = inner.verb;
  else {
    const mapped = through(inner.verb);
    verb = mapped === undefined ? undefined : isSlot(mapped) ? mapped : ctx.resolver.constantString(mapped)?.toLowerCase();
  }
  const receiver = through(inner.receiver);
  if (!verb || !receiver) return undefined;
  const path = inner.path === undefined ? undefined : through(inner.path);
  const middleware: (ts.Expression | Slot)[] = [];
  for (const part of inner.middleware) {
    if (isSlot(part) && 'restFrom' in part) return undefined;
    const mapped = through(part);
    if (mapped) middleware.push(mapped);
  }
  return { fn: outer, call: site, verb, receiver, path, middleware, handler };
}

/** The caller's argument for a slot; undefined when the call does not pass it. */
export function argumentFor(ctx: DetectorContext, args: readonly ts.Expression[], slot: Slot): ts.Expression | undefined {
  const t = ctx.ts;
  if ('restFrom' in slot) return undefined;
  if ('index' in slot) return args.slice(0, slot.index + 1).some((a) => t.isSpreadElement(a)) ? undefined : args[slot.index];
  if (args.length < slot.minArgs || args.some((a) => t.isSpreadElement(a))) return undefined;
  return args[args.length - slot.fromEnd];
}

/** Names a helper is called by: its declaration, the variable or property it is assigned to. */
function helperNames(t: DetectorContext['ts'], fn: ts.SignatureDeclaration): string[] {
  const names = t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn) || t.isArrowFunction(fn) || t.isMethodDeclaration(fn) ? calledNames(t, fn) : [];
  // (Methods and class fields too: a base controller's `post(path, handler)` is called as `this.post(…)`.)
  if (t.isMethodDeclaration(fn) && t.isIdentifier(fn.name)) names.push(fn.name.text);
  if (t.isPropertyDeclaration(fn.parent) && t.isIdentifier(fn.parent.name)) names.push(fn.parent.name.text);
  return [...new Set(names.filter((n) => n !== 'default'))];
}

/** Every call of the helper in the project, found by its names and confirmed by resolving the callee. */
export function callsOf(ctx: DetectorContext, fn: ts.SignatureDeclaration): ts.CallExpression[] {
  const t = ctx.ts;
  const names = helperNames(t, fn);
  if (names.length === 0) return [];
  const wanted = new Set(names);
  const calls: ts.CallExpression[] = [];
  const files = new Set([fn.getSourceFile().fileName, ...ctx.project.mentioning(names)]);
  for (const file of files) {
    const sf = file === fn.getSourceFile().fileName ? fn.getSourceFile() : ctx.project.sourceFile(file);
    if (!sf) continue;
    const visit = (node: ts.Node): void => {
      if (t.isCallExpression(node)) {
        const callee = node.expression;
        const name = t.isIdentifier(callee) ? callee.text : t.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name && wanted.has(name)) {
          const value = ctx.resolver.resolve(callee);
          if (value?.kind === 'function' && value.node === fn) calls.push(node);
        }
      }
      t.forEachChild(node, visit);
    };
    visit(sf);
  }
  return calls;
}
