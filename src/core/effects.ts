// Follows a handler's calls into the project's functions and methods (same file, imports, `this.x`
// members) and collects every state write it reaches, with the call path as evidence, the guards that
// make it harmless to repeat, and the idempotency handling around it. Memoized per function.
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { Knowledge } from './knowledge.js';
/** Unresolved callees kept per function summary (the first ones are enough to name a blind spot). */
const MAX_UNFOLLOWED = 40;
import type { SchemaIndex } from './schema.js';
import type { FunctionLike, Value } from './values.js';
import { isTestFile } from './files.js';
import { matchRequestField, matchRequestWrite, matchWrite, type CallNode, type WriteMatch } from './writes.js';
import { initializerOf, expandedText, GENERATED_VALUE, PRIMARY_KEY, propertyValue, savedArgument, strip, VERSION_FIELD } from './refine.js';
import { parentOf } from './ts.js';
import { addsOnlyMissing, checkedField, guardBefore, refusedAfter, type RequiredInput } from './guards.js';
import { findKeyUses, KeySources } from './key-usage.js';
import { passedFor, startTrails, type TokenTrail } from './token-trail.js';
import { rotation, settleAtCallSite } from './caller-decides.js';
import { functionName } from './resolver.js';
import { propertyNameText } from './scope.js';
import { EventListeners } from './events.js';
import type { WriteKind } from './types.js';
import { DATA_MODULE } from './unresolved.js';
import { CODE_DECLARATION, CODE_TYPE, codeWalkFlags, type KindFlags } from './kinds.js';

const MAX_CALL_DEPTH = 8;
/** Functions that only serve logging, metrics or error reporting: not what a retry duplicates. */
function isLoggingName(name: string): boolean {
  return /^(log|logger|trace|debug|info|warn|error|flush|flushLogs|metric|metrics|captureException|captureError|captureMessage|reportError|notifyError)$/i.test(name) ||
    // Case matters here: `logError` is logging, `login` is not.
    /^(log(Error|Event|Message|Info|Warn|Warning|Debug|Metric|Request|Response)|track\w*Error|record\w*Metric|increment\w*Metric|sendMetrics?)$/.test(name) ||
    // Telemetry and tracing of the request itself (OpenTelemetry spans, SDK telemetry hooks).
    /^(telemetry|\w*Telemetry\w*|\w*(Otel|OTel)Spans?|instrument\w*|start\w*Span|record\w*Span)$/.test(name);
}
/** Asked for every call a walk follows, with few distinct names: each name is tested once (a bounded cache). */
const loggingNames = new Map<string, boolean>();
const LOGGING_FUNCTION = {
  /** Whether the last part of a dotted name (`this.logger.warn` → `warn`) names a logging function. */
  test: (dotted: string): boolean => {
    const name = dotted.slice(dotted.lastIndexOf('.') + 1);
    let known = loggingNames.get(name);
    if (known === undefined) {
      if (loggingNames.size > 10_000) loggingNames.clear();
      loggingNames.set(name, (known = isLoggingName(name)));
    }
    return known;
  },
};
/** Helpers that write an audit trail: `auditLog(...)`, `recordAudit(...)`, `this.audit.log(...)`. */
const AUDIT_FUNCTION = /^(audit\w*|\w*Audit(Log|Event|Entry|Trail)?|(record|write|create|add|save)Audit\w*|(log|record|track)Activity\w*)$/;
/** Classes of a log pipeline (`OpenSearchLogsClient`, `AuditLogService`, `ActivityLogger`): what their methods store is a log entry. */
const LOG_CLASS = /(Logs?|Audit\w*)(Client|Service|Store|Repository|Writer|Sink)$|Logger$/;
/** Functions named for reading: an outbound POST they make is a query (search APIs, GraphQL). */
const READS_BY_NAME = /^#?(list|get|fetch|search|query|find|lookup|load|read|count)([A-Z]\w*)?$/;
/** Methods whose outbound calls set or remove state in another system: repeating them changes nothing. */
const SETS_STATE = /^(set|remove|delete|upsert|sync|replace|ensure|unassign|disable|enable|deactivate|activate)[A-Z]\w*$/;
const GENERATED_KEY = /randomUUID|uuid\w*\(|nanoid|cuid|ulid|Date\.now|Math\.random|crypto\.random/i;
const KEY_OPTION = /^idempotency_?key$/i;

export interface FoundWrite {
  match: WriteMatch;
  /** Functions from the summarized function down to the one that contains the write. */
  path: string[];
  /** The node in the summarized function's own code that leads to the write (the call, or the write itself). */
  site: ts.Node;
  /** What protects this write (a wrapper, a forwarded key). */
  protectedBy?: string;
  /** Why repeating it is harmless (a guard, a unique constraint). */
  guard?: string;
  /** The guard is a unique key assumed to come with a record passed in whole (or spread into the literal): a caller that spells the record out decides again. */
  guardOnWholeRecord?: boolean;
  /** An "absolute" update whose value a caller computed from the stored one: not idempotent. */
  readModifyWrite?: string;
  /** Runs only in a branch of some function on its path, so a repeat may skip it rather than fail at it. */
  branched?: boolean;
  /** An entry of an audit trail: a repeat records the action twice, a low-severity duplicate. */
  auditTrail?: boolean;
  /** A create whose model has unique columns, none of them filled from the request. */
  noRequestUnique?: boolean;
  /** A delete that undoes what the same handler creates when the record is missing: a retry flips it back. */
  toggle?: string;
  /** An absolute update whose stored values come from callers: what each caller passes decides it (token-trail.ts). */
  trails?: TokenTrail[];
}

export interface FunctionSummary {
  writes: FoundWrite[];
  /**
   * Callees the analysis could not resolve, kept for later: why they cannot be followed is worked out
   * (unresolved.ts) only for a handler that turns out to write nothing known.
   */
  unfollowed?: ts.Expression[];
  /**
   * Where to look for the idempotency key's use (handler-level protection): worked out by
   * `Effects.keyUse` only for the summaries whose verdict depends on it.
   */
  keyScope?: KeyScope;
  /** express-idempotency's `isHit(req)` is checked. */
  checksIsHit: boolean;
}

/** The code of a summary and the summaries of what it calls, in the order the walk met them. */
interface KeyScope {
  root: ts.Node;
  name: string;
  followed: FunctionSummary[];
}

const EMPTY: FunctionSummary = { writes: [], checksIsHit: false };
/** How often a function is walked again because a resolution was cut short during its walk. */
const MAX_SUMMARY_TRIES = 3;

/** What the summary walk asks of each node's kind (kinds.ts): bits of `walkKinds` past the shared two. */
const WALK_FUNCTION_VALUE = 4;
const WALK_CATCH = 8;
const WALK_CALL = 16;
const WALK_ASSIGN = 32;

function walkKinds(t: TS): KindFlags {
  return codeWalkFlags(t, 'effects.walk', () => [
    (n) => t.isArrowFunction(n) || t.isFunctionExpression(n) || t.isMethodDeclaration(n) || t.isGetAccessorDeclaration(n) || t.isSetAccessorDeclaration(n),
    (n) => t.isCatchClause(n),
    (n) => t.isCallExpression(n) || t.isNewExpression(n) || t.isTaggedTemplateExpression(n),
    (n) => t.isBinaryExpression(n),
  ]);
}

export class Effects {
  private readonly cache = new Map<ts.Node, FunctionSummary>();
  private readonly keys: KeySources;
  private readonly inProgress = new Set<ts.Node>();
  private readonly preludeCache = new WeakMap<readonly object[], FoundWrite[]>();
  private readonly events: EventListeners;
  private readonly keyUses = new WeakMap<KeyScope, string | null>();
  private readonly retries = new Map<ts.Node, number>();

  constructor(
    private readonly t: TS,
    private readonly resolver: Resolver,
    private readonly knowledge: Knowledge,
    private readonly schema: SchemaIndex,
  ) {
    this.keys = new KeySources(t, knowledge.headers, resolver);
    this.events = new EventListeners(t, resolver);
  }

  /** `dto.email` is always given when the parameter's declared type requires it. */
  private readonly requiredInput: RequiredInput = (value) => this.schema.requiredInRecord(value.expression, value.name.text.toLowerCase());

  summarize(fn: Extract<Value, { kind: 'function' }>, depth = 0): FunctionSummary {
    const cached = this.cache.get(fn.node);
    if (cached) return cached;
    if (this.inProgress.has(fn.node) || depth > MAX_CALL_DEPTH || !fn.node.body) return EMPTY;
    this.inProgress.add(fn.node);
    try {
      const before = this.resolver.cutoffCount;
      const summary = this.walk(fn.node, displayName(this.t, fn), depth);
      // A walk during which a resolution was cut short (a call-site search re-entered, a depth limit)
      // may have missed a callee: asked again later it may see more. Kept after a few tries regardless.
      const tries = (this.retries.get(fn.node) ?? 0) + 1;
      if (this.resolver.cutoffCount === before || tries >= MAX_SUMMARY_TRIES) this.cache.set(fn.node, summary);
      else this.retries.set(fn.node, tries);
      return summary;
    } finally {
      this.inProgress.delete(fn.node);
    }
  }

  /** A handler that is a branch of a function (`if (req.method === 'POST') { … }`, `case 'POST':`). */
  summarizeBranch(branch: ts.Node, name: string): FunctionSummary {
    const cached = this.cache.get(branch);
    if (cached) return cached;
    const summary = this.walk(undefined, name, 0, branch);
    this.cache.set(branch, summary);
    return summary;
  }

  private walk(fn: FunctionLike | undefined, name: string, depth: number, branch?: ts.Node): FunctionSummary {
    const t = this.t;
    const body = branch ?? fn!.body!;
    const writes: FoundWrite[] = [];
    const unfollowed: ts.Expression[] = [];
    const followed: FunctionSummary[] = [];
    let checksIsHit = false;

    const addFrom = (sub: FunctionSummary, site: ts.Node, protectedBy: string | undefined, callee?: FunctionLike, calleeName?: string): void => {
      const siteGuard = sub.writes.length === 0 ? undefined : guardBefore(t, site, body, this.requiredInput) ?? refusedAfter(t, site, body);
      const audit = (calleeName !== undefined && AUDIT_FUNCTION.test(calleeName)) || (callee !== undefined && LOG_CLASS.test(enclosingClassName(t, callee) ?? ''));
      const setsState = calleeName !== undefined && SETS_STATE.test(calleeName);
      for (const w of sub.writes) {
        const copy: FoundWrite = { ...w, path: [name, ...w.path], site };
        // SQL, file paths and secrets a helper was given: this call site says what they are.
        if (callee && t.isCallExpression(site)) {
          if (!settleAtCallSite(t, this.resolver, copy, callee, site)) continue;
          // The caller spelled out a record the helper inserts whole: its keys may be unique, or (a token
          // made with `generateToken()`) not from the request after all.
          const spelled = copy.match.data !== w.match.data;
          if (spelled && copy.guardOnWholeRecord) {
            delete copy.guard;
            delete copy.guardOnWholeRecord;
            if (this.schema.hasUniqueFields(copy.match, copy.match.node.getSourceFile().fileName)) copy.noRequestUnique = true;
          }
          const unique = spelled && !copy.guard && !copy.match.idempotentBecause ? this.uniqueGuard(copy.match) : undefined;
          if (unique) {
            copy.guard = unique;
            delete copy.noRequestUnique;
          }
        } else {
          delete copy.trails;
        }
        if (audit) copy.auditTrail = true;
        // `crm.setUserRole(…)` → `post(url, { type: 'setUserRole', … })`: the request sets state in the
        // other system; the method's name says what the outbound POST means.
        if (setsState && w.match.kind === 'http-mutation' && !copy.guard) copy.guard = `an outbound call that sets state (${calleeName})`;
        const computed = !copy.readModifyWrite && callee && t.isCallExpression(site) ? computedArgument(t, this.resolver, w, callee, site) : undefined;
        if (computed) copy.readModifyWrite = computed;
        // A shared helper whose write depends on what this caller passes: `update(id, { $inc: … })`
        // increments, `enqueue(jobs)` with a deterministic jobId is deduplicated by the queue.
        const passed = callee && t.isCallExpression(site) ? argumentDecides(t, this.resolver, w, callee, site) : undefined;
        if (passed?.increment && !copy.readModifyWrite && !w.match.idempotentBecause?.startsWith('upsert')) copy.readModifyWrite = passed.increment;
        if (passed?.dedup && !copy.guard) copy.guard = passed.dedup;
        if (callee && t.isCallExpression(site) && w.path.length === 1) {
          const origin = documentSave(t, this.resolver, w, callee, site);
          if (origin) copy.match = origin;
        }
        if (protectedBy && !copy.protectedBy) copy.protectedBy = protectedBy;
        let guard = usableGuard(t, siteGuard, copy, body, callee?.body);
        // The nearest check does not hold for this write: one further out may.
        if (!guard && siteGuard && !copy.guard) guard = guardBefore(t, site, body, this.requiredInput, (r) => usableGuard(t, r, copy, body, callee?.body) !== undefined);
        if (guard && !copy.guard) copy.guard = guard;
        writes.push(copy);
      }
      if (sub.keyScope && !followed.includes(sub)) followed.push(sub);
      if (sub.checksIsHit) checksIsHit = true;
      for (const u of sub.unfollowed ?? []) if (unfollowed.length < MAX_UNFOLLOWED && !unfollowed.includes(u)) unfollowed.push(u);
    };

    const visitCall = (node: CallNode, protectedBy: string | undefined): boolean => {
      const callee = t.isTaggedTemplateExpression(node) ? node.tag : node.expression;
      // `res.status(201).json(order)`: answering the request writes nothing a retry repeats, and every
      // handler does it; the arguments are still walked.
      if (answersRequest(t, callee)) return false;
      const calleeName = lastName(t, callee);
      if (calleeName === 'isHit') checksIsHit = true;
      if (calleeName && !t.isTaggedTemplateExpression(node) && this.isWrapper(calleeName, callee)) {
        for (const arg of node.arguments ?? []) {
          this.visitWrapped(arg, depth, (sub) => { addFrom(sub, node, calleeName); }, (n) => { visit(n, calleeName); });
        }
        return true;
      }
      const value = this.resolver.resolve(callee);
      const dispatched = this.dispatchTarget(node);
      if (dispatched) addFrom(this.summarize(dispatched, depth + 1), node, protectedBy);
      const emitted = t.isCallExpression(node) ? this.events.emitted(node) : undefined;
      for (const listener of emitted?.listeners ?? []) {
        if (LOGGING_FUNCTION.test(listener.name)) continue;
        addFrom(listening(this.summarize(listener, depth + 1), emitted!.event), node, protectedBy);
      }
      if (value?.kind === 'external') {
        const receiver = (): Value | undefined => (t.isPropertyAccessExpression(callee) ? this.resolver.resolve(callee.expression) : undefined);
        const match = matchWrite(t, this.knowledge.writeRules, node, value, receiver, this.depsOf(node), (e) => this.resolver.resolve(e));
        if (match) writes.push(this.found(match, name, body, protectedBy));
      }
      if (value === undefined || value.kind === 'external') {
        const match = matchRequestWrite(t, this.knowledge.requestRules, node, this.depsOf(node));
        if (match) {
          writes.push(this.found(match, name, body, protectedBy));
          return false;
        }
      }
      const byName = value === undefined && t.isPropertyAccessExpression(callee) ? this.resolver.uniqueSchemaMethod(callee.name.text) : undefined;
      if (byName) {
        addFrom(this.summarize(byName, depth + 1), node, protectedBy, byName.node, byName.name);
        return false;
      }
      if (value?.kind === 'function' && value.node !== fn && !LOGGING_FUNCTION.test(value.name)) {
        addFrom(this.summarize(value, depth + 1), node, protectedBy, value.node, value.name.split('.').pop());
      }
      if (!dispatched && (value === undefined || (value.kind === 'external' && ((/^[./]/.test(value.module) && !DATA_MODULE.test(value.module) && !this.knownModule(value.module)) || value.module === 'global')))) {
        // A call the analysis cannot follow: remembered, and explained only if nothing else decides the handler.
        if (unfollowed.length < MAX_UNFOLLOWED) unfollowed.push(callee);
      }
      return false;
    };

    const kinds = walkKinds(t);
    const visit = (node: ts.Node, protectedBy: string | undefined): void => {
      const kind = kinds[node.kind]!;
      if (kind !== 0) {
        // Types (`app.post<{ Body: … }>`, `as Order`, annotations) hold no calls.
        if (kind & CODE_TYPE) return;
        if (node !== body && kind & CODE_DECLARATION) return;
        if (node !== body && kind & WALK_FUNCTION_VALUE && definedNotRun(t, node)) return;
        // Failure bookkeeping in `catch` runs when the request failed, not on the path a retry repeats.
        if (kind & WALK_CATCH) return;
        if (kind & WALK_CALL && visitCall(node as CallNode, protectedBy)) return;
        // `req.session.userId = user.id` with a session store: a stored session per login.
        if (kind & WALK_ASSIGN && (node as ts.BinaryExpression).operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression((node as ts.BinaryExpression).left)) {
          const match = matchRequestField(t, this.knowledge.requestFields, node as ts.BinaryExpression, () => this.depsOf(node), (p) => this.projectDefines(p));
          if (match) writes.push(this.found(match, name, body, protectedBy));
        }
      }
      t.forEachChild(node, protectedBy === undefined ? visitOpen : (child) => {
        visit(child, protectedBy);
      });
    };
    // Most of a walk is outside any wrapper: one callback for all of it, not one per node.
    const visitOpen = (child: ts.Node): void => {
      visit(child, undefined);
    };
    visit(body, undefined);
    markReplacements(t, writes, body);
    propagateUniqueGuards(t, writes, body);
    markToggles(t, writes, body);
    const summary: FunctionSummary = { writes, checksIsHit, keyScope: { root: fn ?? body, name, followed } };
    if (unfollowed.length > 0) summary.unfollowed = unfollowed;
    return summary;
  }

  /**
   * How the idempotency key is used in a summary's code or in anything it calls (first use wins, the
   * summary's own code first), or undefined. Asked only where a verdict depends on it, so handlers
   * whose writes are already decided, and read-only ones, never pay for the search.
   */
  keyUse(summary: FunctionSummary): string | undefined {
    const scope = summary.keyScope;
    if (!scope) return undefined;
    const cached = this.keyUses.get(scope);
    if (cached !== undefined) return cached ?? undefined;
    this.keyUses.set(scope, null); // cycles: a function being searched holds no answer yet
    const own = findKeyUses(this.t, scope.root, this.keys).find((u) => !u.onlyOptionOf);
    let found = own ? `${scope.name} reads ${headerText(own.read)} and ${own.use}` : undefined;
    for (const sub of scope.followed) {
      if (found) break;
      found = this.keyUse(sub);
    }
    this.keyUses.set(scope, found ?? null);
    return found;
  }

  /** `commandBus.execute(new CreateOrderCommand(dto))` runs the `@CommandHandler(CreateOrderCommand)`. */
  private dispatchTarget(node: CallNode): Extract<Value, { kind: 'function' }> | undefined {
    const t = this.t;
    if (this.resolver.dispatch.size === 0 || t.isTaggedTemplateExpression(node)) return undefined;
    for (const arg of node.arguments ?? []) {
      if (!t.isNewExpression(arg)) continue;
      const cls = this.resolver.resolve(arg.expression);
      const target = cls?.kind === 'class' ? this.resolver.dispatch.get(cls.node) : undefined;
      if (target) return target;
    }
    return undefined;
  }

  /** Work passed to a wrapper (`withIdempotency(key, async () => …)`) is protected by it. */
  private visitWrapped(arg: ts.Expression, depth: number, addSummary: (s: FunctionSummary) => void, visitInline: (n: ts.Node) => void): void {
    const t = this.t;
    if (t.isArrowFunction(arg) || t.isFunctionExpression(arg)) {
      visitInline(arg.body);
      return;
    }
    const value = this.resolver.resolve(arg);
    if (value?.kind === 'function') addSummary(this.summarize(value, depth + 1));
  }

  private readonly definedPatterns = new Map<RegExp, boolean>();

  /** Whether some file of the project matches `pattern` (a session store class it writes itself). */
  private projectDefines(pattern: RegExp): boolean {
    let known = this.definedPatterns.get(pattern);
    if (known === undefined) {
      known = false;
      for (const [file, text] of this.resolver.project.texts()) {
        if (!isTestFile(file) && pattern.test(text)) {
          known = true;
          break;
        }
      }
      this.definedPatterns.set(pattern, known);
    }
    return known;
  }

  /** The dependencies of the package a node's file belongs to (catalogue rules that need another package). */
  private depsOf(node: ts.Node): ReadonlySet<string> | undefined {
    return this.resolver.project.packageOf(node.getSourceFile().fileName)?.deps;
  }

  /** A module the write catalogue knows (a generated Prisma client imported by a relative path, say). */
  private knownModule(module: string): boolean {
    return this.knowledge.writeRules.some((r) => (typeof r.module === 'string' ? r.module === module : r.module.test(module)));
  }

  isWrapper(name: string, callee: ts.Expression): boolean {
    if (this.knowledge.wrappers.has(name)) return true;
    const value = this.resolver.resolve(callee);
    if (value?.kind !== 'external') return false;
    const chain = value.chain.join('.');
    return this.knowledge.libraries.some((lib) => (typeof lib.module === 'string' ? lib.module === value.module : lib.module.test(value.module)) && lib.chain.test(chain) && !lib.requires);
  }

  /**
   * Writes done by middleware that runs before the handler and is itself a known writer, such as
   * multer's `upload.single('file')` on the route, which stores every upload before the handler runs.
   * Only the middleware expression is matched; middleware functions are not followed (rate limiters and
   * session touches would otherwise count as the route's writes).
   */
  preludeWrites(preludes: readonly { expr: ts.Node; via: string }[]): FoundWrite[] {
    // Asked for by the verdict and again by the fix planner for the same route.
    const cached = this.preludeCache.get(preludes);
    if (cached) return cached;
    const t = this.t;
    const writes: FoundWrite[] = [];
    this.preludeCache.set(preludes, writes);
    for (const prelude of preludes) {
      // `const uploadImage = upload.single('image')`, then `router.post('/', uploadImage, handler)`.
      // A project middleware function (`controllers.uploadMiddleware`): only the writes the catalogue marks
      // as middleware work (multer storing the upload) count for the route.
      const fn = t.isIdentifier(prelude.expr) || t.isPropertyAccessExpression(prelude.expr) ? this.resolver.resolve(prelude.expr) : undefined;
      if (fn?.kind === 'function') {
        for (const w of this.summarize(fn).writes) {
          if (w.match.rule.middleware) writes.push({ ...w, path: [`middleware (${prelude.via})`, ...w.path], site: prelude.expr });
        }
        continue;
      }
      const expr = t.isIdentifier(prelude.expr) ? initializerOf(t, prelude.expr) : prelude.expr;
      if (!expr || !t.isCallExpression(expr)) continue;
      const value = this.resolver.resolve(expr.expression);
      if (value?.kind !== 'external') continue;
      const callee = expr.expression;
      const receiver = (): Value | undefined => (t.isPropertyAccessExpression(callee) ? this.resolver.resolve(callee.expression) : undefined);
      const match = matchWrite(t, this.knowledge.writeRules, expr, value, receiver, this.depsOf(expr));
      if (match) writes.push({ match, path: [`middleware (${prelude.via})`], site: prelude.expr });
    }
    return writes;
  }

  private found(match: WriteMatch, fnName: string, body: ts.Node, protectedBy: string | undefined): FoundWrite {
    const write: FoundWrite = { match, path: [fnName], site: match.node };
    if (match.kind === 'db-update' && match.idempotentBecause && (this.t.isCallExpression(match.node) || this.t.isNewExpression(match.node))) {
      // A fresh secret stored here, in a nested relation update, or passed in by a caller.
      const step = startTrails(this.t, match.node);
      if (step && 'rotation' in step) write.match = match = rotation(match, step.rotation);
      else if (step) write.trails = step.trail;
    }
    if (match.auditTrail || AUDIT_FUNCTION.test(fnName.split('.').pop() ?? '')) write.auditTrail = true;
    // `async #fetchPage() { return fetch(CATALOG_URL, { method: 'POST', body: query }) }`: a search or
    // GraphQL query sent as POST by a function named for reading.
    const reader = fnName.split('.').pop() ?? '';
    if (match.kind === 'http-mutation' && !match.idempotentBecause && READS_BY_NAME.test(reader)) {
      write.match = match = { ...match, idempotentBecause: `a query sent as POST by ${reader}, which reads` };
    }
    if (match.toggles) write.toggle = `a toggle of ${match.toggles}: the update flips the stored value, so a retry undoes the first request`;
    const keyOption = this.t.isBinaryExpression(match.node) ? undefined : forwardedKey(this.t, match.node);
    if (keyOption) write.protectedBy = keyOption;
    else if (protectedBy) write.protectedBy = protectedBy;
    if (!match.idempotentBecause) {
      const unique = this.uniqueGuard(match);
      // Unique columns filled only with generated values (or not at all): a repeat never violates them.
      if ((match.kind === 'db-create' || match.kind === 'token-rotation') && !unique && this.schema.hasUniqueFields(match, match.node.getSourceFile().fileName)) write.noRequestUnique = true;
      // The rows a create adds (`save(Term, termsToAdd)`, `createMany(missing)`).
      const call = match.node;
      // (An increment by their count, `increment(Project, …, 'termsCount', termsToAdd.length)`, steps by
      // nothing on the repeat.)
      const counted = match.kind === 'db-increment' && this.t.isCallExpression(call) ? countedList(this.t, call) : undefined;
      const records = match.kind === 'db-create' && this.t.isCallExpression(call) ? (match.rule.refine === 'save-argument' ? savedArgument(this.t, call.arguments) : call.arguments[0]) : counted;
      const usable = (r: string): boolean => usableGuard(this.t, r, write, body) !== undefined;
      const guard = usableGuard(this.t, guardBefore(this.t, match.node, body, this.requiredInput, usable) ?? refusedAfter(this.t, match.node, body) ?? addsOnlyMissing(this.t, records, match.node), write, body);
      if (guard) write.guard = guard;
      else if (unique) {
        write.guard = unique;
        // (Also a record spread into the literal from a parameter: a caller that spells it out decides.)
        if (match.wholeRecord || (match.data && match.recordFrom)) write.guardOnWholeRecord = true;
      }
    } else {
      // An update behind a check that uses up what the request proves (a token, the old password): the
      // update is harmless by itself, and the check also refuses a repeat of what follows in its caller.
      const guard = guardBefore(this.t, match.node, body, this.requiredInput);
      if (guard?.startsWith('single-use')) write.guard = guard;
    }
    return write;
  }

  /** A create whose unique key the record fills from the request fails on a repeat: the reason, if so. */
  private uniqueGuard(match: WriteMatch): string | undefined {
    // A stored session or token keyed by a value the request fixes (a cookie's `jti`) is refused too.
    if (match.kind !== 'db-create' && match.kind !== 'token-rotation') return undefined;
    const unique = this.schema.uniqueFieldOf(match, match.node.getSourceFile().fileName);
    if (unique) return `create fails on a duplicate: ${unique} is unique`;
    const field = serviceUnique(this.t, match);
    return field ? `create fails on a duplicate: ${match.callee} refuses a second record with the same ${field}` : undefined;
  }
}

/**
 * A service that refuses a second record with the same value of a field (`unique` in the catalogue:
 * Firebase Auth and Clerk refuse a second user with an e-mail), when the call gives that field a value
 * it does not make up.
 */
function serviceUnique(t: TS, match: WriteMatch): string | undefined {
  const field = match.rule.unique;
  const prop = field ? match.data?.properties.find((p) => p.name !== undefined && propertyNameText(t, p.name) === field) : undefined;
  const value = prop && t.isPropertyAssignment(prop) ? prop.initializer : prop && t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
  return value && !GENERATED_VALUE.test(expandedText(t, value)) ? field : undefined;
}

/**
 * A function that the code defines but does not run here: a method of an object that is returned or
 * stored (`return { createUser: async () => … }`, a NextAuth adapter, a set of callbacks) or a function
 * that is returned. Callbacks given to a call (`$transaction(async (tx) => …)`, `{ onDone() {} }` as an
 * argument) do run, and are walked.
 */
/**
 * `this.save()` in a schema method saves whatever document the caller has: a new one (`new Article()
 * .uploadAndSave()`) is a create, a loaded one an update, and one whose arrays the method pushes to
 * (`this.comments.push(c); this.save()`) gains an entry per call.
 */
function documentSave(t: TS, resolver: Resolver, w: FoundWrite, callee: FunctionLike, call: ts.CallExpression): WriteMatch | undefined {
  if (w.match.kind !== 'db-create' || !w.match.callee.startsWith('this.') || !resolver.isSchemaMethod(callee)) return undefined;
  const body = callee.body?.getText() ?? '';
  if (/\.(push|unshift|addToSet)\s*\(|\+\+|\+=/.test(body)) return { ...w.match, kind: 'db-append' };
  const object = t.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
  const made = object && t.isIdentifier(object) ? initializerOf(t, object) : object;
  const isNew = made !== undefined && t.isNewExpression(made);
  return isNew ? undefined : { ...w.match, kind: 'db-update', idempotentBecause: 'update that sets absolute values (a loaded document is saved)' };
}

/** A listener's writes, with the event that ran it named in the call path. */
function listening(summary: FunctionSummary, event: string): FunctionSummary {
  if (summary.writes.length === 0) return summary;
  return { ...summary, writes: summary.writes.map((w) => ({ ...w, path: [`${w.path[0] ?? 'listener'} (on '${event}')`, ...w.path.slice(1)] })) };
}

function definedNotRun(t: TS, node: ts.Node): boolean {
  if (!t.isArrowFunction(node) && !t.isFunctionExpression(node) && !t.isMethodDeclaration(node) && !t.isGetAccessorDeclaration(node) && !t.isSetAccessorDeclaration(node)) return false;
  let at: ts.Node = node;
  while (t.isParenthesizedExpression(at.parent) || t.isAsExpression(at.parent) || t.isSatisfiesExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  if (t.isReturnStatement(parent) || (t.isArrowFunction(parent) && parent.body === at)) return true;
  let object: ts.Node | undefined = t.isPropertyAssignment(parent) ? parent.parent : t.isObjectLiteralExpression(parent) ? parent : undefined;
  if (!object) return false;
  // Up through nested objects and arrays: `{ events: { signIn: async () => … } }`.
  while (t.isObjectLiteralExpression(object.parent) || t.isPropertyAssignment(object.parent) || t.isArrayLiteralExpression(object.parent) || t.isParenthesizedExpression(object.parent) || t.isAsExpression(object.parent) || t.isSatisfiesExpression(object.parent)) object = object.parent;
  const holder = object.parent;
  return !((t.isCallExpression(holder) || t.isNewExpression(holder)) && holder.arguments?.includes(object as ts.Expression));
}

/** A caught unique violation protects nothing when the create fills its unique columns with fresh values. */
function usableGuard(t: TS, guard: string | undefined, write: FoundWrite, body: ts.Node, callee?: ts.Node): string | undefined {
  if (!guard) return undefined;
  if (write.noRequestUnique && guard.startsWith('a unique violation')) return undefined;
  // `if (!registered) { await sendInvite(email) }`: only a branch that makes what the lookup missed (a
  // create, an insert, a save) turns the repeat away; one that only sends or updates runs again.
  if (FINDS_NOTHING.test(guard) && !MAKING_KINDS.has(write.match.kind) && !MAKES.test(branchOf(t, write.site, body).getText())) return undefined;
  // `const target = await this.userRepo.findOne(…); if (!target) { await this.inviteRepo.save(…) }`: the
  // repeat still finds no user, so it makes a second invite. Only a lookup of what the write makes guards it.
  if (FINDS_NOTHING.test(guard) && lookedUpElsewhere(t, guard, write, body)) return undefined;
  // `if (purchase) return 400` before opening a checkout, when the purchase is made elsewhere (a webhook):
  // the repeat finds no purchase either. Only a lookup of what the flow makes refuses its repeat.
  if (refusedElsewhere(t, guard, body)) return undefined;
  // `findFirst({ where: { key, uninstalled: true } })` then, when nothing is found, `create({ data: { key } })`:
  // the lookup cannot see the row the create makes, so the repeat creates again.
  if (filteredApart(t, guard, write, body)) return undefined;
  // `findOne({ _id: body.customerId })`, then when nothing is found `create({ isAnonymous: true })`: the
  // new row gets a key of its own, so the repeat looks up the same missing key and creates again.
  if (missedByKey(t, guard, write, body)) return undefined;
  // `if (user.twoFactorEnabled) throw` before storing a new 2FA secret: the repeat finds the flag
  // unchanged and passes. The check refuses only a request that sets the field it tests: in the
  // guarded code besides the check itself (`status: 'refunded'` after the refund), or in the write.
  // `if (old === newContent) return` guards only a write that stores `newContent`.
  const unchanged = /^unchanged check: the stored value already equals ([\w$]+),/.exec(guard)?.[1];
  if (unchanged) return new RegExp(`(^|[^\\w$])${unchanged.replace(/\$/g, '\\$')}(?![\\w$])`).test(wholeChain(t, write.match.node).getText()) ? guard : undefined;
  const field = checkedField(guard);
  if (field) {
    const mentions = new RegExp(`(^|[^\\w$])${field.replace(/\$/g, '\\$')}(?![\\w$])`);
    if (fieldMentions(t, body, field) > 0 || mentions.test(wholeChain(t, write.match.node).getText())) return guard;
    // `.set({ ...input })` after `if (input.newsletter && !stored.newsletter)`: a record spread into a
    // write carries the field the condition read from it.
    const text = body.getText();
    if ([...text.matchAll(/\.\.\.\s*([\w$]+)/g)].some((m) => text.includes(`${m[1]}.${field}`))) return guard;
    // `if (!user.seenCodes) { await generateCodes(user.id) }` where the helper stores `seenCodes: true`.
    return callee !== undefined && fieldMentions(t, callee, field) > 0 ? guard : undefined;
  }
  return guard;
}

/** `db.update(t)` with what it chains on (`.set({…}).where(…)`): the whole written statement. */
function wholeChain(t: TS, node: ts.Node): ts.Node {
  let n = node;
  for (let up = parentOf(n); up && ((t.isPropertyAccessExpression(up) || t.isCallExpression(up)) && up.expression === n); up = parentOf(n)) n = up;
  return n;
}

/** `…, 'termsCount', termsToAdd.length)`, `{ increment: tagsToAdd.length }`: the list an increment counts. */
function countedList(t: TS, call: ts.CallExpression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isPropertyAccessExpression(n) && n.name.text === 'length') found = n.expression;
    else t.forEachChild(n, visit);
  };
  for (const arg of call.arguments) visit(arg);
  return found;
}

/** Receivers that name no store of their own (a client or manager for many). */
const GENERIC_STORE = /^(db|database|prisma|client|em|manager|entityManager|knex|trx|tx|transaction|conn|connection|pool|sql|this|orm|dataSource|repo|repository|model|service|store)$/i;

/** `this.userRepo.findOne` → `user`, `prisma.invite.create` → `invite`, `User.findOne` → `user`, `this.getSetting.execute` → `setting`. */
function storeOf(t: TS, call: ts.Node): string | undefined {
  if (!t.isCallExpression(call) || !t.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = strip(t, call.expression.expression);
  const name = t.isPropertyAccessExpression(receiver) ? receiver.name.text : t.isIdentifier(receiver) ? receiver.text : undefined;
  if (!name || GENERIC_STORE.test(name)) return undefined;
  // (`this.getSetting.execute(…)`: a use case named for reading the store.)
  return name.replace(/^(get|find|fetch|load|lookup|retrieve)(?=[A-Z])/, '').replace(/(Repo|Repository|Model|Service|Store|Dao|Collection|Table)$/i, '').replace(/s$/, '').toLowerCase() || undefined;
}

/** The value `const name = …` gives in `body` (the first such declaration). */
function initializerIn(t: TS, body: ts.Node, name: string): ts.Expression | undefined {
  const initializer = declarationIn(t, body, name)?.initializer;
  return initializer ? strip(t, initializer) : undefined;
}

/** The first `const name = …` in `body` that gives a value. */
function declarationIn(t: TS, body: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isVariableDeclaration(n) && t.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n;
    else t.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** The stores the calls that make records under `root` add to (`prisma.invite.create` → `invite`); undefined for a call that names none. */
function madeStores(t: TS, root: ts.Node, into: (string | undefined)[] = []): (string | undefined)[] {
  const collect = (n: ts.Node): void => {
    if (t.isCallExpression(n) && t.isPropertyAccessExpression(n.expression) && MAKING_CALL.test(n.expression.name.text)) into.push(storeOf(t, n));
    t.forEachChild(n, collect);
  };
  collect(root);
  return into;
}

/** The "finds nothing" lookup reads a different store than the one the write adds to. */
function lookedUpElsewhere(t: TS, guard: string, write: FoundWrite, body: ts.Node): boolean {
  const tested = /^runs only when (.*) finds nothing$/.exec(guard)?.[1];
  if (!tested || !/^[\w$]+$/.test(tested)) return false;
  const read = initializerIn(t, body, tested);
  const looked = read ? storeOf(t, read) : undefined;
  if (looked === undefined) return false;
  // What the branch makes: a create of the store looked up (`Invite.create` after `Invite.findOne`)
  // guards everything after it in the branch, the e-mail included.
  const made: (string | undefined)[] = [];
  // Every branch around the write (the lookup's `if` may be further out than the innermost one).
  for (let n: ts.Node = write.site, up = parentOf(n); up && n !== body; n = up, up = parentOf(up)) {
    if (t.isIfStatement(up) && up.expression !== n) madeStores(t, n, made);
  }
  const named = made.filter((m) => m !== undefined);
  return named.length > 0 && !named.includes(looked);
}

const MAKING_CALL = /^(create|insert|save|add|upsert|persist|store|register)\w*$/i;

/**
 * "Refused when the lookup finds a record" where the lookup reads a store the code around it never adds
 * to, while it does add to others: the record comes from somewhere else, and the repeat does not find it.
 */
function refusedElsewhere(t: TS, guard: string, body: ts.Node): boolean {
  const tested = /^existence check on ([\w$]+) refuses a duplicate$/.exec(guard)?.[1];
  const decl = tested ? declarationIn(t, body, tested) : undefined;
  const read = decl?.initializer ? strip(t, decl.initializer) : undefined;
  // (A store read is awaited: `product.reviews.find(…)` searches a list in memory, loaded with its record.)
  // (A named store: `db.purchase`, `this.userRepo`, `Purchase`; not a local query builder such as `qb`.)
  const receiver = read && t.isCallExpression(read) && t.isPropertyAccessExpression(read.expression) ? strip(t, read.expression.expression) : undefined;
  const named = receiver !== undefined && (t.isPropertyAccessExpression(receiver) || (t.isIdentifier(receiver) && /^[A-Z]/.test(receiver.text)));
  const looked = named && t.isAwaitExpression(decl!.initializer!) ? storeOf(t, read!) : undefined;
  if (looked === undefined) return false;
  const made = madeStores(t, body);
  // Every store the code adds to must be known (`manager.save(Invite, …)` names none here) and none the looked-up one.
  return made.length > 0 && made.every((m) => m !== undefined && m !== looked);
}

/** A check that a lookup found nothing (the create runs only then, or a found record is refused): the looked-up name. */
const CREATE_WHEN_MISSING = /^(?:existence check on|runs only when) ([\w$]+) (?:refuses a duplicate|finds nothing)$/;

/**
 * The existence check's lookup of the store the create writes filters on a fixed value of a field
 * (`uninstalled: true`, `status: 'archived'`, `deletedAt: { not: null }`) that the created record does
 * not get: the row a first request makes never matches, so the check does not refuse the repeat.
 */
function filteredApart(t: TS, guard: string, write: FoundWrite, body: ts.Node): boolean {
  const tested = CREATE_WHEN_MISSING.exec(guard)?.[1];
  const data = write.match.data;
  if (!tested || write.match.kind !== 'db-create' || !data) return false;
  const read = initializerIn(t, body, tested);
  if (!read || !t.isCallExpression(read) || !read.arguments[0]) return false;
  const store = storeOf(t, read);
  if (!store || store !== storeOf(t, write.match.node)) return false;
  const where = propertyValue(t, strip(t, read.arguments[0]), 'where');
  const filter = where ? strip(t, where) : undefined;
  if (!filter || !t.isObjectLiteralExpression(filter)) return false;
  const given = new Map<string, string>();
  for (const prop of data.properties) {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    if (name && t.isPropertyAssignment(prop)) given.set(name, strip(t, prop.initializer).getText());
  }
  return filter.properties.some((prop) => {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    if (!name || !t.isPropertyAssignment(prop)) return false;
    const value = strip(t, prop.initializer);
    // A fixed state: `true`, `'archived'`, `{ not: null }`; `null` is what a new row has anyway.
    const fixed = value.kind === t.SyntaxKind.TrueKeyword || t.isStringLiteral(value) || (t.isObjectLiteralExpression(value) && value.getText().replace(/\s+/g, '') === '{not:null}');
    if (!fixed || given.get(name) === value.getText()) return false;
    // Whether a new row is in that state is the schema's default (`status: 'active'` often is): the
    // code shows it is not when it moves found rows out of it (`data: { uninstalled: false }`), or
    // creates rows in another one.
    return setsOtherwise(t, body, name, value.getText());
  });
}

/** Lookups by the primary key alone. */
const BY_KEY = /^(findById|findByPk|findOneById)$/;

/**
 * The check looks the record up by a primary key it is given (`findOne({ _id: body.customerId })`,
 * `findById(id)`) and the create of that store, in the branch that runs when nothing is found, does
 * not set the key: the store makes a new one, so the row the first request creates is never the one
 * the repeat looks for.
 */
function missedByKey(t: TS, guard: string, write: FoundWrite, body: ts.Node): boolean {
  const tested = CREATE_WHEN_MISSING.exec(guard)?.[1];
  const data = write.match.data;
  if (!tested || write.match.kind !== 'db-create' || !data) return false;
  const read = initializerIn(t, body, tested);
  if (!read || !t.isCallExpression(read) || !t.isPropertyAccessExpression(read.expression) || !read.arguments[0]) return false;
  const store = storeOf(t, read);
  if (!store || store !== storeOf(t, write.match.node)) return false;
  const first = strip(t, read.arguments[0]);
  let byKey = BY_KEY.test(read.expression.name.text) && !t.isObjectLiteralExpression(first) && !t.isLiteralExpression(first);
  if (!byKey && t.isObjectLiteralExpression(first)) {
    const where = propertyValue(t, first, 'where');
    const filter = where ? strip(t, where) : first;
    byKey = t.isObjectLiteralExpression(filter) && filter.properties.some((prop) => {
      const name = prop.name ? propertyNameText(t, prop.name) : undefined;
      if (!name || !PRIMARY_KEY.test(name)) return false;
      const value = t.isPropertyAssignment(prop) ? strip(t, prop.initializer) : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      return value !== undefined && !t.isLiteralExpression(value);
    });
  }
  if (!byKey) return false;
  return !data.properties.some((prop) => t.isSpreadAssignment(prop) || PRIMARY_KEY.test(propertyNameText(t, prop.name) ?? ''));
}

/** An object literal outside query filters gives `field` a value other than `value`. */
function setsOtherwise(t: TS, body: ts.Node, field: string, value: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (t.isPropertyAssignment(n) && propertyNameText(t, n.name) === 'where') return;
    if (t.isPropertyAssignment(n) && propertyNameText(t, n.name) === field && strip(t, n.initializer).getText() !== value) found = true;
    else t.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** Keys of a query that read or filter a field rather than set it (`select: { flag: true }`). */
const QUERY_KEYS = /^(select|where|include|orderBy|omit|distinct|projection|attributes|fields|filter|sort)$/;

/**
 * How often `body` names `field` outside conditions and outside what its queries select or filter: a
 * write or a change of the field (`status: 'refunded'`) is a mention; the checks themselves
 * (`if (member.role !== 'admin' && member.role !== 'owner')`) and `select: { role: true }` are not.
 */
function fieldMentions(t: TS, body: ts.Node, field: string): number {
  // Most bodies never spell the field: a text search says so without a walk.
  const text = body.getSourceFile().text;
  const at = text.indexOf(field, body.pos);
  if (at < 0 || at + field.length > body.end) return 0;
  let count = 0;
  const visit = (n: ts.Node, inQuery: boolean): void => {
    // (Taking the field out of a read, `const { totpVerified } = …`, is reading it, not setting it.)
    const readOut = t.isIdentifier(n) && t.isBindingElement(n.parent);
    if ((t.isIdentifier(n) || t.isPrivateIdentifier(n) || t.isStringLiteral(n)) && n.text === field && !inQuery && !readOut) count++;
    // `select: { role: true }` (Prisma), `.select({ role: member.role })` (Drizzle, Knex).
    const query = inQuery || (t.isPropertyAssignment(n) && QUERY_KEYS.test(n.name.getText())) ||
      (t.isCallExpression(n) && t.isPropertyAccessExpression(n.expression) && QUERY_KEYS.test(n.expression.name.text));
    t.forEachChild(n, (c) => {
      if ((t.isIfStatement(n) && c === n.expression) || (t.isConditionalExpression(n) && c === n.condition)) return;
      visit(c, query);
    });
  };
  visit(body, false);
  return count;
}

const FINDS_NOTHING = /^runs only when .* finds nothing$/;
/** Writes that make a record, which the lookup then finds on the repeat. */
const MAKING_KINDS = new Set<WriteKind>(['db-create', 'db-upsert', 'db-append', 'token-rotation', 'payment']);
const MAKES = /\b(create|insert|save|add|upsert|register|signUp|persist|store)\w*\s*\(/i;

/** Guards that stop a repeated request outright (it throws or returns), so later writes never repeat. */
const REFUSING = /^(create fails on a duplicate|existence check|state check|single-use|unchanged check|a unique violation)/;

/**
 * After a write that a repeat cannot get past, later writes in the same flow never run twice. Only
 * in the same flow: a create that runs in a branch (`if (!user) user = await createUser(email)`) is
 * skipped by the repeat, not refused, so what follows the branch runs again.
 */
function propagateUniqueGuards(t: TS, writes: FoundWrite[], body: ts.Node): void {
  const branches = writes.map((w) => branchOf(t, w.site, body));
  const first = writes.findIndex((w) => w.guard !== undefined && REFUSING.test(w.guard) && !w.protectedBy && !w.branched);
  if (first >= 0) {
    const reason = writes[first]!.guard!;
    const flow = branches[first]!;
    for (const w of writes.slice(first + 1)) {
      if (flow === body || contains(flow, w.site)) w.guard ??= `runs after a step a repeat cannot pass (${reason})`;
    }
  }
  // Callers see these writes at one call site, where the branch is no longer visible.
  writes.forEach((w, i) => { if (branches[i] !== body) w.branched = true; });
}

/** The innermost branch (if/else arm, `?:` arm, right side of `&&`/`||`/`??`, `case`) that holds `site`. */
/**
 * `if (like) delete(like) else create(…)`: the create is skipped when the record exists, but the
 * delete in the other branch means a retry undoes the first request (like → unlike). Only writes made
 * in this function's own code are paired.
 */
function markToggles(t: TS, writes: FoundWrite[], body: ts.Node): void {
  const missing = /^(?:runs only when (\w+) finds nothing|existence check on (\w+) refuses a duplicate)/;
  for (const create of writes) {
    const found = create.match.kind === 'db-create' && create.path.length === 1 ? missing.exec(create.guard ?? '') : undefined;
    const name = found?.[1] ?? found?.[2];
    if (!name) continue;
    for (const del of writes) {
      if (del.match.kind !== 'db-delete' || del.path.length !== 1 || del.toggle || !runsWhenFound(t, del.match.node, body, name)) continue;
      del.toggle = `a toggle on ${name}: the record is deleted when it exists and created when it does not, so a retry undoes the first request`;
    }
  }
}

/**
 * `DELETE FROM auth WHERE method = 'password'` then `INSERT INTO auth …` (or `deleteMany` then
 * `createMany` on one model), the delete on every path to the insert: the pair replaces the record, so a
 * repeat deletes what the first request created and creates it again — the same end state.
 */
function markReplacements(t: TS, writes: FoundWrite[], body: ts.Node): void {
  for (const [i, create] of writes.entries()) {
    // A unique key does not refuse the repeat when the same request deletes the row holding it first.
    const onlyUnique = create.guard?.startsWith('create fails on a duplicate') ?? false;
    if (create.match.kind !== 'db-create' || (create.guard && !onlyUnique) || create.protectedBy) continue;
    const table = create.match.model?.name.toLowerCase();
    if (!table) continue;
    const flow = branchOf(t, create.site, body);
    // Only a delete of the row being inserted: `WHERE method = ?` before an insert that sets `method`
    // (a delete of expired rows before inserting a new one replaces nothing).
    const literal = create.match.data?.properties.map((p) => (p.name ? propertyNameText(t, p.name) : undefined)).filter((n): n is string => n !== undefined);
    const inserted = create.match.columns?.length ? create.match.columns : literal;
    // (Column names as the code spells them: `app_key` in a query, `appKey` in a record mapped to it.)
    const spelled = (c: string): string => c.replace(/_/g, '').toLowerCase();
    const insertedColumns = new Set(inserted?.map(spelled));
    const sameRow = (w: FoundWrite): boolean => insertedColumns.size > 0 && !!w.match.columns?.length && w.match.columns.every((c) => insertedColumns.has(spelled(c)));
    // The delete runs on every path to the insert: in the same branch or in one around it
    // (`deleteMany(…); if (ids.length > 0) createMany(…)`).
    const cleared = writes.slice(0, i).find((w) => w.match.kind === 'db-delete' && w.match.model?.name.toLowerCase() === table && sameRow(w) && !w.branched && contains(branchOf(t, w.site, body), flow));
    if (cleared) create.guard = `replaces the ${table} record the same request deletes first: a repeat ends in the same state`;
  }
}

/** `node` runs only when `name` holds a record: `if (name) { … }` or the else of `if (!name)`. */
function runsWhenFound(t: TS, node: ts.Node, body: ts.Node, name: string): boolean {
  for (let current: ts.Node = node, parent = parentOf(node); parent && current !== body; current = parent, parent = parentOf(parent)) {
    if (!t.isIfStatement(parent) || parent.expression === current) continue;
    const condition = parent.expression.getText().replace(/\s+/g, '');
    if (condition === name && parent.thenStatement === current) return true;
    if (condition === `!${name}` && parent.elseStatement === current) return true;
  }
  return false;
}

function branchOf(t: TS, site: ts.Node, body: ts.Node): ts.Node {
  let node = site;
  for (let parent: ts.Node | undefined = parentOf(node); parent && node !== body; node = parent, parent = parentOf(parent)) {
    if (t.isIfStatement(parent) && node !== parent.expression) return node;
    if (t.isConditionalExpression(parent) && node !== parent.condition) return node;
    if (t.isBinaryExpression(parent) && node === parent.right && [t.SyntaxKind.AmpersandAmpersandToken, t.SyntaxKind.BarBarToken, t.SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind)) return node;
    if (t.isCaseClause(parent) || t.isDefaultClause(parent)) return parent;
    // A loop's body may run no time at all (`for (const email of missingEmails) createUser(email)`
    // creates nothing on the repeat, so it refuses nothing).
    if ((t.isForOfStatement(parent) || t.isForInStatement(parent) || t.isForStatement(parent) || t.isWhileStatement(parent)) && node === parent.statement) return node;
  }
  return body;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.getSourceFile() === inner.getSourceFile() && outer.pos <= inner.pos && inner.end <= outer.end;
}

const ARITHMETIC_METHOD = /^(plus|minus|add|sub|subtract|times|increment|decrement)$/;

/**
 * `createOrUpdateBalance({ balance: new Big(balance).plus(amount) })` → `upsert({ update: { value: balance } })`:
 * the update writes a parameter whose argument is arithmetic, so a repeat applies the change twice.
 */
function computedArgument(t: TS, resolver: Resolver, write: FoundWrite, callee: FunctionLike, call: ts.CallExpression): string | undefined {
  const kind = write.match.kind;
  if ((kind !== 'db-update' && kind !== 'db-upsert') || !write.match.data) return undefined;
  for (const prop of write.match.data.properties) {
    const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    // A lock counter the caller steps (`version: fieldMap[id].version + 1`) is not the write's effect.
    if (!value || !t.isIdentifier(value) || (prop.name && VERSION_FIELD.test(propertyNameText(t, prop.name) ?? ''))) continue;
    const argument = passedFor(t, resolver, value, callee, call);
    if (argument && isArithmetic(t, argument)) return `${prop.name?.getText() ?? value.text} is computed by the caller (${argument.getText().slice(0, 50)}): a read-modify-write`;
  }
  return undefined;
}

/** An id argument that gives no id. */
const NO_ID = /^(undefined|null|void 0)$/;
const INCREMENT_TEXT = /\$inc\b|\$push\b|\bincrement\s*:|\bdecrement\s*:/;

function argumentDecides(t: TS, resolver: Resolver, write: FoundWrite, callee: FunctionLike, call: ts.CallExpression): { increment?: string; dedup?: string } | undefined {
  const node = write.match.node;
  if (t.isTaggedTemplateExpression(node) || t.isBinaryExpression(node)) return undefined;
  const args = node.arguments ?? [];
  const kind = write.match.kind;
  if (kind === 'db-update') {
    for (const arg of args.slice(0, 2)) {
      const passed = passedFor(t, resolver, arg, callee, call);
      const text = passed ? expandedText(t, passed) : '';
      if (INCREMENT_TEXT.test(text)) return { increment: `the caller passes an increment (${passed!.getText().slice(0, 50)}): not idempotent` };
    }
  }
  if (kind === 'queue' && write.match.rule.refine === 'job-id' && !write.match.idempotentBecause) {
    for (const arg of args) {
      const passed = passedFor(t, resolver, arg, callee, call);
      const text = passed ? expandedText(t, passed) : '';
      if (/\bjobId\b/.test(text) && !GENERATED_VALUE.test(text)) return { dedup: 'a deterministic jobId passed by the caller dedupes the job' };
      // `{ jobId }` taken from the helper's options: what this caller gives as the id, if anything.
      const own = propertyValue(t, arg, 'jobId');
      const given = own ? passedFor(t, resolver, own, callee, call) : undefined;
      if (given && !NO_ID.test(strip(t, given).getText()) && !GENERATED_VALUE.test(expandedText(t, given))) return { dedup: `a deterministic jobId passed by the caller (${given.getText().slice(0, 40)}) dedupes the job` };
    }
  }
  return undefined;
}

function isArithmetic(t: TS, expr: ts.Expression): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || t.isFunctionLike(node)) return;
    if (t.isBinaryExpression(node) && (node.operatorToken.kind === t.SyntaxKind.PlusToken || node.operatorToken.kind === t.SyntaxKind.MinusToken) &&
        !t.isStringLiteralLike(node.left) && !t.isStringLiteralLike(node.right) && !t.isTemplateExpression(node.left) && !t.isTemplateExpression(node.right)) found = true;
    else if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && ARITHMETIC_METHOD.test(node.expression.name.text)) found = true;
    else t.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** `stripe.charges.create(params, { idempotencyKey })`: the client's key forwarded to the write. */
function forwardedKey(t: TS, node: CallNode): string | undefined {
  if (t.isTaggedTemplateExpression(node)) return undefined;
  for (const arg of node.arguments ?? []) {
    if (!t.isObjectLiteralExpression(arg)) continue;
    for (const prop of arg.properties) {
      const name = prop.name ? propertyNameText(t, prop.name) : undefined;
      if (!name || !KEY_OPTION.test(name)) continue;
      const value = t.isPropertyAssignment(prop) ? prop.initializer.getText() : name;
      if (!GENERATED_KEY.test(value)) return `${name} option forwarded to ${lastName(t, node.expression) ?? 'the call'}`;
    }
  }
  return undefined;
}

/** Names the response object of a handler goes by. */
const RESPONSE_OBJECT = /^(res|reply|response)$/;
/** What handlers call on it to answer (Express, Fastify, Node's ServerResponse). */
const RESPONSE_METHOD = new Set(['status', 'code', 'header', 'headers', 'set', 'type', 'send', 'json', 'jsonp', 'end', 'redirect', 'cookie', 'clearCookie', 'setCookie', 'render', 'sendStatus', 'sendFile', 'download', 'location', 'append', 'attachment', 'vary', 'format', 'links', 'write', 'writeHead', 'setHeader', 'removeHeader', 'getHeader', 'hijack', 'serializer', 'notFound', 'badRequest', 'unauthorized', 'forbidden', 'conflict', 'internalServerError']);

/** `res.status(201).json(x)`, `reply.code(404).send()`: only response methods, on `res`/`reply`/`response`. */
function answersRequest(t: TS, callee: ts.Expression): boolean {
  let e: ts.Expression = callee;
  for (;;) {
    if (!t.isPropertyAccessExpression(e) || !RESPONSE_METHOD.has(e.name.text)) return false;
    e = e.expression;
    if (t.isCallExpression(e)) e = e.expression;
    else break;
  }
  return t.isIdentifier(e) && RESPONSE_OBJECT.test(e.text);
}

function lastName(t: TS, callee: ts.Expression): string | undefined {
  if (t.isIdentifier(callee)) return callee.text;
  if (t.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function displayName(t: TS, fn: Extract<Value, { kind: 'function' }>): string {
  if (fn.name && fn.name !== '<anonymous>') return fn.name;
  return functionName(t, fn.node);
}

function headerText(read: ts.Node): string {
  const match = /['"]([\w-]*idempotency[\w-]*)['"]/i.exec(read.getText());
  return match ? match[1]! : 'the idempotency header';
}

/** The name of the class a method belongs to, if it is one. */
function enclosingClassName(t: TS, fn: FunctionLike): string | undefined {
  const owner = parentOf(fn);
  return owner && t.isClassLike(owner) ? owner.name?.text : undefined;
}
