// Plans the fix for one reported handler: read the client's Idempotency-Key the framework's way and
// run the smallest run of statements that reaches every unprotected write through
// `withIdempotency(key, work, { scope, input })`, returning what the response code after it needs.
// Where the response is sent among the writes, the framework's route-level wrapper replays the stored
// response instead; where neither is safe, no edit and the reason.
import type { TS, tsTypes as ts } from '../ts.js';
import { parentOf } from '../ts.js';
import type { RouteHandler } from '../plugin.js';
import type { ClassifyContext } from '../classify.js';
import { unwrapHandler, openWritesOf } from '../classify.js';
import type { FunctionLike } from '../values.js';
import type { FixOptions, FixPlan, TextEdit } from './types.js';
import { styleOf, lineIndent, quoted, type CodeStyle } from './style.js';
import { ensureImport, freeName } from './imports.js';

type Edit = Omit<TextEdit, 'file'> & { sf: ts.SourceFile };

interface Names {
  /** The request parameter's name, when there is one. */
  request?: string;
  /** The response parameter (Express/Pages `res`, Fastify `reply`), when there is one. */
  response?: string;
  /** Parameters of the handler (all of them, for scope detection). */
  params: readonly ts.ParameterDeclaration[];
}

const HEADER = 'idempotency-key';

export function planFix(route: RouteHandler, ctx: ClassifyContext, options: FixOptions): FixPlan {
  const t = ctx.ts;
  if (route.framework === 'next-action') {
    return { available: false, reason: 'a Server Action receives no request headers from the client: pass an idempotency key in the form data and call withIdempotency with it' };
  }
  const handler = unwrapHandler(route.handler, ctx);
  if (!handler.fn && !handler.branch) return { available: false, reason: 'the handler could not be resolved to code' };
  const fn = handler.fn?.node ?? enclosingFunction(t, handler.branch!);
  if (!fn) return { available: false, reason: 'the handler is not inside a function' };
  const open = openWritesOf(route, ctx);
  if (open.length === 0) return { available: false, reason: 'no unprotected write to wrap' };
  // Nothing inside the handler can undo what a middleware already stored before it ran.
  const early = open.find((w) => w.path[0]?.startsWith('middleware ('));
  if (early) return { available: false, reason: `\`${early.match.callee}\` writes in a middleware before the handler runs: register idempotency middleware before it on the route` };
  const sf = fn.getSourceFile();
  const style = styleOf(t, sf);
  const names = parameterNames(t, route, fn);
  const container = handler.branch ? blockOf(t, handler.branch) : fn.body;
  if (!container) return { available: false, reason: 'the handler has no body' };

  // Next.js turns an error thrown by a route into a 500: its route-level wrappers answer a refused
  // retry (409, 422) themselves and replay the whole stored response, so they come first there.
  if (route.framework === 'next-app' || route.framework === 'next-pages') {
    const level = wrapRoute(t, route, fn, style, options);
    if ('edits' in level) return finish(ctx, level.edits, 'wrap-route', level.description);
  }
  const work = t.isBlock(container) || t.isCaseClause(container) || t.isDefaultClause(container)
    ? wrapStatements(t, route, fn, container, open.map((w) => w.site), names, style, options)
    : wrapExpressionBody(t, route, fn, container, open.map((w) => w.site), names, style, options);
  if ('edits' in work) return finish(ctx, work.edits, 'wrap-work', work.description);
  const level = wrapRoute(t, route, fn, style, options);
  if ('edits' in level) return finish(ctx, level.edits, 'wrap-route', `${level.description} (${work.reason})`);
  return { available: false, reason: `${work.reason}; ${level.reason}` };
}

function finish(ctx: ClassifyContext, edits: Edit[], shape: 'wrap-work' | 'wrap-route', description: string): FixPlan {
  return {
    available: true,
    shape,
    description,
    edits: edits.map(({ sf, start, end, text }) => ({ file: ctx.project.relative(sf.fileName), start, end, text })),
  };
}

type Attempt = { edits: Edit[]; description: string } | { reason: string };

/** The statements from the first to the last that reach an unprotected write, wrapped as the work. */
function wrapStatements(t: TS, route: RouteHandler, fn: FunctionLike, container: ts.Block | ts.CaseOrDefaultClause, sites: ts.Node[], names: Names, style: CodeStyle, options: FixOptions): Attempt {
  const statements = container.statements;
  const indexes = new Set<number>();
  for (const site of sites) {
    const index = statements.findIndex((s) => s.pos <= site.pos && site.end <= s.end && contains(s, site));
    if (index < 0) return { reason: 'a write is reached outside the handler body (in a wrapper or middleware)' };
    indexes.add(index);
  }
  const first = Math.min(...indexes);
  let last = Math.max(...indexes);
  const sf = container.getSourceFile();
  const range = statements.slice(first, last + 1);

  // A trailing `return <value>` of the whole function can become `return withIdempotency(…)`.
  const lastStatement = range[range.length - 1]!;
  const finalReturn = t.isReturnStatement(lastStatement) && last === statements.length - 1 && t.isBlock(container) && container === fn.body;
  const entangled = entanglement(t, range, names, finalReturn ? lastStatement : undefined);
  if (entangled) return { reason: entangled };
  const declared = declaredNames(t, range);
  const after = statements.slice(last + 1);
  const needed = [...declared.names].filter((n) => after.some((s) => mentions(t, s, n)));
  const outer = assignsOuter(t, range, declared.names);
  if (outer) return { reason: `the writes assign ${outer}, declared before them, which a replay would not set` };
  if (route.framework === 'next-pages' || route.framework === 'express') {
    // Pages and Express handlers answer through `res`: the work must not reach it (checked above).
  }

  const edits: Edit[] = [];
  const indent = lineIndent(sf, range[0]!.getStart(sf));
  const inner = indent + style.unit;
  const semi = style.semi ? ';' : '';
  const key = keyExpression(t, route, fn, names, style, edits, sf);
  if ('reason' in key) return key;
  const wrapper = ensureImport(t, sf, options.module, options.wrapper, style);
  if (wrapper.edit) edits.push({ sf, ...wrapper.edit });
  const opts = optionsText(t, route, fn, container, first, names, options);

  const start = range[0]!.getStart(sf);
  const end = lastStatement.getEnd();
  const body = reindent(sf.text.slice(start, end), style.unit);
  if (body === undefined) return { reason: 'the statements hold a multi-line template literal that re-indenting would change' };
  const keyLine = key.declaration ? `${key.declaration}\n${indent}` : '';
  const call = (work: string): string => `${wrapper.local}(${key.expression}, async () => {\n${inner}${work}\n${indent}}${opts ? `, ${opts}` : ''})`;
  let text: string;
  if (finalReturn) {
    text = `${keyLine}return ${call(body)}${semi}`;
  } else if (needed.length > 0) {
    const values = needed.length === 1 ? needed[0]! : `{ ${needed.join(', ')} }`;
    const kind = needed.some((n) => declared.lets.has(n)) ? 'let' : 'const';
    text = `${keyLine}${kind} ${values} = await ${call(`${body}\n${inner}return ${values}${semi}`)}${semi}`;
  } else {
    text = `${keyLine}await ${call(body)}${semi}`;
  }
  edits.push({ sf, start, end, text });
  if (!finalReturn) {
    const asyncEdit = makeAsync(t, fn, sf);
    if (asyncEdit) edits.push(asyncEdit);
  }
  last = Math.max(last, first);
  const count = last - first + 1;
  return { edits, description: `reads the ${HEADER} header and runs ${count} statement(s) with the writes once per key through ${wrapper.local}` };
}

/** `async (request) => prisma.x.create(…)`: the expression becomes the work. */
function wrapExpressionBody(t: TS, route: RouteHandler, fn: FunctionLike, body: ts.Expression, _sites: ts.Node[], names: Names, style: CodeStyle, options: FixOptions): Attempt {
  const sf = body.getSourceFile();
  if (names.response && mentions(t, body, names.response)) return { reason: 'the response is sent by the same expression that writes' };
  const edits: Edit[] = [];
  const key = keyExpression(t, route, fn, names, style, edits, sf, true);
  if ('reason' in key) return key;
  const wrapper = ensureImport(t, sf, options.module, options.wrapper, style);
  if (wrapper.edit) edits.push({ sf, ...wrapper.edit });
  const opts = optionsText(t, route, fn, undefined, 0, names, options);
  const inner = t.isObjectLiteralExpression(skipParens(t, body)) && !t.isParenthesizedExpression(body) ? `(${body.getText(sf)})` : body.getText(sf);
  edits.push({ sf, start: body.getStart(sf), end: body.getEnd(), text: `${wrapper.local}(${key.expression}, async () => ${inner}${opts ? `, ${opts}` : ''})` });
  return { edits, description: `reads the ${HEADER} header and runs the handler's expression once per key through ${wrapper.local}` };
}

/** The framework's route-level form, which stores and replays the whole response. */
function wrapRoute(t: TS, route: RouteHandler, fn: FunctionLike, style: CodeStyle, options: FixOptions): Attempt {
  const policy = options.policy === 'required' ? `, { policy: ${quoted(style, 'required')} }` : '';
  const runtime = '@idem-scan/runtime';
  const wrapExpression = (expr: ts.Expression, helper: string): Attempt => {
    const sf = expr.getSourceFile();
    const imported = ensureImport(t, sf, runtime, helper, style);
    const edits: Edit[] = [];
    if (imported.edit) edits.push({ sf, ...imported.edit });
    edits.push({ sf, start: expr.getStart(sf), end: expr.getStart(sf), text: `${imported.local}(` }, { sf, start: expr.getEnd(), end: expr.getEnd(), text: `${policy})` });
    return { edits, description: `wraps the handler in ${imported.local}, which stores the first response and replays it for the same ${HEADER}` };
  };
  switch (route.framework) {
    case 'express': {
      const handler = route.handler;
      if (!isExpression(t, handler)) return { reason: 'the handler is not an expression that can be wrapped' };
      return wrapExpression(handler, 'idempotent');
    }
    case 'next-app':
    case 'next-pages': {
      const helper = route.framework === 'next-app' ? 'withIdempotentRoute' : 'withIdempotentApiRoute';
      // `export const POST = withApiWrapper({ handler })`: the exported expression is wrapped as a whole.
      const registered = route.handler;
      const registeredParent = parentOf(registered);
      const target = registeredParent && t.isVariableDeclaration(registeredParent) && registeredParent.initializer === registered && t.isCallExpression(registered)
        ? { expr: registered }
        : exportedHandler(t, fn);
      if (!target) return { reason: `the handler is not exported in a form ${helper} can wrap` };
      if ('expr' in target) return wrapExpression(target.expr, helper);
      // `export [default] async function POST(…) { … }` → `export const POST = helper(async function POST(…) { … });`
      const decl = target.decl;
      const sf = decl.getSourceFile();
      const imported = ensureImport(t, sf, runtime, helper, style);
      const edits: Edit[] = [];
      if (imported.edit) edits.push({ sf, ...imported.edit });
      const isDefault = decl.modifiers?.some((m) => m.kind === t.SyntaxKind.DefaultKeyword) ?? false;
      const modifiersEnd = decl.modifiers?.filter((m) => m.kind === t.SyntaxKind.ExportKeyword || m.kind === t.SyntaxKind.DefaultKeyword).pop()?.getEnd();
      if (modifiersEnd === undefined || !decl.name) return { reason: 'the handler is not exported by name' };
      const head = isDefault ? `export default ${imported.local}(` : `export const ${decl.name.text} = ${imported.local}(`;
      edits.push({ sf, start: decl.getStart(sf), end: skipSpace(sf.text, modifiersEnd), text: head });
      edits.push({ sf, start: decl.getEnd(), end: decl.getEnd(), text: `${policy})${style.semi ? ';' : ''}` });
      return { edits, description: `wraps the handler in ${imported.local}, which stores the first response and replays it for the same ${HEADER}` };
    }
    case 'nest':
      return { reason: 'the method sends the response itself (@Res()); use the runtime\'s IdempotencyInterceptor with @Idempotent() on it' };
    case 'fastify':
      return { reason: 'the reply is sent among the writes; register the runtime\'s idempotencyPlugin for this route' };
    default:
      return { reason: 'no route-level wrapper for this framework' };
  }
}

// --- the key, the options, the names -------------------------------------------------------------

interface KeyExpression {
  /** A statement that declares the key before the work (block bodies). */
  declaration?: string;
  expression: string;
}

function keyExpression(t: TS, route: RouteHandler, fn: FunctionLike, names: Names, style: CodeStyle, edits: Edit[], sf: ts.SourceFile, inline = false): KeyExpression | { reason: string } {
  const q = (s: string): string => quoted(style, s);
  const asString = style.typescript ? ' as string | undefined' : '';
  let read: string;
  switch (route.framework) {
    case 'express': {
      if (!names.request) {
        // A class-based route with injected parameters gets one more: the header, the package's way.
        const injected = headerParameter(t, sf, fn);
        if (!injected) return { reason: 'the handler has no request parameter to read the header from' };
        const decorator = ensureImport(t, sf, injected.module, injected.decorator, style);
        if (decorator.edit) edits.push({ sf, ...decorator.edit });
        const name = freeName(t, sf, 'idempotencyKey', fn.getText(sf));
        // Optional: it comes last, and the client may leave the header out.
        const param = `@${decorator.local}(${q(HEADER)}) ${name}${style.typescript ? '?: string' : ''}`;
        const at = fn.parameters.end;
        edits.push({ sf, start: at, end: at, text: fn.parameters.length > 0 ? `, ${param}` : param });
        return { expression: name };
      }
      read = `${names.request}.get(${q('Idempotency-Key')})`;
      break;
    }
    case 'fastify':
    case 'next-pages':
      if (!names.request) return { reason: 'the handler has no request parameter to read the header from' };
      read = `${names.request}.headers[${q(HEADER)}]${asString}`;
      break;
    case 'next-app': {
      let request = names.request;
      if (!request) {
        if (fn.parameters.length > 0) return { reason: 'the handler takes no request parameter to read the header from' };
        request = 'request';
        edits.push({ sf, start: fn.parameters.end, end: fn.parameters.end, text: style.typescript ? 'request: Request' : 'request' });
      }
      read = `${request}.headers.get(${q(HEADER)})`;
      break;
    }
    case 'nest': {
      // A key parameter the method already has (`@Headers('idempotency-key') key`) is reused.
      const existing = names.params.find((p) => (t.canHaveDecorators(p) ? (t.getDecorators(p) ?? []) : []).some((d) => {
        const call = d.expression;
        const arg = t.isCallExpression(call) ? call.arguments[0] : undefined;
        return t.isCallExpression(call) && /^Headers$/.test(call.expression.getText(sf)) && arg !== undefined && t.isStringLiteral(arg) && /^(x-)?idempotency-key$/i.test(arg.text);
      }));
      if (existing && t.isIdentifier(existing.name)) return { expression: existing.name.text };
      const name = freeName(t, sf, 'idempotencyKey', fn.getText(sf));
      const headers = ensureImport(t, sf, '@nestjs/common', 'Headers', style);
      if (headers.edit) edits.push({ sf, ...headers.edit });
      const param = `@${headers.local}(${q(HEADER)}) ${name}${style.typescript ? ': string | undefined' : ''}`;
      const at = fn.parameters.end;
      edits.push({ sf, start: at, end: at, text: fn.parameters.length > 0 ? `, ${param}` : param });
      return { expression: name };
    }
    default:
      return { reason: 'no way to read a request header in this framework' };
  }
  if (inline) return { expression: read };
  const name = freeName(t, sf, 'idempotencyKey', fn.getText(sf));
  return { declaration: `const ${name} = ${read}${style.semi ? ';' : ''}`, expression: name };
}

/** `{ scope, input }` (and `policy`) for the wrapper, or '' when there is nothing to say. */
function optionsText(t: TS, route: RouteHandler, fn: FunctionLike, container: ts.Node | undefined, first: number, names: Names, options: FixOptions): string {
  const parts: string[] = [];
  const scope = scopeExpression(t, fn, names);
  if (scope) parts.push(`scope: ${scope}`);
  const input = inputExpression(t, route, fn, container, first, names);
  if (input) parts.push(`input: ${input}`);
  if (options.policy === 'required') parts.push("policy: 'required'");
  return parts.length > 0 ? `{ ${parts.join(', ')} }` : '';
}

/** The caller's identity when the handler has it in view through a parameter: `req.user.id`, `user.id`. */
function scopeExpression(t: TS, fn: FunctionLike, names: Names): string | undefined {
  const params = new Set(names.params.map((p) => (t.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean));
  for (const p of names.params) {
    const decorated = t.canHaveDecorators(p) ? (t.getDecorators(p) ?? []) : [];
    if (t.isIdentifier(p.name) && decorated.some((d) => /^(CurrentUser|User|AuthUser)\b/.test(d.expression.getText()))) return `String(${p.name.text}.id)`;
  }
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (t.isPropertyAccessExpression(node) && /^(id|_id|userId)$/.test(node.name.text)) {
      const text = node.getText().replace(/\s+/g, '');
      const root = /^(\w+)\./.exec(text)?.[1];
      if (root && params.has(root) && /^\w+\.(user|auth|session\.user)\??\.(id|_id|userId)$/.test(text.replace(/\?\./g, '.'))) found = `String(${text})`;
    }
    t.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

/** The request body, so the same key with another body is refused with 422. */
function inputExpression(t: TS, route: RouteHandler, _fn: FunctionLike, container: ts.Node | undefined, first: number, names: Names): string | undefined {
  switch (route.framework) {
    case 'express':
    case 'fastify':
    case 'next-pages':
      return names.request ? `${names.request}.body` : undefined;
    case 'nest': {
      const body = names.params.find((p) => (t.canHaveDecorators(p) ? (t.getDecorators(p) ?? []) : []).some((d) => /^Body\b/.test(d.expression.getText())));
      return body && t.isIdentifier(body.name) ? body.name.text : undefined;
    }
    case 'next-app': {
      // A value read from the request before the writes: `const body = await request.json()`.
      if (!container || !(t.isBlock(container) || t.isCaseClause(container) || t.isDefaultClause(container))) return undefined;
      for (const statement of container.statements.slice(0, first)) {
        if (!t.isVariableStatement(statement)) continue;
        for (const decl of statement.declarationList.declarations) {
          if (!decl.initializer || !/\.(json|formData|text)\(\)/.test(decl.initializer.getText())) continue;
          if (t.isIdentifier(decl.name)) return /formData/.test(decl.initializer.getText()) ? `Object.fromEntries(${decl.name.text})` : decl.name.text;
          // `const { email, items } = await request.json()`: the same fields, gathered again.
          if (t.isObjectBindingPattern(decl.name) && decl.name.elements.every((e) => t.isIdentifier(e.name))) {
            return `{ ${decl.name.elements.map((e) => `${e.dotDotDotToken ? '...' : ''}${(e.name as ts.Identifier).text}`).join(', ')} }`;
          }
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Packages whose controller methods take a request header through a parameter decorator. */
const HEADER_DECORATORS: readonly { module: string; decorator: string }[] = [
  { module: 'routing-controllers', decorator: 'HeaderParam' },
  { module: 'inversify-express-utils', decorator: 'requestHeaders' },
  { module: 'tsoa', decorator: 'Header' },
];

/** The header decorator of the package the handler's file takes its route decorators from, for a method with injected parameters. */
function headerParameter(t: TS, sf: ts.SourceFile, fn: FunctionLike): { module: string; decorator: string } | undefined {
  if (!t.isMethodDeclaration(fn)) return undefined;
  const imported = new Set(sf.statements.flatMap((s) => (t.isImportDeclaration(s) && t.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [])));
  return HEADER_DECORATORS.find((h) => imported.has(h.module));
}

function parameterNames(t: TS, route: RouteHandler, fn: FunctionLike): Names {
  const params = fn.parameters;
  const name = (i: number): string | undefined => {
    const p = params[i];
    return p && t.isIdentifier(p.name) ? p.name.text : undefined;
  };
  const decorated = (pattern: RegExp): string | undefined => {
    const p = params.find((q) => (t.canHaveDecorators(q) ? (t.getDecorators(q) ?? []) : []).some((d) => pattern.test(d.expression.getText())));
    return p && t.isIdentifier(p.name) ? p.name.text : undefined;
  };
  // Class-based Express routes (routing-controllers, inversify-express-utils) inject what their
  // parameter decorators name (`@Body() input`): only a `@Req()` parameter is the request.
  if (route.framework === 'express' && params.some((p) => t.canHaveDecorators(p) && (t.getDecorators(p) ?? []).length > 0)) {
    const request = decorated(/^(Req|Request|request)\b/);
    const response = decorated(/^(Res|Response|response)\b/);
    return { params, ...(request ? { request } : {}), ...(response ? { response } : {}) };
  }
  switch (route.framework) {
    case 'express':
    case 'next-pages':
    case 'fastify':
      return { params, ...(name(0) ? { request: name(0)! } : {}), ...(name(1) ? { response: name(1)! } : {}) };
    case 'next-app':
      return { params, ...(name(0) ? { request: name(0)! } : {}) };
    case 'nest': {
      const response = decorated(/^(Res|Response)\b/);
      return { params, ...(response ? { response } : {}) };
    }
    default:
      return { params };
  }
}

// --- syntax helpers ------------------------------------------------------------------------------

/** Why the work cannot be lifted out as-is, if it cannot: a return or the response inside it. */
function entanglement(t: TS, range: readonly ts.Statement[], names: Names, finalReturn: ts.Statement | undefined): string | undefined {
  let reason: string | undefined;
  const visit = (node: ts.Node, nested: boolean): void => {
    if (reason) return;
    if (t.isFunctionLike(node)) nested = true;
    if (!nested && t.isReturnStatement(node) && node !== finalReturn) reason = 'the handler returns among the writes';
    if (!nested && (t.isYieldExpression(node) || t.isBreakStatement(node) || t.isContinueStatement(node))) reason = 'control flow leaves the writes (break, continue or yield)';
    if (t.isIdentifier(node) && names.response && node.text === names.response && !isPropertyName(t, node) && !readsLocals(t, node)) reason = 'the response is sent among the writes';
    t.forEachChild(node, (child) => { visit(child, nested); });
  };
  for (const statement of range) visit(statement, false);
  return reason;
}

/** `res.locals.user`: reading what middleware stored on the response is not sending it. */
function readsLocals(t: TS, id: ts.Identifier): boolean {
  const parent = parentOf(id);
  return parent !== undefined && t.isPropertyAccessExpression(parent) && parent.expression === id && parent.name.text === 'locals';
}

function declaredNames(t: TS, range: readonly ts.Statement[]): { names: Set<string>; lets: Set<string> } {
  const names = new Set<string>();
  const lets = new Set<string>();
  const add = (name: ts.BindingName, isLet: boolean): void => {
    if (t.isIdentifier(name)) {
      names.add(name.text);
      if (isLet) lets.add(name.text);
    } else for (const element of name.elements) if (!t.isOmittedExpression(element)) add(element.name, isLet);
  };
  for (const statement of range) {
    if (t.isVariableStatement(statement)) {
      const isLet = (statement.declarationList.flags & t.NodeFlags.Const) === 0;
      for (const decl of statement.declarationList.declarations) add(decl.name, isLet);
    } else if ((t.isFunctionDeclaration(statement) || t.isClassDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return { names, lets };
}

/** An assignment inside the range to a variable declared before it, e.g. `total = await charge()`. */
function assignsOuter(t: TS, range: readonly ts.Statement[], inside: Set<string>): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (t.isFunctionLike(node) && !t.isArrowFunction(node))) return;
    if (t.isBinaryExpression(node) && node.operatorToken.kind >= t.SyntaxKind.FirstAssignment && node.operatorToken.kind <= t.SyntaxKind.LastAssignment && t.isIdentifier(node.left) && !inside.has(node.left.text)) {
      found = node.left.text;
    }
    if ((t.isPrefixUnaryExpression(node) || t.isPostfixUnaryExpression(node)) && t.isIdentifier(node.operand) && !inside.has(node.operand.text) && (node.operator === t.SyntaxKind.PlusPlusToken || node.operator === t.SyntaxKind.MinusMinusToken)) {
      found = node.operand.text;
    }
    t.forEachChild(node, visit);
  };
  for (const statement of range) visit(statement);
  return found;
}

function mentions(t: TS, node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isIdentifier(n) && n.text === name && !isPropertyName(t, n)) found = true;
    t.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function isPropertyName(t: TS, id: ts.Identifier): boolean {
  const parent = parentOf(id);
  if (!parent) return false;
  return (t.isPropertyAccessExpression(parent) && parent.name === id) || (t.isPropertyAssignment(parent) && parent.name === id) || (t.isMethodDeclaration(parent) && parent.name === id) || (t.isPropertyDeclaration(parent) && parent.name === id);
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = parentOf(n)) if (n === outer) return true;
  return false;
}

/** Adds one level of indentation to every line but the first; undefined when a template literal spans lines. */
function reindent(text: string, unit: string): string | undefined {
  if (/`[^`]*\n[^`]*`/.test(text)) return undefined;
  return text.split('\n').map((line, i) => (i === 0 || line.trim() === '' ? line : unit + line)).join('\n');
}

function makeAsync(t: TS, fn: FunctionLike, sf: ts.SourceFile): Edit | undefined {
  if (fn.modifiers?.some((m) => m.kind === t.SyntaxKind.AsyncKeyword)) return undefined;
  if (t.isArrowFunction(fn) || t.isFunctionExpression(fn) || t.isFunctionDeclaration(fn)) {
    const start = t.isArrowFunction(fn) ? fn.getStart(sf) : (fn.modifiers?.filter((m) => m.kind === t.SyntaxKind.ExportKeyword || m.kind === t.SyntaxKind.DefaultKeyword).pop()?.getEnd() ?? fn.getStart(sf));
    const at = skipSpace(sf.text, start);
    return { sf, start: at, end: at, text: 'async ' };
  }
  if (t.isMethodDeclaration(fn)) {
    const at = fn.name.getStart(sf);
    return { sf, start: at, end: at, text: 'async ' };
  }
  return undefined;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

function skipParens(t: TS, expr: ts.Expression): ts.Expression {
  return t.isParenthesizedExpression(expr) ? skipParens(t, expr.expression) : expr;
}

function isExpression(t: TS, node: ts.Node): node is ts.Expression {
  return t.isExpression(node) || t.isIdentifier(node) || t.isCallExpression(node) || t.isArrowFunction(node) || t.isFunctionExpression(node) || t.isPropertyAccessExpression(node);
}

function enclosingFunction(t: TS, node: ts.Node): FunctionLike | undefined {
  for (let n = parentOf(node); n; n = parentOf(n)) if (t.isFunctionLike(n) && 'body' in n) return n as FunctionLike;
  return undefined;
}

/** The statements of a branch handler: the `if` block, or the case clause. */
function blockOf(t: TS, branch: ts.Node): ts.Block | ts.CaseOrDefaultClause | undefined {
  if (t.isBlock(branch) || t.isCaseClause(branch) || t.isDefaultClause(branch)) return branch;
  if (t.isIfStatement(branch) && t.isBlock(branch.thenStatement)) return branch.thenStatement;
  return undefined;
}

/** How a Next handler is exported: a function declaration, or an expression that can be wrapped. */
function exportedHandler(t: TS, fn: FunctionLike): { decl: ts.FunctionDeclaration } | { expr: ts.Expression } | undefined {
  if (t.isFunctionDeclaration(fn) && fn.modifiers?.some((m) => m.kind === t.SyntaxKind.ExportKeyword)) return { decl: fn };
  const parent = parentOf(fn);
  if (parent && t.isVariableDeclaration(parent) && parent.initializer === fn) return { expr: fn };
  if (parent && t.isExportAssignment(parent)) return { expr: parent.expression };
  if (t.isFunctionDeclaration(fn) && fn.name) {
    // `async function handler(…) {…}` … `export default handler`
    const sf = fn.getSourceFile();
    for (const statement of sf.statements) {
      if (t.isExportAssignment(statement) && t.isIdentifier(statement.expression) && statement.expression.text === fn.name.text) return { expr: statement.expression };
    }
  }
  return undefined;
}
