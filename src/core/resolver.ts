// Resolves expressions to Values across files: imports (ESM and CommonJS), exports and re-exports,
// object literals, classes and their members (including constructor parameter properties and
// inheritance), factory functions' return values, and type annotations. Depth-limited and cycle-safe.
import path from 'node:path';
import type { TS, tsTypes as ts } from './ts.js';
import { enclosingFunction, parentOf } from './ts.js';
import type { Project } from './project.js';
import { Scopes, importClauseNames, propertyNameText, type Binding } from './scope.js';
import { isTestFile } from './files.js';
import type { FunctionLike, Value } from './values.js';
import { REQUEST_NAME } from './writes.js';
import { CONTEXTUAL_CALLBACKS, CONTEXTUAL_TYPES, RECEIVER_PASSING_METHODS, SCHEMA_METHOD_HOSTS, type SchemaMethodHost } from '../catalog/contextual.js';

const MAX_DEPTH = 20;
/** Call sites looked at for what an untyped parameter receives (a few agreeing ones are enough). */
const MAX_CALL_SITES = 12;
/** A method named in more files than this is too common a name to search for its callers. */
const MAX_METHOD_CALLER_FILES = 20;
/** Parameter names of request handlers and callbacks: what they hold never comes from project call sites. */
const FRAMEWORK_PARAMETER = /^(req|res|request|response|reply|next|err|error|e)$/;
/** Objection's query of a record's relation, and where a model class declares its relations. */
const RELATED_QUERY = '$relatedQuery';
const RELATION_MAPPINGS = 'relationMappings';
/** What Express, Fastify and common middleware put on the request: never a project record. */
const FRAMEWORK_REQUEST_MEMBER = new Set([
  'body', 'params', 'query', 'headers', 'cookies', 'signedCookies', 'method', 'url', 'originalUrl', 'baseUrl', 'path', 'route',
  'ip', 'ips', 'hostname', 'host', 'protocol', 'secure', 'xhr', 'get', 'header', 'is', 'accepts', 'app', 'res', 'socket', 'raw',
  'server', 'log', 'id', 'routeOptions', 'routerPath', 'session', 'sessionID', 'file', 'files', 'logIn', 'login', 'logout', 'isAuthenticated',
  'jwtVerify',
]);
/** Call-site hops in one resolution, and the depth an argument is resolved from at each hop. */
const MAX_CALL_SITE_HOPS = 4;
const CALL_SITE_DEPTH = 4;
/** Callbacks of these methods receive a client derived from the receiver (Prisma, Knex, TypeORM, Sequelize...). */
const TRANSACTION_METHODS = new Set(['$transaction', 'transaction', 'withTransaction', 'startTransaction']);

/** Marks, in `Resolver.settled`, an expression whose resolution is under way (a cycle if met again). */
const ACTIVE = Symbol('resolving');

export class Resolver {
  readonly scopes: Scopes;
  private readonly ts: TS;
  private readonly exportCache = new Map<ts.SourceFile, Map<string, ExportTarget>>();
  /** How many searches are under way (each marked ACTIVE in `settled` while it runs). */
  private activeCount = 0;
  /** Top-level answers; null stands for "resolves to nothing" (one lookup instead of has + get). */
  private memo = new Map<ts.Node, Value | null>();
  /**
   * Dependency-injection providers seen by framework detectors: token text → what is provided
   * (`{ provide: ORDER_REPO, useClass: PrismaOrderRepo }`), for `@Inject(ORDER_REPO)` parameters.
   */
  readonly providers = new Map<string, ts.Expression>();
  /**
   * Members frameworks add to a package's objects at run time (`fastify.decorate('db', knex(opts))`),
   * keyed by `module#name`, so `fastify.db.insert(...)` resolves to what was decorated.
   */
  readonly decorations = new Map<string, ts.Expression>();
  /** Members a package's plugins add (`fastify#mongo` → @fastify/mongodb), used when the project decorates none of that name. */
  readonly pluginDecorations = new Map<string, Value>();
  /** Calls seen anywhere in the scanned code, as `module#chain` (module registrations such as `IdempotencyModule.forRoot`). */
  readonly registrations = new Set<string>();
  /** Message classes → the function that handles them (CQRS `@CommandHandler(X)` → `execute`). */
  readonly dispatch = new Map<ts.Node, Extract<Value, { kind: 'function' }>>();
  /**
   * Parameters a framework fills with one of its own objects at run time, which no call site in the
   * project shows: the instance an autoloaded Fastify plugin file's function receives.
   */
  readonly frameworkParameters = new Map<ts.ParameterDeclaration, Extract<Value, { kind: 'external' }>>();
  /** What a framework binds `this` to in a function it calls (a Fastify route handler: the instance). */
  readonly frameworkThis = new Map<ts.Node, Extract<Value, { kind: 'external' }>>();
  /** Event name → the functions that listen to it (`@OnEvent('order.placed')`, `bus.on('order.placed', fn)`). */
  readonly listeners = new Map<string, Extract<Value, { kind: 'function' }>[]>();

  constructor(readonly project: Project) {
    this.ts = project.ts;
    this.scopes = new Scopes(project.ts);
  }

  addListener(event: string, fn: Extract<Value, { kind: 'function' }>): void {
    const known = this.listeners.get(event);
    if (!known) this.listeners.set(event, [fn]);
    else if (!known.some((k) => k.node === fn.node)) known.push(fn);
  }

  private schemaMethods?: Map<string, Extract<Value, { kind: 'function' }>[]>;

  /** `article.addComment()` on a Mongoose document: the schema method of that name, when one schema defines it. */
  private schemaMethod(value: Extract<Value, { kind: 'external' }>, key: string): Value | undefined {
    const host = SCHEMA_METHOD_HOSTS.find((h) => h.module.test(value.module) && value.chain[0] === h.chain);
    if (!host) return undefined;
    this.schemaMethods ??= this.collectSchemaMethods();
    const found = this.schemaMethods.get(key);
    return found?.length === 1 ? found[0] : undefined;
  }

  /**
   * `req.article.addComment(…)` where nothing says what `req.article` is: a method name that exactly one
   * schema of the project defines is that method (schema methods are named for what they do; a name that
   * two schemas share, or a short one, is not guessed).
   */
  uniqueSchemaMethod(name: string): Extract<Value, { kind: 'function' }> | undefined {
    if (name.length < 6) return undefined;
    this.schemaMethods ??= this.collectSchemaMethods();
    const found = this.schemaMethods.get(name);
    return found?.length === 1 ? found[0] : undefined;
  }

  /** Whether `fn` is a schema method (`this` there is a document whose origin only the caller knows). */
  isSchemaMethod(fn: ts.Node): boolean {
    this.schemaMethods ??= this.collectSchemaMethods();
    for (const list of this.schemaMethods.values()) if (list.some((v) => v.node === fn)) return true;
    return false;
  }

  /** Every `schema.methods.x = fn`, `schema.methods = { x() {} }`, `schema.method('x', fn)` of the project. */
  private collectSchemaMethods(): Map<string, Extract<Value, { kind: 'function' }>[]> {
    const t = this.ts;
    const found = new Map<string, Extract<Value, { kind: 'function' }>[]>();
    const add = (name: string, fn: ts.Node): void => {
      const value = t.isFunctionExpression(fn) || t.isArrowFunction(fn) || t.isMethodDeclaration(fn) ? { kind: 'function' as const, node: fn, name } : undefined;
      if (!value) return;
      const list = found.get(name) ?? [];
      if (!list.some((v) => v.node === fn)) list.push(value);
      found.set(name, list);
    };
    const holders = new Set(SCHEMA_METHOD_HOSTS.flatMap((h) => h.holders));
    const registrars = new Set(SCHEMA_METHOD_HOSTS.flatMap((h) => h.registrars));
    const mentions = new RegExp(`\\.(${[...holders, ...registrars].join('|')})\\b`);
    for (const [file, text] of this.project.texts()) {
      if (!mentions.test(text)) continue;
      const sf = this.project.sourceFile(file);
      if (!sf) continue;
      const visit = (node: ts.Node): void => {
        if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(node.left)) {
          const left = node.left;
          const right = stripExpression(t, node.right);
          // `schema.methods = { addComment() { … } }`
          if (holders.has(left.name.text) && t.isObjectLiteralExpression(right)) {
            for (const p of right.properties) {
              const name = p.name ? propertyNameText(t, p.name) : undefined;
              if (name && t.isMethodDeclaration(p)) add(name, p);
              else if (name && t.isPropertyAssignment(p)) add(name, stripExpression(t, p.initializer));
            }
          }
          // `schema.methods.addComment = function () { … }`
          if (t.isPropertyAccessExpression(left.expression) && holders.has(left.expression.name.text)) add(left.name.text, right);
        }
        // `schema.method('addComment', function () { … })`
        if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && registrars.has(node.expression.name.text)) {
          const [name, fn] = node.arguments;
          if (name && fn && t.isStringLiteralLike(name)) add(name.text, stripExpression(t, fn));
        }
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
    return found;
  }

  /** `this` inside a schema method is the document (or, in a static, the model). */
  private schemaMethodThis(expr: ts.Node): Value | undefined {
    const t = this.ts;
    const fn = enclosingNonArrowFunction(t, expr);
    if (!fn) return undefined;
    const host = (holder: string): SchemaMethodHost | undefined => SCHEMA_METHOD_HOSTS.find((h) => h.holders.includes(holder) || h.registrars.includes(holder));
    let parent = fn.parent;
    if (t.isPropertyAssignment(parent)) parent = parent.parent;
    let found: SchemaMethodHost | undefined;
    if (t.isObjectLiteralExpression(parent) && t.isBinaryExpression(parent.parent) && t.isPropertyAccessExpression(parent.parent.left)) found = host(parent.parent.left.name.text);
    else if (t.isBinaryExpression(parent) && t.isPropertyAccessExpression(parent.left) && t.isPropertyAccessExpression(parent.left.expression)) found = host(parent.left.expression.name.text);
    else if (t.isCallExpression(parent) && t.isPropertyAccessExpression(parent.expression)) found = host(parent.expression.name.text);
    if (found) return { kind: 'external', module: found.thisModule, chain: [found.chain] };
    // `const Workspace = { update(id, data) { return this._update(id, data); }, _update: … }`: a method of
    // an object literal called on that object (the module's usual `Model.update(…)`) has it as `this`.
    const holder = t.isMethodDeclaration(fn) ? fn.parent : t.isPropertyAssignment(fn.parent) ? fn.parent.parent : undefined;
    return holder && t.isObjectLiteralExpression(holder) ? { kind: 'object', node: holder } : undefined;
  }

  /** Forgets cached answers: detectors register providers and decorations that change them. */
  clearMemo(): void {
    this.memo = new Map();
    // (Searches under way keep their mark: a cycle through them must still be seen.)
    this.settled = new Map([...this.settled].filter(([, v]) => v === ACTIVE));
    this.importValues = new Map();
    this.exportValues = new Map();
  }

  /**
   * Called once detection is over. Only module providers (Nest `{ provide, useClass }`) and package
   * decorations looked up before they were seen (`fastify.decorate('db', …)`) change what an expression
   * resolves to; without them, every answer cached during detection still holds and classification
   * reuses them instead of resolving the same callees a second time.
   */
  detectionDone(): void {
    const decoratedLate = [...this.decorations.keys()].some((key) => this.missedDecorations.has(key));
    if (this.providers.size > 0 || this.frameworkParameters.size > 0 || this.frameworkThis.size > 0 || decoratedLate) this.clearMemo();
    this.missedDecorations.clear();
    this.detecting = false;
  }

  private detecting = true;

  /** Package members looked up before any decoration named them (`fastify#db`): see detectionDone. */
  private readonly missedDecorations = new Set<string>();

  /** What `expr` evaluates to, or undefined when syntax cannot tell. */
  resolve(expr: ts.Node, depth = 0): Value | undefined {
    // Top-level answers are cached: key usage, call following and write matching ask about the same callees.
    if (depth === 0) {
      const known = this.memo.get(expr);
      if (known !== undefined) return known ?? undefined;
      const before = this.cutoffs;
      const value = this.resolve(expr, 1);
      // Asked from inside another resolution, a search can be cut short by that one's cycle or hop
      // limit: such an answer is not kept, the next question gets a full search.
      if (this.cutoffs === before || this.activeCount === 0) this.memo.set(expr, value ?? null);
      return value;
    }
    // An answer worked out in full before holds at any depth: a variable's initializer, an import's
    // target and a service's class are reached from every use of them.
    const settled = this.settled.get(expr);
    if (settled !== undefined && settled !== ACTIVE) return settled ?? undefined;
    if (depth > MAX_DEPTH || settled === ACTIVE) {
      this.cutoffs++;
      return undefined;
    }
    this.settled.set(expr, ACTIVE);
    this.activeCount++;
    const cutoffsBefore = this.cutoffs;
    let value: Value | undefined;
    let done = false;
    try {
      value = this.resolveUncached(expr, depth + 1);
      done = true;
      return value;
    } finally {
      this.activeCount--;
      // Kept only when no limit cut the search short: then the answer does not depend on the path here.
      if (done && this.cutoffs === cutoffsBefore) this.settled.set(expr, value ?? null);
      else this.settled.delete(expr);
    }
  }

  private importValues = new Map<Binding, Value | undefined>();
  private readonly assignments = new Map<ts.VariableDeclaration, ts.Expression[]>();

  /** The values assigned to a `let`/`var` declared without one (`db = openDatabase(…)`), in its own scope. */
  private assignmentsTo(decl: ts.VariableDeclaration): ts.Expression[] {
    const cached = this.assignments.get(decl);
    if (cached) return cached;
    const t = this.ts;
    const found: ts.Expression[] = [];
    this.assignments.set(decl, found);
    const name = (decl.name as ts.Identifier).text;
    const scope = decl.parent.parent.parent;
    if (!scope.getText().includes(`${name} =`) && !scope.getText().includes(`${name}=`)) return found;
    const visit = (node: ts.Node): void => {
      if (found.length >= 4) return;
      if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(node.left) && node.left.text === name) {
        const binding = this.scopes.lookup(name, node.left);
        if (binding?.kind === 'variable' && binding.decl === decl && !isNullLiteral(t, node.right)) found.push(node.right);
      }
      t.forEachChild(node, visit);
    };
    visit(scope);
    return found;
  }

  private readonly cacheEntries = new Map<ts.VariableDeclaration, ts.Expression[]>();

  /**
   * What `cache.get(k)` returns when `cache` is a variable holding a `new Map()` and the code in its scope
   * stores entries with `cache.set(k, value)`: the stored value, when every `set` stores the same thing.
   */
  private cachedEntry(call: ts.CallExpression, depth: number): Value | undefined {
    const t = this.ts;
    const receiver = t.isPropertyAccessExpression(call.expression) ? stripExpression(t, call.expression.expression) : undefined;
    if (!receiver || !t.isIdentifier(receiver)) return undefined;
    const binding = this.scopes.lookup(receiver.text, receiver);
    if (binding?.kind !== 'variable' || binding.path.length > 0 || !t.isVariableDeclarationList(binding.decl.parent)) return undefined;
    const decl = binding.decl;
    const init = decl.initializer ? stripExpression(t, decl.initializer) : undefined;
    if (!init || !t.isNewExpression(init) || !t.isIdentifier(init.expression) || !/^(Map|WeakMap)$/.test(init.expression.text)) return undefined;
    let stored = this.cacheEntries.get(decl);
    if (!stored) {
      const found: ts.Expression[] = [];
      this.cacheEntries.set(decl, found);
      const name = receiver.text;
      const scope = decl.parent.parent.parent;
      if (scope.getText().includes(`${name}.set(`)) {
        const visit = (node: ts.Node): void => {
          if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set' &&
              t.isIdentifier(node.expression.expression) && node.expression.expression.text === name && node.arguments.length === 2) {
            const target = this.scopes.lookup(name, node.expression.expression);
            if (target?.kind === 'variable' && target.decl === decl) found.push(node.arguments[1]!);
          }
          t.forEachChild(node, visit);
        };
        visit(scope);
      }
      stored = found;
    }
    let value: Value | undefined;
    for (const expr of stored) {
      const next = this.resolve(expr, depth);
      if (!next) return undefined;
      if (value && !sameValue(value, next) && !sameExternal(value, next)) return undefined;
      value ??= next;
    }
    return value;
  }

  /**
   * Answers computed without hitting a depth limit, a cycle or the call-site hop limit, and the
   * searches under way (ACTIVE): one map, so that each step of a search costs one lookup.
   */
  private settled = new Map<ts.Node, Value | null | typeof ACTIVE>();
  /** How often a limit cut a search short (compared before and after a resolution). */
  private cutoffs = 0;

  /** The number of searches cut short so far: a caller that caches what it derives compares it. */
  get cutoffCount(): number {
    return this.cutoffs;
  }

  private resolveUncached(expr: ts.Node, depth: number): Value | undefined {
    const t = this.ts;
    if (t.isAsExpression(expr) || t.isTypeAssertionExpression(expr)) {
      // `export default global.prisma as PrismaClient`: what the code cannot tell, the asserted type does.
      const inner = this.resolve(expr.expression, depth);
      if (inner && !(inner.kind === 'external' && inner.module === 'global')) return inner;
      return this.fromType(expr.type, depth) ?? inner;
    }
    if (t.isParenthesizedExpression(expr) || t.isNonNullExpression(expr) || t.isAwaitExpression(expr) || t.isSatisfiesExpression(expr)) {
      return this.resolve(expr.expression, depth);
    }
    if (t.isIdentifier(expr)) return this.resolveIdentifier(expr, depth);
    // `super.create(request)` in an override: the base class's method.
    if (expr.kind === t.SyntaxKind.SuperKeyword) {
      const cls = enclosingClass(t, expr);
      const base = cls ? this.baseClass(cls, depth) : undefined;
      return base?.kind === 'class' ? { kind: 'instance', cls: base.node } : base;
    }
    if (expr.kind === t.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(t, expr);
      if (!cls) {
        const fn = this.frameworkThis.size > 0 ? enclosingNonArrowFunction(t, expr) : undefined;
        return (fn && this.frameworkThis.get(fn)) ?? this.schemaMethodThis(expr);
      }
      const fn = enclosingNonArrowFunction(t, expr);
      const isStatic = fn && (t.isMethodDeclaration(fn) || t.isPropertyDeclaration(fn)) && hasModifier(t, fn, t.SyntaxKind.StaticKeyword);
      return isStatic ? { kind: 'class', node: cls } : { kind: 'instance', cls };
    }
    if (t.isPropertyAccessExpression(expr)) {
      const attached = this.requestMember(expr, depth);
      if (attached) return attached;
      const target = this.resolve(expr.expression, depth);
      return this.member(target, expr.name.text, depth) ?? this.typedMember(expr, depth) ?? (target === undefined ? this.bagMember(expr, depth) : undefined);
    }
    if (t.isElementAccessExpression(expr)) {
      const key = t.isStringLiteralLike(expr.argumentExpression) ? expr.argumentExpression.text : undefined;
      const target = this.resolve(expr.expression, depth);
      return key === undefined ? this.anyMember(target, depth) : this.member(target, key, depth);
    }
    if (t.isCallExpression(expr)) return this.resolveCall(expr, depth);
    if (t.isNewExpression(expr)) {
      const target = this.resolve(expr.expression, depth);
      if (target?.kind === 'class') return { kind: 'instance', cls: target.node };
      if (target?.kind === 'external') return { ...target, origin: undefined, typeArgs: expr.typeArguments ?? target.typeArgs, madeBy: target.madeBy ?? expr };
      return undefined;
    }
    if (t.isObjectLiteralExpression(expr)) return { kind: 'object', node: expr };
    if (t.isFunctionExpression(expr) || t.isArrowFunction(expr)) return { kind: 'function', node: expr, name: functionName(t, expr) };
    if (t.isClassExpression(expr)) return { kind: 'class', node: expr };
    if (t.isConditionalExpression(expr)) {
      const whenTrue = this.resolve(expr.whenTrue, depth);
      // `isCreator ? this.$relatedQuery('flows') : Flow.query()`: records of the same package, and one
      // side names their class.
      if (whenTrue?.kind === 'external' && !whenTrue.modelClass) {
        const whenFalse = this.resolve(expr.whenFalse, depth);
        if (whenFalse?.kind === 'external' && whenFalse.module === whenTrue.module && whenFalse.modelClass) return whenFalse;
      }
      if (whenTrue && !(whenTrue.kind === 'external' && whenTrue.module === 'global')) return whenTrue;
      return this.resolve(expr.whenFalse, depth) ?? whenTrue;
    }
    if (t.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === t.SyntaxKind.QuestionQuestionToken || op === t.SyntaxKind.BarBarToken) {
        // `global.prisma ?? createClient()`: an unknown global on one side says less than the other side.
        const left = this.resolve(expr.left, depth);
        const right = this.resolve(expr.right, depth);
        // `mongoose.models.Order || mongoose.model('Order', schema)`: the side that constructs the value
        // says what it is; a cache lookup or an unknown global on the other side says less.
        if (left?.kind === 'external' && right?.kind === 'external' && !left.madeBy && right.madeBy) return right;
        if (left && !(left.kind === 'external' && left.module === 'global')) return left;
        return right ?? left;
      }
      if (op === t.SyntaxKind.EqualsToken) return this.resolve(expr.right, depth);
      return undefined;
    }
    if (t.isFunctionDeclaration(expr) || t.isMethodDeclaration(expr)) return { kind: 'function', node: expr, name: functionName(t, expr) };
    if (t.isClassDeclaration(expr)) return { kind: 'class', node: expr };
    return undefined;
  }

  private resolveCall(call: ts.CallExpression, depth: number): Value | undefined {
    const t = this.ts;
    const required = this.requiredModule(call);
    if (required !== undefined) return this.moduleValue(required, call);
    // `(await import('./ee/routes')).default`: the module's namespace, as a static import gives it.
    const dynamic = call.expression.kind === t.SyntaxKind.ImportKeyword ? call.arguments[0] : undefined;
    if (dynamic && t.isStringLiteralLike(dynamic)) return this.importValue(dynamic.text, '*', call);
    const fromContainer = this.containerLookup(call, depth);
    if (fromContainer) return fromContainer;
    // `passport.authenticate.bind(passport)`, `handler.bind(this)`: the same function.
    if (t.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'bind') return this.resolve(call.expression.expression, depth);
    const typed = this.typedFactoryResult(call.expression, depth);
    if (typed) return typed;
    const callee = this.callable(this.resolve(call.expression, depth));
    if (!callee) return undefined;
    if (callee.kind === 'external') {
      // `clients.get(key)` from a `new Map()` that the same code fills (`clients.set(key, new Client(…))`):
      // a per-key cache of clients holds what is put in it.
      const cached = callee.module === 'global' && callee.chain.at(-1) === 'get' ? this.cachedEntry(call, depth) : undefined;
      if (cached) return cached;
      const made = { ...callee, origin: undefined, typeArgs: call.typeArguments, madeBy: call };
      // `user.$relatedQuery('flows')`: records of the class the relation maps to, or of no known class.
      if (callee.modelClass && callee.chain.at(-1) === RELATED_QUERY) made.modelClass = this.relatedModel(callee.modelClass, call.arguments[0], depth);
      return made;
    }
    if (callee.kind === 'function') {
      // A declared return type (`getInstance(): Queue<Job> | null`) says what comes back even when the
      // body returns it from a cache (`instances.get(i) || null`).
      const declared = callee.node.type ? this.fromType(unwrapPromise(t, callee.node.type), depth + 1) : undefined;
      if (declared && (declared.kind === 'external' || declared.kind === 'instance')) return declared;
      const returned = returnedExpression(t, callee.node);
      const r = returned ? stripExpression(t, returned) : undefined;
      if (r && (t.isArrowFunction(r) || t.isFunctionExpression(r))) {
        // A higher-order wrapper (`catchAsync(fn)` → `(req, res, next) => fn(req, res, next)`): the work
        // is the function passed in, which the returned function calls through its parameter. An
        // argument whose parameter the returned function never calls is a dependency of a factory
        // (`createOperation(ctx, env, app, col)` → `async function operation(req, res)`), not the work.
        const params = callee.node.parameters;
        for (const [i, arg] of [...call.arguments.entries()].reverse()) {
          const param = params[Math.min(i, params.length - 1)];
          if (param && !param.dotDotDotToken && t.isIdentifier(param.name) && callsThrough(t, r, param.name.text) !== 'direct') continue;
          const inner = this.resolve(arg, depth);
          if (inner?.kind === 'function') return { ...inner, wrappedBy: call };
          // `withPostHog(toNextJsHandler(auth).POST)`: the work is a package's handler.
          if (inner?.kind === 'external' && inner.module !== 'global' && !/^[./]/.test(inner.module)) return inner;
        }
      }
      const value = returned ? this.resolve(returned, depth) : undefined;
      // A package object the function makes each time it runs (`const app = express(); …; return app`).
      const made = value?.kind === 'external' ? value.origin ?? value.madeBy : undefined;
      if (value?.kind === 'external' && !value.instance && made && madeInside(made, callee.node)) return { ...value, instance: call };
      return value;
    }
    if (callee.kind === 'class') return { kind: 'instance', cls: callee.node };
    return undefined;
  }

  /** `require('x')` → 'x'. */
  requiredModule(call: ts.CallExpression): string | undefined {
    const t = this.ts;
    if (!t.isIdentifier(call.expression) || call.expression.text !== 'require') return undefined;
    const arg = call.arguments[0];
    if (!arg || !t.isStringLiteralLike(arg)) return undefined;
    return this.scopes.lookup('require', call) ? undefined : arg.text;
  }

  private resolveIdentifier(id: ts.Identifier, depth: number): Value | undefined {
    if (id.text === 'undefined') return undefined;
    // `export { POST } from '@/auth'`: the name is the other module's export, like an import of it.
    const spec = id.parent;
    const from = this.ts.isExportSpecifier(spec) ? spec.parent.parent.moduleSpecifier : undefined;
    if (from && this.ts.isStringLiteral(from)) return this.importValue(from.text, (spec as ts.ExportSpecifier).propertyName?.text ?? id.text, id);
    const binding = this.scopes.lookup(id.text, id);
    if (!binding) return { kind: 'external', module: 'global', chain: [id.text] };
    return this.resolveBinding(binding, id, depth);
  }

  resolveBinding(binding: Binding, from: ts.Node, depth: number): Value | undefined {
    switch (binding.kind) {
      case 'import': {
        // One answer per import of a file, however many uses of the name reach it.
        if (this.importValues.has(binding)) return this.importValues.get(binding);
        const value = this.importValue(binding.module, binding.name, from);
        this.importValues.set(binding, value);
        return value;
      }
      case 'function':
        return { kind: 'function', node: binding.decl, name: binding.decl.name?.text ?? 'default' };
      case 'class':
        return { kind: 'class', node: binding.decl };
      case 'type':
        return undefined;
      case 'variable': {
        const decl = binding.decl;
        const t = this.ts;
        let value: Value | undefined;
        // `const routes: FastifyPluginAsync = async (app) => …`: the function says more than its type.
        const init = decl.initializer ? stripExpression(t, decl.initializer) : undefined;
        const literal = init && (t.isArrowFunction(init) || t.isFunctionExpression(init) || t.isClassExpression(init) || t.isObjectLiteralExpression(init));
        if (decl.type && binding.path.length === 0 && !literal) value = this.fromType(decl.type, depth);
        // `const UserModel: Model<IUser> = mongoose.model('User', schema)`, `const UserSchema: Schema = new
        // Schema({ … })`: the call made by the package says more (which model, which fields) than the type.
        if (value?.kind === 'external' && init && (t.isCallExpression(init) || t.isNewExpression(init))) {
          const made = this.resolve(init, depth);
          if (made?.kind === 'external' && made.module === value.module && made.madeBy) value = made;
        }
        if (!value && decl.initializer) {
          value = this.resolve(decl.initializer, depth);
          for (const key of binding.path) value = this.member(value, key, depth);
        }
        // `let db; export function getDb() { if (!db) db = openDatabase(path); return db; }`: a lazily made
        // singleton is what is assigned to it.
        if (!value && binding.path.length === 0 && (!init || isNullLiteral(t, init)) && t.isIdentifier(decl.name)) {
          for (const assigned of this.assignmentsTo(decl)) {
            value = this.resolve(assigned, depth);
            if (value) break;
          }
        }
        if (value?.kind === 'external' && binding.path.length === 0 && !value.origin) return { ...value, origin: decl };
        return value;
      }
      case 'parameter':
        return this.parameterValue(binding.decl, binding.path, depth);
    }
  }

  private parameterValue(param: ts.ParameterDeclaration, path: string[], depth: number): Value | undefined {
    const t = this.ts;
    const filled = this.frameworkParameters.get(param);
    if (filled) {
      let value: Value | undefined = filled;
      for (const key of path) value = this.member(value, key, depth);
      return value;
    }
    if (param.type && path.length === 0) {
      const typed = this.fromType(param.type, depth);
      if (typed) return typed.kind === 'external' ? { ...typed, origin: param } : typed;
    }
    // `({ prisma }: { prisma: PrismaClient })`: the destructured member's declared type.
    const memberType = param.type && path.length === 1 ? this.memberType(param.type, path[0]!) : undefined;
    const typedMember = memberType ? this.fromType(memberType, depth) : undefined;
    if (typedMember) return typedMember.kind === 'external' ? { ...typedMember, origin: param } : typedMember;
    const fn = param.parent;
    const contextual = fn.parameters[0] === param && path.length === 0 ? this.contextualParameter(fn, depth) : undefined;
    if (contextual) return { ...contextual, origin: param };
    // `prisma.$transaction(async (tx) => tx.order.create(...))`: tx is the receiver's client.
    if ((t.isArrowFunction(fn) || t.isFunctionExpression(fn)) && t.isCallExpression(fn.parent) && fn.parameters[0] === param) {
      const callee = fn.parent.expression;
      if (t.isPropertyAccessExpression(callee) && TRANSACTION_METHODS.has(callee.name.text)) {
        const receiver = this.resolve(callee.expression, depth);
        if (receiver?.kind === 'external') return { ...receiver, origin: param };
        return receiver;
      }
    }
    // `openStorage(env, function ready(err, store) { ctx.store = store; })`: a callback's parameter is
    // what the project function it is given passes when it calls it (`cb(null, mongo)`).
    if (!param.type && (t.isArrowFunction(fn) || t.isFunctionExpression(fn))) {
      const given = this.callbackArgument(fn, fn.parameters.indexOf(param), depth);
      if (given) {
        let value: Value | undefined = given;
        for (const key of path) value = this.member(value, key, depth);
        if (value) return value;
      }
    }
    // A port: `makeProjectService(repository: ProjectRepository)` typed by a project interface is what
    // the function's callers hand in (`makeProjectService(makePrismaProjectRepository(prisma))`), when they agree.
    if (param.type && !param.dotDotDotToken && t.isTypeReferenceNode(param.type)) {
      const decl = this.projectTypeDeclaration(param.type);
      if (decl && (t.isInterfaceDeclaration(decl) || (t.isTypeAliasDeclaration(decl) && t.isTypeLiteralNode(decl.type)))) {
        const passed = this.passedArgument(fn, fn.parameters.indexOf(param), path, depth);
        if (passed) return passed;
      }
    }
    // JavaScript's dependency injection: `module.exports = (app, { db }) => …`, called as
    // `require('./routes/notes')(app, { db })`. An untyped parameter is what its call sites pass.
    // The request, response and `next` of a handler come from the framework, whoever forwards them.
    if (!param.type && !param.dotDotDotToken && !(t.isIdentifier(param.name) && FRAMEWORK_PARAMETER.test(param.name.text))) {
      return this.passedArgument(fn, fn.parameters.indexOf(param), path, depth);
    }
    return undefined;
  }

  /**
   * What the project function that receives `callback` as an argument passes at `index` when it calls
   * it through its parameter (`function init(env, cb) { … cb(null, mongo) }`), when those calls agree.
   */
  private callbackArgument(callback: ts.ArrowFunction | ts.FunctionExpression, index: number, depth: number): Value | undefined {
    const t = this.ts;
    const call = callback.parent;
    if (index < 0 || !t.isCallExpression(call)) return undefined;
    const position = call.arguments.indexOf(callback);
    if (position < 0) return undefined;
    const receiver = this.callable(this.resolve(call.expression, depth));
    if (receiver?.kind !== 'function' || !receiver.node.body) return undefined;
    const slot = receiver.node.parameters[position];
    if (!slot || !t.isIdentifier(slot.name)) return undefined;
    const name = slot.name.text;
    const passed: Value[] = [];
    const visit = (node: ts.Node): void => {
      if (t.isCallExpression(node) && t.isIdentifier(node.expression) && node.expression.text === name && this.scopes.lookup(name, node.expression)?.kind === 'parameter') {
        const arg = node.arguments[index];
        const value = arg ? this.resolve(arg, depth) : undefined;
        if (value) passed.push(value);
      }
      t.forEachChild(node, visit);
    };
    visit(receiver.node.body);
    const [first] = passed;
    return first && passed.every((v) => sameValue(first, v) || sameExternal(first, v)) ? first : undefined;
  }

  private readonly callSiteCache = new Map<ts.Node, readonly CallSite[]>();

  /** What every call site of `fn` passes at `index` (then `path` into it), when they agree. */
  private passedArgument(fn: ts.SignatureDeclaration, index: number, path: readonly string[], depth: number): Value | undefined {
    if (this.callSiteHops >= MAX_CALL_SITE_HOPS) {
      this.cutoffs++;
      return undefined;
    }
    if (!(isFunctionLikeNode(this.ts, fn) || this.ts.isConstructorDeclaration(fn))) return undefined;
    // Wiring runs through several files (index → app factory → plugin → handler → helper): each hop to a
    // call site gets a fresh depth budget, and the hops themselves are counted instead.
    const argDepth = Math.min(depth + 1, CALL_SITE_DEPTH);
    this.callSiteHops++;
    try {
      let found: Value | undefined;
      for (const site of this.callSitesOf(fn)) {
        const arg = site[index];
        if (!arg || this.ts.isSpreadElement(arg)) continue;
        let value = this.resolve(arg, argDepth);
        for (const key of path) value = this.member(value, key, argDepth);
        if (!value) continue;
        if (found && !sameValue(found, value) && !sameExternal(found, value) && !sameRecordClass(found, value)) {
          // `super(userRepository)` here, `super(blockRepository)` there: both a `BaseRepository`.
          const common = found.kind === 'instance' && value.kind === 'instance' ? this.commonBase(found.cls, value.cls, depth) : undefined;
          if (!common) return undefined;
          found = { kind: 'instance', cls: common };
          continue;
        }
        found ??= value;
      }
      return found;
    } finally {
      this.callSiteHops--;
    }
  }

  private callSiteHops = 0;
  private readonly callsByFile = new Map<ts.SourceFile, (ts.CallExpression | ts.NewExpression)[]>();

  /**
   * Every call of a file, listed once (call-site searches for many functions walk the same files), with
   * `new` expressions: a function used as a constructor (`new Collection({ app })`) is called too.
   */
  private callsIn(sf: ts.SourceFile): readonly (ts.CallExpression | ts.NewExpression)[] {
    let calls = this.callsByFile.get(sf);
    if (calls) return calls;
    const t = this.ts;
    const found: (ts.CallExpression | ts.NewExpression)[] = [];
    const visit = (node: ts.Node): void => {
      if (t.isCallExpression(node) || t.isNewExpression(node)) found.push(node);
      t.forEachChild(node, visit);
    };
    visit(sf);
    calls = found;
    this.callsByFile.set(sf, calls);
    return calls;
  }

  /**
   * The calls of `fn` in the project, for a function called by a name (a declaration, a variable, an
   * export): in its own file and in the files that mention its name or its module's name. Functions
   * passed inline as arguments (route handlers) have no call sites and are skipped at once.
   */
  private callSitesOf(fn: FunctionLike): readonly CallSite[] {
    const cached = this.callSiteCache.get(fn);
    if (cached) {
      // Asked again while its own call sites are being resolved: a partial list, so a cut-off search.
      if (this.listingSites.has(fn)) this.cutoffs++;
      return cached;
    }
    const sites: CallSite[] = [];
    this.callSiteCache.set(fn, sites);
    this.listingSites.add(fn);
    try {
      return this.listCallSites(fn, sites);
    } finally {
      this.listingSites.delete(fn);
    }
  }

  private readonly listingSites = new Set<ts.Node>();

  private listCallSites(fn: FunctionLike, sites: CallSite[]): readonly CallSite[] {
    const t = this.ts;
    if (t.isMethodDeclaration(fn)) return this.methodCallSites(fn, sites);
    if (t.isConstructorDeclaration(fn)) return this.constructionSites(fn, sites);
    const names = calledNames(t, fn);
    // A top-level function may be exported further down (`module.exports = routes`): other files are searched.
    const own = fn.getSourceFile();
    // `Helpers.setup = function …` after `const Helpers = module.exports` is exported too.
    const exportedByAssignment = (assignment: ts.BinaryExpression): boolean => /^(module\.)?exports(\.\w+)?$/.test(assignment.left.getText()) || [...this.exportsOf(own).values()].some((e) => e.kind === 'node' && e.node === fn);
    const exported = t.isExportAssignment(fn.parent) || (t.isBinaryExpression(fn.parent) && exportedByAssignment(fn.parent)) || t.isSourceFile(fn.parent) || (t.isVariableDeclaration(fn.parent) && t.isVariableStatement(fn.parent.parent.parent) && t.isSourceFile(fn.parent.parent.parent.parent));
    if (names.length === 0 && !exported) return sites;
    const moduleName = moduleBaseName(own.fileName);
    const words = [...names.filter((n) => n !== 'default'), ...(exported ? [moduleName] : [])];
    // Another file reaches an exported function only through an import of its module.
    const specifier = new RegExp(`['"\`][^'"\`]*\\b${moduleName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[cm]?[jt]sx?)?['"\`]`);
    // Tests construct and call the real code with stand-ins: their call sites would only disagree.
    const importers = exported ? this.project.mentioning(words).filter((f) => !isTestFile(f) && specifier.test(this.project.textOf(f) ?? '')) : [];
    const files = new Set([own.fileName, ...importers]);
    // Only calls that can name the function are resolved: by its own names, by a local name an import of
    // its module gives it, or through `require('./its-module')(…)` itself.
    const requiresModule = (e: ts.Expression): boolean => {
      const module = t.isCallExpression(e) ? this.requiredModule(e) : undefined;
      return module !== undefined && moduleBaseName(module) === moduleName;
    };
    for (const file of files) {
      const sf = file === own.fileName ? own : this.project.sourceFile(file);
      if (!sf) continue;
      const callable = new Set([...names, ...(sf === own ? [] : importedNames(t, sf, moduleName))]);
      for (const node of this.callsIn(sf)) {
        if (sites.length >= MAX_CALL_SITES) break;
        if (node === fn.parent) continue;
        const callee = node.expression;
        const plausible = t.isIdentifier(callee) ? callable.has(callee.text) : t.isPropertyAccessExpression(callee) ? names.includes(callee.name.text) || (t.isIdentifier(callee.expression) && callable.has(callee.expression.text)) : requiresModule(callee);
        if (plausible) {
          const value = this.resolve(callee, 1);
          if (value?.kind === 'function' && value.node === fn) sites.push(node.arguments ?? []);
        }
        // `app.register(plugin)`: the plugin is called with the receiver.
        const first = node.arguments?.[0] ? stripExpression(t, node.arguments[0]) : undefined;
        if (!first || !t.isCallExpression(node) || !t.isPropertyAccessExpression(callee) || !RECEIVER_PASSING_METHODS.some((m) => m.method === callee.name.text)) continue;
        if (!(t.isIdentifier(first) ? callable.has(first.text) : requiresModule(first) || t.isFunctionLike(first))) continue;
        const given = this.resolve(first, 1);
        if (given?.kind !== 'function' || given.node !== fn) continue;
        const receiver = this.resolve(callee.expression, 1);
        if (receiver?.kind === 'external' && RECEIVER_PASSING_METHODS.some((m) => m.method === callee.name.text && m.module === receiver.module)) sites.push([callee.expression]);
      }
    }
    return sites;
  }

  /**
   * `flow.duplicateFor(request.currentUser)`: the calls of a method, found among the files that name it
   * and kept when the callee resolves to this very method. A name that many files use
   * (`create`, `update`) is not searched: its callers cannot be told apart cheaply, and an untyped
   * parameter of such a method stays unknown.
   */
  private methodCallSites(fn: ts.MethodDeclaration, sites: CallSite[]): readonly CallSite[] {
    const t = this.ts;
    const name = t.isComputedPropertyName(fn.name) ? undefined : propertyNameText(t, fn.name);
    if (!name) return sites;
    const files = this.project.mentioning([name]).filter((f) => !isTestFile(f));
    if (files.length > MAX_METHOD_CALLER_FILES) return sites;
    for (const file of files) {
      const sf = this.project.sourceFile(file);
      if (!sf) continue;
      for (const node of this.callsIn(sf)) {
        if (sites.length >= MAX_CALL_SITES) return sites;
        const callee = node.expression;
        if (!t.isPropertyAccessExpression(callee) || callee.name.text !== name) continue;
        const value = this.resolve(callee, 1);
        if (value?.kind === 'function' && value.node === fn) sites.push(node.arguments ?? []);
      }
    }
    return sites;
  }

  /**
   * The first parameter of a function typed by its context: `const routes: FastifyPluginAsync =
   * async (app) => …` or `fp(async (app) => …)` (see CONTEXTUAL_TYPES in catalog/contextual.ts).
   */
  private contextualParameter(fn: ts.SignatureDeclaration, depth: number): Extract<Value, { kind: 'external' }> | undefined {
    const t = this.ts;
    const parent = fn.parent;
    if (t.isVariableDeclaration(parent) && parent.initializer === fn && parent.type && t.isTypeReferenceNode(parent.type)) {
      const typeName = parent.type.typeName.getText();
      const hit = CONTEXTUAL_TYPES.find((c) => c.type.test(typeName));
      if (hit) return { kind: 'external', module: hit.module, chain: [...hit.chain] };
    }
    if (t.isCallExpression(parent) && parent.arguments[0] === fn) {
      const callee = this.resolve(parent.expression, depth);
      const hit = callee?.kind === 'external' ? CONTEXTUAL_CALLBACKS.find((c) => c.module === callee.module && callee.chain.length === 0) : undefined;
      if (hit) return { kind: 'external', module: hit.firstParameter.module, chain: [...hit.firstParameter.chain] };
    }
    return undefined;
  }

  /**
   * `p.prisma` where `p` is a parameter declared `p: { prisma: PrismaClient | Prisma.TransactionClient }`
   * (or an interface of the same file): the member's declared type says what it is.
   */
  private typedMember(expr: ts.PropertyAccessExpression, depth: number): Value | undefined {
    const t = this.ts;
    if (!t.isIdentifier(expr.expression)) return undefined;
    const binding = this.scopes.lookup(expr.expression.text, expr.expression);
    if (binding?.kind !== 'parameter' || binding.path.length > 0 || !binding.decl.type) return undefined;
    const type = this.memberType(binding.decl.type, expr.name.text);
    return type ? this.fromType(type, depth) : undefined;
  }

  /** The declared type of member `name` in a type literal, intersection, or local interface/type alias. */
  private memberType(type: ts.TypeNode, name: string, seen = 0): ts.TypeNode | undefined {
    const t = this.ts;
    if (seen > 4) return undefined;
    if (t.isTypeLiteralNode(type)) return membersType(t, type.members, name);
    if (t.isIntersectionTypeNode(type)) {
      for (const part of type.types) {
        const found = this.memberType(part, name, seen + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (t.isTypeReferenceNode(type) && t.isIdentifier(type.typeName)) {
      // `{ projectService }: Pick<IServices, 'projectService'>`: the member is the wrapped type's.
      const inner = type.typeArguments?.[0];
      if (inner && WRAPPING_TYPES.has(type.typeName.text) && !this.scopes.lookup(type.typeName.text, type)) return this.memberType(inner, name, seen + 1);
      const decl = this.projectTypeDeclaration(type);
      if (decl && t.isInterfaceDeclaration(decl)) return membersType(t, decl.members, name);
      if (decl && t.isTypeAliasDeclaration(decl)) return this.memberType(decl.type, name, seen + 1);
    }
    return undefined;
  }

  /** The project interface or type alias a type reference names (`ProjectRepository`, also imported), if any. */
  private projectTypeDeclaration(type: ts.TypeReferenceNode): ts.Node | undefined {
    const t = this.ts;
    if (!t.isIdentifier(type.typeName)) return undefined;
    const binding = this.scopes.lookup(type.typeName.text, type);
    if (binding?.kind === 'type') return binding.decl;
    if (binding?.kind !== 'import' || binding.name === '*') return undefined;
    // An interface exported by another project file (`import type { IServices } from './services'`).
    const file = this.project.resolveImport(binding.module, type.getSourceFile().fileName);
    const sf = file ? this.project.sourceFile(file) : undefined;
    return sf ? this.declarationExported(sf, binding.name) : undefined;
  }

  /** A value from a type annotation: a class of the project, or a type exported by a package. */
  fromType(type: ts.TypeNode, depth: number): Value | undefined {
    const t = this.ts;
    // `Order | null`; `DriverEntityManager & { '~entities': Database }`: the member that names a value.
    if (t.isUnionTypeNode(type) || t.isIntersectionTypeNode(type)) {
      let fallback: Value | undefined;
      for (const member of type.types) {
        const value = this.fromType(member, depth);
        // `provider: NoEmailProvider | SmtpEmailProvider`: a null object stands in only when nothing else is
        // configured; the working member is what the code runs in a deployment.
        if (value?.kind === 'instance' && NULL_OBJECT_CLASS.test(value.cls.name?.text ?? '')) fallback ??= value;
        else if (value) return value;
      }
      return fallback;
    }
    if (!t.isTypeReferenceNode(type)) return undefined;
    const made = this.returnTypeOf(type, depth);
    if (made) return made;
    const names: string[] = [];
    let name: ts.EntityName = type.typeName;
    while (t.isQualifiedName(name)) {
      names.unshift(name.right.text);
      name = name.left;
    }
    const binding = this.scopes.lookup(name.text, type);
    if (!binding) return undefined;
    // `type KyselyDB = Kysely<DB>` (here or imported): the aliased type says what the value is.
    const alias = names.length === 0 && depth < 12 ? this.typeAlias(binding, type) : undefined;
    if (alias) return this.fromType(alias.type, depth + 1);
    let value: Value | undefined;
    if (binding.kind === 'import') value = this.importValue(binding.module, binding.name, type);
    else if (binding.kind === 'class') value = { kind: 'class', node: binding.decl };
    for (const key of names) value = this.member(value, key, depth);
    if (value?.kind === 'class') return { kind: 'instance', cls: this.boundClass(value.node, depth) };
    if (value?.kind === 'external') return { ...value, typeArgs: type.typeArguments };
    return undefined;
  }

  /**
   * `ReturnType<typeof express>`, `Awaited<ReturnType<typeof buildApp>>`: what calling the named value
   * gives (a package's factory: the value it makes; a project function: what it returns).
   */
  private returnTypeOf(type: ts.TypeReferenceNode, depth: number): Value | undefined {
    const t = this.ts;
    const [arg] = type.typeArguments ?? [];
    if (!arg || !t.isIdentifier(type.typeName) || this.scopes.lookup(type.typeName.text, type)) return undefined;
    if (type.typeName.text === 'Awaited') return t.isTypeReferenceNode(arg) ? this.returnTypeOf(arg, depth) : undefined;
    if (type.typeName.text !== 'ReturnType' || !t.isTypeQueryNode(arg) || !t.isIdentifier(arg.exprName) || depth > 12) return undefined;
    const value = this.callable(this.resolve(arg.exprName, depth + 1));
    if (value?.kind === 'external') return { ...value, origin: undefined };
    if (value?.kind !== 'function') return undefined;
    const returned = returnedExpression(t, value.node);
    return returned ? this.resolve(returned, depth + 1) : undefined;
  }

  /**
   * `db.prisma()` with `db = { prisma: getSingleton<PrismaClient>('prisma', createPrisma) }`, `redis()`
   * with `redis = lazy<Redis>(…)`: calling what a generic factory made for a named client type gives
   * that client (singletons, lazy and memoized getters).
   */
  private typedFactoryResult(callee: ts.Expression, depth: number): Value | undefined {
    const t = this.ts;
    const e = stripExpression(t, callee);
    let made: ts.Expression | undefined;
    if (t.isIdentifier(e)) {
      const decl = this.declarationOf(e);
      made = decl && t.isVariableDeclaration(decl) ? decl.initializer : undefined;
    } else if (t.isPropertyAccessExpression(e) && t.isIdentifier(stripExpression(t, e.expression))) {
      const decl = this.declarationOf(stripExpression(t, e.expression) as ts.Identifier);
      const object = decl && t.isVariableDeclaration(decl) && decl.initializer ? stripExpression(t, decl.initializer) : undefined;
      const prop = object && t.isObjectLiteralExpression(object) ? object.properties.find((p) => p.name !== undefined && propertyNameText(t, p.name) === e.name.text) : undefined;
      made = prop && t.isPropertyAssignment(prop) ? prop.initializer : undefined;
    }
    const factory = made ? stripExpression(t, made) : undefined;
    if (!factory || !t.isCallExpression(factory) || factory.typeArguments?.length !== 1) return undefined;
    const typed = this.fromType(factory.typeArguments[0]!, depth + 1);
    return typed?.kind === 'external' ? { ...typed, origin: undefined, madeBy: factory } : typed?.kind === 'instance' ? typed : undefined;
  }

  /** The type alias a name refers to: declared in this file, or exported by the project file it is imported from. */
  private typeAlias(binding: Binding, at: ts.Node): ts.TypeAliasDeclaration | undefined {
    const t = this.ts;
    if (binding.kind === 'type') return t.isTypeAliasDeclaration(binding.decl) ? binding.decl : undefined;
    if (binding.kind !== 'import') return undefined;
    const file = this.project.resolveImport(binding.module, at.getSourceFile().fileName);
    const sf = file ? this.project.sourceFile(file) : undefined;
    if (!sf) return undefined;
    for (const s of sf.statements) {
      if (t.isTypeAliasDeclaration(s) && s.name.text === binding.name && hasModifier(t, s, t.SyntaxKind.ExportKeyword)) return s;
    }
    return undefined;
  }

  /**
   * The class a dependency-injection container gives for a class-typed dependency: for an abstract
   * class (a repository port), the one a module provides for it (`{ provide: UserRepository,
   * useClass: UsersRelationalRepository }`); otherwise the class itself.
   */
  private boundClass(cls: ts.ClassLikeDeclaration, depth: number): ts.ClassLikeDeclaration {
    const t = this.ts;
    const isAbstract = cls.modifiers?.some((m) => m.kind === t.SyntaxKind.AbstractKeyword) ?? false;
    if (!isAbstract || !cls.name || this.providers.size === 0) return cls;
    const provided = this.providers.get(cls.name.text);
    const value = provided ? this.resolve(provided, depth + 1) : undefined;
    return value?.kind === 'class' && value.node !== cls ? value.node : cls;
  }

  /** The value of `name` imported from `module` (a project file or a package). */
  importValue(module: string, name: string, from: ts.Node): Value | undefined {
    const file = this.project.resolveImport(module, from.getSourceFile().fileName);
    if (!file) return { kind: 'external', module: normalizeModule(module), chain: name === 'default' || name === '*' || name === 'module.exports' ? [] : [name] };
    const sf = this.project.sourceFile(file);
    if (!sf) return undefined;
    if (name === '*') return { kind: 'module', file: sf };
    if (name === 'module.exports') return this.moduleValue(module, from);
    return this.exportValue(sf, name);
  }

  /** `require('m')`: the module.exports value of a project file, or the package. */
  private moduleValue(module: string, from: ts.Node): Value | undefined {
    const file = this.project.resolveImport(module, from.getSourceFile().fileName);
    if (!file) return { kind: 'external', module: normalizeModule(module), chain: [] };
    const sf = this.project.sourceFile(file);
    if (!sf) return undefined;
    const exports = this.exportsOf(sf);
    const whole = exports.get('module.exports') ?? exports.get('default');
    if (whole && !exports.has('module.exports.named')) return this.exportTargetValue(sf, whole);
    return { kind: 'module', file: sf };
  }

  /**
   * What a call of `value` runs: the value itself, or for a module that assigns a function to
   * `module.exports` and also hangs named values on it (`module.exports = init; module.exports.X = …`),
   * that function.
   */
  private callable(value: Value | undefined): Value | undefined {
    if (value?.kind !== 'module') return value;
    const whole = this.exportsOf(value.file).get('module.exports');
    const target = whole ? this.exportTargetValue(value.file, whole) : undefined;
    return target?.kind === 'function' ? target : value;
  }

  private exportValues = new Map<ts.SourceFile, Map<string, Value | null>>();

  /**
   * The value a module exports under `name` (ESM, `export =`, `module.exports`/`exports.x`). Asked
   * for every imported name a use reaches, so each file's answers are kept: what an export resolves to
   * does not depend on who imports it.
   */
  exportValue(sf: ts.SourceFile, name: string, seen?: Set<ts.SourceFile>): Value | undefined {
    if (seen) return this.exportValueUncached(sf, name, seen);
    let known = this.exportValues.get(sf);
    if (!known) this.exportValues.set(sf, (known = new Map<string, Value | null>()));
    const hit = known.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const value = this.exportValueUncached(sf, name, new Set());
    known.set(name, value ?? null);
    return value;
  }

  private exportValueUncached(sf: ts.SourceFile, name: string, seen: Set<ts.SourceFile>): Value | undefined {
    if (seen.has(sf)) return undefined;
    seen.add(sf);
    const exports = this.exportsOf(sf);
    const target = exports.get(name);
    if (target) return this.exportTargetValue(sf, target);
    const whole = exports.get('module.exports');
    if (whole) {
      const value = this.exportTargetValue(sf, whole);
      if (name === 'default') return value;
      const member = this.member(value, name, 0);
      if (member) return member;
    }
    if (name === 'default') return undefined;
    for (const star of this.starExports(sf)) {
      const file = this.project.resolveImport(star, sf.fileName);
      const other = file ? this.project.sourceFile(file) : undefined;
      const value = other ? this.exportValue(other, name, seen) : undefined;
      if (value) return value;
    }
    return undefined;
  }

  private exportTargetValue(sf: ts.SourceFile, target: ExportTarget): Value | undefined {
    if (target.kind === 'node') return this.resolve(target.node);
    if (target.kind === 'local') {
      const binding = this.scopes.lookup(target.name, sf);
      return binding ? this.resolveBinding(binding, sf, 0) : undefined;
    }
    return this.importValue(target.module, target.name, sf);
  }

  /** Member `key` of a value: object property, class member, module export, package chain. */
  member(value: Value | undefined, key: string, depth: number): Value | undefined {
    const t = this.ts;
    if (!value) return undefined;
    if (depth > MAX_DEPTH) {
      this.cutoffs++;
      return undefined;
    }
    switch (value.kind) {
      case 'external': {
        const decorationKey = `${value.module}#${key}`;
        const decorated = this.decorations.get(decorationKey);
        if (decorated) return this.resolve(decorated, depth);
        if (this.detecting) this.missedDecorations.add(decorationKey);
        const fromPlugin = this.pluginDecorations.get(decorationKey);
        if (fromPlugin) return fromPlugin;
        const schemaMethod = this.schemaMethod(value, key);
        if (schemaMethod) return schemaMethod;
        const recordMember = value.modelClass ? this.recordMember(value.modelClass, key, depth) : undefined;
        if (recordMember) return recordMember;
        return { kind: 'external', module: value.module, chain: [...value.chain, key], ...(value.modelClass ? { modelClass: value.modelClass } : {}) };
      }
      case 'module':
        return this.exportValue(value.file, key);
      case 'object': {
        for (const prop of value.node.properties) {
          const name = prop.name ? propertyNameText(t, prop.name) : undefined;
          if (name !== key) continue;
          // `db: null` filled in later (`mongo.db = client.db()`): the assignments say what it holds.
          if (t.isPropertyAssignment(prop)) return this.resolve(prop.initializer, depth) ?? this.assignedMember(value.node, key, depth);
          if (t.isShorthandPropertyAssignment(prop)) return this.resolve(prop.name, depth);
          if (t.isMethodDeclaration(prop)) return { kind: 'function', node: prop, name: key };
        }
        return this.assignedMember(value.node, key, depth) ?? this.registryMember(value.node, key);
      }
      case 'instance':
      case 'class': {
        const found = this.classMember(value.kind === 'instance' ? value.cls : value.node, key, value.kind === 'class', depth);
        // `user.readableFlows.findById(id)`, `this.db.user.create(…)`: reading a getter runs it, the
        // member is what it returns.
        return found?.kind === 'function' && t.isGetAccessorDeclaration(found.node) ? this.getterValue(found.node, depth) : found;
      }
      case 'function':
        return this.expando(value.node, key, depth);
    }
  }

  /**
   * `function api() { … }` then `api.create = create; return api;`: a property set on a declared
   * function next to its declaration, in the same function body or file.
   */
  private expando(fn: FunctionLike, key: string, depth: number): Value | undefined {
    const t = this.ts;
    const name = t.isFunctionDeclaration(fn) ? fn.name?.text : undefined;
    const scope = fn.parent;
    if (!name || !(t.isBlock(scope) || t.isSourceFile(scope))) return undefined;
    for (const statement of scope.statements) {
      if (!t.isExpressionStatement(statement) || !t.isBinaryExpression(statement.expression)) continue;
      const { left, operatorToken, right } = statement.expression;
      if (operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(left) && t.isIdentifier(left.expression) && left.expression.text === name && left.name.text === key) {
        return this.resolve(right, depth);
      }
    }
    return undefined;
  }

  /**
   * The model registry sequelize-cli generates (`models/index.js`): `const db = {}`, then every file of
   * the folder is required and stored under its model's name (`db[model.name] = model`). `db.Color` is
   * the model the folder defines with that name: `class Color extends Model` or `define('Color', …)`.
   */
  private registryMember(obj: ts.ObjectLiteralExpression, key: string): Value | undefined {
    const t = this.ts;
    const file = this.registryModels(obj)?.get(key);
    const model = file ? this.project.sourceFile(file) : undefined;
    let found: Value | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (t.isClassDeclaration(node) && node.name?.text === key) found = { kind: 'class', node };
      else if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'define' && node.arguments[0] && t.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text === key) {
        // `sequelize.define('Color', {…})` on the factory's untyped `sequelize` parameter.
        found = { kind: 'external', module: 'sequelize', chain: ['Model'], madeBy: node };
      } else t.forEachChild(node, visit);
    };
    if (model) visit(model);
    return found;
  }

  private readonly registries = new Map<ts.ObjectLiteralExpression, Map<string, string> | null>();

  /**
   * For an empty object literal filled under computed names (`db[model.name] = model`), the models the
   * other files of its folder define, by name → file (read from their texts once); else undefined.
   */
  private registryModels(obj: ts.ObjectLiteralExpression): Map<string, string> | undefined {
    const known = this.registries.get(obj);
    if (known !== undefined) return known ?? undefined;
    const t = this.ts;
    const decl = obj.parent;
    const sf = obj.getSourceFile();
    let models: Map<string, string> | null = null;
    if (t.isVariableDeclaration(decl) && t.isIdentifier(decl.name) && obj.properties.length === 0 && this.assignmentsIn(sf).has(`${decl.name.text}[]`)) {
      models = new Map();
      const dir = path.dirname(sf.fileName);
      for (const [file, text] of this.project.texts()) {
        if (file === sf.fileName || path.dirname(file) !== dir) continue;
        for (const m of text.matchAll(/\bclass\s+([A-Za-z_$][\w$]*)\s+extends\b|\.define\(\s*['"`]([A-Za-z_$][\w$]*)['"`]/g)) models.set(m[1] ?? m[2]!, file);
      }
    }
    this.registries.set(obj, models);
    return models ?? undefined;
  }

  /**
   * `const mongo = { db: null }` then `mongo.collection = function (name) { … }` or `mongo.db =
   * client.db()` in the same file: a member set on an object after its literal, when the assignments
   * agree (assignments of nothing known, such as `null`, are left out).
   */
  private assignedMember(obj: ts.ObjectLiteralExpression, key: string, depth: number): Value | undefined {
    const t = this.ts;
    const decl = obj.parent;
    if (!t.isVariableDeclaration(decl) || !t.isIdentifier(decl.name)) return undefined;
    let found: Value | undefined;
    for (const assigned of this.assignmentsIn(obj.getSourceFile()).get(`${decl.name.text}.${key}`) ?? []) {
      const value = this.resolve(assigned, depth);
      if (!value) continue;
      if (found && !sameValue(found, value) && !sameExternal(found, value)) return undefined;
      found ??= value;
    }
    return found;
  }

  private readonly bagAssignments = new Map<ts.SourceFile, Map<string, ts.Expression[]>>();

  /**
   * A context object that JavaScript code fills property by property and hands around through untyped
   * parameters (`ctx.treatments = require('./treatments')(env, ctx)`, then `ctx.treatments.create(…)`
   * in a route file that received `ctx`): what the project assigns to that property of an object of
   * the same name, when every such assignment agrees. Only for a receiver that is an untyped parameter
   * nothing else could resolve.
   */
  private bagMember(expr: ts.PropertyAccessExpression, depth: number): Value | undefined {
    const t = this.ts;
    if (!t.isIdentifier(expr.expression)) return undefined;
    const binding = this.scopes.lookup(expr.expression.text, expr.expression);
    if (binding?.kind !== 'parameter' || binding.path.length > 0 || binding.decl.type) return undefined;
    // The request and response are made per request by the framework: what some middleware once put on
    // `req.user` says nothing about the object a handler gets.
    if (FRAMEWORK_PARAMETER.test(expr.expression.text)) return undefined;
    const slot = `${expr.expression.text}.${expr.name.text}`;
    let found: Value | undefined;
    for (const assigned of this.slotAssignments(slot, expr.name.text)) {
      const value = this.resolve(assigned, depth);
      if (!value) continue;
      if (found && !sameValue(found, value) && !sameExternal(found, value)) return undefined;
      found ??= value;
    }
    return found;
  }

  private readonly slots = new Map<string, readonly ts.Expression[]>();

  /**
   * Every `bag.member = value` of the project for one slot (`bag.member`), tests left out. Searched once
   * per slot: the same parameter name is read in many functions, and each search tests every file that
   * names the member.
   */
  private slotAssignments(slot: string, member: string): readonly ts.Expression[] {
    const known = this.slots.get(slot);
    if (known) return known;
    const assigned: ts.Expression[] = [];
    // Only files whose text assigns the slot are parsed for it.
    const assigns = new RegExp(`\\b${slot.replace(/[.$]/g, '\\$&')}\\s*=[^=]`);
    for (const file of this.project.mentioning([member])) {
      if (isTestFile(file) || !assigns.test(this.project.textOf(file) ?? '')) continue;
      const sf = this.project.sourceFile(file);
      if (sf) assigned.push(...(this.assignmentsIn(sf).get(slot) ?? []));
    }
    this.slots.set(slot, assigned);
    return assigned;
  }

  /** Per member name, what each file that assigns `req.<name>` puts there (null: no one record class). */
  private readonly requestMembers = new Map<string, Map<string, Value | null>>();

  /**
   * `request.currentUser.createEmptyFlow()` where an authentication middleware did
   * `req.currentUser = await User.query().findById(id)`: the request itself is new each time, but what
   * the project puts on it is a record of one class, so its methods are that class's. Only a record
   * of a project class is taken (never a particular object), and only when every such assignment in
   * the project agrees; members the frameworks set themselves are never looked up.
   */
  private requestMember(expr: ts.PropertyAccessExpression, depth: number): Value | undefined {
    const t = this.ts;
    const key = expr.name.text;
    if (!t.isIdentifier(expr.expression) || !REQUEST_NAME.test(expr.expression.text) || FRAMEWORK_REQUEST_MEMBER.has(key)) return undefined;
    let byFile = this.requestMembers.get(key);
    if (!byFile) {
      byFile = new Map();
      this.requestMembers.set(key, byFile); // cycles: an assignment that reads the member itself
      const assigns = new RegExp(`\\b(?:req|request)\\.${key.replace(/\$/g, '\\$')}\\s*=[^=]`);
      for (const [file, text] of this.project.texts()) {
        if (!text.includes(`.${key}`) || isTestFile(file) || !assigns.test(text)) continue;
        const sf = this.project.sourceFile(file);
        if (!sf) continue;
        const index = this.assignmentsIn(sf);
        const values = [...(index.get(`req.${key}`) ?? []), ...(index.get(`request.${key}`) ?? [])].map((assigned) => this.resolve(assigned, depth) ?? null);
        byFile.set(file, agreedRecord(values) ?? null);
      }
    }
    // Every assignment in the project, or else those of the modules this file imports (the middleware
    // its routes run behind), when they agree on one record class.
    const everywhere = agreedRecord([...byFile.values()]);
    if (everywhere) return everywhere;
    const own = expr.getSourceFile();
    const imported = this.importedFiles(own);
    const near = [...byFile].filter(([file]) => file === own.fileName || imported.has(file)).map(([, value]) => value);
    return near.length > 0 ? agreedRecord(near) : undefined;
  }

  private readonly importedFileSets = new WeakMap<ts.SourceFile, Set<string>>();

  /** The project files a file imports or requires at its top level. */
  private importedFiles(sf: ts.SourceFile): Set<string> {
    const cached = this.importedFileSets.get(sf);
    if (cached) return cached;
    const t = this.ts;
    const files = new Set<string>();
    const add = (specifier: ts.Expression | undefined): void => {
      if (!specifier || !t.isStringLiteralLike(specifier)) return;
      const file = this.project.resolveImport(specifier.text, sf.fileName);
      if (file) files.add(file);
    };
    for (const statement of sf.statements) {
      if (t.isImportDeclaration(statement)) add(statement.moduleSpecifier);
      if (!t.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer ? stripExpression(t, decl.initializer) : undefined;
        if (init && t.isCallExpression(init) && this.requiredModule(init) !== undefined) add(init.arguments[0]);
      }
    }
    this.importedFileSets.set(sf, files);
    return files;
  }

  /** `name.key = value` assignments of a file, by `name.key` (and `name[expr] = value` as `name[]`). */
  private assignmentsIn(sf: ts.SourceFile): Map<string, ts.Expression[]> {
    let index = this.bagAssignments.get(sf);
    if (index) return index;
    const t = this.ts;
    const found = new Map<string, ts.Expression[]>();
    const add = (slot: string, value: ts.Expression): void => {
      const list = found.get(slot);
      if (list) list.push(value);
      else found.set(slot, [value]);
    };
    const visit = (node: ts.Node): void => {
      if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken) {
        const left = node.left;
        if (t.isPropertyAccessExpression(left) && t.isIdentifier(left.expression)) add(`${left.expression.text}.${left.name.text}`, node.right);
        // `db[model.name] = model`: a member whose name is worked out at run time, kept as `db[]`.
        else if (t.isElementAccessExpression(left) && t.isIdentifier(left.expression) && !t.isStringLiteralLike(left.argumentExpression)) add(`${left.expression.text}[]`, node.right);
      }
      t.forEachChild(node, visit);
    };
    visit(sf);
    index = found;
    this.bagAssignments.set(sf, index);
    return index;
  }

  /**
   * `models[kind]`: a member picked at run time from an object literal or a module. When every member
   * is the same kind of package value (all Mongoose models, all Prisma delegates), that is what the
   * lookup gives, without the one model it was made from (unique-column lookups need to know which).
   */
  private anyMember(target: Value | undefined, depth: number): Value | undefined {
    const t = this.ts;
    let keys: string[] = [];
    if (target?.kind === 'object') keys = target.node.properties.flatMap((p) => (p.name && (t.isPropertyAssignment(p) || t.isShorthandPropertyAssignment(p)) ? [propertyNameText(t, p.name) ?? ''] : []));
    else if (target?.kind === 'module') keys = [...this.exportsOf(target.file).keys()].filter((k) => !k.startsWith('module.exports'));
    // `db[name]` of a model registry (registryMember): any of the models its folder defines.
    if (target?.kind === 'object' && keys.length === 0) keys = [...(this.registryModels(target.node)?.keys() ?? [])];
    if (keys.length < 2 || keys.length > 50 || keys.includes('')) return undefined;
    let shared: Extract<Value, { kind: 'external' }> | undefined;
    for (const key of keys) {
      let value = this.member(target, key, depth);
      // A model class of a registry counts as the package class it extends (`extends Model`).
      if (value?.kind === 'class') value = this.baseClass(value.node, depth);
      if (value?.kind !== 'external') return undefined;
      if (shared && (shared.module !== value.module || shared.chain.join('.') !== value.chain.join('.'))) return undefined;
      shared ??= value;
    }
    return shared && { kind: 'external', module: shared.module, chain: shared.chain };
  }

  private classMember(cls: ts.ClassLikeDeclaration, key: string, isStatic: boolean, depth: number, derived = cls): Value | undefined {
    const t = this.ts;
    const className = cls.name?.text ?? '<class>';
    for (const m of cls.members) {
      const name = m.name ? propertyNameText(t, m.name) : undefined;
      if (name === key && hasModifier(t, m, t.SyntaxKind.StaticKeyword) === isStatic) {
        if (t.isMethodDeclaration(m) || t.isGetAccessorDeclaration(m)) return { kind: 'function', node: m, name: `${className}.${key}`, owner: cls };
        if (t.isPropertyDeclaration(m)) {
          const injected = this.injected(m, depth);
          if (injected) return injected;
          const typed = m.type ? this.fromType(m.type, depth) : undefined;
          if (typed?.kind === 'external' && !m.initializer) {
            // `model: Model<IUser>` set in the constructor to `UserModel = mongoose.model('User', schema)`:
            // the value made by the package says more (which model) than the type.
            const assigned = this.assignedInConstructor(cls, key, depth);
            if (assigned?.kind === 'external' && assigned.module === typed.module && assigned.madeBy) return assigned;
          }
          if (typed) return typed.kind === 'external' ? { ...typed, origin: m } : typed;
          if (m.initializer) {
            const value = this.resolve(m.initializer, depth);
            if (value?.kind === 'function' && value.node.kind === t.SyntaxKind.ArrowFunction) return { ...value, name: `${className}.${key}`, owner: cls };
            return value?.kind === 'external' && !value.origin ? { ...value, origin: m } : value;
          }
          return this.assignedInConstructor(cls, key, depth);
        }
      }
      if (!isStatic && t.isConstructorDeclaration(m)) {
        for (const param of m.parameters) {
          if (t.isIdentifier(param.name) && param.name.text === key && t.getModifiers(param)?.length) {
            const injected = this.injected(param, depth);
            if (injected) return injected;
            if (!param.type) return undefined;
            const typed = this.fromType(param.type, depth);
            if (typed) return typed.kind === 'external' ? { ...typed, origin: param } : typed;
            // `constructor(protected readonly repo: IRepository<T>)` in a generic base class: what the
            // constructions and the subclasses' `super(repo)` calls pass.
            return this.passedArgument(m, m.parameters.indexOf(param), [], depth);
          }
        }
      }
    }
    if (!isStatic) {
      const assigned = this.assignedInConstructor(cls, key, depth);
      if (assigned) return assigned;
    }
    const base = this.baseClass(cls, depth);
    if (base?.kind === 'class') return this.classMember(base.node, key, isStatic, depth + 1, derived);
    if (base?.kind === 'external') return { kind: 'external', module: base.module, chain: [...base.chain, key], modelClass: derived };
    return undefined;
  }

  /**
   * The class an Objection relation maps to: `static relationMappings = () => ({ flows: { relation:
   * Model.HasManyRelation, modelClass: Flow, … } })` (also a plain object or a static getter), looked
   * up on the record's class and its project bases.
   */
  private relatedModel(cls: ts.ClassLikeDeclaration, relation: ts.Expression | undefined, depth: number): ts.ClassLikeDeclaration | undefined {
    const t = this.ts;
    const name = relation && t.isStringLiteralLike(relation) ? relation.text : undefined;
    if (!name) return undefined;
    for (const current of this.classAndBases(cls, depth)) {
      for (const m of current.members) {
        if (!m.name || propertyNameText(t, m.name) !== RELATION_MAPPINGS || !hasModifier(t, m, t.SyntaxKind.StaticKeyword)) continue;
        let mappings: ts.Expression | undefined = t.isPropertyDeclaration(m) ? m.initializer : undefined;
        if (mappings && (t.isArrowFunction(stripExpression(t, mappings)) || t.isFunctionExpression(stripExpression(t, mappings)))) mappings = returnedExpression(t, stripExpression(t, mappings) as FunctionLike);
        if (t.isGetAccessorDeclaration(m)) mappings = returnedExpression(t, m);
        const object = mappings ? stripExpression(t, mappings) : undefined;
        if (!object || !t.isObjectLiteralExpression(object)) return undefined;
        const entry = object.properties.find((p) => p.name && propertyNameText(t, p.name) === name);
        const spec = entry && t.isPropertyAssignment(entry) ? stripExpression(t, entry.initializer) : undefined;
        const target = spec && t.isObjectLiteralExpression(spec) ? spec.properties.find((p) => p.name && propertyNameText(t, p.name) === 'modelClass') : undefined;
        const value = target && t.isPropertyAssignment(target) ? this.resolve(target.initializer, depth + 1) : undefined;
        return value?.kind === 'class' ? value.node : undefined;
      }
    }
    return undefined;
  }

  /** What reading a getter gives: the value it returns. */
  private getterValue(getter: ts.GetAccessorDeclaration, depth: number): Value | undefined {
    const returned = returnedExpression(this.ts, getter);
    return returned ? this.resolve(returned, depth + 1) : undefined;
  }

  /** A class and the project classes it extends, nearest first (a few levels). */
  private *classAndBases(cls: ts.ClassLikeDeclaration, depth: number): Generator<ts.ClassLikeDeclaration> {
    for (let current: ts.ClassLikeDeclaration | undefined = cls, hops = 0; current && hops < 5; hops++) {
      yield current;
      const base = this.baseClass(current, depth);
      current = base?.kind === 'class' ? base.node : undefined;
    }
  }

  /**
   * A method or getter the project declares on a record class or its project base classes (not a
   * static one): the method itself, or what the getter returns.
   */
  private recordMember(cls: ts.ClassLikeDeclaration, key: string, depth: number): Value | undefined {
    const t = this.ts;
    for (const current of this.classAndBases(cls, depth)) {
      for (const m of current.members) {
        if (!m.name || hasModifier(t, m, t.SyntaxKind.StaticKeyword) || propertyNameText(t, m.name) !== key) continue;
        if (t.isMethodDeclaration(m) && m.body) return { kind: 'function', node: m, name: `${current.name?.text ?? '<class>'}.${key}`, owner: current };
        if (t.isGetAccessorDeclaration(m)) return this.getterValue(m, depth);
      }
    }
    return undefined;
  }

  /**
   * A service fetched from a dependency-injection container: awilix `scope.resolve('cartService')`
   * (the name registered with `cartService: asClass(CartService)`), or tsyringe/any container's
   * `container.resolve(CartService)` / `app.get(CartService)` with the class itself.
   */
  private containerLookup(call: ts.CallExpression, depth: number): Value | undefined {
    const t = this.ts;
    const callee = call.expression;
    if (!t.isPropertyAccessExpression(callee) || !/^(resolve|get)$/.test(callee.name.text) || call.arguments.length !== 1) return undefined;
    const arg = call.arguments[0]!;
    if (t.isStringLiteralLike(arg)) return callee.name.text === 'resolve' ? this.registered(arg.text, depth) : undefined;
    if (t.isIdentifier(arg) && /^[A-Z]/.test(arg.text)) {
      const value = this.resolve(arg, depth + 1);
      if (value?.kind === 'class') return { kind: 'instance', cls: this.boundClass(value.node, depth) };
    }
    // `container.get<IRepo>(TYPES.Repo)`: what the container binds the token to. (Every call goes through
    // here: the token is looked up among the bindings before the receiver is resolved.)
    if ((t.isPropertyAccessExpression(arg) || t.isIdentifier(arg)) && this.containerBindings().has(tokenText(t, arg))) {
      const receiver = this.resolve(callee.expression, depth + 1);
      if (receiver?.kind === 'external' && /^(inversify|tsyringe)$/.test(receiver.module)) return this.providedValue(tokenText(t, arg), depth + 1);
    }
    return undefined;
  }

  private containerNames?: Map<string, string>;

  /** What an awilix container registers under `name` (`{ name: asClass(X) | asFunction(f) | asValue(v) }`). */
  private registered(name: string, depth: number): Value | undefined {
    const t = this.ts;
    if (!this.containerNames) {
      this.containerNames = new Map<string, string>();
      const pattern = /(?:^|[\s,{])(['"]?)([A-Za-z_$][\w$]*)\1\s*:\s*as(?:Class|Function|Value)\s*\(/g;
      for (const [file, text] of this.project.texts()) {
        if (!/\bas(Class|Function|Value)\s*\(/.test(text)) continue;
        for (const m of text.matchAll(pattern)) if (!this.containerNames.has(m[2]!)) this.containerNames.set(m[2]!, file);
      }
    }
    const file = this.containerNames.get(name);
    const sf = file ? this.project.sourceFile(file) : undefined;
    if (!sf) return this.byConvention(name, depth);
    let found: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (t.isPropertyAssignment(node) && (t.isIdentifier(node.name) || t.isStringLiteral(node.name)) && node.name.text === name) {
        const init = stripExpression(t, node.initializer);
        let call: ts.Expression = init;
        // `asClass(X).singleton()`, `asFunction(f).scoped()`: the registration is the innermost call.
        while (t.isCallExpression(call) && t.isPropertyAccessExpression(call.expression)) call = call.expression.expression;
        if (t.isCallExpression(call) && t.isIdentifier(call.expression) && /^as(Class|Function|Value)$/.test(call.expression.text)) found = call;
      }
      t.forEachChild(node, visit);
    };
    visit(sf);
    const target = found?.arguments[0];
    if (!found || !target) return undefined;
    const value = this.resolve(target, depth + 1);
    const kind = (found.expression as ts.Identifier).text;
    if (kind === 'asClass' && value?.kind === 'class') return { kind: 'instance', cls: value.node };
    if (kind === 'asFunction' && value?.kind === 'function') {
      const returned = returnedExpression(t, value.node);
      return returned ? this.resolve(returned, depth + 1) : undefined;
    }
    return value;
  }

  /**
   * A name no explicit registration gives: containers that load modules by convention (awilix
   * `loadModules(['services/*.js'], { formatName: 'camelCase' })`) register `cartService` for the file
   * `cart-service.js` and, as most setups name things, for the class `CartService`. The project's class
   * of that name, else the default export of the file whose camel-cased name it is; nothing when that
   * is ambiguous.
   */
  private byConvention(name: string, depth: number): Value | undefined {
    if (this.conventions.has(name)) return this.conventions.get(name);
    const value = this.byConventionUncached(name, depth);
    this.conventions.set(name, value);
    return value;
  }

  private readonly conventions = new Map<string, Value | undefined>();

  private byConventionUncached(name: string, depth: number): Value | undefined {
    const t = this.ts;
    if (!/^[a-z][\w$]*$/.test(name)) return undefined;
    const className = name[0]!.toUpperCase() + name.slice(1);
    const declares = new RegExp(`\\bclass\\s+${className}\\b`);
    const candidates: Value[] = [];
    for (const [file, text] of this.project.texts()) {
      const byFile = camelCase(moduleBaseName(file)) === name;
      if (!byFile && !declares.test(text)) continue;
      const sf = this.project.sourceFile(file);
      if (!sf) continue;
      const cls = sf.statements.find((st): st is ts.ClassDeclaration => t.isClassDeclaration(st) && st.name?.text === className);
      const value = cls ? ({ kind: 'class', node: cls } as const) : byFile ? this.exportValue(sf, 'default') : undefined;
      if (value && !candidates.some((c) => sameValue(c, value))) candidates.push(value);
    }
    if (candidates.length !== 1) return undefined;
    const only = candidates[0]!;
    if (only.kind === 'class') return { kind: 'instance', cls: only.node };
    if (only.kind === 'function') {
      // `asFunction`-style modules export a factory: the service is what it returns.
      const returned = returnedExpression(t, only.node);
      return returned ? this.resolve(returned, depth + 1) : undefined;
    }
    return only;
  }

  /** `@Inject(TOKEN) repo: IRepo`: what the module providers bind TOKEN to. */
  private injected(node: ts.ParameterDeclaration | ts.PropertyDeclaration, depth: number): Value | undefined {
    const t = this.ts;
    const decorators = t.canHaveDecorators(node) ? t.getDecorators(node) ?? [] : [];
    for (const d of decorators) {
      // Nest `@Inject(TOKEN)`, tsyringe and inversify `@inject(TOKEN)`.
      if (!t.isCallExpression(d.expression) || !/(^|\.)(Inject|inject)$/.test(d.expression.expression.getText())) continue;
      const token = d.expression.arguments[0];
      const key = token ? tokenText(t, token) : undefined;
      const value = key ? this.providedValue(key, depth) : undefined;
      if (value) return value;
    }
    return undefined;
  }

  /** What a module provider or a container binding gives for a token: an instance of a bound class, a factory's result, a value. */
  private providedValue(key: string, depth: number): Value | undefined {
    const t = this.ts;
    const provided = this.providers.get(key) ?? this.containerBindings().get(key);
    if (!provided) return undefined;
    const value = this.resolve(provided, depth);
    if (value?.kind === 'class') return { kind: 'instance', cls: value.node };
    if (value?.kind === 'function') {
      // `useFactory: () => new Repo()`: what the factory returns.
      const returned = returnedExpression(t, value.node);
      return returned ? this.resolve(returned, depth) : undefined;
    }
    return value;
  }

  private bindings?: Map<string, ts.Expression>;

  /**
   * What tsyringe and inversify containers bind tokens to, read once from the files that use them:
   * `container.register('Repo', { useClass: PgRepo })` (or `useValue`/`useFactory`, or the class itself),
   * `container.registerSingleton('Repo', PgRepo)`, `container.bind<IRepo>(TYPES.Repo).to(PgRepo)`
   * (or `toConstantValue`/`toDynamicValue`).
   */
  private containerBindings(): Map<string, ts.Expression> {
    if (this.bindings) return this.bindings;
    const t = this.ts;
    const bindings = new Map<string, ts.Expression>();
    this.bindings = bindings;
    const files: string[] = [];
    for (const [file, text] of this.project.texts()) {
      if (/\b(tsyringe|inversify)\b/.test(text) && /\.(register|registerSingleton|bind)\s*[<(]/.test(text)) files.push(file);
    }
    const bind = (token: ts.Expression | undefined, target: ts.Expression | undefined): void => {
      if (token && target && !bindings.has(tokenText(t, token))) bindings.set(tokenText(t, token), target);
    };
    for (const file of files) {
      const sf = this.project.sourceFile(file);
      if (!sf) continue;
      const visit = (node: ts.Node): void => {
        if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
          const method = node.expression.name.text;
          const [token, provider] = node.arguments;
          if (method === 'registerSingleton' || (method === 'register' && provider && !t.isObjectLiteralExpression(stripExpression(t, provider)))) bind(token, provider);
          else if (method === 'register' && provider) {
            const object = stripExpression(t, provider) as ts.ObjectLiteralExpression;
            const entry = object.properties.find((p): p is ts.PropertyAssignment => t.isPropertyAssignment(p) && /^(useClass|useValue|useFactory)$/.test(p.name.getText()));
            bind(token, entry?.initializer);
          } else if (/^(to|toConstantValue|toDynamicValue)$/.test(method) && t.isCallExpression(node.expression.expression) &&
              t.isPropertyAccessExpression(node.expression.expression.expression) && node.expression.expression.expression.name.text === 'bind') {
            bind(node.expression.expression.arguments[0], node.arguments[0]);
          }
        }
        t.forEachChild(node, visit);
      };
      visit(sf);
    }
    return bindings;
  }

  /** `this.repo = new Repo()` / `this.db = db` inside the constructor. */
  /**
   * `this.key = …` in the constructor, else in another method (`async setup() { this.client = await
   * connect(); this.users = new UsersDb(this.client) }`): set-up methods run before the instance serves.
   */
  private assignedInConstructor(cls: ts.ClassLikeDeclaration, key: string, depth: number): Value | undefined {
    const t = this.ts;
    const ctor = cls.members.find(t.isConstructorDeclaration);
    const methods = cls.members.filter((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && !hasModifier(t, m, t.SyntaxKind.StaticKeyword));
    for (const member of [ctor, ...methods]) {
      if (!member?.body) continue;
      for (const statement of member.body.statements) {
        if (!t.isExpressionStatement(statement) || !t.isBinaryExpression(statement.expression)) continue;
        const { left, right, operatorToken } = statement.expression;
        if (operatorToken.kind !== t.SyntaxKind.EqualsToken || !t.isPropertyAccessExpression(left)) continue;
        if (left.expression.kind === t.SyntaxKind.ThisKeyword && left.name.text === key) {
          const value = this.resolve(right, depth);
          if (!value && member !== ctor) continue;
          return value?.kind === 'external' && !value.origin ? { ...value, origin: left } : value;
        }
      }
    }
    return undefined;
  }

  /** `new UsersDb({ db })`: the constructions of the constructor's class, in its file and the files naming it. */
  private constructionSites(ctor: ts.ConstructorDeclaration, sites: CallSite[]): readonly CallSite[] {
    const t = this.ts;
    const cls = ctor.parent;
    const own = ctor.getSourceFile();
    const className = cls.name?.text;
    const words = [className, moduleBaseName(own.fileName)].filter((w): w is string => !!w);
    if (words.length === 0) return sites;
    for (const file of new Set([own.fileName, ...this.project.mentioning(words).filter((f) => !isTestFile(f))])) {
      const sf = file === own.fileName ? own : this.project.sourceFile(file);
      if (!sf) continue;
      for (const node of this.callsIn(sf)) {
        if (sites.length >= MAX_CALL_SITES) return sites;
        if (t.isNewExpression(node)) {
          const value = this.resolve(node.expression, 1);
          if (value?.kind === 'class' && value.node === cls) sites.push(node.arguments ?? []);
        } else if (node.expression.kind === t.SyntaxKind.SuperKeyword) {
          // A subclass's constructor hands the base class its arguments.
          const sub = enclosingClass(t, node);
          const base = sub ? this.baseClass(sub, 1) : undefined;
          if (base?.kind === 'class' && base.node === cls) sites.push(node.arguments);
        }
      }
    }
    return sites;
  }

  /** The nearest project class both classes are or extend (`BaseRepository` for two repositories). */
  private commonBase(a: ts.ClassLikeDeclaration, b: ts.ClassLikeDeclaration, depth: number): ts.ClassLikeDeclaration | undefined {
    const ancestors = new Set<ts.ClassLikeDeclaration>();
    for (let c: ts.ClassLikeDeclaration | undefined = a, i = 0; c && i < 6; i++) {
      ancestors.add(c);
      const base = this.baseClass(c, depth);
      c = base?.kind === 'class' ? base.node : undefined;
    }
    for (let c: ts.ClassLikeDeclaration | undefined = b, i = 0; c && i < 6; i++) {
      if (ancestors.has(c)) return c;
      const base = this.baseClass(c, depth);
      c = base?.kind === 'class' ? base.node : undefined;
    }
    return undefined;
  }

  /** The class `cls` extends, when it is a project class or a package's class. */
  baseClass(cls: ts.ClassLikeDeclaration, depth = 0): Value | undefined {
    const t = this.ts;
    const heritage = cls.heritageClauses?.find((h) => h.token === t.SyntaxKind.ExtendsKeyword);
    const base = heritage?.types[0]?.expression;
    if (!base) return undefined;
    const value = this.resolve(base, depth);
    if (value?.kind === 'external') return value;
    return value?.kind === 'class' ? value : undefined;
  }

  /**
   * The string a constant expression holds: literals, `const` variables, enum members, members of
   * constant objects, and `.toLowerCase()` of those (header names are often written this way).
   */
  constantString(expr: ts.Expression, depth = 0): string | undefined {
    const t = this.ts;
    if (depth > 6) return undefined;
    const e = stripExpression(t, expr);
    if (t.isStringLiteralLike(e)) return e.text;
    if (t.isCallExpression(e) && e.arguments.length === 0 && t.isPropertyAccessExpression(e.expression)) {
      const inner = this.constantString(e.expression.expression, depth + 1);
      switch (e.expression.name.text) {
        case 'toLowerCase':
        case 'toLocaleLowerCase':
          return inner?.toLowerCase();
        case 'toUpperCase':
        case 'toLocaleUpperCase':
          return inner?.toUpperCase();
        case 'trim':
          return inner?.trim();
        default:
          return undefined;
      }
    }
    if (t.isIdentifier(e)) {
      const decl = this.declarationOf(e);
      return decl && t.isVariableDeclaration(decl) && decl.initializer ? this.constantString(decl.initializer, depth + 1) : undefined;
    }
    if (t.isPropertyAccessExpression(e) && t.isIdentifier(e.expression)) {
      const decl = this.declarationOf(e.expression);
      const key = e.name.text;
      if (decl && t.isEnumDeclaration(decl)) {
        const member = decl.members.find((m) => propertyNameText(t, m.name) === key);
        return member?.initializer ? this.constantString(member.initializer, depth + 1) : undefined;
      }
      if (decl && t.isVariableDeclaration(decl) && decl.initializer) {
        const object = stripExpression(t, decl.initializer);
        if (!t.isObjectLiteralExpression(object)) return undefined;
        const prop = object.properties.find((p) => p.name && propertyNameText(t, p.name) === key);
        return prop && t.isPropertyAssignment(prop) ? this.constantString(prop.initializer, depth + 1) : undefined;
      }
    }
    return undefined;
  }

  /** The declaration an identifier names, following imports into the project's files. */
  declarationOf(id: ts.Identifier): ts.Node | undefined {
    const binding = this.scopes.lookup(id.text, id);
    if (!binding) return undefined;
    switch (binding.kind) {
      case 'variable': {
        if (binding.path.length === 0) return binding.decl;
        // `const { signupRules } = require('./validators')` with `module.exports = { signupRules, … }`.
        const init = binding.decl.initializer ? stripExpression(this.ts, binding.decl.initializer) : undefined;
        const module = init && this.ts.isCallExpression(init) && binding.path.length === 1 ? this.requiredModule(init) : undefined;
        const file = module ? this.project.resolveImport(module, id.getSourceFile().fileName) : undefined;
        const sf = file ? this.project.sourceFile(file) : undefined;
        return sf ? this.commonJsExport(sf, binding.path[0]!) : undefined;
      }
      case 'type':
      case 'function':
      case 'class':
        return binding.decl;
      case 'parameter':
        return undefined;
      case 'import': {
        const file = this.project.resolveImport(binding.module, id.getSourceFile().fileName);
        const sf = file ? this.project.sourceFile(file) : undefined;
        return sf && binding.name !== '*' ? this.declarationExported(sf, binding.name) : undefined;
      }
    }
  }

  /** The declaration of a name a CommonJS module exports in `module.exports = { name, other: local }`. */
  private commonJsExport(sf: ts.SourceFile, name: string): ts.Node | undefined {
    const t = this.ts;
    for (const s of sf.statements) {
      const e = t.isExpressionStatement(s) ? s.expression : undefined;
      if (!e || !t.isBinaryExpression(e) || e.operatorToken.kind !== t.SyntaxKind.EqualsToken || e.left.getText() !== 'module.exports') continue;
      const object = stripExpression(t, e.right);
      if (!t.isObjectLiteralExpression(object)) return undefined;
      const prop = object.properties.find((p) => p.name !== undefined && propertyNameText(t, p.name) === name);
      const local = prop && t.isShorthandPropertyAssignment(prop) ? prop.name : prop && t.isPropertyAssignment(prop) && t.isIdentifier(prop.initializer) ? prop.initializer : undefined;
      const binding = local ? this.scopes.lookup(local.text, sf) : undefined;
      return binding && binding.kind !== 'import' && binding.kind !== 'parameter' ? binding.decl : undefined;
    }
    return undefined;
  }

  private readonly declarationsExported = new Map<ts.SourceFile, Map<string, ts.Node | null>>();

  /** The declaration a module exports under `name`, through re-exports (asked once per module and name). */
  declarationExported(sf: ts.SourceFile, name: string): ts.Node | undefined {
    let byName = this.declarationsExported.get(sf);
    if (!byName) this.declarationsExported.set(sf, (byName = new Map<string, ts.Node | null>()));
    const known = byName.get(name);
    if (known !== undefined) return known ?? undefined;
    const found = this.exportedDeclaration(sf, name, new Set());
    byName.set(name, found ?? null);
    return found;
  }

  private exportedDeclaration(sf: ts.SourceFile, name: string, seen: Set<ts.SourceFile>): ts.Node | undefined {
    const t = this.ts;
    if (seen.has(sf)) return undefined;
    seen.add(sf);
    for (const s of sf.statements) {
      if (!hasModifier(t, s, t.SyntaxKind.ExportKeyword)) {
        if (t.isExportDeclaration(s) && s.exportClause && t.isNamedExports(s.exportClause)) {
          const spec = s.exportClause.elements.find((e) => e.name.text === name);
          if (!spec) continue;
          const local = spec.propertyName?.text ?? spec.name.text;
          if (s.moduleSpecifier && t.isStringLiteral(s.moduleSpecifier)) {
            const file = this.project.resolveImport(s.moduleSpecifier.text, sf.fileName);
            const other = file ? this.project.sourceFile(file) : undefined;
            return other ? this.exportedDeclaration(other, local, seen) : undefined;
          }
          const binding = this.scopes.lookup(local, sf);
          return binding && binding.kind !== 'import' && binding.kind !== 'parameter' ? binding.decl : undefined;
        }
        continue;
      }
      if ((t.isEnumDeclaration(s) || t.isFunctionDeclaration(s) || t.isClassDeclaration(s) || t.isInterfaceDeclaration(s) || t.isTypeAliasDeclaration(s)) && s.name?.text === name) return s;
      if (t.isVariableStatement(s)) {
        const decl = s.declarationList.declarations.find((d) => t.isIdentifier(d.name) && d.name.text === name);
        if (decl) return decl;
      }
    }
    for (const star of this.starExports(sf)) {
      const file = this.project.resolveImport(star, sf.fileName);
      const other = file ? this.project.sourceFile(file) : undefined;
      const found = other ? this.exportedDeclaration(other, name, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  private exportsOf(sf: ts.SourceFile): Map<string, ExportTarget> {
    let table = this.exportCache.get(sf);
    if (!table) {
      table = collectExports(this.ts, sf);
      this.exportCache.set(sf, table);
    }
    return table;
  }

  private starExports(sf: ts.SourceFile): string[] {
    const t = this.ts;
    const result: string[] = [];
    for (const s of sf.statements) {
      if (t.isExportDeclaration(s) && !s.exportClause && s.moduleSpecifier && t.isStringLiteral(s.moduleSpecifier)) result.push(s.moduleSpecifier.text);
    }
    return result;
  }
}

/** Utility types that keep the members of the type they wrap. */
const WRAPPING_TYPES = new Set(['Pick', 'Omit', 'Partial', 'Required', 'Readonly']);

type ExportTarget =
  | { kind: 'node'; node: ts.Node }
  | { kind: 'local'; name: string }
  | { kind: 'reexport'; module: string; name: string };

function collectExports(t: TS, sf: ts.SourceFile): Map<string, ExportTarget> {
  const table = new Map<string, ExportTarget>();
  const isExported = (node: ts.Node): boolean => hasModifier(t, node, t.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node): boolean => hasModifier(t, node, t.SyntaxKind.DefaultKeyword);
  // `const Controllers = module.exports; Controllers.orders = require('./orders')`: a name for the exports object.
  const aliases = new Set<string>();
  for (const s of sf.statements) {
    if ((t.isFunctionDeclaration(s) || t.isClassDeclaration(s)) && isExported(s)) {
      if (isDefault(s)) table.set('default', { kind: 'node', node: s });
      if (s.name) table.set(s.name.text, { kind: 'node', node: s });
    } else if (t.isVariableStatement(s) && isExported(s)) {
      // (`export const { handlers: { GET, POST }, auth } = NextAuth(…)`: every name the pattern binds.)
      const bind = (name: ts.BindingName): void => {
        if (t.isIdentifier(name)) table.set(name.text, { kind: 'local', name: name.text });
        else for (const e of name.elements) if (!t.isOmittedExpression(e)) bind(e.name);
      };
      for (const d of s.declarationList.declarations) bind(d.name);
    } else if (t.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer?.getText();
        if (t.isIdentifier(d.name) && (init === 'module.exports' || init === 'exports')) aliases.add(d.name.text);
      }
    } else if (t.isExportAssignment(s)) {
      table.set(s.isExportEquals ? 'module.exports' : 'default', { kind: 'node', node: s.expression });
    } else if (t.isExportDeclaration(s) && s.exportClause && t.isNamedExports(s.exportClause)) {
      const from = s.moduleSpecifier && t.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
      for (const e of s.exportClause.elements) {
        const local = e.propertyName ? e.propertyName.text : e.name.text;
        table.set(e.name.text, from ? { kind: 'reexport', module: from, name: local } : { kind: 'local', name: local });
      }
    } else if (t.isExportDeclaration(s) && s.exportClause && t.isNamespaceExport(s.exportClause) && s.moduleSpecifier && t.isStringLiteral(s.moduleSpecifier)) {
      // `export * as email from './email'`: the other module's namespace under one name.
      table.set(s.exportClause.name.text, { kind: 'reexport', module: s.moduleSpecifier.text, name: '*' });
    } else if (t.isExpressionStatement(s) && t.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === t.SyntaxKind.EqualsToken) {
      collectCommonJsExport(t, s.expression, table, aliases);
    }
  }
  return table;
}

/** `module.exports = x`, `module.exports.a = x`, `exports.a = x`. */
function collectCommonJsExport(t: TS, assignment: ts.BinaryExpression, table: Map<string, ExportTarget>, aliases: ReadonlySet<string>): void {
  const left = assignment.left;
  if (!t.isPropertyAccessExpression(left)) return;
  const target = left.expression;
  if (t.isIdentifier(target) && target.text === 'module' && left.name.text === 'exports') {
    table.set('module.exports', { kind: 'node', node: assignment.right });
    return;
  }
  const isExportsObject = (t.isIdentifier(target) && (target.text === 'exports' || aliases.has(target.text))) ||
    (t.isPropertyAccessExpression(target) && t.isIdentifier(target.expression) && target.expression.text === 'module' && target.name.text === 'exports');
  if (isExportsObject) {
    table.set(left.name.text, { kind: 'node', node: assignment.right });
    table.set('module.exports.named', { kind: 'node', node: assignment.right });
  }
}

/** An injection token as text: `ORDER_REPO`, `'ORDER_REPO'`, `Symbol('x')` → its source text. */
export function tokenText(t: TS, token: ts.Expression): string {
  return t.isStringLiteralLike(token) ? `'${token.text}'` : token.getText();
}

export function stripExpression(t: TS, e: ts.Expression): ts.Expression {
  let x = e;
  while (t.isParenthesizedExpression(x) || t.isAsExpression(x) || t.isSatisfiesExpression(x)) x = x.expression;
  return x;
}

export function hasModifier(t: TS, node: ts.Node, kind: ts.SyntaxKind): boolean {
  return t.canHaveModifiers(node) ? (t.getModifiers(node)?.some((m) => m.kind === kind) ?? false) : false;
}

export function normalizeModule(module: string): string {
  return module.startsWith('node:') ? module.slice(5) : module;
}

export function enclosingClass(t: TS, node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = parentOf(node); n; n = parentOf(n)) {
    if (t.isClassLike(n)) return n;
    if ((t.isFunctionDeclaration(n) || t.isFunctionExpression(n)) && !t.isClassLike(n.parent)) return undefined;
  }
  return undefined;
}

function enclosingNonArrowFunction(t: TS, node: ts.Node): ts.Node | undefined {
  for (let n: ts.Node | undefined = parentOf(node); n; n = parentOf(n)) {
    if (t.isFunctionLike(n) && !t.isArrowFunction(n)) return n;
    if (t.isPropertyDeclaration(n)) return n;
  }
  return undefined;
}

/** Classes named as null objects (`NoEmailProvider`, `NoopMailer`, `NullStorage`, `FakeQueue`, `DisabledCache`). */
const NULL_OBJECT_CLASS = /^(No|Noop|NoOp|Null|Nil|Fake|Dummy|Stub|Mock|Disabled|Void)[A-Z]/;

/** Per function, its first returned expression (null: none): resolving each call of a function asks. */
const returnedByFunction = new WeakMap<FunctionLike, ts.Expression | null>();

/**
 * The expression a function returns (expression body, or the first `return x` not in a nested
 * function). `return null` (a client not configured) is passed over for the value it makes otherwise.
 */
export function returnedExpression(t: TS, fn: FunctionLike): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!t.isBlock(fn.body)) return fn.body;
  const known = returnedByFunction.get(fn);
  if (known !== undefined) return known ?? undefined;
  const found = firstReturned(t, fn.body);
  returnedByFunction.set(fn, found ?? null);
  return found;
}

function firstReturned(t: TS, body: ts.Block): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (t.isReturnStatement(node) && node.expression && !isNullLiteral(t, node.expression)) {
      found = node.expression;
      return;
    }
    if (t.isFunctionLike(node) || t.isClassLike(node)) return;
    t.forEachChild(node, visit);
  };
  t.forEachChild(body, visit);
  return found;
}

/** A human name for a function: `OrderService.create`, `createOrder`, `<anonymous>`. */
export function functionName(t: TS, fn: ts.Node): string {
  if ((t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (t.isMethodDeclaration(fn) || t.isGetAccessorDeclaration(fn)) {
    const name = propertyNameText(t, fn.name) ?? '<method>';
    const owner = t.isClassLike(fn.parent) ? fn.parent.name?.text : undefined;
    return owner ? `${owner}.${name}` : name;
  }
  const parent = fn.parent;
  if (t.isVariableDeclaration(parent) && t.isIdentifier(parent.name)) return parent.name.text;
  if (t.isPropertyAssignment(parent) || t.isPropertyDeclaration(parent)) {
    const name = propertyNameText(t, parent.name) ?? '<property>';
    const owner = t.isPropertyDeclaration(parent) && t.isClassLike(parent.parent) ? parent.parent.name?.text : undefined;
    return owner ? `${owner}.${name}` : name;
  }
  if (t.isExportAssignment(parent)) return 'default';
  // `<form action={async () => { 'use server'; … }}>` in a component: named after the component and the element.
  if (t.isJsxExpression(parent) && t.isJsxAttribute(parent.parent)) {
    const element = parent.parent.parent.parent;
    const outer = enclosingFunction(t, element);
    const where = outer ? ` in ${functionName(t, outer)}` : '';
    return `<${element.tagName.getText()} ${parent.parent.name.getText()}>${where}`;
  }
  // `exports.create = async (req, res) => …`, `UserController.prototype.create = function …`.
  if (t.isBinaryExpression(parent) && parent.right === fn && t.isPropertyAccessExpression(parent.left)) {
    // `module.exports = async (req, res) => …`: named after its file (`register`), as its importers name it.
    if (parent.left.getText() === 'module.exports') return moduleBaseName(fn.getSourceFile().fileName);
    return parent.left.name.text;
  }
  if (t.isCallExpression(parent)) {
    // `const createUser = catchAsync(async (req, res) => …)`: named after the variable holding the wrapper.
    let outer: ts.Node = parent;
    while (t.isCallExpression(outer.parent)) outer = outer.parent;
    const holder = outer.parent;
    if (t.isVariableDeclaration(holder) && t.isIdentifier(holder.name)) return holder.name.text;
    if (t.isPropertyAssignment(holder)) return propertyNameText(t, holder.name) ?? '<anonymous>';
  }
  return '<anonymous>';
}

function membersType(t: TS, members: ts.NodeArray<ts.TypeElement>, name: string): ts.TypeNode | undefined {
  for (const m of members) {
    if (t.isPropertySignature(m) && m.type && (t.isIdentifier(m.name) || t.isStringLiteral(m.name)) && m.name.text === name) return m.type;
  }
  return undefined;
}

/** `Promise<Queue>` → `Queue`: what an async function's caller gets after `await`. */
function unwrapPromise(t: TS, type: ts.TypeNode): ts.TypeNode {
  if (t.isTypeReferenceNode(type) && t.isIdentifier(type.typeName) && type.typeName.text === 'Promise' && type.typeArguments?.[0]) return type.typeArguments[0];
  return type;
}

/** `cart-service` → `cartService`, `cart_service` → `cartService`, `CartService` → `cartService`. */
function camelCase(name: string): string {
  const words = name.split(/[-_.\s]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/** The one record of a project class all these values are (instances or class-based ORM records), if any. */
function agreedRecord(values: readonly (Value | null)[]): Value | undefined {
  let found: Value | undefined;
  for (const value of values) {
    const record = value?.kind === 'instance' || (value?.kind === 'external' && value.modelClass !== undefined);
    if (!value || !record) return undefined;
    if (found && !sameValue(found, value) && !sameRecordClass(found, value)) return undefined;
    found ??= value;
  }
  return found;
}

/** Records of one model class, however they were queried (`Agent.query().findOne()`, `user.$relatedQuery('agents')`). */
function sameRecordClass(a: Value, b: Value): boolean {
  return a.kind === 'external' && b.kind === 'external' && a.module === b.module && a.modelClass !== undefined && a.modelClass === b.modelClass;
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'class' && b.kind === 'class') return a.node === b.node;
  if (a.kind === 'function' && b.kind === 'function') return a.node === b.node;
  // `new FilesService(getAccountDb())` at every call site: instances of one class, the same object.
  if (a.kind === 'instance' && b.kind === 'instance') return a.cls === b.cls;
  if (a.kind === 'object' && b.kind === 'object') return a.node === b.node;
  if (a.kind === 'module' && b.kind === 'module') return a.file === b.file;
  return false;
}

/** The arguments a function receives at one place that calls it. */
type CallSite = readonly (ts.Expression | undefined)[];

function sameExternal(a: Value, b: Value): boolean {
  return a.kind === 'external' && b.kind === 'external' && a.module === b.module && a.chain.join('.') === b.chain.join('.');
}

function isFunctionLikeNode(t: TS, node: ts.Node): node is FunctionLike {
  return t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isArrowFunction(node) || t.isMethodDeclaration(node);
}

/** The names a function is called by: its own, its variable's, its export's, its method's. */
export function calledNames(t: TS, fn: FunctionLike): string[] {
  const names: string[] = [];
  if ((t.isFunctionDeclaration(fn) || t.isFunctionExpression(fn)) && fn.name) names.push(fn.name.text);
  const parent = fn.parent;
  if (t.isVariableDeclaration(parent) && t.isIdentifier(parent.name)) names.push(parent.name.text);
  if (t.isPropertyAssignment(parent) && t.isIdentifier(parent.name)) names.push(parent.name.text);
  if (t.isExportAssignment(parent)) names.push('default');
  if (t.isBinaryExpression(parent) && parent.right === fn && t.isPropertyAccessExpression(parent.left)) names.push(parent.left.name.text);
  // `module.exports = fn` / `export default fn`: called through an import, found by the module's name.
  return names.filter((n) => n !== 'exports');
}

/** `src/api/user/register.js` → `register`; `src/routes/index.js` → `routes`. */
function moduleBaseName(file: string): string {
  const base = path.basename(file).replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' ? path.basename(path.dirname(file)) : base;
}

/**
 * The local names a file gives to what it imports from a module named `moduleName`: `import users from
 * './routes/users'`, `import { create as add } from …`, `const users = require('./routes/users')`,
 * `const { create } = require(…)`. Top-level statements only.
 */
function importedNames(t: TS, sf: ts.SourceFile, moduleName: string): string[] {
  const names: string[] = [];
  const fromModule = (spec: ts.Expression | undefined): boolean => spec !== undefined && t.isStringLiteralLike(spec) && moduleBaseName(spec.text) === moduleName;
  for (const statement of sf.statements) {
    if (t.isImportDeclaration(statement) && fromModule(statement.moduleSpecifier)) {
      names.push(...importClauseNames(t, statement.importClause));
    } else if (t.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        let init = d.initializer ? stripExpression(t, d.initializer) : undefined;
        while (init && t.isPropertyAccessExpression(init)) init = stripExpression(t, init.expression);
        if (!init || !t.isCallExpression(init) || !t.isIdentifier(init.expression) || init.expression.text !== 'require' || !fromModule(init.arguments[0])) continue;
        if (t.isIdentifier(d.name)) names.push(d.name.text);
        else if (t.isObjectBindingPattern(d.name)) for (const e of d.name.elements) if (t.isIdentifier(e.name)) names.push(e.name.text);
      }
    }
  }
  return names;
}

/** `null`, `undefined` or `void 0`: what a lazily filled variable starts as. */
function isNullLiteral(t: TS, expr: ts.Expression): boolean {
  const e = stripExpression(t, expr);
  return e.kind === t.SyntaxKind.NullKeyword || (t.isIdentifier(e) && e.text === 'undefined') || t.isVoidExpression(e);
}

/**
 * How `fn` calls what `name` holds: `direct` for `name(…)` (or `.call`/`.apply`/`.bind`), `member` for
 * a method of it (`name.handler(…)`, `name.create(…)`), undefined when it never calls it.
 */
export function callsThrough(t: TS, fn: ts.Node, name: string): 'direct' | 'member' | undefined {
  let found: 'direct' | 'member' | undefined;
  const visit = (node: ts.Node): void => {
    if (found === 'direct') return;
    if (t.isCallExpression(node)) {
      const callee = node.expression;
      if (t.isIdentifier(callee) && callee.text === name) found = 'direct';
      else if (t.isPropertyAccessExpression(callee) && /^(call|apply|bind)$/.test(callee.name.text) && t.isIdentifier(callee.expression) && callee.expression.text === name) found = 'direct';
      else {
        let root: ts.Expression = callee;
        while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = root.expression;
        if (t.isIdentifier(root) && root.text === name) found = 'member';
      }
    }
    t.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/**
 * A function a factory made and returned (`createOperation(store, router, self)` → `async function
 * operation(req, res)`) rather than a wrapper around a handler it was given: defined inside the factory,
 * never calling a parameter itself (`fn(req, res)`), and calling methods only of parameters that hold
 * dependencies, not of an options object that carries the handler (`withApiWrapper({ handler })` →
 * `options.handler(…)`). Destructured parameters may hold the handler: not a factory.
 */
export function madeByFactory(t: TS, made: ts.Node, factory: ts.Node, args: readonly ts.Expression[]): boolean {
  if (!t.isFunctionLike(factory) || enclosingFunction(t, made) !== factory) return false;
  return factory.parameters.every((p, i) => {
    if (!t.isIdentifier(p.name)) return false;
    const calls = callsThrough(t, made, p.name.text);
    if (calls === 'direct') return false;
    const arg = args[i];
    return calls === undefined || !arg || !carriesFunction(t, arg);
  });
}

/** An options object literal with a function in it (`{ name, handler: async () => … }`, `{ handler }`). */
function carriesFunction(t: TS, arg: ts.Expression): boolean {
  if (!t.isObjectLiteralExpression(arg)) return false;
  return arg.properties.some((p) => t.isMethodDeclaration(p) || t.isShorthandPropertyAssignment(p) || (t.isPropertyAssignment(p) && (t.isFunctionLike(p.initializer) || t.isIdentifier(p.initializer) || t.isPropertyAccessExpression(p.initializer))));
}

/** Whether a declaration lies in a function's body (a local of it), not in its signature or outside it. */
function madeInside(origin: ts.Node, fn: FunctionLike): boolean {
  const body = fn.body;
  return body !== undefined && origin.getSourceFile() === fn.getSourceFile() && origin.pos >= body.pos && origin.end <= body.end;
}
