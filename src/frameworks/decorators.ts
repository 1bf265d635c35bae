// Decorator lookups shared by the detectors of decorator-based frameworks (NestJS, fastify-decorators).
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext } from '../core/plugin.js';

/** The decorators written on a node (none where the language allows none). */
export function decorators(t: DetectorContext['ts'], node: ts.Node): readonly ts.Decorator[] {
  return t.canHaveDecorators(node) ? t.getDecorators(node) ?? [] : [];
}

/** Each decorator on each method with a body of a class (`@Post() create() {…}`): where routes are declared. */
export function methodDecorators(t: DetectorContext['ts'], cls: ts.ClassDeclaration): { member: ts.MethodDeclaration; decorator: ts.Decorator }[] {
  return cls.members.filter((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && m.body !== undefined).flatMap((member) => decorators(t, member).map((decorator) => ({ member, decorator })));
}

/** The first decorator on `node` that resolves to an export of `module` whose name matches (aliases work). */
export function packageDecorator(ctx: DetectorContext, node: ts.Node, module: string, name: RegExp): ts.Decorator | undefined {
  return decorators(ctx.ts, node).find((d) => {
    const callee = ctx.ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
    const value = ctx.resolver.resolve(callee);
    return value?.kind === 'external' && value.module === module && name.test(value.chain.join('.'));
  });
}
