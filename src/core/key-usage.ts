// Finds reads of the idempotency header in a function and decides whether the value is used: passed
// to a call (a store lookup, a service, a claim), stored on a record, or forwarded. A read that is
// thrown away, only logged, or only checked for presence protects nothing.
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import { propertyNameText } from './scope.js';
import { returnedExpression } from './resolver.js';
import { CODE_DECLARATION, CODE_TYPE, codeWalkFlags, type KindFlags } from './kinds.js';

export interface KeyUse {
  /** Where the header is read, for the reason text. */
  read: ts.Node;
  /** How the value is used. */
  use: string;
  /** The only use is an `idempotencyKey` option of this call: it protects that call alone. */
  onlyOptionOf?: ts.CallExpression;
}

const LOGGING = /^(log|info|debug|warn|error|trace|fatal|verbose|console|logger|assert)$/i;
const KEY_OPTION = /^idempotency_?key$/i;

/**
 * Where idempotency keys come from: header reads whose name may be a constant (`Headers.IDEMPOTENCY_KEY`,
 * an enum member, `.toLowerCase()` of one), and helpers that return the key or a value built from it
 * (`getIdempotencyKey(ctx)`, `` `${org}-${getIdempotencyKey(ctx)}` ``).
 */
export class KeySources {
  private readonly returning = new Map<ts.Node, boolean>();

  constructor(
    private readonly t: TS,
    readonly headers: ReadonlySet<string>,
    private readonly resolver?: Resolver,
  ) {}

  isHeaderName(node: ts.Node | undefined): boolean {
    if (!node) return false;
    if (this.t.isStringLiteralLike(node)) return this.headers.has(node.text.toLowerCase());
    const folded = this.resolver && this.t.isExpression(node) ? this.resolver.constantString(node) : undefined;
    return folded !== undefined && this.headers.has(folded.toLowerCase());
  }

  /** A call to a project function that returns the key, or something derived from it. */
  callReturnsKey(call: ts.CallExpression, depth = 0): boolean {
    if (!this.resolver || depth > 3) return false;
    const callee = this.resolver.resolve(call.expression);
    if (callee?.kind !== 'function') return false;
    const cached = this.returning.get(callee.node);
    if (cached !== undefined) return cached;
    this.returning.set(callee.node, false);
    const returned = returnedExpression(this.t, callee.node);
    const result = returned !== undefined && this.carriesKey(returned, depth + 1);
    this.returning.set(callee.node, result);
    return result;
  }

  private carriesKey(expr: ts.Node, depth: number): boolean {
    const t = this.t;
    let found = false;
    const isHeaderName = (n: ts.Node | undefined): boolean => this.isHeaderName(n);
    const visit = (node: ts.Node): void => {
      if (found || t.isFunctionLike(node)) return;
      if (isHeaderRead(t, node, isHeaderName) || (t.isCallExpression(node) && this.callReturnsKey(node, depth))) {
        found = true;
        return;
      }
      t.forEachChild(node, visit);
    };
    visit(expr);
    return found;
  }
}

/** What the key search asks of each node's kind (kinds.ts), past the shared two bits. */
const KEY_CANDIDATE = 4;

function keyKinds(t: TS): KindFlags {
  return codeWalkFlags(t, 'key-usage.find', () => [
    // Header reads (element access, calls), destructured `headers`, decorated parameters.
    (n) => t.isElementAccessExpression(n) || t.isCallExpression(n) || t.isVariableDeclaration(n) || t.isParameter(n),
  ]);
}

export function findKeyUses(t: TS, fn: ts.Node, sources: KeySources): KeyUse[] {
  const uses: KeyUse[] = [];
  const isHeaderName = (node: ts.Node | undefined): boolean => sources.isHeaderName(node);
  const kinds = keyKinds(t);
  const visit = (node: ts.Node): void => {
    const kind = kinds[node.kind]!;
    if (kind & CODE_TYPE) return;
    if (node !== fn && kind & CODE_DECLARATION) return;
    // Only these kinds can read the key; every other node is just walked through.
    if (!(kind & KEY_CANDIDATE)) {
      t.forEachChild(node, visit);
      return;
    }
    if (isHeaderRead(t, node, isHeaderName) || (t.isCallExpression(node) && sources.callReturnsKey(node))) {
      const use = valueUse(t, node as ts.Expression, fn);
      if (use) uses.push({ read: node, ...use });
    } else if (t.isVariableDeclaration(node) && t.isObjectBindingPattern(node.name) && node.initializer && /headers$/.test(node.initializer.getText())) {
      for (const element of node.name.elements) {
        if (element.propertyName && isHeaderName(element.propertyName) && t.isIdentifier(element.name)) {
          const use = identifierUse(t, element.name, fn);
          if (use) uses.push({ read: element, ...use });
        }
      }
    } else if (t.isParameter(node) && t.isIdentifier(node.name) && headerDecorator(t, node, isHeaderName)) {
      const use = identifierUse(t, node.name, fn);
      if (use) uses.push({ read: node, ...use });
    }
    t.forEachChild(node, visit);
  };
  visit(fn);
  return uses;
}

/** `req.headers['idempotency-key']`, `req.header('Idempotency-Key')`, `request.headers.get(...)`, `headers().get(...)`. */
function isHeaderRead(t: TS, node: ts.Node, isHeaderName: (n: ts.Node | undefined) => boolean): boolean {
  if (t.isElementAccessExpression(node)) return isHeaderName(node.argumentExpression) && /headers$/i.test(node.expression.getText());
  if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
    return /^(header|get|getHeader|headers)$/.test(node.expression.name.text) && isHeaderName(node.arguments[0]);
  }
  return false;
}

/** Nest `@Headers('idempotency-key') key: string`. */
function headerDecorator(t: TS, param: ts.ParameterDeclaration, isHeaderName: (n: ts.Node | undefined) => boolean): boolean {
  const decorators = t.canHaveDecorators(param) ? t.getDecorators(param) ?? [] : [];
  return decorators.some((d) => t.isCallExpression(d.expression) && /Headers?$/.test(d.expression.expression.getText()) && isHeaderName(d.expression.arguments[0]));
}

/** Climbs from the read through `??`, `||`, `String()`, `.trim()` to where the value goes. */
function valueUse(t: TS, read: ts.Expression, fn: ts.Node): Omit<KeyUse, 'read'> | undefined {
  let node: ts.Node = read;
  for (;;) {
    const parent = node.parent;
    if (t.isParenthesizedExpression(parent) || t.isAsExpression(parent) || t.isNonNullExpression(parent) || t.isAwaitExpression(parent) ||
        t.isTemplateSpan(parent) || t.isTemplateExpression(parent) || t.isConditionalExpression(parent) && parent.condition !== node ||
        (t.isBinaryExpression(parent) && [t.SyntaxKind.QuestionQuestionToken, t.SyntaxKind.BarBarToken, t.SyntaxKind.PlusToken].includes(parent.operatorToken.kind))) {
      node = parent;
      continue;
    }
    if (t.isPropertyAccessExpression(parent) && parent.expression === node && t.isCallExpression(parent.parent) && /^(trim|toString|toLowerCase|slice)$/.test(parent.name.text)) {
      node = parent.parent;
      continue;
    }
    if (t.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression) && t.isIdentifier(parent.expression) && /^(String|normalize\w*|parse\w*|sanitize\w*)$/.test(parent.expression.text)) {
      node = parent;
      continue;
    }
    break;
  }
  const parent = node.parent;
  if (t.isVariableDeclaration(parent) && parent.initializer === node && t.isIdentifier(parent.name)) return identifierUse(t, parent.name, fn);
  if (t.isBinaryExpression(parent) && parent.operatorToken.kind === t.SyntaxKind.EqualsToken && parent.right === node) {
    return t.isIdentifier(parent.left) ? identifierUse(t, parent.left, fn) : { use: `stores it in ${short(parent.left.getText())}` };
  }
  return sinkUse(t, node);
}

/** Every later reference of a variable holding the key; the first real use wins. */
function identifierUse(t: TS, id: ts.Identifier, fn: ts.Node): Omit<KeyUse, 'read'> | undefined {
  let optionOnly: Omit<KeyUse, 'read'> | undefined;
  let found: Omit<KeyUse, 'read'> | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (t.isIdentifier(node) && node.text === id.text && node !== id && !isDeclarationName(t, node)) {
      const use = valueUseFromReference(t, node, fn);
      if (use?.onlyOptionOf) optionOnly ??= use;
      else if (use) found = use;
    }
    t.forEachChild(node, visit);
  };
  visit(fn);
  return found ?? optionOnly;
}

function valueUseFromReference(t: TS, ref: ts.Identifier, fn: ts.Node): Omit<KeyUse, 'read'> | undefined {
  const parent = ref.parent;
  // A second variable derived from the key (`const cacheKey = \`idem:${key}\``).
  if (t.isTemplateSpan(parent) || (t.isBinaryExpression(parent) && parent.operatorToken.kind !== t.SyntaxKind.EqualsToken)) {
    return valueUse(t, ref, fn);
  }
  return sinkUse(t, ref);
}

/** The value is an argument of a (non-logging) call, or a property of an object passed somewhere. */
function sinkUse(t: TS, node: ts.Node): Omit<KeyUse, 'read'> | undefined {
  let current: ts.Node = node;
  let optionName: string | undefined;
  for (let i = 0; i < 6; i++) {
    const parent = current.parent;
    if (t.isPropertyAssignment(parent) && parent.initializer === current) optionName = propertyNameText(t, parent.name);
    else if (t.isShorthandPropertyAssignment(parent)) optionName = parent.name.text;
    else if (!t.isObjectLiteralExpression(parent) && !t.isArrayLiteralExpression(parent) && !t.isSpreadElement(parent) && !t.isSpreadAssignment(parent)) {
      if ((t.isCallExpression(parent) || t.isNewExpression(parent)) && parent.arguments?.includes(current as ts.Expression)) {
        const callee = parent.expression.getText();
        const last = callee.split('.').pop() ?? callee;
        // Logging the key or putting it in an error message does not protect anything.
        if (LOGGING.test(last) || /^(console|logger|log)\b/i.test(callee) || /(Exception|Error)$/.test(last)) return undefined;
        if (optionName && KEY_OPTION.test(optionName) && t.isCallExpression(parent)) return { use: `passes it as ${optionName} to ${short(callee)}`, onlyOptionOf: parent };
        return { use: `passes it to ${short(callee)}` };
      }
      if (t.isBinaryExpression(parent) && parent.operatorToken.kind === t.SyntaxKind.EqualsToken && parent.right === current && !t.isIdentifier(parent.left)) {
        return { use: `stores it in ${short(parent.left.getText())}` };
      }
      return undefined;
    }
    current = parent;
  }
  return undefined;
}

function isDeclarationName(t: TS, node: ts.Identifier): boolean {
  const p = node.parent;
  return (t.isVariableDeclaration(p) || t.isParameter(p) || t.isBindingElement(p)) && p.name === node;
}

function short(text: string): string {
  const compact = text.replace(/\s+/g, '');
  return compact.length > 60 ? `${compact.slice(0, 57)}...` : compact;
}
