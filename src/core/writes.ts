// Matches a call against the write catalogue, by what its receiver really is (the resolved Value),
// never by method name alone.
import type { TS, tsTypes as ts } from './ts.js';
import type { ModelHint, RequestFieldRule, RequestMethodRule, WriteRule } from '../catalog/writes.js';
import type { WriteKind } from './types.js';
import type { Value } from './values.js';
import { callArguments, isParameterName, mappedRecord, refine, type Refined, propertyValue, savedArgument, strip } from './refine.js';
import { enclosingFunction, parentOf } from './ts.js';

export type CallNode = ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;

/** The names a handler's request goes by. */
export const REQUEST_NAME = /^(req|request)$/;

export interface WriteMatch {
  rule: WriteRule;
  kind: WriteKind;
  /** The write: a call, or an assignment a package persists (`req.session.userId = id`). */
  node: CallNode | ts.BinaryExpression;
  /** The callee as written, e.g. `prisma.order.create`, `this.orders.save`. */
  callee: string;
  /** Idempotent by itself (upsert, ON CONFLICT, absolute update, delete). */
  idempotentBecause?: string;
  /** The model/table a create writes, for unique-constraint lookups. */
  model?: { hint: ModelHint; name: string; node?: ts.Node };
  /** The record a create writes (`data: {...}`, `.values({...})`), when visible. */
  data?: ts.ObjectLiteralExpression;
  /** Columns of an SQL INSERT. */
  columns?: string[];
  /** A write to an audit-trail table or model. */
  auditTrail?: boolean;
  /** The record is a value passed in whole (`values(dto)`, `create({ data: input })`), not a literal. */
  wholeRecord?: boolean;
  /** An update found to store a fresh secret: which one, for the reason text. */
  rotates?: string;
  /** SQL given by the callers (a parameter of the function around the call): not a write until one passes text. */
  sqlFrom?: ts.Expression;
  /** Idempotent unless a caller passes a fresh value for this parameter (a file path made per call). */
  freshFrom?: ts.Expression;
  /** A delete whose filter is a parameter: each caller's filter names the rows (and columns) it clears. */
  whereFrom?: ts.Expression;
  /** The record passed whole is this parameter (or a path into it): a caller may spell it out. */
  recordFrom?: ts.Expression;
  /** The entity a save writes is this parameter of the helper: a caller that passes one it loaded updates it. */
  savedFrom?: ts.Expression;
  /** Fields a helper added to the record its caller spelled out (`{ ...params, token: randomUUID() }`). */
  moreData?: ts.ObjectLiteralExpression[];
  /** The field an update flips from its stored value. */
  toggles?: string;
}

type External = Extract<Value, { kind: 'external' }>;

/** Rules that write database records (token/session records there are rotation, not business data). */
const DATABASE_RULE = /^(prisma|typeorm|sequelize|mongoose|mongodb|drizzle|knex|kysely|mikro-orm|objection|sql|supabase|firestore|dynamodb)\./;

/** A model, table or repository of an audit trail: `tx.auditLog.create`, `this.auditLogRepository.save`, a login log. */
const AUDIT_TABLE = /(^|\.)(\w*audit(_?log|_?event|_?trail)?s?|\w*activit(y|ies)_?(log|event|feed)s?|\w*_?(history|histories|changelogs?|op_?logs?)|ops|(login|signin|access|oper|operation)_?logs?)(Repository|Repo|Model|Collection|Table)?(\.|\(|$)/i;

export const IDEMPOTENT_KINDS: Partial<Record<WriteKind, string>> = {
  'db-upsert': 'upsert on a key',
  'db-update': 'update that sets absolute values',
  'db-delete': 'delete by key',
};

/**
 * `value` is what the callee resolved to; `receiver` resolves the object it is called on, whose
 * type arguments (`Repository<Order>`) or making call (`model('Order', schema)`) name the model.
 */
export function matchWrite(t: TS, rules: readonly WriteRule[], node: CallNode, value: External, receiver: () => Value | undefined, deps?: ReadonlySet<string>, resolve?: (expr: ts.Expression) => Value | undefined): WriteMatch | undefined {
  const chain = value.chain.join('.');
  for (const rule of rulesForModule(rules, value.module)) {
    if (!rule.chain.test(chain)) continue;
    if (rule.persistsWith && !dependsOn(deps, rule.persistsWith)) continue;
    const refined = rule.refine ? refine(t, rule.refine, node) : {};
    if (refined.notWrite) return undefined;
    let kind = refined.kind ?? rule.kind;
    // A stored token or session (login, refresh, reset) is rotation, not a business record.
    if (kind === 'db-create' && DATABASE_RULE.test(rule.id) && /(^|\.)(\w*token\w*|\w*session\w*|otp\w*|nonce\w*)(\.|$)/i.test(chain + '.' + calleeText(t, node))) kind = 'token-rotation';
    const match: WriteMatch = { rule, kind, node, callee: calleeText(t, node) };
    // Rows of an audit trail record that something happened: a retry's second entry is a minor duplicate.
    // `AppConfig.query().insert(…)` on a class-based model: the class names the table.
    const fromClass = value.modelClass ? { hint: 'record-class' as const, name: value.modelClass.name?.text ?? '', node: value.modelClass } : undefined;
    const model = refined.table ? { hint: 'sql' as const, name: refined.table } : (rule.model ? modelOf(t, rule.model, node, value, receiver, resolve) : undefined) ?? fromClass;
    // (`db.insert(activityLogs)`: the table is an argument, not part of the callee.)
    if (DATABASE_RULE.test(rule.id) && (AUDIT_TABLE.test(match.callee) || (model !== undefined && AUDIT_TABLE.test(model.name)))) match.auditTrail = true;
    if (refined.toggles) match.toggles = refined.toggles;
    const because = refined.toggles ? undefined : refined.idempotentBecause ?? IDEMPOTENT_KINDS[kind];
    if (because) match.idempotentBecause = because;
    if (model) match.model = model;
    if (rule.refine === 'save-argument' && kind === 'db-create') {
      const saved = savedParameter(t, node);
      if (saved) match.savedFrom = saved;
    }
    if (refined.columns?.length) match.columns = refined.columns;
    if (refined.sqlFrom) match.sqlFrom = refined.sqlFrom;
    if (refined.freshFrom) match.freshFrom = refined.freshFrom;
    if (refined.whereFrom) match.whereFrom = refined.whereFrom;
    let data = dataOf(t, rule, node);
    // `data: { ...req.body }`: a copy of a record given whole is that record.
    const copied = data ? copiedRecord(t, data) : undefined;
    let whole = copied ?? (data ? undefined : passedWhole(t, rule, node));
    if (copied) data = undefined;
    // `const data = { ...params, token: randomUUID() }; create({ data })`: the local literal is the record.
    // (`const rows = files.map((f) => ({ …, fileId: genId() }))`: each row is that literal.)
    const initial = whole && t.isIdentifier(whole) ? localInitializer(t, whole) : undefined;
    const local = initial ? mappedRecord(t, initial) ?? initial : undefined;
    if (local && t.isObjectLiteralExpression(local)) {
      whole = copiedRecord(t, local);
      if (!whole) data = local;
    }
    if (data) {
      match.data = data;
      // `{ ...params, token }`: the spread record is the caller's to spell out.
      const spread = spreadRecord(t, data);
      if (spread) match.recordFrom = spread;
    } else if (whole) {
      match.wholeRecord = true;
      match.recordFrom = whole;
    }
    return match;
  }
  return undefined;
}

/**
 * A write whose SQL a caller passes, once the caller's text is known: classified as `matchWrite` would
 * have with the text in place, or undefined when the text is not a write (a SELECT).
 */
export function withCallerSql(match: WriteMatch, refined: Refined): WriteMatch | undefined {
  if (refined.notWrite) return undefined;
  if (refined.sqlFrom) return { ...match, sqlFrom: refined.sqlFrom };
  const kind = refined.kind ?? match.rule.kind;
  const resolved: WriteMatch = { ...match, kind };
  delete resolved.sqlFrom;
  const because = refined.idempotentBecause ?? IDEMPOTENT_KINDS[kind];
  if (because) resolved.idempotentBecause = because;
  if (refined.table) resolved.model = { hint: 'sql', name: refined.table };
  if (refined.columns?.length) resolved.columns = refined.columns;
  return resolved;
}

const rulesByModule = new WeakMap<readonly WriteRule[], Map<string, readonly WriteRule[]>>();

/** The rules that can match calls into a module, in catalogue order (asked for every external call). */
function rulesForModule(rules: readonly WriteRule[], module: string): readonly WriteRule[] {
  let byModule = rulesByModule.get(rules);
  if (!byModule) {
    byModule = new Map();
    rulesByModule.set(rules, byModule);
  }
  let found = byModule.get(module);
  if (!found) {
    const matching = (name: string): WriteRule[] => rules.filter((rule) => (typeof rule.module === 'string' ? rule.module === name : rule.module.test(name)));
    found = matching(module);
    // `import type { Interfaces } from 'mailgun.js/definitions'`: a package's type definitions describe
    // the package's own clients, so a value typed by them is written to as the package is.
    const typesOf = TYPE_DEFINITIONS_PATH.exec(module)?.[1];
    if (found.length === 0 && typesOf) found = matching(typesOf);
    byModule.set(module, found);
  }
  return found;
}

/** A package's type-definition subpath (`pkg/definitions`, `@scope/pkg/types`, `pkg/dist/types/...`): the package named. */
const TYPE_DEFINITIONS_PATH = /^((?:@[^/]+\/)?[^/@][^/]*)\/(?:dist\/|lib\/)?(?:definitions|types|typings)(?:\/.*)?$/;

/**
 * `req.logIn(user)`: a method a package adds to the request, called on the request (`req`, `request`,
 * `ctx.req`), when the scanned package depends on the package that adds it and on what persists it.
 */
export function matchRequestWrite(t: TS, rules: readonly RequestMethodRule[], node: CallNode, deps: ReadonlySet<string> | undefined): WriteMatch | undefined {
  if (!t.isCallExpression(node) || !t.isPropertyAccessExpression(node.expression)) return undefined;
  const receiver = strip(t, node.expression.expression);
  const name = t.isIdentifier(receiver) ? receiver.text : t.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  if (!name || !REQUEST_NAME.test(name)) return undefined;
  const method = node.expression.name.text;
  for (const rule of rules) {
    if (!rule.method.test(method) || !dependsOn(deps, rule.addedBy) || (rule.persistsWith && !dependsOn(deps, rule.persistsWith))) continue;
    const asWriteRule: WriteRule = { id: rule.id, kind: rule.kind, module: rule.addedBy, chain: rule.method };
    return { rule: asWriteRule, kind: rule.kind, node, callee: calleeText(t, node) };
  }
  return undefined;
}

/**
 * `req.session.userId = user.id`: a field of the request set by the handler that a package the scanned
 * package depends on persists (see RequestFieldRule). `projectStore` says whether the project's own
 * code defines a store class the rule accepts.
 */
export function matchRequestField(t: TS, rules: readonly RequestFieldRule[], node: ts.BinaryExpression, depsOf: () => ReadonlySet<string> | undefined, projectStore: (pattern: RegExp) => boolean): WriteMatch | undefined {
  if (node.operatorToken.kind !== t.SyntaxKind.EqualsToken) return undefined;
  const names: string[] = [];
  let e: ts.Expression = strip(t, node.left);
  while (t.isPropertyAccessExpression(e)) {
    names.unshift(e.name.text);
    e = strip(t, e.expression);
  }
  if (!t.isIdentifier(e) || !REQUEST_NAME.test(e.text) || names.length === 0) return undefined;
  // `req.session.loggedIn = false`, `req.session.userId = null`: signing out.
  const value = strip(t, node.right);
  if (value.kind === t.SyntaxKind.FalseKeyword || value.kind === t.SyntaxKind.NullKeyword || (t.isIdentifier(value) && value.text === 'undefined')) return undefined;
  const field = names.join('.');
  for (const rule of rules) {
    if (!rule.field.test(field)) continue;
    const deps = depsOf();
    if (!dependsOn(deps, rule.addedBy)) continue;
    if (!dependsOn(deps, rule.persistsWith) && !(rule.projectStore && projectStore(rule.projectStore))) continue;
    // A handler that reads who is signed in (`req.session.userId` on the right-hand side, `if
    // (!req.session.user)`) runs in a session that exists: setting the field again updates that session.
    const fn = enclosingFunction(t, node);
    const reads = fn ? [...fn.getText().matchAll(/\b(?:req|request)\.session\.(\w+)\b(?!\s*=[^=])/g)].map((m) => `session.${m[1]}`) : [];
    if (reads.some((read) => rule.field.test(read))) return undefined;
    const asWriteRule: WriteRule = { id: rule.id, kind: rule.kind, module: rule.addedBy, chain: rule.field };
    return { rule: asWriteRule, kind: rule.kind, node, callee: `${e.text}.${field} =` };
  }
  return undefined;
}

function dependsOn(deps: ReadonlySet<string> | undefined, pattern: RegExp): boolean {
  if (!deps) return false;
  for (const dep of deps) if (pattern.test(dep)) return true;
  return false;
}

/** The callee as a readable chain: `prisma.order.create`, `knex('orders').insert`, `this.repo.save`. */
export function calleeText(t: TS, node: CallNode): string {
  const callee = t.isTaggedTemplateExpression(node) ? node.tag : node.expression;
  const text = chainText(t, callee);
  return (t.isNewExpression(node) ? `new ${text}` : text).slice(0, 120);
}

function chainText(t: TS, expr: ts.Expression): string {
  const e = strip(t, expr);
  if (t.isIdentifier(e) || t.isPrivateIdentifier(e)) return e.text;
  if (e.kind === t.SyntaxKind.ThisKeyword) return 'this';
  if (t.isPropertyAccessExpression(e)) return `${chainText(t, e.expression)}.${e.name.text}`;
  if (t.isElementAccessExpression(e)) return `${chainText(t, e.expression)}[${t.isStringLiteralLike(e.argumentExpression) ? `'${e.argumentExpression.text}'` : '…'}]`;
  if (t.isCallExpression(e)) {
    const first = e.arguments[0];
    const arg = first && t.isStringLiteralLike(first) && e.arguments.length === 1 ? `'${first.text}'` : e.arguments.length > 0 ? '…' : '';
    return `${chainText(t, e.expression)}(${arg})`;
  }
  if (t.isNewExpression(e)) return `new ${chainText(t, e.expression)}(…)`;
  if (t.isExpressionWithTypeArguments(e)) return chainText(t, e.expression);
  return '(…)';
}

function modelOf(t: TS, hint: ModelHint, node: CallNode, value: External, receiver: () => Value | undefined, resolve?: (expr: ts.Expression) => Value | undefined): WriteMatch['model'] {
  switch (hint) {
    case 'prisma-model': {
      const name = value.chain[value.chain.length - 2];
      return name ? { hint, name } : undefined;
    }
    case 'type-argument': {
      const r = receiver();
      const typeArg = r?.kind === 'external' ? r.typeArgs?.[0] : undefined;
      if (typeArg && t.isTypeReferenceNode(typeArg)) return { hint, name: typeArg.typeName.getText(), node: typeArg.typeName };
      const first = callArguments(t, node)[0];
      // `manager.save(Order, {...})` / `dataSource.getRepository(Order)`.
      if (first && t.isIdentifier(first) && /^[A-Z]/.test(first.text)) return { hint, name: first.text, node: first };
      // `const user = em.create(User, dto); await em.persistAndFlush(user)`: the entity made for it.
      const made = first && t.isIdentifier(first) ? localInitializer(t, first) : undefined;
      const create = made && t.isCallExpression(made) && t.isPropertyAccessExpression(made.expression) && made.expression.name.text === 'create' ? made : undefined;
      const entity = create?.arguments[0];
      if (entity && t.isIdentifier(entity) && /^[A-Z]/.test(entity.text)) return { hint, name: entity.text, node: entity };
      // `const term = this.termRepo.create({…}); await manager.save(term)`: the repository that made it names the entity.
      const maker = create && t.isPropertyAccessExpression(create.expression) ? resolve?.(create.expression.expression) : undefined;
      const madeBy = maker?.kind === 'external' ? maker.typeArgs?.[0] : undefined;
      if (madeBy && t.isTypeReferenceNode(madeBy)) return { hint, name: madeBy.typeName.getText(), node: madeBy.typeName };
      return receiverCallArgument(t, node, hint);
    }
    case 'mongoose-model': {
      const r = receiver();
      const made = r?.kind === 'external' ? r.madeBy : undefined;
      // Nest: `@InjectModel(Cat.name) model: Model<Cat>` with `@Prop({ unique: true })` on the schema class.
      const typeArg = r?.kind === 'external' ? r.typeArgs?.[0] : undefined;
      // `new this.brandModel(dto)` on an injected `Model<Brand>`: the document's model is the type argument.
      if ((!made || t.isNewExpression(made)) && typeArg && t.isTypeReferenceNode(typeArg)) return { hint: 'type-argument', name: typeArg.typeName.getText(), node: typeArg.typeName };
      // `model('Order', orderSchema)`: the schema is the second argument.
      const name = made?.arguments?.[0];
      return made ? { hint, name: name && t.isStringLiteralLike(name) ? name.text : '', node: made } : undefined;
    }
    case 'first-argument': {
      const first = callArguments(t, node)[0];
      // `insertInto('users')` names the table as a string; `db.insert(users)` passes the table object.
      return first ? { hint, name: t.isStringLiteralLike(first) ? first.text : first.getText(), node: first } : undefined;
    }
    case 'receiver-call-argument':
      return receiverCallArgument(t, node, hint);
    case 'sql':
    case 'record-class':
      return undefined;
  }
}

/** Builder calls that name the table: `supabase.from('orders')`, `knex.table('orders')`, `qb.into('orders')`. */
const TABLE_STEP = /^(from|table|into|insertInto)$/;

/** `knex('orders').insert(...)`, `supabase.from('orders').insert(...)`: the table is the receiver call's argument. */
function receiverCallArgument(t: TS, node: CallNode, hint: ModelHint): WriteMatch['model'] {
  if (!t.isCallExpression(node) || !t.isPropertyAccessExpression(node.expression)) return undefined;
  let receiver = strip(t, node.expression.expression);
  // `knex('users').returning('id').insert(…)`: past the builder steps to the call that names the table.
  while (t.isCallExpression(receiver) && t.isPropertyAccessExpression(receiver.expression) && !TABLE_STEP.test(receiver.expression.name.text) && t.isCallExpression(strip(t, receiver.expression.expression))) {
    receiver = strip(t, receiver.expression.expression);
  }
  if (!t.isCallExpression(receiver)) return undefined;
  const arg = receiver.arguments[0];
  if (arg && t.isStringLiteralLike(arg)) return { hint, name: arg.text };
  if (arg && t.isIdentifier(arg)) return { hint, name: arg.text, node: arg };
  return undefined;
}

/** `{ ...dto }`: a literal that only copies one record. */
function copiedRecord(t: TS, data: ts.ObjectLiteralExpression): ts.Expression | undefined {
  const only = data.properties.length === 1 ? data.properties[0] : undefined;
  const copied = only && t.isSpreadAssignment(only) ? strip(t, only.expression) : undefined;
  return copied && (t.isIdentifier(copied) || t.isPropertyAccessExpression(copied)) ? copied : undefined;
}

/** The one record a literal spreads among fields of its own (`{ ...params, token }`), if any. */
function spreadRecord(t: TS, data: ts.ObjectLiteralExpression): ts.Expression | undefined {
  const spreads = data.properties.filter((p) => t.isSpreadAssignment(p));
  const only = spreads.length === 1 ? strip(t, spreads[0]!.expression) : undefined;
  return only && (t.isIdentifier(only) || t.isPropertyAccessExpression(only)) ? only : undefined;
}

/** Calls that store an entity object made before (TypeORM `save`, MikroORM `persist`), not a record literal. */
const SAVES_ENTITY = /^(save|persist|persistAndFlush)$/;

function callName(t: TS, node: CallNode): string {
  return t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
}

/** Type names of request records (`CreateTaskDto`, `SignupInput`), as opposed to entities. */
const REQUEST_RECORD_TYPE = /(Dto|DTO|Input|Body|Payload|Request)$/;

/** The type name a parameter is declared with (`dto: TaskDto` → `TaskDto`), if it names one. */
function declaredTypeName(t: TS, param: ts.Identifier): string | undefined {
  for (let node: ts.Node | undefined = parentOf(param); node; node = parentOf(node)) {
    if (!t.isFunctionLike(node)) continue;
    const decl = node.parameters.find((p) => t.isIdentifier(p.name) && p.name.text === param.text);
    const type = decl?.type;
    return type && t.isTypeReferenceNode(type) ? type.typeName.getText() : undefined;
  }
  return undefined;
}

/** `repo.save(user)`, `manager.save(User, user)` where `user` is a parameter of the function around the call. */
function savedParameter(t: TS, node: CallNode): ts.Identifier | undefined {
  const arg = savedArgument(t, callArguments(t, node));
  const saved = arg ? strip(t, arg) : undefined;
  return saved && t.isIdentifier(saved) && isParameterName(t, saved) ? saved : undefined;
}

/** `insertInto('users').values(data)`, `prisma.user.create({ data: dto })`, `Model.create(req.body)`: a record given whole. */
function passedWhole(t: TS, rule: WriteRule, node: CallNode): ts.Expression | undefined {
  const whole = (e: ts.Expression | undefined): ts.Expression | undefined => {
    const v = e ? strip(t, e) : undefined;
    return v !== undefined && (t.isIdentifier(v) || t.isPropertyAccessExpression(v)) ? v : undefined;
  };
  const args = callArguments(t, node);
  const first = args[0] ? strip(t, args[0]) : undefined;
  if (rule.id.startsWith('prisma.')) return first !== undefined ? whole(propertyValue(t, first, 'data')) : undefined;
  const parent = node.parent;
  if (t.isPropertyAccessExpression(parent) && parent.name.text === 'values' && t.isCallExpression(parent.parent)) return whole(parent.parent.arguments[0]);
  if (args.length > 0) {
    // `manager.insert(User, dto)`, `em.insert(User, dto)`: the record follows the entity class.
    const classFirst = first !== undefined && t.isIdentifier(first) && /^[A-Z]/.test(first.text) && args.length > 1;
    if (!rule.id.endsWith('.save') && !SAVES_ENTITY.test(callName(t, node))) return whole(classFirst ? args[1] : args[0]);
    // `save(dto)` of a parameter typed as the request's DTO, not an entity: a plain record inserted whole.
    const param = savedParameter(t, node);
    if (param && REQUEST_RECORD_TYPE.test(declaredTypeName(t, param) ?? '')) return param;
    // `repo.save(repo.create(dto))`, `const user = repo.create(dto); …; repo.save(user)`, MikroORM
    // `em.persist(em.create(User, dto))`: create got it whole (after the entity class, if named).
    const saved = strip(t, args[0]!);
    const made = t.isIdentifier(saved) ? localInitializer(t, saved) : saved;
    if (!made || !t.isCallExpression(made) || !t.isPropertyAccessExpression(made.expression) || made.expression.name.text !== 'create') return undefined;
    const [entity, data] = made.arguments;
    return whole(entity && t.isIdentifier(entity) && /^[A-Z]/.test(entity.text) ? data : entity);
  }
  // `const user = new User(req.body); await user.save()`: the constructor got the record whole.
  if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'save') {
    const receiver = strip(t, node.expression.expression);
    const made = t.isIdentifier(receiver) ? localInitializer(t, receiver) : receiver;
    return made !== undefined && t.isNewExpression(made) ? whole(made.arguments?.[0]) : undefined;
  }
  return undefined;
}

/**
 * The object literal a top-level function of the call's own file returns (`const userParams = (request)
 * => { const { email } = request.body; return { email, status: 'invited' }; }`), when it has one return.
 */
function helperRecord(t: TS, call: ts.CallExpression): ts.ObjectLiteralExpression | undefined {
  if (!t.isIdentifier(call.expression)) return undefined;
  const name = call.expression.text;
  let fn: ts.FunctionLikeDeclaration | undefined;
  for (const statement of call.getSourceFile().statements) {
    if (t.isFunctionDeclaration(statement) && statement.name?.text === name) fn = statement;
    if (!t.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      const init = decl.initializer ? strip(t, decl.initializer) : undefined;
      if (t.isIdentifier(decl.name) && decl.name.text === name && init && (t.isArrowFunction(init) || t.isFunctionExpression(init))) fn = init;
    }
  }
  const body = fn?.body;
  if (!body) return undefined;
  let returned: ts.Expression | undefined;
  if (t.isBlock(body)) {
    const returns = body.statements.filter(t.isReturnStatement);
    returned = returns.length === 1 ? returns[0]!.expression : undefined;
  } else {
    returned = body;
  }
  const literal = returned ? strip(t, returned) : undefined;
  return literal && t.isObjectLiteralExpression(literal) ? literal : undefined;
}

/** The object a create writes: Prisma `data`, `.values({...})`, the first object argument. */
function dataOf(t: TS, rule: WriteRule, node: CallNode): ts.ObjectLiteralExpression | undefined {
  const args = callArguments(t, node);
  const first = args[0] ? strip(t, args[0]) : undefined;
  if (rule.id.startsWith('prisma.') && first) {
    // `update`/`upsert`: the values written on the update path.
    const data = propertyValue(t, first, 'data') ?? propertyValue(t, first, 'update');
    return data && t.isObjectLiteralExpression(strip(t, data)) ? (strip(t, data) as ts.ObjectLiteralExpression) : undefined;
  }
  // `db.insert(table).values({...})`, `insertInto('t').values({...})`.
  const parent = node.parent;
  if (t.isPropertyAccessExpression(parent) && parent.name.text === 'values' && t.isCallExpression(parent.parent)) {
    const values = parent.parent.arguments[0];
    return values && t.isObjectLiteralExpression(strip(t, values)) ? (strip(t, values) as ts.ObjectLiteralExpression) : undefined;
  }
  for (const arg of args) {
    let a = strip(t, arg);
    if (t.isObjectLiteralExpression(a)) return a;
    // `const label = repo.create({ … }); await repo.save(label)`: the record the entity was made from.
    if (t.isIdentifier(a) && SAVES_ENTITY.test(callName(t, node))) a = localInitializer(t, a) ?? a;
    // (`create({ … })`, or `create(Entity, { … })` after an entity class.)
    // `insert(userParams(request))`: a helper of the same file that builds the record.
    const made = t.isIdentifier(a) ? localInitializer(t, a) : a;
    const built = made && t.isCallExpression(made) ? helperRecord(t, made) : undefined;
    if (built) return built;
    const [first, second] = t.isCallExpression(a) ? a.arguments.map((x) => strip(t, x)) : [];
    if (first && t.isObjectLiteralExpression(first)) return first;
    if (first && second && t.isObjectLiteralExpression(second) && /^[A-Z]/.test(first.getText())) return second;
  }
  if (t.isNewExpression(node)) return undefined;
  // `new Order({...}).save()`: the record is the constructor's argument.
  if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
    const receiver = strip(t, node.expression.expression);
    // `const user = new User({...}); await user.save()`: the same, through a local variable.
    const made = t.isIdentifier(receiver) ? localInitializer(t, receiver) : receiver;
    if (made && t.isNewExpression(made) && made.arguments?.[0] && t.isObjectLiteralExpression(strip(t, made.arguments[0]))) {
      return strip(t, made.arguments[0]) as ts.ObjectLiteralExpression;
    }
  }
  return undefined;
}

/** The initializer of a `const`/`let` declared earlier in an enclosing block of the same function (or of a `const` around a callback). */
function localInitializer(t: TS, id: ts.Identifier): ts.Expression | undefined {
  // Through a callback (`manager.transaction(async (em) => em.save(term))`) only a `const` of the
  // function around it: a `let` may have changed by the time the callback runs.
  let inCallback = false;
  for (let n = parentOf(id); n && !t.isSourceFile(n); n = parentOf(n)) {
    if (t.isBlock(n)) {
      for (const statement of n.statements) {
        if (statement.pos >= id.pos) break;
        if (!t.isVariableStatement(statement)) continue;
        if (inCallback && !(statement.declarationList.flags & t.NodeFlags.Const)) continue;
        for (const decl of statement.declarationList.declarations) {
          if (t.isIdentifier(decl.name) && decl.name.text === id.text && decl.initializer) return strip(t, decl.initializer);
        }
      }
    }
    if (t.isArrowFunction(n) || t.isFunctionExpression(n)) inCallback = true;
    else if (t.isFunctionLike(n)) break;
  }
  return undefined;
}
