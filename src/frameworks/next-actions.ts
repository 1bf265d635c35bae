// Next.js Server Actions (https://nextjs.org/docs/app/api-reference/directives/use-server): functions
// in a `'use server'` module, or whose body starts with `'use server'`. Each runs as a POST request.
import type { TS, tsTypes as ts } from '../core/ts.js';
import type { FrameworkDetector, RouteHandler } from '../core/plugin.js';
import { hasModifier } from '../core/resolver.js';
import { nextRoot } from './next-shared.js';

export const nextActionsDetector: FrameworkDetector = {
  id: 'next-action',
  packages: ['next'],
  mightDeclareRoutes: (text) => /['"]use server['"]/.test(text),
  detect(files, ctx) {
    const t = ctx.ts;
    const routes: RouteHandler[] = [];
    const add = (anchor: ts.Node, handler: ts.Node): void => {
      routes.push({ framework: 'next-action', method: 'POST', route: null, anchor, handler, preludes: [] });
    };
    for (const sf of files) {
      if (!nextRoot(ctx, sf.fileName)) continue;
      if (hasDirective(t, sf.statements)) {
        for (const s of sf.statements) {
          if (!hasModifier(t, s, t.SyntaxKind.ExportKeyword)) continue;
          if (t.isFunctionDeclaration(s) && s.body) add(s, s);
          else if (t.isVariableStatement(s)) {
            for (const d of s.declarationList.declarations) {
              if (d.initializer && (t.isArrowFunction(d.initializer) || t.isFunctionExpression(d.initializer))) add(s, d.initializer);
              // Every export of a 'use server' module is an action, also one made by a wrapper that
              // validates or authenticates first: `validatedAction(schema, async (data) => …)`,
              // `actionClient.schema(s).action(async ({ parsedInput }) => …)`.
              else if (d.initializer && t.isCallExpression(d.initializer) && passesFunction(t, d.initializer)) add(s, d.initializer);
            }
          }
        }
        continue;
      }
      const visit = (node: ts.Node): void => {
        if ((t.isFunctionDeclaration(node) || t.isArrowFunction(node) || t.isFunctionExpression(node)) && node.body && t.isBlock(node.body) && hasDirective(t, node.body.statements)) {
          add(t.isArrowFunction(node) && t.isVariableDeclaration(node.parent) ? node.parent.parent.parent : node, node);
          return;
        }
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
    return routes;
  },
};

/** A call, or a call along its chain, given a function written in place. */
function passesFunction(t: TS, call: ts.CallExpression): boolean {
  for (let inner: ts.Expression = call; t.isCallExpression(inner) || t.isPropertyAccessExpression(inner); inner = inner.expression) {
    if (t.isCallExpression(inner) && inner.arguments.some((a) => t.isArrowFunction(a) || t.isFunctionExpression(a))) return true;
  }
  return false;
}

function hasDirective(t: TS, statements: readonly ts.Statement[]): boolean {
  for (const s of statements) {
    if (!t.isExpressionStatement(s) || !t.isStringLiteral(s.expression)) return false;
    if (s.expression.text === 'use server') return true;
  }
  return false;
}
