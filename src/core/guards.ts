// Guards that make a repeated request harmless even without an idempotency key: an existence check
// that refuses a duplicate, a state-machine check, a single-use token, a caught unique violation.
// A guard only counts when it refuses on the value that was read from the store: `if (!user) throw
// NotFound` before creating an order is a precondition, not a duplicate check.
import type { TS, tsTypes as ts } from './ts.js';
import { GENERATED_VALUE, initializerOf, isBlank, membership, propertyValue, strip } from './refine.js';
import { propertyNameText } from './scope.js';
import { enclosingFunction, parentOf } from './ts.js';

/** Names of calls that read state (a lookup whose result a guard can test). */
const STRONG_READ = /^(find\w*|lookup\w*|exists?\w*|count\w*|retrieve\w*|already\w*|is\w*(Taken|Used|InUse|Registered|Exists?|Duplicate|Claimed|Processed|Redeemed|Consumed|Member|Subscribed|Enrolled|Following)|check\w*Exists?|does\w*Exists?)$/i;
/** Names of checks that search the request's own data for problems (`findInvalidId`, `findMissingFields`). */
const INPUT_CHECK = /^find\w*(Invalid|Error|Missing|Malformed|Bad)\w*$/i;
/** Receivers that validate input rather than store state (`objectIdValidation`, `sanitizer`). */
const VALIDATOR_RECEIVER = /validat|sanitiz/i;
/** `get…`/`fetch…` read state only when they name what they get (`getOne`, `getUserByEmail`), not a bare `get`. */
const WEAK_READ = /^(get|fetch|load|select|query)\w+$/i;
/** Receivers named for a store: services, repositories, models, tables, collections, DAOs. */
const STORE_RECEIVER = /(service|repository|repo|store|dao|model|table|collection|db)$/i;
/** Receivers whose `get…` reads configuration or the request, not stored state. */
const NOT_A_STORE = /config|env|setting|option|header|\breq\b|request|params|query|body|cookie|flag|feature|i18n|translat|logger|map\b|cache/i;
/** Callback-era task runners that run a list in order and stop when a task does not continue (async, neo-async). */
const SEQUENCE_RUNNERS = /^(waterfall|series|eachSeries|mapSeries)$/;
/**
 * Error codes of unique violations: Prisma, PostgreSQL, MySQL, MongoDB, Sequelize, TypeORM, and the
 * violated constraint named (`err.constraint === 'users_email_unique'`, Knex's and Prisma's names).
 */
const UNIQUE_VIOLATION = /P2002|23505|ER_DUP_ENTRY|E?11000|UniqueConstraint|duplicate key|Duplicate entry|unique constraint|\.constraint\s*===?\s*['"`]\w+_(unique|key|ukey)['"`]/i;

/**
 * The field a state or single-use check tests, from the reason this module wrote for it
 * (`single-use check invite.acceptedAt …` → `acceptedAt`, `state check order.status === 'paid' …` → `status`,
 * `membership check post.likes …` → `likes`, `runs only while user.welcomed is unset` → `welcomed`).
 * Such a check refuses the repeat of a request only when that request's write sets the field.
 */
export function checkedField(reason: string): string | undefined {
  const m = /^(?:single-use|state|membership) check (.*) refuses a repeat$/.exec(reason) ?? /^runs only while (.*) is unset$/.exec(reason);
  if (!m) return undefined;
  const tested = m[1]!.split(/\s*(?:===|!==|==|!=)\s*/)[0]!;
  return /([\w$]+)\s*$/.exec(tested)?.[1];
}

/**
 * Whether a request value is always there: `dto.email` where the parameter's DTO class declares the
 * property required. Answered by the caller, which can read other files.
 */
export type RequiredInput = (value: ts.PropertyAccessExpression) => boolean;

/** The reason a guard before `node` (inside `body`) refuses a repeated request, if there is one. */
export function guardBefore(t: TS, node: ts.Node, body: ts.Node, requiredInput?: RequiredInput, accept: (reason: string) => boolean = () => true): string | undefined {
  // (A check the caller finds does not hold for its write, such as a flag the request never sets, is
  // passed over for one further out.)
  for (let current: ts.Node = node, parent = parentOf(node); current !== body && parent; current = parent, parent = parentOf(parent)) {
    if (t.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause && UNIQUE_VIOLATION.test(parent.catchClause.getText())) {
      const reason = 'a unique violation is caught and the duplicate is refused';
      if (accept(reason)) return reason;
    }
    // `if (!existing) { create }` / `if (existing) {…} else { create }`: only runs when nothing was found.
    if (t.isIfStatement(parent) && parent.expression !== current) {
      const inThen = parent.thenStatement === current;
      const reason = createsOnlyWhenMissing(t, parent.expression, inThen, parent);
      if (reason && accept(reason)) return reason;
    }
    // `existing ? existing.id : await createCustomer()`, `found ?? (await create())`: only when nothing was found.
    if (t.isConditionalExpression(parent) && parent.condition !== current) {
      const reason = createsOnlyWhenMissing(t, parent.condition, parent.whenTrue === current, parent);
      if (reason && accept(reason)) return reason;
    }
    if (t.isBinaryExpression(parent) && parent.right === current && (parent.operatorToken.kind === t.SyntaxKind.BarBarToken || parent.operatorToken.kind === t.SyntaxKind.QuestionQuestionToken)) {
      const reason = createsOnlyWhenMissing(t, parent.left, false, parent);
      if (reason && accept(reason)) return reason;
    }
    // `async.waterfall([findAndConsume, sendMail], done)`: a task that stops the sequence (returns
    // without calling its continuation) guards every task after it.
    if (t.isArrayLiteralExpression(parent) && runsInSequence(t, parent)) {
      for (const task of parent.elements) {
        if (task.pos >= current.pos) break;
        const reason = guardInside(t, task);
        if (reason && accept(reason)) return reason;
      }
    }
    // `for (const link of await db.link.findMany({ where: { doneAt: null } })) { …; update({ data: { doneAt } }) }`.
    if (t.isForOfStatement(parent) && parent.statement === current) {
      const reason = drainedWorkList(t, parent);
      if (reason && accept(reason)) return reason;
    }
    if (!t.isBlock(parent) && !t.isSourceFile(parent) && !t.isCaseClause(parent)) continue;
    for (const statement of parent.statements) {
      if (statement.pos >= current.pos) break;
      if (exclusiveBranches(t, statement, current)) continue;
      const reason = guardStatement(t, statement, 0, { node, requiredInput });
      if (reason && accept(reason)) return reason;
    }
  }
  return undefined;
}

/**
 * `if (!valid) { await recordFailedLogin(user); throw new UnauthorizedException() }`: the request
 * is refused right after the write, whatever happened. What a refused request writes is bookkeeping of
 * that refusal; the retry of a request that succeeded never takes this path.
 */
const SUCCESS_THROWN = /redirect|\b(200|201|202|204|301|302|303|307|308)\b|HttpStatus\.(OK|CREATED|ACCEPTED|NO_CONTENT|FOUND|SEE_OTHER|MOVED\w*)/i;

export function refusedAfter(t: TS, node: ts.Node, body: ts.Node): string | undefined {
  for (let current: ts.Node = node, parent = parentOf(node); current !== body && parent; current = parent, parent = parentOf(parent)) {
    if (t.isFunctionLike(parent) || t.isTryStatement(parent) || t.isCatchClause(parent)) return undefined;
    if (!t.isBlock(parent)) continue;
    const at = parent.statements.findIndex((s) => s === current);
    for (const later of parent.statements.slice(at + 1)) {
      // (`throw redirect(303, '/orders')` in some frameworks is how success answers.)
      if (t.isThrowStatement(later)) return SUCCESS_THROWN.test(later.getText()) ? undefined : `only on a path that refuses the request (${later.getText().slice(0, 60)})`;
      if (t.isReturnStatement(later) || t.isBreakStatement(later) || t.isContinueStatement(later)) return undefined;
    }
    // Past the end of an if's branch or a loop's body the flow goes on: look further out only from a
    // plain nested block.
    const outer = parentOf(parent);
    if (!outer || !t.isBlock(outer)) return undefined;
  }
  return undefined;
}

/**
 * `if (viaEmail) { …checks…; create() }` then `if (!viaEmail) { create() }`: the checks of the first
 * never run on the path of the second.
 */
function exclusiveBranches(t: TS, first: ts.Statement, second: ts.Node): boolean {
  if (!t.isIfStatement(first) || !t.isIfStatement(second)) return false;
  const negation = (e: ts.Expression): string | undefined => {
    const c = strip(t, e);
    return t.isPrefixUnaryExpression(c) && c.operator === t.SyntaxKind.ExclamationToken ? strip(t, c.operand).getText() : undefined;
  };
  const a = strip(t, first.expression).getText();
  const b = strip(t, second.expression).getText();
  return negation(second.expression) === a || negation(first.expression) === b;
}

/**
 * A loop over rows read with a fixed value of a field (`where: { nextExpenseCreatedAt: null }`,
 * `{ status: 'pending' }`) whose body sets that field to something else: the loop works through what is
 * still pending and marks it done, so a repeat of the request finds nothing left to do.
 */
function drainedWorkList(t: TS, loop: ts.ForOfStatement): string | undefined {
  let list = strip(t, loop.expression);
  const local = t.isIdentifier(list) ? initializerOf(t, list) : undefined;
  if (local) list = strip(t, local);
  if (!t.isCallExpression(list) || !isReadCall(t, list) || !list.arguments[0]) return undefined;
  const filter = propertyValue(t, list.arguments[0], 'where') ?? list.arguments[0];
  const where = strip(t, filter);
  if (!t.isObjectLiteralExpression(where)) return undefined;
  const pending = new Map<string, string>();
  for (const prop of where.properties) {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    const value = t.isPropertyAssignment(prop) ? strip(t, prop.initializer) : undefined;
    if (name && value && fixedState(t, value)) pending.set(name, value.getText());
  }
  if (pending.size === 0) return undefined;
  let marked: string | undefined;
  const visit = (n: ts.Node, inFilter: boolean): void => {
    if (marked) return;
    if (t.isPropertyAssignment(n)) {
      const name = propertyNameText(t, n.name);
      if (name === 'where') {
        visit(n.initializer, true);
        return;
      }
      const before = name ? pending.get(name) : undefined;
      if (!inFilter && before !== undefined && strip(t, n.initializer).getText() !== before) marked = name;
    }
    t.forEachChild(n, (c) => {
      visit(c, inFilter);
    });
  };
  visit(loop.statement, false);
  return marked ? `works through rows whose ${marked} is ${pending.get(marked)} and sets it on each: a repeat finds none left` : undefined;
}

/** The task list of a runner that runs tasks one after another and stops at the first that fails. */
function runsInSequence(t: TS, list: ts.ArrayLiteralExpression): boolean {
  const call = list.parent;
  if (!t.isCallExpression(call) || call.arguments[0] !== list) return false;
  const callee = call.expression;
  const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
  return SEQUENCE_RUNNERS.test(name);
}

/** A guard anywhere in a task's code, its callbacks included (they run as part of the task). */
function guardInside(t: TS, task: ts.Expression): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (t.isIfStatement(node)) found = guardStatement(t, node);
    if (!found) t.forEachChild(node, visit);
  };
  visit(task);
  return found;
}

/**
 * A duplicate check in code that runs before the handler (a validator, a guard, a middleware):
 * `if (await User.findOne({ email })) throw new Error('in use')`. Only lookups that refuse a record
 * that already exists count; authentication and state checks there guard other things.
 */
export function refusesDuplicate(t: TS, body: ts.Node): string | undefined {
  let found: string | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (found || depth > 6) return;
    // `if (isPublic) return true;` in a guard, `if (ok) return next();` in a middleware: the branch lets
    // the request through, whatever the condition read.
    if (t.isIfStatement(node) && refusesIn(t, node.thenStatement)) {
      const reason = guardStatement(t, node);
      if (reason?.startsWith('existence check') && !aboutTheCaller(t, node.expression, node)) {
        found = reason;
        return;
      }
    }
    if (node !== body && t.isFunctionLike(node) && !t.isArrowFunction(node)) return;
    t.forEachChild(node, (child) => {
      visit(child, depth + 1);
    });
  };
  visit(body, 0);
  return found;
}

/** Who the caller is, as authentication code has it: `user.id`, `req.user.id`, `decoded.sub`, `session.userId`. */
const CALLER_KEY = /(?:^|\.)(?:user|currentUser|authUser|me|caller|account|member)\.(?:id|_id|uid|sub)$|(?:^|\.)(?:session|decoded|payload|claims|token|auth|locals|jwt)\.(?:userId|user_id|sub|uid|accountId|id)$/;

/**
 * `if (await findBanByUserId(user.id)) throw Forbidden` in an authentication middleware: a lookup keyed
 * by who is calling says whether the caller may act, not whether the record this request makes is
 * already there.
 */
function aboutTheCaller(t: TS, condition: ts.Expression, at: ts.Node): boolean {
  let c = strip(t, condition);
  if (t.isPrefixUnaryExpression(c)) c = strip(t, c.operand);
  const read = t.isCallExpression(c) ? c : t.isIdentifier(c) ? readInitializer(t, c, at) : undefined;
  if (!read) return false;
  const keys: string[] = [];
  const collect = (n: ts.Node): void => {
    if (t.isPropertyAccessExpression(n) || t.isIdentifier(n)) {
      keys.push(n.getText().replace(/\s+/g, ''));
      return;
    }
    if (t.isPropertyAssignment(n)) {
      collect(n.initializer);
      return;
    }
    t.forEachChild(n, collect);
  };
  for (const arg of read.arguments) collect(arg);
  // (`req.body.user.id` is a value the request names, not who sends it.)
  return keys.length > 0 && keys.every((k) => CALLER_KEY.test(k) && !/(?:^|\.)(?:body|params|query|dto|input|data|args)\./.test(k));
}

/**
 * A branch that can refuse the request: it throws, or returns other than by letting the request on
 * (`if (user) { req.user = user; return true; }` in a guard only ever lets it through).
 */
function refusesIn(t: TS, branch: ts.Statement): boolean {
  if (t.isThrowStatement(branch)) return true;
  if (t.isReturnStatement(branch)) return !letsThrough(t, branch);
  if (t.isIfStatement(branch)) return refusesIn(t, branch.thenStatement) || (branch.elseStatement !== undefined && refusesIn(t, branch.elseStatement));
  if (t.isBlock(branch)) return !letsThrough(t, branch) && branch.statements.some((s) => refusesIn(t, s));
  return false;
}

/** A branch that ends by letting the request on: `return true`, `return next()`, `next(); return;`. */
function letsThrough(t: TS, branch: ts.Statement): boolean {
  const statements = t.isBlock(branch) ? branch.statements : [branch];
  const last = statements[statements.length - 1];
  const before = statements[statements.length - 2];
  const callsNext = (e: ts.Expression | undefined): boolean => {
    const c = e ? strip(t, e) : undefined;
    return c !== undefined && t.isCallExpression(c) && t.isIdentifier(c.expression) && c.expression.text === 'next' && c.arguments.length === 0;
  };
  if (!last) return false;
  if (t.isReturnStatement(last)) {
    const value = last.expression ? strip(t, last.expression) : undefined;
    if (value && (value.kind === t.SyntaxKind.TrueKeyword || callsNext(value))) return true;
    return !value && before !== undefined && t.isExpressionStatement(before) && callsNext(before.expression);
  }
  return false;
}

/** What a nested check is weighed against: the write it precedes, and what the caller knows of inputs. */
interface GuardTarget {
  node: ts.Node;
  requiredInput?: RequiredInput;
}

function guardStatement(t: TS, statement: ts.Statement, depth = 0, target?: GuardTarget): string | undefined {
  if (t.isVariableStatement(statement)) return verifiedSecret(t, statement);
  // `await this.aliases.ensureAliasIsAvailable(dto.alias)`: a helper that throws when the value is taken.
  if (t.isExpressionStatement(statement)) {
    const call = strip(t, statement.expression);
    const callee = t.isCallExpression(call) ? call.expression : undefined;
    const name = callee && t.isPropertyAccessExpression(callee) ? callee.name.text : callee && t.isIdentifier(callee) ? callee.text : '';
    return ENSURE_AVAILABLE.test(name) && t.isCallExpression(call) && call.arguments.length > 0 ? `availability check ${name}() refuses a duplicate` : undefined;
  }
  if (!t.isIfStatement(statement)) return undefined;
  if (exits(t, statement.thenStatement)) {
    const reason = refusingCondition(t, statement.expression, statement) ?? singleUseToken(t, statement.expression, statement) ?? singleUseSessionState(t, statement.expression, statement) ?? singleUseEntry(t, statement.expression, statement) ?? membershipCheck(t, statement.expression) ?? replacedSecret(t, statement.expression, statement) ?? stateFilteredLookup(t, statement.expression, statement);
    // `if (existing) return existing;` in a get-or-create helper: the repeat gets the record back and
    // its caller carries on, so this skips the create without refusing the request.
    const handedBack = reason?.startsWith('existence check') ? returnedRecord(t, statement) : undefined;
    return handedBack ? `get-or-create: the existing ${handedBack} is returned instead of a second one` : reason;
  }
  // `if (dto.email) { const taken = await repo.findByEmail(dto.email); if (taken) throw … }`: the
  // duplicate check runs whenever the value it tests is given. That is every request when the value
  // is required (the DTO declares it so), or when the write itself runs only with it (`if (email)
  // { …; sendVerification(email) }`); a value the request may leave out (`if (req.body.vanity)`)
  // leaves every request without it unchecked (class 7).
  if (depth < 2 && !statement.elseStatement && t.isBlock(statement.thenStatement) && checkedAlways(t, statement, target)) {
    for (const inner of statement.thenStatement.statements) {
      const reason = guardStatement(t, inner, depth + 1, target);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** The found record the branch returns as the function's result (`return existing`), if it does. */
function returnedRecord(t: TS, statement: ts.IfStatement): string | undefined {
  const branch = statement.thenStatement;
  const ret = t.isReturnStatement(branch) ? branch : t.isBlock(branch) ? branch.statements.find(t.isReturnStatement) : undefined;
  const value = ret?.expression ? strip(t, ret.expression) : undefined;
  if (!value || !t.isIdentifier(value)) return undefined;
  const tested = new Set<string>();
  const collect = (n: ts.Node): void => {
    if (t.isIdentifier(n)) tested.add(n.text);
    t.forEachChild(n, collect);
  };
  collect(statement.expression);
  return tested.has(value.text) ? value.text : undefined;
}

/**
 * `if (post.likes.some((l) => l.user === userId)) return 400`: the entry is already in a list of a
 * record. It refuses a repeat only of a request that adds to that list (checkedField ties the two).
 */
function membershipCheck(t: TS, condition: ts.Expression): string | undefined {
  const test = membership(t, condition);
  if (!test?.found) return undefined;
  const list = test.list;
  if (!t.isPropertyAccessExpression(list)) return undefined;
  // A list of a record read from the store (`const post = await Post.findById(id)`), not of the
  // request's own input (`input.ids.some(…)` validates what was sent).
  let root: ts.Expression = list;
  while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = root.expression;
  const loaded = t.isIdentifier(root) ? initializerOf(t, root) : undefined;
  const read = loaded ? strip(t, loaded) : undefined;
  if (!read || !t.isCallExpression(read)) return undefined;
  // The entry looked for is made fresh by this request (`id: given.id ?? randomUUID()`): a retry's is new.
  const fresh = (node: ts.Node): boolean => {
    if (t.isIdentifier(node) && node !== root) {
      const init = initializerOf(t, node);
      if (init && GENERATED_VALUE.test(init.getText())) return true;
    }
    return t.forEachChild(node, (child) => fresh(child) || undefined) ?? false;
  };
  return test.call.arguments.some(fresh) ? undefined : `membership check ${list.getText()} refuses a repeat`;
}

/** True when a branch throws, returns or sends a response and returns. */
function exits(t: TS, branch: ts.Statement): boolean {
  if (t.isThrowStatement(branch) || t.isReturnStatement(branch)) return true;
  // `if (!id) throw …; else { if (found.id !== id) throw … }`: both ways out (an update of the record
  // itself may pass; a create, which has no id, is refused).
  if (t.isIfStatement(branch)) return branch.elseStatement !== undefined && exits(t, branch.thenStatement) && exitsOrPasses(t, branch.elseStatement);
  if (t.isBlock(branch)) return branch.statements.some((s) => t.isThrowStatement(s) || t.isReturnStatement(s) || (t.isIfStatement(s) && exits(t, s)));
  return false;
}

/** An else branch that exits, or only checks and exits (`{ if (other) throw … }`): nothing in it writes. */
function exitsOrPasses(t: TS, branch: ts.Statement): boolean {
  if (exits(t, branch)) return true;
  const statements = t.isBlock(branch) ? branch.statements : [branch];
  return statements.every((s) => t.isIfStatement(s) && !s.elseStatement && exits(t, s.thenStatement));
}

/** A lookup keyed by a one-time secret (`{ resetToken: req.params.token }`) from the request. */
const TOKEN_FIELD = /\b\w*(token|code|otp|nonce|invit\w*|verification\w*|magic\w*)\w*\s*:/i;
const FROM_REQUEST = /\b(req|request|ctx)\.(params|body|query)\b|\b(params|body|query|dto|input)\.\w+/;
/** Evidence that the secret is used up after the check: cleared, deleted, consumed or marked used. */
const CONSUMED = /consume\w*\s*\(|\b\w*(token|code|otp|nonce)\w*\s*[:=]\s*(null|undefined|''|"")|\$unset|\busedAt\b|\bused\s*[:=]\s*true|\bconsumedAt\b|\.(delete|deleteOne|deleteMany|remove|destroy)\s*\(|(?:\.|\b)(delete|remove|invalidate|revoke|expire|clear)\w*(token|code|otp|nonce|link|challenge|invit\w*)s?\s*\(/i;

/**
 * `if (!record) return …` after looking the record up by a one-time secret from the request that the
 * handler then clears: the first request uses the secret up, so a repeat finds nothing and is refused.
 */
function singleUseToken(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.BarBarToken) return singleUseToken(t, c.left, at) ?? singleUseToken(t, c.right, at);
  const operand = missingValue(t, c);
  if (!operand) return undefined;
  const fn = enclosingFunction(t, at);
  if (!fn) return undefined;
  const read = readInitializer(t, operand, at) ?? callInitializer(t, operand, at);
  if (!read) return undefined;
  const query = chainArguments(t, read);
  const byField = TOKEN_FIELD.test(query) && FROM_REQUEST.test(query);
  // `const tokens = await this.validateMagicLinkTokens(dto)`: a helper named for the secret, given what
  // the request sent (a request value, or this function's own parameter).
  const params = new Set(fn.parameters.flatMap((p) => (t.isIdentifier(p.name) ? [p.name.text] : [])));
  const calleeName = t.isPropertyAccessExpression(read.expression) ? read.expression.name.text : t.isIdentifier(read.expression) ? read.expression.text : '';
  const byHelper = SECRET_LOOKUP.test(calleeName) && read.arguments.some((a) => FROM_REQUEST.test(a.getText()) || (t.isIdentifier(a) && params.has(a.text)));
  if (!byField && !byHelper) return undefined;
  const after = fn.getText().slice(at.getStart() - fn.getStart());
  if (!CONSUMED.test(after)) return undefined;
  const secret = byField ? TOKEN_FIELD.exec(query)![0].replace(/\s*:$/, '') : calleeName;
  return `single-use secret (${secret}) from the request is used up: a repeat finds nothing`;
}

/** Predicates that say a record is there: `teamExists()`, `isSlugTaken(slug)`, `alreadyRegistered(email)`. */
const EXISTS_PREDICATE = /^(?:is|has|already)?\w*(Exists?|Taken|InUse|Registered|Claimed)$/;
/** Predicates that say one-time setup is done, or (negated) still needed. */
const SETUP_DONE = /^(?:is|has)?\w*(SetupDone|SetUp|Bootstrapped|Initiali[sz]ed|Installed|Onboarded)$/i;
const SETUP_NEEDED = /^(?:needs|requires|can)\w*(Setup|Bootstrap|Init\w*|Install\w*|Onboard\w*)$/i;

/**
 * `if (await this.isShareCompleted(id)) throw …` inside `complete(id)`: the predicate asks whether the
 * record already is in the state the operation it guards puts it in (`isPostPublished` in `publish`,
 * `isEmailVerified` in `verifyEmail`, `isOrderCancelled` in `cancelOrder`), so a repeat is refused.
 */
function reachedState(t: TS, predicate: string, at: ts.Node): boolean {
  const state = /^(?:is|has)[A-Z]\w*?([A-Z][a-z]+(?:ed|d))$/.exec(predicate)?.[1];
  const fn = enclosingFunction(t, at);
  const name = fn?.name && (t.isIdentifier(fn.name) || t.isStringLiteral(fn.name)) ? fn.name.text.toLowerCase() : undefined;
  if (!state || !name) return false;
  const word = state.toLowerCase();
  const stems = new Set([word.replace(/ied$/, 'y'), word.replace(/ed$/, ''), word.replace(/d$/, ''), word.replace(/([a-z])\1ed$/, '$1')]);
  return [...stems].some((stem) => stem.length >= 4 && stem !== word && name.startsWith(stem));
}

/** Helpers that throw unless a value is still free: `ensureAliasIsAvailable(alias)`, `assertSlugUnique(slug)`. */
const ENSURE_AVAILABLE = /^(?:ensure|assert|check|require|verify|validate)\w*(?:Available|Unique|Free|NotTaken|NotUsed|NotInUse|DoesNotExist|NotExists?)$/;

/** Predicates that say a value is still free (refusing when negated): `isShareIdAvailable(id)`, `isSlugUnique(slug)`. */
const AVAILABLE_PREDICATE = /^(?:is|check)?\w*(Available|Free|Unused|Unique)$/;

function statePredicate(t: TS, condition: ts.Expression): string | undefined {
  const negated = t.isPrefixUnaryExpression(condition) && condition.operator === t.SyntaxKind.ExclamationToken;
  const inner = strip(t, negated ? (condition).operand : condition);
  if (negated) {
    // `!(await isShareIdAvailable(id)).isAvailable`, `!(await isSlugFree(slug))`.
    const probe = t.isPropertyAccessExpression(inner) && AVAILABLE_PREDICATE.test(inner.name.text) ? strip(t, inner.expression) : inner;
    const called = t.isCallExpression(probe) ? probe.expression : undefined;
    const name = called && t.isPropertyAccessExpression(called) ? called.name.text : called && t.isIdentifier(called) ? called.text : '';
    if (AVAILABLE_PREDICATE.test(name)) return `availability check ${name}() refuses a duplicate`;
  }
  if (!t.isCallExpression(inner)) return undefined;
  const callee = inner.expression;
  const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
  if (!negated && EXISTS_PREDICATE.test(name)) return `existence check ${name}() refuses a duplicate`;
  if (!negated && reachedState(t, name, condition)) return `state check ${name}() refuses a repeat: the operation puts the record in that state`;
  if ((!negated && SETUP_DONE.test(name)) || (negated && SETUP_NEEDED.test(name))) return `state check ${name}() refuses a repeat once setup is done`;
  return undefined;
}

/** Helpers that check a one-time secret and throw when it is unknown: `verifyToken`, `validateResetCode`. */
const VERIFYING_LOOKUP = /^(verify|validate|check|consume|redeem|use)\w*(token|code|otp|link|invit\w*|secret|nonce)\w*$/i;

/**
 * `const doc = await tokenService.verifyToken(refreshToken, 'refresh')` … `await doc.remove()`: the
 * helper refuses a secret it does not know, and the flow uses the secret up, so a repeat of the request
 * is refused at the helper.
 */
function verifiedSecret(t: TS, statement: ts.VariableStatement): string | undefined {
  for (const decl of statement.declarationList.declarations) {
    const init = decl.initializer ? strip(t, decl.initializer) : undefined;
    if (!init || !t.isCallExpression(init)) continue;
    const name = t.isPropertyAccessExpression(init.expression) ? init.expression.name.text : t.isIdentifier(init.expression) ? init.expression.text : '';
    if (!VERIFYING_LOOKUP.test(name)) continue;
    const fn = enclosingFunction(t, statement);
    if (!fn) return undefined;
    const params = new Set(fn.parameters.flatMap((p) => (t.isIdentifier(p.name) ? [p.name.text] : [])));
    if (!init.arguments.some((a) => FROM_REQUEST.test(a.getText()) || (t.isIdentifier(a) && params.has(a.text)))) continue;
    const after = fn.getText().slice(statement.getEnd() - fn.getStart());
    if (CONSUMED.test(after)) return `single-use secret (${name}) from the request is used up: a repeat is refused`;
  }
  return undefined;
}

/**
 * `const quote = await db.quote.findFirst({ where: { publicId, status: { in: ['SENT', 'VIEWED'] } } });
 * if (!quote) throw …` and later `data: { status: 'APPROVED' }`: the lookup admits only records in a
 * state the request then leaves, so its repeat finds nothing and is refused.
 */
function stateFilteredLookup(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  if (!t.isPrefixUnaryExpression(c) || c.operator !== t.SyntaxKind.ExclamationToken) return undefined;
  const found = strip(t, c.operand);
  const read = t.isIdentifier(found) ? readInitializer(t, found, at) : undefined;
  const query = read?.arguments[0] ? strip(t, read.arguments[0]) : undefined;
  if (read && t.isIdentifier(found) && (!query || !t.isObjectLiteralExpression(query))) return builderStateLookup(t, read, found, at);
  if (!read || !t.isPropertyAccessExpression(read.expression) || !query || !t.isObjectLiteralExpression(query)) return undefined;
  const whereValue = propertyValue(t, query, 'where');
  const where = whereValue ? strip(t, whereValue) : query;
  if (!t.isObjectLiteralExpression(where)) return undefined;
  const fn = enclosingFunction(t, at);
  if (!fn) return undefined;
  // Updates of the same store after the check (`db.quote.update(…)` after `db.quote.findFirst(…)`), and
  // assignments to the found record (`quote.status = …` before a save).
  const store = read.expression.expression.getText();
  const updates: string[] = [];
  const visit = (n: ts.Node): void => {
    if (n.pos >= at.end && t.isCallExpression(n) && t.isPropertyAccessExpression(n.expression) && /^(update|save|findOneAndUpdate|findByIdAndUpdate)\w*$/.test(n.expression.name.text) &&
        n.expression.expression.getText() === store) updates.push(n.arguments.map((a) => a.getText()).join(' '));
    t.forEachChild(n, visit);
  };
  visit(fn);
  const after = fn.getText().slice(at.getEnd() - fn.getStart());
  for (const prop of where.properties) {
    if (!t.isPropertyAssignment(prop)) continue;
    const name = propertyNameText(t, prop.name);
    // A state written as constants: `status: 'SENT'`, `status: { in: [...] }`, `usedAt: null`, `consumed: false`.
    const value = strip(t, prop.initializer);
    const constant = fixedState(t, value) ||
      (t.isObjectLiteralExpression(value) && value.properties.every((p) => t.isPropertyAssignment(p) && /^(in|notIn|not|equals|\$in|\$ne|\$nin)$/.test(propertyNameText(t, p.name) ?? '') &&
        (isLiteral(t, strip(t, p.initializer)) || isBlank(t, strip(t, p.initializer)) || (t.isArrayLiteralExpression(strip(t, p.initializer)) && (strip(t, p.initializer) as ts.ArrayLiteralExpression).elements.every((e) => isLiteral(t, e))))));
    if (!name || !constant) continue;
    const setInUpdate = updates.some((u) => new RegExp(`[{,]\\s*${name}\\s*:\\s*[^{\\s]`).test(u.replace(/where\s*:\s*\{[^}]*\}/g, '')));
    if (setInUpdate || new RegExp(`\\b${found.getText()}\\.${name}\\s*=[^=]`).test(after)) {
      return `state check: ${found.getText()} is looked up only while ${name} is ${value.getText().slice(0, 40)}, which the request changes`;
    }
  }
  return undefined;
}

/**
 * The same for a query-builder read: `trx('mfa_factors').where({ user_id }).whereNull('enabled_at').first()`
 * checked with `if (!factor) throw`, then `trx('mfa_factors').where({ id }).update({ enabled_at: now })`:
 * the repeat's lookup no longer admits the row. The chain's root (`trx(T)`, `knex('t')`, `db.from('t')`)
 * names the table both statements must share.
 */
function builderStateLookup(t: TS, read: ts.CallExpression, found: ts.Identifier, at: ts.Node): string | undefined {
  const chain = builderChain(t, read);
  if (!chain || chain.states.length === 0) return undefined;
  const fn = enclosingFunction(t, at);
  if (!fn) return undefined;
  let changed: string | undefined;
  const visit = (n: ts.Node): void => {
    if (changed) return;
    if (n.pos >= at.end && t.isCallExpression(n) && t.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'update' && builderChain(t, n)?.table === chain.table) {
      const values = n.arguments[0] ? strip(t, n.arguments[0]) : undefined;
      const set = values && t.isObjectLiteralExpression(values) ? values.properties.map((p) => (p.name ? propertyNameText(t, p.name) : undefined)) : [];
      changed = chain.states.find(([column]) => set.includes(column))?.[0];
    }
    t.forEachChild(n, visit);
  };
  visit(fn);
  const state = chain.states.find(([column]) => column === changed);
  return state ? `state check: ${found.text} is looked up only while ${state[0]} is ${state[1]}, which the request changes` : undefined;
}

/** A query-builder chain's table (the root call's argument, or `.from`/`.table`/`.into`) and the constant states it filters on. */
function builderChain(t: TS, call: ts.CallExpression): { table: string; states: [string, string][] } | undefined {
  const states: [string, string][] = [];
  let table: string | undefined;
  let e: ts.Expression = call;
  for (let i = 0; i < 12 && t.isCallExpression(e); i++) {
    const callee = e.expression;
    const [first, second] = e.arguments.map((a) => strip(t, a));
    if (!t.isPropertyAccessExpression(callee)) {
      // The root: `trx(T)`, `knex('t')`, `db<Row>(TABLE)`.
      table ??= first?.getText();
      break;
    }
    const name = callee.name.text;
    if (/^(from|table|into)$/.test(name) && first) table = first.getText();
    if (name === 'whereNull' && first && t.isStringLiteralLike(first)) states.push([first.text, 'null']);
    if (/^(where|andWhere)$/.test(name) && first && t.isStringLiteralLike(first) && second && e.arguments.length === 2 && fixedState(t, second)) states.push([first.text, second.getText()]);
    if (/^(where|andWhere)$/.test(name) && first && t.isObjectLiteralExpression(first)) {
      for (const prop of first.properties) {
        const value = t.isPropertyAssignment(prop) ? strip(t, prop.initializer) : undefined;
        const column = prop.name ? propertyNameText(t, prop.name) : undefined;
        if (column && value && fixedState(t, value)) states.push([column, value.getText()]);
      }
    }
    e = callee.expression;
  }
  return table ? { table, states } : undefined;
}

/** Calls that check a secret against its stored hash: `bcrypt.compare`, `argon2.verify`, `verifyPassword`. */
const SECRET_CHECK = /^(compare|compareSync|verify|verifyPassword|checkPassword|comparePassword|verifyHash|isValidPassword|isPasswordValid|timingSafeEqual)$/i;

/**
 * `const valid = await bcrypt.compare(oldPassword, user.password); if (!valid) throw …` and later
 * `user.password = await hash(newPassword)`: the request proves a secret that it then replaces, so its
 * repeat no longer proves it and is refused (a password change, a reset whose token is cleared).
 */
function replacedSecret(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  // `a.length !== b.length || !crypto.timingSafeEqual(a, b)`: any refusing part of an `||`.
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.BarBarToken) return replacedSecret(t, c.left, at) ?? replacedSecret(t, c.right, at);
  if (!t.isPrefixUnaryExpression(c) || c.operator !== t.SyntaxKind.ExclamationToken) return undefined;
  const operand = strip(t, c.operand);
  const check = t.isIdentifier(operand) ? initializerOf(t, operand) : operand;
  if (!check) return undefined;
  const stored: ts.PropertyAccessExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isCallExpression(n)) {
      const callee = n.expression;
      const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
      if (SECRET_CHECK.test(name)) {
        for (const arg of n.arguments) {
          let a = strip(t, arg);
          // `const actual = Buffer.from(user.hashedPassword, 'base64')`, compared byte for byte.
          const local = t.isIdentifier(a) ? initializerOf(t, a) : undefined;
          const bytes = local ? strip(t, local) : undefined;
          if (bytes && t.isCallExpression(bytes) && bytes.expression.getText() === 'Buffer.from' && bytes.arguments[0]) a = strip(t, bytes.arguments[0]);
          // `user.encryptedPassword.toString('utf8')`
          if (t.isCallExpression(a) && t.isPropertyAccessExpression(a.expression) && a.expression.name.text === 'toString') a = strip(t, a.expression.expression);
          if (t.isPropertyAccessExpression(a) && t.isIdentifier(a.expression)) stored.push(a);
        }
      }
    }
    t.forEachChild(n, visit);
  };
  visit(check);
  const fn = enclosingFunction(t, at);
  if (!fn || stored.length === 0) return undefined;
  const after = fn.getText().slice(at.getEnd() - fn.getStart());
  for (const field of stored) {
    const name = field.name.text;
    const replaced = new RegExp(`\\b${field.expression.getText()}\\.${name}\\s*=[^=]|[{,]\\s*${name}\\s*:`);
    if (replaced.test(after)) return `single-use: the verified secret ${field.getText()} is replaced by the request, so a repeat fails the check`;
  }
  return undefined;
}

/** Helpers that look a one-time secret up: `validateResetToken`, `findMagicLink`, `getInvitation`, `validateLoginLink`. */
const SECRET_LOOKUP = /token|otp|code|magic|nonce|invit|verif|challenge|link/i;

/**
 * `const ok = user.backupCodes.includes(code); if (!ok) throw …` and later `user.backupCodes.filter((c) => c !== code)`:
 * the request's entry is taken out of the stored list, so a repeat does not find it and is refused.
 */
function singleUseEntry(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  if (!t.isPrefixUnaryExpression(c) || c.operator !== t.SyntaxKind.ExclamationToken) return undefined;
  let test: ts.Expression | undefined = strip(t, c.operand);
  if (t.isIdentifier(test)) test = callInitializer(t, test, at);
  if (!test || !t.isCallExpression(test) || !t.isPropertyAccessExpression(test.expression) || test.expression.name.text !== 'includes') return undefined;
  const list = test.expression.expression.getText();
  const entry = test.arguments[0]?.getText();
  if (!entry || !/^[\w$.]+$/.test(entry)) return undefined;
  const fn = enclosingFunction(t, at);
  if (!fn) return undefined;
  const after = fn.getText().slice(at.getEnd() - fn.getStart());
  const escape = (x: string): string => x.replace(/[.$]/g, (m) => `\\${m}`);
  const removed = new RegExp(`${escape(list)}\\.filter\\([\\s\\S]*?!==?\\s*${escape(entry)}\\b`);
  return removed.test(after) ? `single-use entry ${entry} is taken out of ${list}: a repeat is refused` : undefined;
}

/** What a condition says is missing: `!x`, `O.isNone(x)`, `E.isLeft(x)`, `x == null`, `x === undefined`. */
function missingValue(t: TS, c: ts.Expression): ts.Identifier | undefined {
  let operand: ts.Expression | undefined;
  if (t.isPrefixUnaryExpression(c) && c.operator === t.SyntaxKind.ExclamationToken) operand = c.operand;
  else if (t.isCallExpression(c) && c.arguments.length === 1 && /^(isNone|isLeft|isNil|isNull|isUndefined)$/.test(t.isPropertyAccessExpression(c.expression) ? c.expression.name.text : c.expression.getText())) operand = c.arguments[0];
  else if (t.isBinaryExpression(c) && [t.SyntaxKind.EqualsEqualsToken, t.SyntaxKind.EqualsEqualsEqualsToken].includes(c.operatorToken.kind) && isBlank(t, c.right)) operand = c.left;
  const o = operand ? strip(t, operand) : undefined;
  return o && t.isIdentifier(o) ? o : undefined;
}

/** The call a variable was declared with before `at` (`const x = await helper(…)`), whatever it is named. */
function callInitializer(t: TS, id: ts.Identifier, at: ts.Node): ts.CallExpression | undefined {
  for (let scope: ts.Node | undefined = parentOf(at); scope && !t.isFunctionLike(scope); scope = parentOf(scope)) {
    if (!t.isBlock(scope)) continue;
    for (const statement of scope.statements) {
      if (statement.pos >= at.pos) break;
      if (!t.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!t.isIdentifier(decl.name) || decl.name.text !== id.text || !decl.initializer) continue;
        const init = strip(t, decl.initializer);
        if (t.isCallExpression(init)) return init;
      }
    }
  }
  return undefined;
}

/** A value the request's session holds: `req.session.loginChallenge`. */
const SESSION_VALUE = /^(req|request|ctx|context)\.session\.\w+$/;

/**
 * `if (!req.session.pendingUserId) return …` (or the value read into a `const` first), and the handler
 * clears it afterwards (`delete req.session.x`, `req.session.x = undefined`): a pending step of a login
 * or a challenge kept in the session is used up by the first request, so the repeat is refused.
 */
function singleUseSessionState(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.BarBarToken) return singleUseSessionState(t, c.left, at) ?? singleUseSessionState(t, c.right, at);
  if (!t.isPrefixUnaryExpression(c) || c.operator !== t.SyntaxKind.ExclamationToken) return undefined;
  const fn = enclosingFunction(t, at);
  if (!fn) return undefined;
  const operand = strip(t, c.operand);
  let held = operand.getText();
  if (t.isIdentifier(operand)) {
    // `const expectedChallenge = req.session.loginChallenge;` earlier in the function.
    const pattern = new RegExp(`\\b(?:const|let|var)\\s+${operand.text}\\s*=\\s*([\\w.]+)\\s*;`);
    held = pattern.exec(fn.getText().slice(0, at.getStart() - fn.getStart()))?.[1] ?? '';
  }
  // `!req.session.pending?.data` is cleared by `req.session.pending = null` too: the value or what holds it.
  const parts = held.replace(/\?\./g, '.').split('.');
  if (!SESSION_VALUE.test(parts.slice(0, 3).join('.'))) return undefined;
  const after = fn.getText().slice(at.getEnd() - fn.getStart());
  for (let n = parts.length; n >= 3; n--) {
    const path = parts.slice(0, n).join('.');
    const escaped = path.replace(/\./g, '\\.');
    const cleared = new RegExp(`\\bdelete\\s+${escaped}\\b|\\b${escaped}\\s*=\\s*(undefined|null|false)\\b`);
    if (cleared.test(after)) return `single-use check: ${held} is cleared by the first request, so a repeat is refused`;
  }
  return undefined;
}

function refusingCondition(t: TS, condition: ts.Expression, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.BarBarToken) {
    return refusingCondition(t, c.left, at) ?? refusingCondition(t, c.right, at);
  }
  // `if (latest && latest.type !== type) throw`: a repeat is refused only when both hold for it, and a
  // comparison with a request value is false for the same request.
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.AmpersandAmpersandToken) {
    const left = refusingCondition(t, c.left, at);
    const right = refusingCondition(t, c.right, at);
    if (left && right) return right;
    // `if (existing && !existing.deletedAt)`-style pairs where one side only narrows the other.
    return left && isNarrowing(t, c.left, c.right) ? left : right && isNarrowing(t, c.right, c.left) ? right : undefined;
  }
  // `const { totpVerified } = await findUnique(…)`, then `if (totpVerified) throw`: a flag of the record
  // read, judged like `user.totpVerified` (it refuses a repeat only if this request sets it).
  const flag = t.isIdentifier(c) && FLAG_NAME.test(c.text) && destructuredFromRead(t, c, at);
  if (flag) return `single-use check ${c.text} refuses a repeat`;
  // `if (existing)`, `if (await repo.findOne(...))`: refuses when the record is there.
  if (isReadResult(t, c, at)) return `existence check on ${describe(c)} refuses a duplicate`;
  // `if (await teamExists()) return 409`, `if (!(await needsBootstrap())) return`: a project predicate
  // that says the thing this request makes is already there.
  const predicate = statePredicate(t, c);
  if (predicate) return predicate;
  if (t.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const equality = op === t.SyntaxKind.EqualsEqualsEqualsToken || op === t.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === t.SyntaxKind.EqualsEqualsToken || op === t.SyntaxKind.ExclamationEqualsToken;
    const notNull = (op === t.SyntaxKind.ExclamationEqualsEqualsToken || op === t.SyntaxKind.ExclamationEqualsToken) && isBlank(t, c.right);
    if (notNull && isReadResult(t, strip(t, c.left), at)) return `existence check on ${describe(c.left)} refuses a duplicate`;
    if ((op === t.SyntaxKind.GreaterThanToken && c.right.getText() === '0') && readRoot(t, c.left, at)) return `existence check on ${describe(c.left)} refuses a duplicate`;
    // `if (oldContent === newContent) return`: the stored value already is what the request writes, so
    // a repeat writes nothing (usableGuard checks that the write stores that value).
    if ((op === t.SyntaxKind.EqualsEqualsEqualsToken || op === t.SyntaxKind.EqualsEqualsToken) && !isLiteral(t, c.right) && !isBlank(t, c.right)) {
      const given = storedValue(t, c.left, at) ? strip(t, c.right) : storedValue(t, c.right, at) ? strip(t, c.left) : undefined;
      if (given && t.isIdentifier(given)) return `unchanged check: the stored value already equals ${given.text}, which the request writes`;
    }
    // `if (order.status === 'paid') throw`, `if (order.status !== 'pending') throw`.
    if (equality && !isBlank(t, c.right) && isLiteral(t, c.right) && t.isPropertyAccessExpression(strip(t, c.left)) && readRoot(t, c.left, at)) {
      return `state check ${c.getText().slice(0, 60)} refuses a repeat`;
    }
  }
  // `if (invite.acceptedAt)`, `if (token.used)`: a single-use flag.
  if (t.isPropertyAccessExpression(c) && readRoot(t, c, at)) return `single-use check ${c.getText().slice(0, 60)} refuses a repeat`;
  // `if ([...].includes(order.status))`.
  if (t.isCallExpression(c) && t.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'includes') {
    const arg = c.arguments[0];
    if (arg && t.isPropertyAccessExpression(arg) && readRoot(t, arg, at)) return `state check on ${arg.getText()} refuses a repeat`;
  }
  // `if (existing) invalid = true; … if (invalid) return res.status(400)`: the exit tests a flag that
  // a check before it raised; the check is the guard.
  if (t.isIdentifier(c)) {
    for (const setter of flagSetters(t, c, at)) {
      const reason = refusingCondition(t, setter.expression, setter);
      if (reason) return reason;
    }
  }
  return undefined;
}

/** Field names that hold a yes/no state of a record rather than the record. */
const FLAG_NAME = /^(is|has|was|can)[A-Z]|[a-z](Verified|Enabled|Confirmed|Completed|Activated|Accepted|Used|Locked|Done|Sent|Paid|Claimed|Redeemed)$/;

/** `name` is a field taken apart from a store read's result: `const { totpVerified } = await db.user.findUnique(…)`. */
function destructuredFromRead(t: TS, name: ts.Identifier, at: ts.Node): boolean {
  for (let scope = parentOf(at); scope; scope = parentOf(scope)) {
    if (!t.isBlock(scope) && !t.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (statement.pos >= at.pos || !t.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!t.isObjectBindingPattern(decl.name) || !decl.initializer) continue;
        const bound = decl.name.elements.some((el) => t.isIdentifier(el.name) && el.name.text === name.text);
        const init = strip(t, decl.initializer);
        // (A store's read, `db.user.findUnique(…)`; what a project function returns, `const { isConnected }
        // = await getAccount(id)`, may be a status it works out, not a stored field.)
        if (bound && t.isCallExpression(init) && t.isPropertyAccessExpression(init.expression) && isReadCall(t, init)) return true;
      }
    }
    if (t.isFunctionLike(scope)) break;
  }
  return false;
}

/** The `if (condition) flag = true` statements before `at` in its function (not in nested functions). */
function flagSetters(t: TS, flag: ts.Identifier, at: ts.Node): ts.IfStatement[] {
  const fn = enclosingFunction(t, at) as ts.FunctionLikeDeclaration | undefined;
  const body = fn?.body;
  if (!body || !body.getText().includes(`${flag.text} = true`)) return [];
  const setters: ts.IfStatement[] = [];
  const setsFlag = (s: ts.Statement): boolean => {
    const only = t.isBlock(s) && s.statements.length === 1 ? s.statements[0]! : s;
    if (!t.isExpressionStatement(only) || !t.isBinaryExpression(only.expression)) return false;
    const { left, operatorToken, right } = only.expression;
    return operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(left) && left.text === flag.text && right.kind === t.SyntaxKind.TrueKeyword;
  };
  const visit = (node: ts.Node): void => {
    if (node.pos >= at.pos || (node !== body && t.isFunctionLike(node))) return;
    if (t.isIfStatement(node) && setsFlag(node.thenStatement)) setters.push(node);
    t.forEachChild(node, visit);
  };
  visit(body);
  return setters;
}

/** `x && x.ok`, `x && !x.deletedAt`: the other side only tests a field of `x` against a literal or nothing. */
function isNarrowing(t: TS, guard: ts.Expression, other: ts.Expression): boolean {
  const g = strip(t, guard);
  if (!t.isIdentifier(g)) return false;
  let o = strip(t, other);
  if (t.isPrefixUnaryExpression(o) && o.operator === t.SyntaxKind.ExclamationToken) o = strip(t, o.operand);
  if (t.isPropertyAccessExpression(o)) return t.isIdentifier(o.expression) && o.expression.text === g.text;
  if (t.isBinaryExpression(o) && t.isPropertyAccessExpression(o.left) && t.isIdentifier(o.left.expression) && o.left.expression.text === g.text) return isLiteral(t, o.right) || isBlank(t, o.right);
  return false;
}

function createsOnlyWhenMissing(t: TS, condition: ts.Expression, inThen: boolean, at: ts.Node): string | undefined {
  const c = strip(t, condition);
  // `if (input.newsletter && !notification.newsletter) { send the welcome }`: runs while a flag of a
  // stored record is unset. It skips the repeat only when the flow then sets the flag (checkedField).
  if (inThen) {
    for (const part of conjuncts(t, c)) {
      const flag = t.isPrefixUnaryExpression(part) && part.operator === t.SyntaxKind.ExclamationToken ? strip(t, part.operand) : undefined;
      if (flag && t.isPropertyAccessExpression(flag) && (readRoot(t, flag.expression, at) || storedOnParameter(t, flag, at))) return `runs only while ${describe(flag)} is unset`;
    }
  }
  // `if (count === 0) { insert }`, `if (rows.length == 0) { insert }`: a count read from the store says nothing is there.
  if (t.isBinaryExpression(c) && [t.SyntaxKind.EqualsEqualsEqualsToken, t.SyntaxKind.EqualsEqualsToken].includes(c.operatorToken.kind) && c.right.getText() === '0' && inThen) {
    return readRoot(t, c.left, at) ? `runs only when ${describe(c.left)} counts nothing` : undefined;
  }
  // `if (!existingSizes.has(size)) create({ …, size })` with the set made from rows read first: only what
  // is missing is written (the branch uses the entry it tested; `!roles.includes('admin')` guards nothing).
  const test = membership(t, c);
  const entry = test?.call.arguments[0];
  const branch = t.isIfStatement(at) ? (inThen ? at.thenStatement : at.elseStatement) : undefined;
  if (test && test.found !== inThen && entry && t.isIdentifier(entry) && branch && new RegExp(`\\b${entry.text}\\b`).test(branch.getText()) && readRoot(t, test.list, at)) {
    return `runs only when ${describe(test.list)} lacks the entry`;
  }
  // `if (found.isFailed()) { insert }`, `x.isNone()`, `x.isErr()`: a Result or Option that says the read found nothing.
  const emptyResult = t.isCallExpression(c) && c.arguments.length === 0 && t.isPropertyAccessExpression(c.expression) && EMPTY_RESULT.test(c.expression.name.text) ? strip(t, c.expression.expression) : undefined;
  const negated = emptyResult !== undefined || (t.isPrefixUnaryExpression(c) && c.operator === t.SyntaxKind.ExclamationToken);
  const tested = emptyResult ?? (negated ? strip(t, (c as ts.PrefixUnaryExpression).operand) : c);
  // `if (session && !voteExists && shouldIncrement) { create }`: every part must hold, so the branch
  // runs only when the read found nothing.
  if (inThen && !negated) {
    for (const part of conjuncts(t, c)) {
      const missing = t.isPrefixUnaryExpression(part) && part.operator === t.SyntaxKind.ExclamationToken ? strip(t, part.operand) : undefined;
      if (part !== c && missing && isReadResult(t, missing, at)) return `runs only when ${describe(missing)} finds nothing`;
    }
  }
  if (negated !== inThen) return undefined;
  return isReadResult(t, tested, at) ? `runs only when ${describe(tested)} finds nothing` : undefined;
}

/** Parameters that carry the request or its input, not a record the caller read from the store. */
const INPUT_PARAMETER = /^(req|request|ctx|context|c|event|input|body|dto|data|payload|params|args|options|opts|values|form\w*)$/i;

/**
 * `if (!team.billingId) { customer = await stripe.customers.create(); await updateTeam({ billingId: customer.id }) }`
 * in a helper given the caller's record: lazy creation that stores the field it tests, so a repeat
 * (which reads the record again) finds it set. Only a record parameter, and only when the branch
 * itself stores that field.
 */
function storedOnParameter(t: TS, flag: ts.PropertyAccessExpression, at: ts.Node): boolean {
  let root: ts.Expression = strip(t, flag.expression);
  while (t.isPropertyAccessExpression(root)) root = strip(t, root.expression);
  if (!t.isIdentifier(root) || INPUT_PARAMETER.test(root.text)) return false;
  const fn = enclosingFunction(t, at) as ts.FunctionLikeDeclaration | undefined;
  const param = fn?.parameters.find((p) => t.isIdentifier(p.name) && p.name.text === root.text);
  if (!param || (param.type && /(Dto|Input|Body|Request|Payload)\b/.test(param.type.getText()))) return false;
  const branch = t.isIfStatement(at) ? at.thenStatement : undefined;
  if (!branch) return false;
  const field = flag.name.text;
  let stores = false;
  const visit = (n: ts.Node): void => {
    if (stores) return;
    if ((t.isPropertyAssignment(n) || t.isShorthandPropertyAssignment(n)) && n.name.getText() === field) stores = true;
    else if (t.isBinaryExpression(n) && n.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(n.left) && n.left.name.text === field) stores = true;
    else t.forEachChild(n, visit);
  };
  visit(branch);
  return stores;
}

/**
 * Whether the checks inside `if (condition) { … }` run on every request that reaches the write: the
 * condition does not test that an optional request value was given (`if (req.body.vanity)`,
 * `if (input.email && …)`, `if (vanity)` with `const { vanity } = req.body`), or the value is required,
 * or the write sits under the same test.
 */
function checkedAlways(t: TS, statement: ts.IfStatement, target: GuardTarget | undefined): boolean {
  // `if (format === 'name' || req.headers['x-filename'])`: a check that runs when either holds runs
  // only sometimes if one of them is a value the request may leave out.
  const parts = conjuncts(t, statement.expression).flatMap((part) => disjuncts(t, part));
  const optional = parts.filter((part) => {
    let value = part;
    if (t.isIdentifier(value)) {
      const init = initializerOf(t, value, true);
      if (!init) return false;
      value = strip(t, init);
    } else if (!t.isPropertyAccessExpression(value) && !t.isElementAccessExpression(value)) {
      return false;
    }
    if (t.isPropertyAccessExpression(part) && target?.requiredInput?.(part)) return false;
    if (FROM_REQUEST.test(value.getText())) return true;
    let root: ts.Expression = value;
    while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = strip(t, root.expression);
    return root !== value && t.isIdentifier(root) && INPUT_PARAMETER.test(root.text);
  });
  if (optional.length === 0) return true;
  if (!target) return false;
  const tested = new Set(optional.map((p) => p.getText()));
  for (let n: ts.Node | undefined = parentOf(target.node); n; n = parentOf(n)) {
    if (t.isIfStatement(n) && conjuncts(t, n.expression).some((c) => tested.has(c.getText()))) return true;
    if (t.isFunctionLike(n)) break;
  }
  return false;
}

/** Lists named for what is missing from the store: `termsToAdd`, `missingRoles`, `newTags`. */
const ONLY_MISSING = /^(missing|absent|unseen|new)[A-Z]\w*$|\w(ToAdd|ToCreate|ToInsert|Missing|NotYet\w*)$/;

/**
 * `const existing = await em.find(Term, …); const termsToAdd = this.determineTermsToAdd(existing, incoming);
 * await em.save(Term, termsToAdd)`: rows worked out against the rows read first are the ones still
 * missing, so the repeat adds none.
 */
export function addsOnlyMissing(t: TS, records: ts.Expression | undefined, at: ts.Node): string | undefined {
  let list = records ? strip(t, records) : undefined;
  // `createMany({ data: tagsToAdd.map((name) => ({ name })) })`: the list the rows are made from.
  if (list && t.isObjectLiteralExpression(list)) list = propertyValue(t, list, 'data');
  list = list ? strip(t, list) : undefined;
  if (list && t.isCallExpression(list) && t.isPropertyAccessExpression(list.expression) && list.expression.name.text === 'map') list = strip(t, list.expression.expression);
  if (!list || !t.isIdentifier(list) || !ONLY_MISSING.test(list.text)) return undefined;
  const made = initializerOf(t, list);
  const call = made ? strip(t, made) : undefined;
  if (!call) return undefined;
  // The read may be an argument (`determineTermsToAdd(existing, …)`) or inside a filter (`incoming.filter((x) => !existing.has(x))`).
  let fromRead: string | undefined;
  const visit = (n: ts.Node): void => {
    if (fromRead) return;
    if (t.isIdentifier(n) && n !== list && isReadResult(t, n, at)) fromRead = n.text;
    else t.forEachChild(n, visit);
  };
  visit(call);
  return fromRead ? `adds only what ${fromRead} lacks: ${list.text} is worked out against the rows read first` : undefined;
}

/** The parts of `a || b || c` (the expression itself when it is not a disjunction). */
function disjuncts(t: TS, e: ts.Expression): ts.Expression[] {
  const c = strip(t, e);
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.BarBarToken) return [...disjuncts(t, c.left), ...disjuncts(t, c.right)];
  return [c];
}

/** The parts of `a && b && c` (the expression itself when it is not a conjunction). */
function conjuncts(t: TS, e: ts.Expression): ts.Expression[] {
  const c = strip(t, e);
  if (t.isBinaryExpression(c) && c.operatorToken.kind === t.SyntaxKind.AmpersandAmpersandToken) return [...conjuncts(t, c.left), ...conjuncts(t, c.right)];
  return [c];
}

/**
 * The error half of a read's result (`const { data, error } = await supabase.from(…).select()`,
 * `const { error: queryError } = …`): a failed lookup, not a found record.
 */
const ERROR_NAME = /^(e|er|ex|err|error|errors|\w*(Error|Err|Errors))$/;

/** An identifier holding the result of a read call, or a read call itself. */
function isReadResult(t: TS, expr: ts.Expression, at: ts.Node): boolean {
  const e = strip(t, expr);
  if (t.isCallExpression(e)) return isReadCall(t, e);
  if (t.isIdentifier(e)) return !ERROR_NAME.test(e.text) && readInitializer(t, e, at) !== undefined;
  return false;
}

/** The root identifier of `a.b.c` (or `a.length`) is a read result. */
function readRoot(t: TS, expr: ts.Expression, at: ts.Node): boolean {
  let e = strip(t, expr);
  while (t.isPropertyAccessExpression(e) || t.isElementAccessExpression(e)) e = strip(t, e.expression);
  return isReadResult(t, e, at);
}

/**
 * The read a value comes from: the read call itself, a field of a read's result (`existing.id`,
 * `list.data[0].id`), or either branch of a choice between such values.
 */
function readBehind(t: TS, value: ts.Expression, at: ts.Node): ts.CallExpression | undefined {
  const v = strip(t, value);
  if (t.isCallExpression(v)) return isReadCall(t, v) ? v : undefined;
  if (t.isConditionalExpression(v)) return readBehind(t, v.whenTrue, at) ?? readBehind(t, v.whenFalse, at);
  let root: ts.Expression = v;
  while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = strip(t, root.expression);
  return root !== v && t.isIdentifier(root) && !ERROR_NAME.test(root.text) ? readInitializer(t, root, at) : undefined;
}

/** A read (or a value drawn from one) assigned to `name` somewhere in a statement (not inside a nested function). */
function assignedRead(t: TS, statement: ts.Node, name: string): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || t.isFunctionLike(node)) return;
    if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(node.left) && node.left.text === name) {
      found = readBehind(t, node.right, node);
    }
    t.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function readInitializer(t: TS, id: ts.Identifier, at: ts.Node): ts.CallExpression | undefined {
  for (let scope: ts.Node | undefined = parentOf(at); scope; scope = parentOf(scope)) {
    const fromCallback = callbackResult(t, scope, id.text);
    if (fromCallback) return fromCallback;
    if (!t.isBlock(scope) && !t.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (statement.pos >= at.pos) break;
      if (!t.isVariableStatement(statement)) {
        // `let user = null; if (id) { user = await repo.findOne(…) }`: an assignment of a read.
        const assigned = assignedRead(t, statement, id.text);
        if (assigned) return assigned;
        continue;
      }
      for (const decl of statement.declarationList.declarations) {
        if (!decl.initializer) continue;
        const names = t.isIdentifier(decl.name) ? [decl.name.text] : t.isArrayBindingPattern(decl.name) || t.isObjectBindingPattern(decl.name)
          ? decl.name.elements.flatMap((el) => (t.isBindingElement(el) && t.isIdentifier(el.name) ? [el.name.text] : [])) : [];
        if (!names.includes(id.text)) continue;
        const init = strip(t, decl.initializer);
        if (t.isCallExpression(init) && isReadCall(t, init)) return init;
        // `const latest = first ? null : await this.getLatestRevision(id)`: a read, or nothing.
        if (t.isConditionalExpression(init)) {
          const [a, b] = [strip(t, init.whenTrue), strip(t, init.whenFalse)];
          if (t.isCallExpression(b) && isReadCall(t, b) && isBlank(t, a)) return b;
          if (t.isCallExpression(a) && isReadCall(t, a) && isBlank(t, b)) return a;
        }
        // `const canvas = given ?? (await prisma.canvas.findUnique(…))`: the record handed in, else read.
        if (t.isBinaryExpression(init) && (init.operatorToken.kind === t.SyntaxKind.QuestionQuestionToken || init.operatorToken.kind === t.SyntaxKind.BarBarToken)) {
          const read = [init.right, init.left].map((side) => strip(t, side)).find((side): side is ts.CallExpression => t.isCallExpression(side) && isReadCall(t, side));
          if (read) return read;
        }
        if (t.isCallExpression(init) && isPromiseAll(t, init)) return init;
        // `const wasSent = this.emailWasSentRecently(sent, 10)`: a verdict on a record read before, named
        // for what already happened.
        if (t.isCallExpression(init) && ALREADY_DONE.test(id.text)) {
          for (const arg of init.arguments) {
            const a = strip(t, arg);
            const read = t.isIdentifier(a) ? readInitializer(t, a, statement) : undefined;
            if (read) return read;
          }
        }
      }
    }
  }
  return undefined;
}

/** Names of flags that say the thing was already done (`wasSent`, `alreadyProcessed`, `sentRecently`). */
const ALREADY_DONE = /^(was|already|has(Been)?)[A-Z]\w*$|^\w*(Recently|AlreadyDone|AlreadySent)$/;

/**
 * `User.findOne(query, (err, existing) => { … })`, `User.findOne(query).exec((err, user) => …)`,
 * `repo.findOne(query).then((user) => …)`: `name` is the callback's result parameter and the call it is
 * given to is a lookup. Returns that lookup.
 */
function callbackResult(t: TS, fn: ts.Node, name: string): ts.CallExpression | undefined {
  if (!(t.isArrowFunction(fn) || t.isFunctionExpression(fn)) || !t.isCallExpression(fn.parent) || !fn.parent.arguments.includes(fn)) return undefined;
  const index = fn.parameters.findIndex((p) => t.isIdentifier(p.name) && p.name.text === name);
  if (index < 0) return undefined;
  const call = fn.parent;
  const callee = call.expression;
  const method = t.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  // A promise hands the result first; a Node-style callback hands the error first.
  const resultIndex = method === 'then' ? 0 : 1;
  if (index !== resultIndex) return undefined;
  if (resultIndex === 1 && !ERROR_NAME.test(fn.parameters[0]!.name.getText())) return undefined;
  const lookup = (method === 'exec' || method === 'then') && t.isPropertyAccessExpression(callee) && t.isCallExpression(callee.expression) ? callee.expression : call;
  return isReadCall(t, lookup) ? lookup : undefined;
}

/** The arguments of every call along a chain: `findOne({ resetToken }).where('expires').gt(now)`. */
function chainArguments(t: TS, call: ts.CallExpression): string {
  const parts: string[] = [];
  for (let inner: ts.Expression = call; t.isCallExpression(inner) || t.isPropertyAccessExpression(inner); inner = inner.expression) {
    if (t.isCallExpression(inner)) parts.push(...inner.arguments.filter((a) => !t.isFunctionLike(a)).map((a) => a.getText()));
  }
  return parts.join(' ');
}

/** Query-builder steps that make the whole chain a read: `db.select().from(t).where(…)`, `knex(t).where(…).first()`. */
const BUILDER_READ = /^(select|selectFrom|selectDistinct|first|findFirst|findOne)$/;
/** Methods of Result/Option values that say there is nothing (`result.isFailed()`, `maybe.isNone()`). */
const EMPTY_RESULT = /^(isFailed|isFailure|isErr|isError|isNone|isNothing|isEmpty|isLeft)$/;

/** A lookup: `repo.findOne({...})`, `qb.getOne()` (filters set earlier on the builder), `findUser(email)`. */
function isReadCall(t: TS, call: ts.CallExpression): boolean {
  for (let inner: ts.Expression = call.expression; t.isPropertyAccessExpression(inner) || t.isCallExpression(inner); ) {
    if (t.isPropertyAccessExpression(inner)) {
      if (BUILDER_READ.test(inner.name.text)) return true;
      inner = inner.expression;
    } else inner = inner.expression;
  }
  return isNamedRead(t, call);
}

function isNamedRead(t: TS, call: ts.CallExpression): boolean {
  const callee = call.expression;
  // `this.getSetting.execute({ … })`: a use case named for a read.
  if (t.isPropertyAccessExpression(callee) && /^(execute|run|handle|call|invoke)$/.test(callee.name.text) && t.isPropertyAccessExpression(callee.expression) && (STRONG_READ.test(callee.expression.name.text) || /^(get|fetch|load)[A-Z]\w*$/.test(callee.expression.name.text))) return true;
  // `User._get({ username })`: a model's own helper, private by convention.
  const name = (t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : undefined)?.replace(/^_+/, '');
  if (name === undefined) return false;
  if (!t.isPropertyAccessExpression(callee) && call.arguments.length === 0) return false;
  // `objectIdValidation.findInvalidId(items)`: a check of the input, not a lookup of stored state.
  if (INPUT_CHECK.test(name) || (t.isPropertyAccessExpression(callee) && VALIDATOR_RECEIVER.test(callee.expression.getText()))) return false;
  if (STRONG_READ.test(name)) return true;
  // `filesService.get(id)`, `userRepository.get(id)`: a bare `get` reads a store when the receiver is one.
  // (`User.get({ id })`: a model named as a class is a store too.)
  if (name === 'get' && t.isPropertyAccessExpression(callee) && (STORE_RECEIVER.test(callee.expression.getText()) || /^[A-Z][a-z]\w*$/.test(callee.expression.getText())) && call.arguments.length > 0) return true;
  // `UserService.email(email)`, `users.byEmail(body.email)`: a store's lookup named for the field it keys on.
  if (t.isPropertyAccessExpression(callee) && call.arguments.length <= 3 && call.arguments.some((a) => keyedBy(t, name, a)) && STORE_RECEIVER.test(callee.expression.getText())) return true;
  return WEAK_READ.test(name) && !/^get(OrThrow|Item|Env|Config)?$/i.test(name) && !(t.isPropertyAccessExpression(callee) && notAStore(callee.expression.getText(), name));
}

/**
 * `config.getValue('x')`, `settings.getTheme()`: configuration, not stored records. A store that only
 * shares the word (`configService.getProviderConfig(key, env)`, a service keeping integration configs)
 * reads records, unless what the method names is itself configuration (`getConfig`, `getSettings`).
 */
function notAStore(receiver: string, method: string): boolean {
  if (!NOT_A_STORE.test(receiver)) return false;
  return !/(service|repository|repo|store|dao|model)$/i.test(receiver) || /^get(Config|Env|Setting|Option|Flag|Feature)s?$/i.test(method);
}

/** Fields records are looked up by: a store's method named for one is a lookup (`ContactService.email(address, projectId)`). */
const KEY_FIELD = /^(id|uuid|email|slug|username|handle|key|code|token|secret|phone)$/i;

/** A method named for its argument (`email(email)`, `byEmail(body.email)`, `withId(id)`) or for a key field. */
function keyedBy(t: TS, method: string, arg: ts.Expression): boolean {
  const key = method.replace(/^(by|with|for)(?=[A-Z])/, '');
  if (KEY_FIELD.test(key)) return true;
  const a = strip(t, arg);
  const field = t.isIdentifier(a) ? a.text : t.isPropertyAccessExpression(a) ? a.name.text : undefined;
  return field !== undefined && key.toLowerCase() === field.toLowerCase();
}

function isPromiseAll(t: TS, call: ts.CallExpression): boolean {
  return t.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'all' &&
    t.isArrayLiteralExpression(call.arguments[0] ?? call) && (call.arguments[0] as ts.ArrayLiteralExpression).elements.some((e) => t.isCallExpression(strip(t, e)) && isReadCall(t, strip(t, e) as ts.CallExpression));
}

/** A value a filter can pin a state to: a literal, `true`/`false`, an enum-like constant, `null`/`undefined`. */
function fixedState(t: TS, expr: ts.Expression): boolean {
  return isLiteral(t, expr) || isBlank(t, expr);
}

/** A field of a stored record: `latest.content`, or a local taken from one (`const old = latest?.content`). */
function storedValue(t: TS, expr: ts.Expression, at: ts.Node): boolean {
  const e = strip(t, expr);
  if (t.isPropertyAccessExpression(e)) return readRoot(t, e, at);
  if (!t.isIdentifier(e)) return false;
  const init = initializerOf(t, e);
  const value = init ? strip(t, init) : undefined;
  return value !== undefined && t.isPropertyAccessExpression(value) && readRoot(t, value, at);
}

function isLiteral(t: TS, expr: ts.Expression): boolean {
  const e = strip(t, expr);
  if (t.isStringLiteralLike(e) || t.isNumericLiteral(e) || e.kind === t.SyntaxKind.TrueKeyword || e.kind === t.SyntaxKind.FalseKeyword) return true;
  // `OrderStatus.PAID`, `Status.Paid`: an enum-like constant, not another record's field (`other.id`).
  if (!t.isPropertyAccessExpression(e)) return false;
  let root: ts.Expression = e;
  while (t.isPropertyAccessExpression(root)) root = root.expression;
  return t.isIdentifier(root) && /^[A-Z]/.test(root.text);
}

function describe(expr: ts.Expression): string {
  return expr.getText().replace(/\s+/g, ' ').slice(0, 60);
}
