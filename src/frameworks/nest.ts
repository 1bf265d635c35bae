// NestJS (https://docs.nestjs.com/controllers, /interceptors, /recipes/cqrs): controller methods
// decorated `@Post/@Put/@Patch/@All` (resolved through the `@nestjs/common` import, so aliases work),
// route = global prefix + `@Controller(prefix)` + method path. Interceptors come from
// `@UseInterceptors` on the method or class, custom `applyDecorators` decorators, `APP_INTERCEPTOR`
// providers and `app.useGlobalInterceptors`. Module providers and CQRS handlers are registered with
// the resolver so handler calls can be followed through dependency injection.
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, FrameworkDetector, Prelude, RouteHandler } from '../core/plugin.js';
import type { HttpMethod } from '../core/types.js';
import { tokenText, returnedExpression } from '../core/resolver.js';
import { joinPaths, literalPath } from './paths.js';
import { propertyValue, strip } from '../core/refine.js';
import { eventName } from '../core/events.js';
import { decorators, methodDecorators, packageDecorator } from './decorators.js';

const VERBS: Record<string, HttpMethod> = { Post: 'POST', Put: 'PUT', Patch: 'PATCH', All: 'POST' };
const COMMON = '@nestjs/common';

interface Workspace {
  globals: Prelude[];
  prefix: string;
}

export const nestDetector: FrameworkDetector = {
  id: 'nest',
  packages: ['@nestjs/core', '@nestjs/common'],
  mightDeclareRoutes: (text) => text.includes('@nestjs/') || /\b(provide|useGlobalInterceptors|setGlobalPrefix)\b/.test(text),
  detect(files, ctx) {
    const workspaces = new Map<string, Workspace>();
    const workspaceOf = (sf: ts.SourceFile): Workspace => {
      const dir = ctx.project.packageOf(sf.fileName)?.dir ?? '';
      let ws = workspaces.get(dir);
      if (!ws) workspaces.set(dir, (ws = { globals: [], prefix: '' }));
      return ws;
    };
    const controllers: { cls: ts.ClassDeclaration; sf: ts.SourceFile }[] = [];
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        collectWiring(ctx, node, workspaceOf(sf));
        if (ctx.ts.isClassDeclaration(node) && decoratorOf(ctx, node, /^Controller$/)) controllers.push({ cls: node, sf });
        ctx.ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    return controllers.flatMap(({ cls, sf }) => routesOf(ctx, cls, workspaceOf(sf)));
  },
};

/** Providers, CQRS handlers, global interceptors and the global prefix. */
function collectWiring(ctx: DetectorContext, node: ts.Node, ws: Workspace): void {
  const t = ctx.ts;
  if (t.isObjectLiteralExpression(node)) {
    const provide = propertyValue(t, node, 'provide');
    const target = propertyValue(t, node, 'useClass') ?? propertyValue(t, node, 'useExisting') ?? propertyValue(t, node, 'useFactory') ?? propertyValue(t, node, 'useValue');
    if (provide && target) {
      ctx.resolver.providers.set(tokenText(t, provide), target);
      const token = ctx.resolver.resolve(provide);
      if (token?.kind === 'external' && token.module === '@nestjs/core' && token.chain.join('.') === 'APP_INTERCEPTOR') {
        ws.globals.push({ expr: target, via: 'APP_INTERCEPTOR provider' });
      }
    }
  } else if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    if (/^(forRoot|forRootAsync|register|registerAsync)$/.test(name)) {
      const callee = ctx.resolver.resolve(node.expression);
      if (callee?.kind === 'external') ctx.resolver.registrations.add(`${callee.module}#${callee.chain.join('.')}`);
    }
    if (name === 'useGlobalInterceptors') ws.globals.push(...node.arguments.map((expr) => ({ expr, via: 'app.useGlobalInterceptors' })));
    if (name === 'setGlobalPrefix') ws.prefix = literalPath(t, node.arguments[0]) ?? '';
  } else if (t.isClassDeclaration(node)) {
    const handler = decoratorOf(ctx, node, /^(CommandHandler|QueryHandler)$/, '@nestjs/cqrs');
    const message = handler && t.isCallExpression(handler.expression) ? handler.expression.arguments[0] : undefined;
    const messageClass = message ? ctx.resolver.resolve(message) : undefined;
    const execute = node.members.find((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && m.name.getText() === 'execute');
    if (messageClass?.kind === 'class' && execute) {
      ctx.resolver.dispatch.set(messageClass.node, { kind: 'function', node: execute, name: `${node.name?.text ?? 'Handler'}.execute`, owner: node });
    }
    // `@OnEvent('order.placed')` methods run when the event is emitted (src/core/events.ts follows the emit).
    for (const member of node.members) {
      if (!t.isMethodDeclaration(member) || !member.body) continue;
      const onEvent = decoratorOf(ctx, member, /^OnEvent$/, '@nestjs/event-emitter');
      const event = onEvent && t.isCallExpression(onEvent.expression) && onEvent.expression.arguments[0] ? eventName(t, ctx.resolver, onEvent.expression.arguments[0]) : undefined;
      if (event !== undefined) ctx.resolver.addListener(event, { kind: 'function', node: member, name: `${node.name?.text ?? 'Listener'}.${member.name.getText()}`, owner: node });
    }
  }
}

function routesOf(ctx: DetectorContext, cls: ts.ClassDeclaration, ws: Workspace): RouteHandler[] {
  const t = ctx.ts;
  const controller = decoratorOf(ctx, cls, /^Controller$/)!;
  const prefix = controllerPath(ctx, controller);
  const classPreludes = preludesOf(ctx, cls, 'class');
  const routes: RouteHandler[] = [];
  for (const { member, decorator } of methodDecorators(t, cls)) {
    const verb = verbOf(ctx, decorator);
    if (!verb) continue;
    const path = t.isCallExpression(decorator.expression) ? (decorator.expression.arguments[0] ? literalPath(t, decorator.expression.arguments[0]) : '') : '';
    routes.push({
      framework: 'nest',
      method: verb,
      route: joinPaths(joinPaths(ws.prefix, prefix), path),
      anchor: decorator,
      handler: member,
      preludes: [...ws.globals, ...classPreludes, ...preludesOf(ctx, member, 'method')],
    });
  }
  return routes;
}

function verbOf(ctx: DetectorContext, decorator: ts.Decorator): HttpMethod | undefined {
  const expr = decorator.expression;
  const callee = ctx.ts.isCallExpression(expr) ? expr.expression : expr;
  const value = ctx.resolver.resolve(callee);
  if (value?.kind !== 'external' || value.module !== COMMON || value.chain.length !== 1) return undefined;
  return VERBS[value.chain[0]!];
}

/** `@Controller('orders')`, `@Controller(['a', 'b'])`, `@Controller({ path: 'orders' })`. */
function controllerPath(ctx: DetectorContext, decorator: ts.Decorator): string | null {
  const t = ctx.ts;
  if (!t.isCallExpression(decorator.expression)) return '';
  const arg = decorator.expression.arguments[0];
  if (!arg) return '';
  const a = strip(t, arg);
  if (t.isObjectLiteralExpression(a)) {
    const path = propertyValue(t, a, 'path');
    return path ? literalPath(t, path) : '';
  }
  return literalPath(t, a);
}

/** Interceptors and idempotency decorators on a class or method, custom decorators expanded. */
function preludesOf(ctx: DetectorContext, node: ts.ClassDeclaration | ts.MethodDeclaration, where: string): Prelude[] {
  const result: Prelude[] = [];
  for (const decorator of decorators(ctx.ts, node)) result.push(...expandDecorator(ctx, decorator.expression, `on the ${where}`, 0));
  return result;
}

function expandDecorator(ctx: DetectorContext, expr: ts.Expression, where: string, depth: number): Prelude[] {
  const t = ctx.ts;
  if (depth > 3 || !t.isCallExpression(expr)) return [];
  const callee = ctx.resolver.resolve(expr.expression);
  if (callee?.kind === 'external') {
    const name = callee.chain.join('.');
    if (callee.module === COMMON && name === 'UseInterceptors') return expr.arguments.map((a) => ({ expr: a, via: `@UseInterceptors ${where}` }));
    // Guards run before the handler too: one that refuses an existing record stops a repeat.
    if (callee.module === COMMON && name === 'UseGuards') return expr.arguments.map((a) => ({ expr: a, via: `@UseGuards ${where}` }));
    if (callee.module === COMMON && name === 'applyDecorators') return expr.arguments.flatMap((a) => expandDecorator(ctx, a, where, depth + 1));
    if (callee.module === COMMON || callee.module.startsWith('@nestjs/swagger') || callee.module === 'class-validator') return [];
    // A package's decorator (e.g. `@Idempotent()` of @node-idempotency/nestjs): the core checks the catalogue.
    return [{ expr, via: `@${name} ${where}` }];
  }
  if (callee?.kind === 'function') {
    // A custom decorator: `export const Idem = () => applyDecorators(UseInterceptors(IdemInterceptor))`.
    const returned = returnedExpression(t, callee.node);
    return returned ? expandDecorator(ctx, strip(t, returned), `${where} via @${callee.name}`, depth + 1) : [];
  }
  return [];
}

function decoratorOf(ctx: DetectorContext, node: ts.Node, name: RegExp, module = COMMON): ts.Decorator | undefined {
  return packageDecorator(ctx, node, module, name);
}
