// Next.js App Router route handlers (https://nextjs.org/docs/app/api-reference/file-conventions/route):
// `route.ts` under `app/` or `src/app/` exporting POST/PUT/PATCH as functions, consts, wrapped
// functions (`export const POST = withAuth(async (req) => …)`) or aliases (`export { h as POST }`).
import type { tsTypes as ts } from '../core/ts.js';
import type { FrameworkDetector, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import { hasModifier } from '../core/resolver.js';
import { appRoute, middlewarePreludes, nextRoot } from './next-shared.js';

const METHODS = new Set<HttpMethod>(['POST', 'PUT', 'PATCH']);

export const nextAppDetector: FrameworkDetector = {
  id: 'next-app',
  packages: ['next'],
  mightDeclareRoutes: (text, file) => /[\\/]route\.[cm]?[jt]sx?$/.test(file) && /\b(POST|PUT|PATCH)\b/.test(text),
  detect(files, ctx) {
    const t = ctx.ts;
    const routes: RouteHandler[] = [];
    for (const sf of files) {
      const root = nextRoot(ctx, sf.fileName);
      const route = root ? appRoute(root, sf.fileName) : undefined;
      if (!root || route === undefined) continue;
      const preludes = middlewarePreludes(ctx, root, route);
      const add = (method: string, anchor: ts.Node, handler: ts.Node): void => {
        if (METHODS.has(method as HttpMethod)) routes.push({ framework: 'next-app', method: method as HttpMethod, route, anchor, handler, preludes });
      };
      for (const s of sf.statements) {
        if (t.isFunctionDeclaration(s) && s.name && hasModifier(t, s, t.SyntaxKind.ExportKeyword)) add(s.name.text, s, s);
        else if (t.isVariableStatement(s) && hasModifier(t, s, t.SyntaxKind.ExportKeyword)) {
          for (const d of s.declarationList.declarations) {
            if (t.isIdentifier(d.name) && d.initializer) add(d.name.text, s, d.initializer);
            // `export const { GET, POST } = handlers` (Auth.js): each destructured method.
            else if (t.isObjectBindingPattern(d.name)) for (const e of d.name.elements) if (t.isIdentifier(e.name)) add(e.name.text, e, e.name);
          }
        } else if (t.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && t.isNamedExports(s.exportClause)) {
          for (const e of s.exportClause.elements) add(e.name.text, e, e.propertyName ?? e.name);
        } else if (t.isExportDeclaration(s) && s.moduleSpecifier && t.isStringLiteral(s.moduleSpecifier) && s.exportClause && t.isNamedExports(s.exportClause)) {
          // `export { GET, POST } from '@/auth'`: the handler is the other module's export (a function of
          // the project is followed into; anything else resolves through the specifier, like an import).
          const file = ctx.project.resolveImport(s.moduleSpecifier.text, sf.fileName);
          const other = file ? ctx.project.sourceFile(file) : undefined;
          for (const e of s.exportClause.elements) {
            const decl = other ? ctx.resolver.declarationExported(other, (e.propertyName ?? e.name).text) : undefined;
            const handler = decl && t.isFunctionDeclaration(decl) ? decl : decl && t.isVariableDeclaration(decl) && decl.initializer ? decl.initializer : e.propertyName ?? e.name;
            add(e.name.text, e, handler);
          }
        }
      }
    }
    return routes;
  },
};
