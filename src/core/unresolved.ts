// Blind spots made visible: why an expression that leads (or could lead) into project code cannot be
// followed. A handler, or a call on its path, that the analysis cannot read is `unresolved`, never
// `read-only`: "nothing to report" and "could not look" must not look alike.
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { Project } from './project.js';

export interface Unfollowed {
  /** The expression as written (shortened). */
  expr: string;
  why: string;
}

/** `require('./const.json')`: data, whose string and array methods are no project code left unread. */
export const DATA_MODULE = /\.json[c5]?$/i;

/** Names of lookups that fetch a service from a dependency-injection container at run time. */
const CONTAINER_LOOKUP = /^(resolve|get|getService|getInstance|inject|make|lookup|cradle)$/;

/**
 * Why the handler expression cannot be followed to code. `generic` allows a plain "unknown value"
 * answer (for a handler, which must be something); without it only specific blind spots are named.
 */
export function whyUnfollowable(t: TS, resolver: Resolver, project: Project, expr: ts.Node, generic: boolean): Unfollowed | undefined {
  const text = short(expr.getText());
  const node = skipWrappers(t, expr);
  // `require(name)` with a computed name.
  if (t.isCallExpression(node) && t.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && !t.isStringLiteralLike(node.arguments[0])) {
    return { expr: text, why: 'a dynamic require' };
  }
  // `require('./x').default`, `import()`, `require('./x')`: a file that does not exist or cannot be read.
  const required = requiredFile(t, node);
  if (required !== undefined) {
    const file = project.resolveImport(required.module, expr.getSourceFile().fileName);
    if (!file && /^[./]/.test(required.module)) return { expr: text, why: `"${required.module}" resolves to no file` };
    if (file && !project.sourceFile(file)) return { expr: text, why: `${project.relative(file)} could not be read or parsed` };
  }
  const lookup = containerLookup(t, node);
  if (lookup) return { expr: text, why: `a value from a container (${short(lookup.getText())})` };
  const dynamic = dynamicMember(t, resolver, node);
  if (dynamic) return { expr: text, why: `a dynamic member (${short(dynamic.getText())})` };
  const root = rootIdentifier(t, node);
  if (root) {
    const value = resolver.resolve(root);
    if (value?.kind === 'external' && /^[./]/.test(value.module) && !DATA_MODULE.test(value.module)) return { expr: text, why: `import "${value.module}" resolves to no file` };
    const binding = resolver.scopes.lookup(root.text, root);
    if (binding?.kind === 'import') {
      const file = project.resolveImport(binding.module, root.getSourceFile().fileName);
      if (file && !project.sourceFile(file)) return { expr: text, why: `${project.relative(file)} could not be read or parsed` };
    }
    const init = binding?.kind === 'variable' ? skipWrappers(t, binding.decl.initializer ?? binding.decl) : undefined;
    if (init && t.isCallExpression(init)) {
      // `const x = require('./m')` of a file that cannot be read; `const crud = makeCrud(…)` of a factory.
      const req = requiredFile(t, init);
      if (req) {
        const file = project.resolveImport(req.module, init.getSourceFile().fileName);
        if (!file && /^[./]/.test(req.module)) return { expr: text, why: `"${req.module}" resolves to no file` };
        if (file && !project.sourceFile(file)) return { expr: text, why: `${project.relative(file)} could not be read or parsed` };
      } else if (generic && resolver.resolve(init.expression)?.kind === 'function') {
        return { expr: text, why: `a wrapper whose result is not understood (${short(init.expression.getText())}(…))` };
      }
    }
  }
  // A call on a value a project function returned (`getClient().send()`, `items.forEach`) is only
  // named for a handler: inside a handler's code it is too often a plain object or an array.
  if (generic && t.isCallExpression(node) && resolver.resolve(node.expression)?.kind === 'function') {
    return { expr: text, why: `a wrapper whose result is not understood (${short(node.expression.getText())})` };
  }
  return generic ? { expr: text, why: 'its value is not known from the code' } : undefined;
}

function skipWrappers(t: TS, expr: ts.Node): ts.Node {
  let node = expr;
  while (t.isParenthesizedExpression(node) || t.isAsExpression(node) || t.isNonNullExpression(node) || t.isAwaitExpression(node)) node = node.expression;
  return node;
}

function requiredFile(t: TS, node: ts.Node): { module: string } | undefined {
  let n: ts.Node = node;
  while (t.isPropertyAccessExpression(n) || t.isElementAccessExpression(n)) n = n.expression;
  if (t.isCallExpression(n) && (t.isIdentifier(n.expression) && n.expression.text === 'require' || n.expression.kind === t.SyntaxKind.ImportKeyword)) {
    const arg = n.arguments[0];
    if (arg && t.isStringLiteralLike(arg)) return { module: arg.text };
  }
  return undefined;
}

/** `req.scope.resolve('cartService')`, `container.get(TOKEN)`, `app.get(OrdersService)` in the receiver chain. */
function containerLookup(t: TS, node: ts.Node): ts.CallExpression | undefined {
  for (let n: ts.Node = node; ; ) {
    if (t.isCallExpression(n)) {
      const callee = n.expression;
      const name = t.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const arg = n.arguments[0];
      if (name && CONTAINER_LOOKUP.test(name) && n.arguments.length === 1 && arg && (t.isStringLiteralLike(arg) || t.isIdentifier(arg) || t.isPropertyAccessExpression(arg))) {
        if (!(t.isStringLiteralLike(arg) && /[/\s]/.test(arg.text))) return n;
      }
      n = callee;
    } else if (t.isPropertyAccessExpression(n) || t.isElementAccessExpression(n)) {
      if (t.isPropertyAccessExpression(n) && n.name.text === 'cradle') return undefined;
      n = n.expression;
    } else {
      return undefined;
    }
  }
}

/** `services[name]` on a project value, with a key that is not a literal. */
function dynamicMember(t: TS, resolver: Resolver, node: ts.Node): ts.ElementAccessExpression | undefined {
  for (let n: ts.Node = node; ; ) {
    if (t.isElementAccessExpression(n)) {
      const key = n.argumentExpression;
      if (!t.isStringLiteralLike(key) && !t.isNumericLiteral(key)) {
        const owner = resolver.resolve(n.expression);
        if (owner && owner.kind !== 'external') return n;
      }
      n = n.expression;
    } else if (t.isPropertyAccessExpression(n) || t.isCallExpression(n)) {
      n = n.expression;
    } else {
      return undefined;
    }
  }
}

function rootIdentifier(t: TS, node: ts.Node): ts.Identifier | undefined {
  let n: ts.Node = node;
  while (t.isPropertyAccessExpression(n) || t.isElementAccessExpression(n) || t.isCallExpression(n)) n = n.expression;
  return t.isIdentifier(n) ? n : undefined;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
