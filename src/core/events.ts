// Events emitted on an in-process bus run the listeners registered for them: `events.emit('order.placed',
// order)` → `events.on('order.placed', sendConfirmation)` or a Nest `@OnEvent('order.placed')` method.
// The listeners' writes happen because of the request, so a retry repeats them. Listeners registered
// with `.on(...)` are found by one lazy pass over the project, the first time an emit is followed;
// framework detectors add the decorator-registered ones (`resolver.addListener`).
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { Value } from './values.js';
import { stripExpression } from './resolver.js';
import { EMIT_METHOD, EVENT_EMITTER_MODULES, LISTEN_METHOD } from '../catalog/events.js';

type FunctionValue = Extract<Value, { kind: 'function' }>;

const LISTEN_CALL = /\.(on|once|addListener|prependListener|prependOnceListener)\s*\(/;
const MAX_BASE_DEPTH = 5;

export interface Emitted {
  event: string;
  listeners: readonly FunctionValue[];
}

export class EventListeners {
  private scanned = false;

  constructor(
    private readonly t: TS,
    private readonly resolver: Resolver,
  ) {}

  /** The event `call` emits on an in-process emitter and the listeners it runs; undefined for any other call. */
  emitted(call: ts.CallExpression): Emitted | undefined {
    const t = this.t;
    const callee = call.expression;
    const first = call.arguments[0];
    if (!first || !t.isPropertyAccessExpression(callee) || !EMIT_METHOD.test(callee.name.text)) return undefined;
    if (!this.isEmitter(callee.expression)) return undefined;
    const event = eventName(t, this.resolver, first);
    if (event === undefined) return undefined;
    this.scan();
    return { event, listeners: this.resolver.listeners.get(event) ?? [] };
  }

  /** An emitter of a package that runs listeners in-process, or an instance of a project class extending one. */
  private isEmitter(receiver: ts.Expression): boolean {
    const value = this.resolver.resolve(receiver);
    if (value?.kind === 'external') return EVENT_EMITTER_MODULES.test(value.module);
    if (value?.kind !== 'instance' && value?.kind !== 'class') return false;
    let cls: ts.ClassLikeDeclaration = value.kind === 'instance' ? value.cls : value.node;
    for (let i = 0; i < MAX_BASE_DEPTH; i++) {
      const base = this.resolver.baseClass(cls);
      if (base?.kind === 'external') return EVENT_EMITTER_MODULES.test(base.module);
      if (base?.kind !== 'class') return false;
      cls = base.node;
    }
    return false;
  }

  /** Registers every `emitter.on('event', fn)` of the project, once. */
  private scan(): void {
    if (this.scanned) return;
    this.scanned = true;
    const t = this.t;
    const project = this.resolver.project;
    const files = [...project.texts()].filter(([, text]) => LISTEN_CALL.test(text)).map(([file]) => file);
    for (const file of files) {
      const sf = project.sourceFile(file);
      if (!sf) continue;
      const visit = (node: ts.Node): void => {
        if (t.isCallExpression(node)) this.register(node);
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
  }

  private register(call: ts.CallExpression): void {
    const t = this.t;
    const callee = call.expression;
    const [first, listener] = call.arguments;
    if (!first || !listener || !t.isPropertyAccessExpression(callee) || !LISTEN_METHOD.test(callee.name.text)) return;
    if (!this.isEmitter(callee.expression)) return;
    const event = eventName(t, this.resolver, first);
    if (event === undefined) return;
    const fn = stripExpression(t, listener);
    const value = t.isArrowFunction(fn) || t.isFunctionExpression(fn) ? { kind: 'function' as const, node: fn, name: 'listener' } : this.resolver.resolve(fn);
    if (value?.kind === 'function') this.resolver.addListener(event, value);
  }
}

/** The event's name: the string a constant expression holds, or the expression's text (`OrderEvents.Placed`). */
export function eventName(t: TS, resolver: Resolver, expr: ts.Expression): string | undefined {
  const constant = resolver.constantString(expr);
  if (constant !== undefined) return constant;
  const e = stripExpression(t, expr);
  return t.isIdentifier(e) || t.isPropertyAccessExpression(e) ? e.getText().replace(/\s+/g, '') : undefined;
}
