// Refinements read a matched call's arguments to tell what it really does: an `update` that
// increments, SQL text by its verb, a `fetch` that only GETs, an insert with ON CONFLICT.
import type { TS, tsTypes as ts } from './ts.js';
import type { Refinement } from '../catalog/writes.js';
import type { WriteKind } from './types.js';
import { propertyNameText } from './scope.js';
import { enclosingFunction, parentOf } from './ts.js';

export interface Refined {
  /** The call is not a write after all (a GET, a SELECT). */
  notWrite?: boolean;
  kind?: WriteKind;
  /** Why the write is idempotent by itself (an upsert, ON CONFLICT DO NOTHING). */
  idempotentBecause?: string;
  /** Table named in SQL text, for unique-constraint lookups. */
  table?: string;
  /** Columns an INSERT writes. */
  columns?: string[];
  /**
   * The SQL is a parameter of the function around the call (`query(text, params) { return pool.query(text, params) }`):
   * each caller's text decides what the call does.
   */
  sqlFrom?: ts.Identifier;
  /** A name that makes the write idempotent only if no caller passes a fresh value for it (a file path parameter). */
  freshFrom?: ts.Identifier;
  /** The field the update flips (`published: !post.published`): a retry undoes the first request. */
  toggles?: string;
  /** The filter of a delete is this parameter (`deleteMany({ where: clause })`): the caller's says which rows. */
  whereFrom?: ts.Identifier;
}

type Call = ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;

export function refine(t: TS, refinement: Refinement, node: Call): Refined {
  const args = callArguments(t, node);
  switch (refinement) {
    case 'prisma-data': {
      const refined = prismaData(t, args[0]);
      // A fresh token in a new row is what the create makes, not a rotation of a stored one.
      const method = t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
      // `update({ where, data: { channels: { create: { name } } } })`: the update adds a related row on every call.
      if (method.startsWith('update') && refined.kind === undefined && nestedCreate(t, args[0])) return { kind: 'db-create' };
      return refined.kind === 'token-rotation' && method.startsWith('create') ? { ...refined, kind: undefined } : refined;
    }
    case 'prisma-where':
      return prismaWhere(t, args[0]);
    case 'upsert-key':
      return freshUpsertKey(t, args[0]);
    case 'mongo-update':
      return mongoUpdate(t, args);
    case 'save-argument':
      return saveArgument(t, args, node);
    case 'criteria-delete':
      return criteriaDelete(t, args, node);
    case 'unit-of-work':
      return unitOfWork(t, node);
    case 'loaded-save':
      // `post.save()` of a document found earlier: an update, unless the code grew it first.
      return t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) ? grownBefore(t, node.expression.expression, node) : {};
    case 'conflict-chain':
      return conflictChain(t, node);
    case 'knex-where':
      return knexWhere(t, node);
    case 'sql-argument':
      return sqlOf(t, args[0]);
    case 'sql-template':
      return t.isTaggedTemplateExpression(node) ? classifySql(templateText(t, node.template)) : sqlOf(t, args[0]);
    case 'sql-prepare':
      return prepareSql(t, node);
    case 'http-method-option':
      return httpMethod(t, args[1], args[0]);
    case 'http-config':
      return httpMethod(t, args.find((a) => t.isObjectLiteralExpression(a)), args[0]);
    case 'webhook-url': {
      // `axios.put(url, data)`, `got.delete(url)`: idempotent verbs, like PUT and DELETE through fetch.
      const verb = t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) ? node.expression.name.text.toUpperCase() : '';
      if ((verb === 'PUT' || verb === 'DELETE') && !(args[0] && GENERATED_VALUE.test(expandedText(t, args[0])))) return { idempotentBecause: `HTTP ${verb} is idempotent by definition` };
      return webhook(t, args[0]);
    }
    case 'multer-storage':
      return multerStorage(t, node);
    case 'object-key':
      // `getSignedUrl(s3, new PutObjectCommand({ … }))` hands out an upload link; nothing is stored.
      return onlyPresigned(t, node) ? { notWrite: true } : objectKey(t, args);
    case 'file-path': {
      // `writeFile(path, data)` at a path the request fixes overwrites the same file; `rename`/`copyFile`
      // are judged by where they put it.
      const name = t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) ? node.expression.name.text : t.isCallExpression(node) && t.isIdentifier(node.expression) ? node.expression.text : '';
      const target = /^(rename|renameSync|copyFile|copyFileSync|move|copy)$/.test(name) ? args[1] : args[0];
      if (!target || GENERATED_VALUE.test(expandedText(t, target))) return {};
      const fixed: Refined = { idempotentBecause: 'a write to a path fixed by the request overwrites the same file' };
      // `move(source, destination)`, `writeFile(path.join(dir, name), …)` in a file helper: a caller may
      // pass a fresh name.
      const param = parameterIn(t, target);
      return param ? { ...fixed, freshFrom: param } : fixed;
    }
    case 'blob-put': {
      // A random suffix (the default before @vercel/blob 1.0) makes a new blob per call; a fixed
      // pathname without one either overwrites (`allowOverwrite`) or refuses the second put.
      const options = args[2] ? strip(t, args[2]) : undefined;
      const text = options && t.isObjectLiteralExpression(options) ? options.getText() : '';
      const fixedName = /addRandomSuffix\s*:\s*false/.test(text);
      return fixedName && args[0] ? putAtKey(t, args[0]) : {};
    }
    case 'object-key-argument':
      // `putObject(bucket, key, body)`: the key is the second argument.
      return args[1] ? putAtKey(t, args[1]) : {};
    case 'passport-session':
      // `{ session: false }` keeps no session; a callback (`authenticate('local', (err, user) => …)`)
      // leaves the login to the callback's own `req.logIn`, which is matched there.
      return args.some((a) => t.isFunctionLike(strip(t, a))) || args.some((a) => /\bsession\s*:\s*false\b/.test(a.getText())) ? { notWrite: true } : {};
    case 'auth-user-change': {
      // `updateUser({ email })` (or `updateUserById(id, { phone })`) mails or texts a confirmation on
      // every call; names and metadata are set to the same values again.
      const attributes = args.map((a) => strip(t, a)).find((a) => t.isObjectLiteralExpression(a));
      return attributes && (propertyValue(t, attributes, 'email') || propertyValue(t, attributes, 'phone')) ? { kind: 'email' } : {};
    }
    case 'document-id': {
      // `client.index({ index, id, document })`: a fixed id replaces (or, for `create`, refuses) the same document.
      const request = args[0] ? strip(t, args[0]) : undefined;
      const id = request && t.isObjectLiteralExpression(request) ? propertyValue(t, request, 'id') : undefined;
      return id && !GENERATED_VALUE.test(expandedText(t, id)) ? { kind: 'db-upsert', idempotentBecause: 'a document written at an id the request fixes is replaced, not added' } : {};
    }
    case 'firestore-update':
      return containsCall(t, args, /^(increment|arrayUnion)$/) ? { kind: 'db-increment' } : {};
    case 'dynamo-put':
      return objectText(t, args[0]).includes('attribute_not_exists') ? { idempotentBecause: 'conditional put (attribute_not_exists)' } : {};
    case 'dynamo-update':
      return /\bADD\b|=\s*\w+\s*[+-]/.test(objectText(t, args[0])) ? { kind: 'db-increment' } : {};
    case 'set-increment':
      return setIncrement(t, node);
    case 'update-first-argument':
      // Sequelize `Model.update(values, { where })`.
      return args[0] ? updateValues(t, args[0]) : {};
    case 'update-second-argument':
      return args[1] ? updateValues(t, args[1]) : {};
    case 'job-id': {
      // BullMQ ignores a job whose id is already in the queue: a deterministic jobId dedupes retries.
      // An id the function was handed (`const { jobId } = options`) is its callers' to give or leave out.
      const given = args.map((a) => propertyValue(t, a, 'jobId')).find((v) => v !== undefined);
      if (given && t.isIdentifier(strip(t, given)) && handedIn(t, strip(t, given) as ts.Identifier)) return {};
      const text = args.map((a) => a.getText()).join(' ');
      return /\bjobId\b/.test(text) && !GENERATED_VALUE.test(text) ? { idempotentBecause: 'a deterministic jobId dedupes the job' } : {};
    }
    case 'dedup-id': {
      // Job and event services drop a repeat of the same id: an id taken from the request (or built
      // deterministically from it) makes the call idempotent; a fresh one does not.
      const text = args.map((a) => a.getText()).join(' ');
      const option = /\b(deduplicationId|idempotencyKey|workflowId|id)\s*:\s*([^,}]+)/.exec(text);
      return option && !GENERATED_VALUE.test(option[2]!) ? { idempotentBecause: `a deterministic ${option[1]} dedupes it` } : {};
    }
    case 'upsert-option':
      return hasProperty(t, args[1], 'updateOnDuplicate') || hasProperty(t, args[1], 'ignoreDuplicates')
        ? { idempotentBecause: 'insert ignores or updates duplicates' } : {};
  }
}

/** Values a server makes up: random ids, timestamps, fresh tokens. */
export const GENERATED_VALUE = /randomUUID|uuid\w*\(|\bv4\(|nanoid|cuid|ulid|Date\.now|new Date\(\)|Math\.random|random\w*\(|generate\w*\(|generator\w*\.\w+\(|crypto\.random|randomBytes|gen_random_uuid|\b(create|new|make|gen)\w*Id\s*\(|\b(make|create|new|issue)\w*(Token|Secret|Nonce|Otp)\s*\(|\b(make|gen)\w*Code\s*\(|\bgen\w*Slug\s*\(|\.sign(Async)?\s*\(|\bsign(Jwt|Token|AccessToken|RefreshToken)\s*\(|ObjectId\(|\bsnowflake/i;

export function callArguments(t: TS, node: Call): readonly ts.Expression[] {
  if (t.isTaggedTemplateExpression(node)) return [];
  return node.arguments ?? [];
}

function prismaData(t: TS, arg: ts.Expression | undefined): Refined {
  if (!arg || !t.isObjectLiteralExpression(arg)) return {};
  if (hasTrueProperty(t, arg, 'skipDuplicates')) return { idempotentBecause: 'createMany skips duplicates' };
  const data = propertyValue(t, arg, 'data') ?? propertyValue(t, arg, 'update');
  if (!data) return {};
  if (containsPropertyNamed(t, data, /^(increment|decrement|multiply|divide)$/)) return { kind: 'db-increment' };
  if (containsPropertyNamed(t, data, /^push$/)) return { kind: 'db-append' };
  const columns = recordColumns(t, data);
  const refined = updateValues(t, data);
  return columns.length > 0 ? { ...refined, columns } : refined;
}

/** Nested writes that make a row only when none matches: not a create on a repeat. */
const CONDITIONAL_NESTED_WRITE = /^(connectOrCreate|upsert)$/;

/**
 * A Prisma relation write in an update's data that creates related rows (`posts: { create: … }`,
 * `createMany`), other than the create branch of a nested `connectOrCreate` or `upsert`.
 */
function nestedCreate(t: TS, arg: ts.Expression | undefined): boolean {
  const data = arg && t.isObjectLiteralExpression(strip(t, arg)) ? propertyValue(t, strip(t, arg), 'data') : undefined;
  if (!data) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || t.isFunctionLike(node)) return;
    if (t.isPropertyAssignment(node)) {
      const name = propertyNameText(t, node.name) ?? '';
      if (CONDITIONAL_NESTED_WRITE.test(name)) return;
      // A relation field's object (`channels: { create }`), never the data's own top level; not one that
      // clears the relation first (`items: { deleteMany: {}, create: rows }` replaces the rows).
      const relation = parentOf(node);
      if (/^(create|createMany)$/.test(name) && relation !== strip(t, data) && !(relation && t.isObjectLiteralExpression(relation) && clearsRelation(t, relation))) {
        found = true;
        return;
      }
    }
    t.forEachChild(node, visit);
  };
  visit(data);
  return found;
}

/** `{ deleteMany: {}, … }`, `{ set: [], … }`: a nested write that empties the whole relation before adding to it. */
function clearsRelation(t: TS, relation: ts.ObjectLiteralExpression): boolean {
  return relation.properties.some((p) => {
    const name = p.name ? propertyNameText(t, p.name) : undefined;
    const value = t.isPropertyAssignment(p) ? strip(t, p.initializer) : undefined;
    if (name === 'deleteMany') return value !== undefined && t.isObjectLiteralExpression(value) && value.properties.length === 0;
    return name === 'set' && value !== undefined && t.isArrayLiteralExpression(value) && value.elements.length === 0;
  });
}

/**
 * The columns a Prisma record sets to values the code does not make up: `data: { productId, categoryId }`,
 * or the record each element maps to (`data: ids.map((categoryId) => ({ productId, categoryId }))`).
 */
export function recordColumns(t: TS, data: ts.Expression): string[] {
  const record = mappedRecord(t, data) ?? strip(t, data);
  if (!t.isObjectLiteralExpression(record)) return [];
  const columns: string[] = [];
  for (const prop of record.properties) {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    if (name && value && !t.isObjectLiteralExpression(strip(t, value)) && !GENERATED_VALUE.test(expandedText(t, value)) && !reassignedFresh(t, value)) columns.push(name);
  }
  return columns;
}

/**
 * `upsert({ where: { artifactId }, … })` with `artifactId = param.artifactId ?? genId()`: at a key made
 * up when the request gives none, the upsert creates a new row on every repeat (class 6: the default
 * path decides).
 */
function freshUpsertKey(t: TS, arg: ts.Expression | undefined): Refined {
  const where = arg && t.isObjectLiteralExpression(strip(t, arg)) ? propertyValue(t, strip(t, arg), 'where') : undefined;
  const filter = where ? strip(t, where) : undefined;
  if (!filter || !t.isObjectLiteralExpression(filter)) return {};
  for (const prop of filter.properties) {
    const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    if (value && (GENERATED_VALUE.test(expandedText(t, value)) || reassignedFresh(t, value))) return { kind: 'db-create' };
  }
  return {};
}

/** `items.map((item) => ({ … }))` (also a callback with a block ending in `return { … }`): the object literal each element becomes. */
export function mappedRecord(t: TS, expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const e = strip(t, expr);
  if (!t.isCallExpression(e) || !t.isPropertyAccessExpression(e.expression) || e.expression.name.text !== 'map') return undefined;
  const callback = e.arguments[0] ? strip(t, e.arguments[0]) : undefined;
  if (!callback || !(t.isArrowFunction(callback) || t.isFunctionExpression(callback))) return undefined;
  let returned: ts.Expression | undefined;
  if (!t.isBlock(callback.body)) returned = callback.body;
  else {
    const last = callback.body.statements[callback.body.statements.length - 1];
    returned = last && t.isReturnStatement(last) ? last.expression : undefined;
  }
  const record = returned ? strip(t, returned) : undefined;
  return record && t.isObjectLiteralExpression(record) ? record : undefined;
}

/** `deleteMany({ where: { productId } })`: the columns an equality-only filter names (a later create of them replaces). */
function prismaWhere(t: TS, arg: ts.Expression | undefined): Refined {
  const where = arg && t.isObjectLiteralExpression(strip(t, arg)) ? propertyValue(t, strip(t, arg), 'where') : undefined;
  const filter = where ? strip(t, where) : undefined;
  if (filter && t.isIdentifier(filter) && isParameterName(t, filter)) return { whereFrom: filter };
  const columns = where ? recordColumns(t, where) : [];
  return columns.length > 0 ? { columns } : {};
}

/**
 * Absolute-looking updates that are not: a fresh secret stored on the record (token rotation), or a
 * value computed from the stored one (`balance: account.balance - amount`, a read-modify-write).
 */
export function updateValues(t: TS, data: ts.Expression): Refined {
  for (const [name, value] of recordEntries(t, data)) {
    const text = expandedText(t, value);
    if (/token|secret|otp|nonce|apikey|api_key|code$/i.test(name) && (GENERATED_VALUE.test(text) || reassignedFresh(t, value))) return { kind: 'token-rotation' };
    const v = strip(t, value);
    // `published: !post.published`, `published: !postData?.published`: flipped from the stored value.
    if (t.isPrefixUnaryExpression(v) && v.operator === t.SyntaxKind.ExclamationToken) {
      const operand = strip(t, v.operand);
      if (t.isPropertyAccessExpression(operand) && operand.name.text === name) return { toggles: name };
    }
    // `balance: account.balance - amount`, `quantity: item.quantity += 1`: computed from the stored value
    // (not `version: view.version + 1`, a lock counter).
    if (!VERSION_FIELD.test(name) && t.isBinaryExpression(v) && [t.SyntaxKind.PlusToken, t.SyntaxKind.MinusToken, t.SyntaxKind.PlusEqualsToken, t.SyntaxKind.MinusEqualsToken].includes(v.operatorToken.kind) &&
        [v.left, v.right].some((side) => storedField(t, side) === name)) {
      return { kind: 'db-increment' };
    }
  }
  return {};
}

/** `row.count`, `(row.count || 0)`, `(row.count ?? 0)`: the stored field a computed value starts from. */
function storedField(t: TS, side: ts.Expression): string | undefined {
  let e = strip(t, side);
  if (t.isBinaryExpression(e) && (e.operatorToken.kind === t.SyntaxKind.BarBarToken || e.operatorToken.kind === t.SyntaxKind.QuestionQuestionToken)) e = strip(t, e.left);
  return t.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

/**
 * The fields an update sets: an object literal's, or those of a local record built up before the
 * write (`const data: any = { lastSeen }; if (x) data.views = row.views + 1; …set(data)`).
 */
function recordEntries(t: TS, data: ts.Expression): [string, ts.Expression][] {
  const entries: [string, ts.Expression][] = [];
  const fromLiteral = (object: ts.ObjectLiteralExpression): void => {
    for (const prop of object.properties) {
      const name = prop.name ? propertyNameText(t, prop.name) : undefined;
      const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      if (name && value) entries.push([name, value]);
    }
  };
  const object = strip(t, data);
  if (t.isObjectLiteralExpression(object)) fromLiteral(object);
  if (!t.isIdentifier(object)) return entries;
  const init = initializerOf(t, object);
  if (init && t.isObjectLiteralExpression(strip(t, init))) fromLiteral(strip(t, init) as ts.ObjectLiteralExpression);
  const body = enclosingBody(t, data);
  const visit = (n: ts.Node): void => {
    if (n.pos >= data.pos || (n !== body && t.isFunctionLike(n))) return;
    if (t.isBinaryExpression(n) && n.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(n.left) &&
        t.isIdentifier(n.left.expression) && n.left.expression.text === object.text) {
      entries.push([n.left.name.text, n.right]);
    }
    t.forEachChild(n, visit);
  };
  if (body && body.getText().includes(`${object.text}.`)) visit(body);
  return entries;
}

/**
 * `slug = slugify(`${name}-${randomSeed()}`)` after `let slug = slugify(name)`: a variable the code gives
 * a fresh value before using it here (typically when the first one was taken), so it is not the request's.
 */
export function reassignedFresh(t: TS, value: ts.Expression): boolean {
  const id = strip(t, value);
  // `param.canvasId ||= genCanvasID()` before `{ canvasId: param.canvasId }`.
  if (t.isPropertyAccessExpression(id) && t.isIdentifier(strip(t, id.expression))) return defaultedFresh(t, strip(t, id.expression) as ts.Identifier, id.name.text, value);
  if (!t.isIdentifier(id)) return false;
  // `param.canvasId ||= genCanvasID(); const { canvasId } = param;`.
  const from = destructuredFrom(t, id);
  if (from && defaultedFresh(t, from.object, from.field, from.at)) return true;
  const body = enclosingBody(t, value);
  if (!body || !new RegExp(`(^|[^\\w$])${id.text.replace(/\$/g, '\\$')}\\s*=[^=]`).test(body.getText())) return false;
  let fresh = false;
  const visit = (n: ts.Node): void => {
    if (fresh || n.pos >= value.pos) return;
    if (t.isBinaryExpression(n) && n.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(n.left) && n.left.text === id.text &&
        GENERATED_VALUE.test(expandedText(t, n.right))) fresh = true;
    else t.forEachChild(n, visit);
  };
  visit(body);
  return fresh;
}

/** `const { canvasId } = param` (or `{ id: canvasId }`): the object and field a local name was taken from. */
export function destructuredFrom(t: TS, id: ts.Identifier): { object: ts.Identifier; field: string; at: ts.Node } | undefined {
  for (let scope: ts.Node | undefined = parentOf(id); scope; scope = parentOf(scope)) {
    if (!t.isBlock(scope) && !t.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!t.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!t.isObjectBindingPattern(decl.name) || !decl.initializer || !t.isIdentifier(strip(t, decl.initializer))) continue;
        for (const element of decl.name.elements) {
          if (!t.isIdentifier(element.name) || element.name.text !== id.text || element.dotDotDotToken) continue;
          const field = element.propertyName ? propertyNameText(t, element.propertyName) : element.name.text;
          return field ? { object: strip(t, decl.initializer) as ts.Identifier, field, at: decl } : undefined;
        }
      }
    }
  }
  return undefined;
}

/**
 * `input.id ||= randomUUID()`, `input.id ??= newId()`, `input.id = input.id || cuid()` before `at` in its
 * function: the field holds a fresh value whenever the request leaves it out (class 6: the default
 * path decides, so a unique constraint on it protects nothing).
 */
export function defaultedFresh(t: TS, object: ts.Identifier, field: string, at: ts.Node): boolean {
  const body = enclosingBody(t, at);
  if (!body || !body.getText().includes(`.${field}`)) return false;
  const assignments = [t.SyntaxKind.EqualsToken, t.SyntaxKind.BarBarEqualsToken, t.SyntaxKind.QuestionQuestionEqualsToken];
  let fresh = false;
  const visit = (n: ts.Node): void => {
    if (fresh || n.pos >= at.pos) return;
    if (t.isBinaryExpression(n) && assignments.includes(n.operatorToken.kind) && t.isPropertyAccessExpression(n.left) && n.left.name.text === field &&
        t.isIdentifier(strip(t, n.left.expression)) && (strip(t, n.left.expression) as ts.Identifier).text === object.text && GENERATED_VALUE.test(expandedText(t, n.right))) fresh = true;
    else t.forEachChild(n, visit);
  };
  visit(body);
  return fresh;
}

/** An expression's text with the initializers of the identifiers it uses, two levels deep. */
export function expandedText(t: TS, expr: ts.Expression, depth = 0, levels = 2): string {
  const e = strip(t, expr);
  let text = e.getText();
  if (depth >= levels) return text;
  const ids: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isIdentifier(n)) ids.push(n);
    t.forEachChild(n, visit);
  };
  visit(e);
  for (const id of ids.slice(0, 6)) {
    const init = initializerOf(t, id, true);
    if (init) text += ` ${expandedText(t, init, depth + 1, levels)}`;
  }
  const fresh = t.isPropertyAccessExpression(e) && e.expression.kind === t.SyntaxKind.ThisKeyword ? freshMember(t, e) : undefined;
  if (fresh) text += ` ${fresh}`;
  return text;
}

/**
 * `this.token` in a class whose code only ever sets it to a made-up value (`generateToken() {
 * this.token = randomUUID(); }`, called before `patch({ token: this.token })`): that value's text.
 */
const freshMembers = new WeakMap<ts.Node, Map<string, string | undefined>>();

function freshMember(t: TS, access: ts.PropertyAccessExpression): string | undefined {
  let cls = parentOf(access);
  while (cls && !t.isClassLike(cls)) cls = parentOf(cls);
  if (!cls) return undefined;
  const name = access.name.text;
  let known = freshMembers.get(cls);
  if (!known) freshMembers.set(cls, (known = new Map<string, string | undefined>()));
  if (known.has(name)) return known.get(name);
  known.set(name, undefined); // (a member set from itself)
  const values: string[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isBinaryExpression(n) && n.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(n.left) && n.left.expression.kind === t.SyntaxKind.ThisKeyword && n.left.name.text === name) {
      values.push(expandedText(t, n.right, 1, 2));
    }
    t.forEachChild(n, visit);
  };
  visit(cls);
  const fresh = values.length > 0 && values.every((v) => GENERATED_VALUE.test(v)) ? values.join(' ') : undefined;
  known.set(name, fresh);
  return fresh;
}

function mongoUpdate(t: TS, args: readonly ts.Expression[]): Refined {
  const update = args[1];
  const options = args[2];
  if (update && containsPropertyNamed(t, update, /^\$inc$/) && !onlyVersionBump(t, update)) return { kind: 'db-increment' };
  if (update && containsPropertyNamed(t, update, /^\$(push|pushAll)$/)) return { kind: 'db-append' };
  if (update && addsFreshEntry(t, update)) return { kind: 'db-append' };
  if (hasTrueProperty(t, options, 'upsert')) return { kind: 'db-upsert' };
  const set = update ? propertyValue(t, update, '$set') ?? update : undefined;
  return set ? updateValues(t, set) : {};
}

/**
 * `$set: { [`consultant.${id}`]: … }` with `const id = uuidv4()`, `$addToSet: { skills: { $each:
 * withFreshIds } }`: each call adds an entry under a key, or with an id, made up here — an append.
 */
function addsFreshEntry(t: TS, update: ts.Expression): boolean {
  const doc = strip(t, update);
  if (!t.isObjectLiteralExpression(doc)) return false;
  for (const prop of doc.properties) {
    if (!t.isPropertyAssignment(prop)) continue;
    if (t.isComputedPropertyName(prop.name) && GENERATED_VALUE.test(expandedText(t, prop.name.expression))) return true;
    const name = propertyNameText(t, prop.name);
    if (name === '$set' && addsFreshEntry(t, prop.initializer)) return true;
    if (name === '$addToSet' && GENERATED_VALUE.test(expandedText(t, prop.initializer))) return true;
  }
  return false;
}

/** Whether an expression is, spreads or wraps (through mapper calls) a record loaded by a find/get/load call. */
function carriesLoaded(t: TS, expr: ts.Expression, depth = 0): boolean {
  if (depth > 4) return false;
  const e = strip(t, expr);
  if (t.isIdentifier(e)) {
    const init = initializerOf(t, e);
    const i = init ? strip(t, init) : undefined;
    return i !== undefined && t.isCallExpression(i) && t.isPropertyAccessExpression(i.expression) && /^(find\w*|get\w*|load\w*|preload)$/.test(i.expression.name.text);
  }
  if (t.isCallExpression(e)) return e.arguments.some((a) => carriesLoaded(t, a, depth + 1));
  if (t.isObjectLiteralExpression(e)) return e.properties.some((p) => t.isSpreadAssignment(p) && carriesLoaded(t, p.expression, depth + 1));
  return false;
}

/**
 * `post.comments.unshift(comment); await post.save()`: a loaded record that the code grew before saving
 * it (an element added to one of its arrays, a number added to one of its fields) is grown again by a
 * retry. `addToSet` adds once and is not counted. Only code before the save, in the same function; a
 * variable given a `new` document there saves a create.
 */
function grownBefore(t: TS, record: ts.Expression, save: ts.Node, relationsAreSets = false): Refined {
  if (!t.isIdentifier(record)) return {};
  const body = enclosingBody(t, save);
  if (!body) return {};
  const name = record.text;
  // A member of the record: `post.comments`, `cart.items[0].quantity`.
  const ofRecord = (e: ts.Expression): boolean => {
    if (!t.isPropertyAccessExpression(e) && !t.isElementAccessExpression(e)) return false;
    let root: ts.Expression = e;
    while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = root.expression;
    return t.isIdentifier(root) && root.text === name;
  };
  let grown: WriteKind | undefined;
  const grow = (kind: WriteKind, at: ts.Node): void => {
    if (!onlyWhenAbsent(t, at, body)) grown = kind;
  };
  const visit = (node: ts.Node): void => {
    if (grown || node.pos >= save.pos) return;
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && ofRecord(node.expression.expression)) {
      const method = node.expression.name.text;
      // An ORM entity's relation list holds links: pushing a record read from the store links it again,
      // which the save turns into no new row (`term.labels.push(label)` with `label` loaded).
      const links = relationsAreSets && node.arguments.length > 0 && node.arguments.every((a) => isLoadedRecord(t, a));
      if (!links && (method === 'push' || method === 'unshift' || (method === 'splice' && node.arguments.length > 2))) grow('db-append', node);
    } else if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isIdentifier(node.left) && node.left.text === name && t.isNewExpression(strip(t, node.right))) {
      // `let user = await User.findOne({ email }); if (user) return …; user = new User({ … })`: what is
      // saved is the new document.
      grown = 'db-create';
    } else if (t.isBinaryExpression(node) && node.operatorToken.kind === t.SyntaxKind.EqualsToken && ofRecord(node.left)) {
      // `post.tags = post.tags.concat(tag)`, `post.tags = [...post.tags, tag]`.
      if (appends(t, node.right, node.left.getText())) grow('db-append', node);
    } else {
      const stepped = steppedMember(t, node);
      if (stepped && ofRecord(stepped)) grow('db-increment', node);
    }
    t.forEachChild(node, visit);
  };
  visit(body);
  return grown ? { kind: grown } : {};
}

/** The body of the function around a node, if it has one. */
function enclosingBody(t: TS, node: ts.Node): ts.Node | undefined {
  const fn = enclosingFunction(t, node);
  return fn && 'body' in fn ? fn.body : undefined;
}

/** `post.views++`, `--stock.count`, `cart.total += price`, `a.b -= 1`: the member a counter step changes. */
function steppedMember(t: TS, node: ts.Node): ts.Expression | undefined {
  if (t.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    return op === t.SyntaxKind.PlusEqualsToken || op === t.SyntaxKind.MinusEqualsToken ? node.left : undefined;
  }
  if ((t.isPrefixUnaryExpression(node) || t.isPostfixUnaryExpression(node)) && (node.operator === t.SyntaxKind.PlusPlusToken || node.operator === t.SyntaxKind.MinusMinusToken)) return node.operand;
  return undefined;
}

/** Calls that write by themselves before a unit-of-work flush: the flush after them adds nothing. */
const EXPLICIT_UNIT_WRITE = /^(persist|persistAndFlush|removeAndFlush|insert|insertMany|nativeInsert|nativeUpdate|nativeDelete|upsert|upsertMany)$/;

/**
 * MikroORM's `em.flush()` writes what the function changed on managed entities: a new entity made with
 * `em.create`/`repo.create`, or constructed and added to a collection (`article.comments.add(new
 * Comment(…))`), is inserted; a counter changed with `++`/`+=` is incremented (unless only when an entry
 * was missing); plain assignments (`em.assign(article, dto)`) set absolute values. After
 * `em.persist(x)` or `em.remove(x)` the flush adds nothing of its own: that call is the write.
 */
function unitOfWork(t: TS, flush: Call): Refined {
  const body = enclosingBody(t, flush);
  if (!body) return {};
  const fresh = new Set<string>();
  const seen = { made: false, added: false, increment: false, explicit: false };
  const isFresh = (e: ts.Expression): boolean => {
    const s = strip(t, e);
    return (t.isNewExpression(s) && t.isIdentifier(s.expression) && /^[A-Z]/.test(s.expression.text)) || (t.isIdentifier(s) && fresh.has(s.text));
  };
  const visit = (node: ts.Node): void => {
    if (node.pos >= flush.end) return;
    if (t.isVariableDeclaration(node) && t.isIdentifier(node.name) && node.initializer && isFresh(node.initializer)) fresh.add(node.name.text);
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.end <= flush.end) {
      const method = node.expression.name.text;
      // `em.remove(comment).flush()`: the remove is the write (a collection's `remove` is not).
      const chained = t.isPropertyAccessExpression(node.parent) && node.parent.parent === flush;
      if (EXPLICIT_UNIT_WRITE.test(method) || (method === 'remove' && chained)) seen.explicit = true;
      // `em.create(Entity, data)`, `this.boards.create({ … })`: an entity the next flush inserts.
      else if (method === 'create' && node.arguments.length > 0) seen.made = true;
      else if (method === 'add' && node.arguments.some(isFresh)) seen.added = true;
    } else {
      const stepped = steppedMember(t, node);
      if (stepped && t.isPropertyAccessExpression(stepped) && !onlyWhenAbsent(t, node, body)) seen.increment = true;
    }
    t.forEachChild(node, visit);
  };
  visit(body);
  // An entity made and then persisted explicitly is that call's write (with its unique checks).
  if (seen.added || (seen.made && !seen.explicit)) return { kind: 'db-create' };
  if (seen.increment) return { kind: 'db-increment' };
  return seen.explicit ? { notWrite: true } : {};
}

/**
 * A change made only in a branch that runs when an entry is missing from a list and that adds it there
 * (`if (!user.methods.includes('email')) user.methods.push('email')`; `const isNew =
 * user.favorites.findIndex(…) < 0; if (isNew) { user.favorites.push(a); a.count++ }`): the retry finds
 * the entry and skips the branch.
 */
function onlyWhenAbsent(t: TS, node: ts.Node, body: ts.Node): boolean {
  for (let at: ts.Node = node, parent = parentOf(node); parent && at !== body; at = parent, parent = parentOf(parent)) {
    if (!t.isIfStatement(parent) || parent.expression === at) continue;
    const list = absentFrom(t, parent.expression, parent.thenStatement === at);
    if (list && addsTo(t, at, list)) return true;
  }
  return false;
}

/** The list (as written) that a condition finds without the entry, when the branch taken is `then` (or `else`). */
function absentFrom(t: TS, condition: ts.Expression, then: boolean, depth = 0): string | undefined {
  let e = strip(t, condition);
  let taken = then;
  if (t.isPrefixUnaryExpression(e) && e.operator === t.SyntaxKind.ExclamationToken) {
    e = strip(t, e.operand);
    taken = !taken;
  }
  // `const isNew = list.findIndex(…) < 0; if (isNew)`.
  if (t.isIdentifier(e) && depth === 0) {
    const init = initializerOf(t, e);
    return init ? absentFrom(t, init, taken, 1) : undefined;
  }
  const test = membership(t, e);
  return test && test.found !== taken ? test.list.getText() : undefined;
}

/**
 * A test for an entry of a list: `list.includes(x)`, `.some(…)`, `.find(…)`, `.has(x)`, `list.indexOf(x)
 * !== -1` (true when the entry is there), or `list.findIndex(…) < 0`, `=== -1`, a negation (true when it
 * is missing). Shared by the guards (a check that refuses or skips a repeat) and the growth check here.
 */
export function membership(t: TS, condition: ts.Expression): { list: ts.Expression; call: ts.CallExpression; found: boolean } | undefined {
  let e = strip(t, condition);
  let found = true;
  if (t.isPrefixUnaryExpression(e) && e.operator === t.SyntaxKind.ExclamationToken) {
    e = strip(t, e.operand);
    found = false;
  }
  if (t.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const right = e.right.getText().replace(/\s/g, '');
    const there = ((op === t.SyntaxKind.ExclamationEqualsEqualsToken || op === t.SyntaxKind.ExclamationEqualsToken || op === t.SyntaxKind.GreaterThanToken) && right === '-1') || (op === t.SyntaxKind.GreaterThanEqualsToken && right === '0');
    const missing = ((op === t.SyntaxKind.EqualsEqualsEqualsToken || op === t.SyntaxKind.EqualsEqualsToken) && right === '-1') || (op === t.SyntaxKind.LessThanToken && right === '0');
    const left = strip(t, e.left);
    if ((!there && !missing) || !t.isCallExpression(left) || !t.isPropertyAccessExpression(left.expression) || !/^(indexOf|findIndex)$/.test(left.expression.name.text)) return undefined;
    return { list: left.expression.expression, call: left, found: found === there };
  }
  if (!t.isCallExpression(e) || !t.isPropertyAccessExpression(e.expression) || !/^(some|includes|find|has|contains)$/.test(e.expression.name.text)) return undefined;
  return { list: e.expression.expression, call: e, found };
}

/** Whether a branch adds to the list written `list` (`list.push(…)`, `list.unshift(…)`, `list.add(…)`). */
function addsTo(t: TS, branch: ts.Node, list: string): boolean {
  let adds = false;
  const visit = (node: ts.Node): void => {
    if (adds) return;
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && /^(push|unshift|add)$/.test(node.expression.name.text) && node.expression.expression.getText() === list) adds = true;
    else t.forEachChild(node, visit);
  };
  visit(branch);
  return adds;
}

/** `x.concat(y)` or `[...x, y]` for the member `target` (as written). */
function appends(t: TS, value: ts.Expression, target: string): boolean {
  const e = strip(t, value);
  if (t.isCallExpression(e) && t.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'concat') return e.expression.expression.getText() === target;
  return t.isArrayLiteralExpression(e) && e.elements.length > 1 && e.elements.some((el) => t.isSpreadElement(el) && el.expression.getText() === target);
}

/** `null`, `undefined`, `void 0`: no value at all (a column given one is not filled). */
export function isBlank(t: TS, expr: ts.Expression): boolean {
  const e = strip(t, expr);
  return e.kind === t.SyntaxKind.NullKeyword || (t.isIdentifier(e) && e.text === 'undefined') || (t.isVoidExpression(e) && t.isNumericLiteral(e.expression));
}

/** The primary key a record literal or a lookup can name (the conventional `id`, MongoDB's `_id`). */
export const PRIMARY_KEY = /^(id|_id)$/;

/** `repo.save(repo.create({...}))` / `save({...})` / `save(new Order())` creates; `save(loaded)` updates. */
function saveArgument(t: TS, args: readonly ts.Expression[], node: Call): Refined {
  const arg = savedArgument(t, args);
  if (!arg) return savedReceiver(t, node);
  let stripped = strip(t, arg);
  if (t.isCallExpression(stripped) && stripped.expression.getText() === 'Object.assign' && stripped.arguments[0]) stripped = strip(t, stripped.arguments[0]);
  // `save({ ...user, lastLoginAt: new Date() })` with `user` read first: the copy keeps the row's primary
  // key, so the save updates that row with the fields the literal spells out.
  if (t.isObjectLiteralExpression(stripped) && carriesLoaded(t, stripped)) {
    const values = updateValues(t, stripped);
    return values.kind || values.toggles ? values : { kind: 'db-update' };
  }
  if (t.isObjectLiteralExpression(stripped) || (t.isCallExpression(stripped) && mappedRecord(t, stripped))) {
    // `save({ id: audience.id, customers })`, `save(rows.map((r) => ({ id: r.id, … })))`: with the primary
    // key given, TypeORM updates the row that has it (and inserts it only when it is missing), so a
    // repeat writes the same row again; judged by the values it sets.
    const record = mappedRecord(t, stripped) ?? stripped;
    const key = t.isObjectLiteralExpression(record) ? recordEntries(t, record).find(([name]) => PRIMARY_KEY.test(name))?.[1] : undefined;
    if (key && !isBlank(t, key) && !GENERATED_VALUE.test(expandedText(t, key)) && !reassignedFresh(t, key)) {
      const values = updateValues(t, record);
      return values.kind || values.toggles ? values : { kind: 'db-upsert' };
    }
    // The columns of the new rows: a delete of exactly those before the save makes the pair a replacement.
    const columns = recordColumns(t, stripped);
    return columns.length > 0 ? { columns } : {};
  }
  if (t.isNewExpression(stripped) || t.isArrayLiteralExpression(stripped)) return {};
  if (t.isCallExpression(stripped)) {
    const callee = stripped.expression;
    if (t.isPropertyAccessExpression(callee) && /^(create|merge)$/.test(callee.name.text)) {
      // `save(repo.create({ ...toDomain(loaded), ...payload }))`, `save(repo.merge(loaded, dto))`:
      // the record was read first, so this saves an update of it.
      return stripped.arguments.some((a) => carriesLoaded(t, a)) ? { kind: 'db-update' } : {};
    }
  }
  if (t.isIdentifier(stripped)) {
    const init = initializerOf(t, stripped);
    if (init === undefined) return {};
    let initStripped = strip(t, init);
    // `save(Object.assign(loaded, dto))` / `const updated = Object.assign(loaded, dto)`.
    if (t.isCallExpression(initStripped) && initStripped.expression.getText() === 'Object.assign' && initStripped.arguments[0] && t.isIdentifier(initStripped.arguments[0])) {
      const root = initializerOf(t, initStripped.arguments[0]);
      if (root) initStripped = strip(t, root);
    }
    if (isLoadCall(t, initStripped)) {
      const grown = grownBefore(t, stripped, node, true);
      if (grown.kind) return grown;
      // `client.secret = await generateSecret(); save(client)`: judged by the fields set before the save.
      const values = updateValues(t, stripped);
      return values.kind || values.toggles ? values : { kind: 'db-update' };
    }
  }
  return {};
}

/**
 * `repo.delete({ segment: id })`, `manager.delete(Entity, { … })`: the columns an equality criteria object
 * names, so that a save of rows with those columns after it reads as replacing them. Removes of
 * entities and soft deletes name no columns (a soft-deleted row is still there).
 */
function criteriaDelete(t: TS, args: readonly ts.Expression[], node: Call): Refined {
  if (!t.isCallExpression(node) || !t.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'delete') return {};
  const criteria = savedArgument(t, args);
  const columns = criteria && t.isObjectLiteralExpression(strip(t, criteria)) ? recordColumns(t, criteria) : [];
  return columns.length > 0 ? { columns } : {};
}

/**
 * `user.save()` of a Sequelize instance or a TypeORM active record: one read first (`findByPk`), or handed
 * in and given new field values before the save (`challenge.solved = true; challenge.save()`), is an
 * update of that row, judged by what it sets; a built or new one (the default) is a create.
 */
function savedReceiver(t: TS, node: Call): Refined {
  if (!t.isCallExpression(node) || !t.isPropertyAccessExpression(node.expression)) return {};
  const receiver = strip(t, node.expression.expression);
  if (!t.isIdentifier(receiver)) return {};
  const loaded = isLoadedRecord(t, receiver);
  if (!loaded && !(isParameterName(t, receiver) && recordEntries(t, receiver).length > 0)) return {};
  const grown = grownBefore(t, receiver, node, true);
  if (grown.kind) return grown;
  const values = updateValues(t, receiver);
  return values.kind || values.toggles ? values : { kind: 'db-update' };
}

/** The entity a save writes: `save(entity, options)`, or `save(Entity, entity)` after an entity class. */
export function savedArgument(t: TS, args: readonly ts.Expression[]): ts.Expression | undefined {
  const first = args[0] ? strip(t, args[0]) : undefined;
  const classFirst = first !== undefined && args.length > 1 && (t.isIdentifier(first) && /^[A-Z]/.test(first.text) || t.isStringLiteralLike(first));
  return classFirst ? args[1] : args[0];
}

const LOADS = /^(find\w*|get\w*|load\w*|preload|merge)$/;

function isLoadCall(t: TS, e: ts.Expression): boolean {
  return t.isCallExpression(e) && t.isPropertyAccessExpression(e.expression) && LOADS.test(e.expression.name.text);
}

/** `user` with `const user = await repo.findOneBy({ … })`: a record read from the store. */
export function isLoadedRecord(t: TS, expr: ts.Expression): boolean {
  const e = strip(t, expr);
  const init = t.isIdentifier(e) ? initializerOf(t, e) : undefined;
  return init !== undefined && isLoadCall(t, strip(t, init));
}

/** Walks outwards along a builder chain: `.insert(x).onConflictDoNothing()`, `.orIgnore()`, `.onConflict().merge()`. */
function conflictChain(t: TS, node: Call): Refined {
  let current: ts.Node = node;
  for (let i = 0; i < 8; i++) {
    const parent: ts.Node = current.parent;
    if (t.isPropertyAccessExpression(parent) && parent.expression === current) {
      const name = parent.name.text;
      if (/^(onConflictDoNothing|onConflictDoUpdate|onConflict|orIgnore|orUpdate|onDuplicateKeyUpdate|ignore|merge|upsert)$/.test(name)) {
        return { idempotentBecause: `insert with .${name}()`, kind: 'db-upsert' };
      }
      current = parent.parent;
      if (!t.isCallExpression(current)) break;
      continue;
    }
    break;
  }
  return {};
}

/**
 * `knex('codes').where({ email }).del()`, `db.delete().from('codes').where({ email })`: the table and the
 * columns an equality `where({...})` names, from the whole call chain (a later insert of those columns
 * replaces the row).
 */
function knexWhere(t: TS, node: Call): Refined {
  if (!t.isCallExpression(node)) return {};
  const calls: ts.CallExpression[] = [];
  // Down the receivers (`knex('t').where(…)` before `.del()`), then up the calls chained after it.
  for (let e: ts.Expression = node.expression; t.isPropertyAccessExpression(e) || t.isCallExpression(e); e = e.expression) {
    if (t.isCallExpression(e)) calls.push(e);
  }
  for (let current: ts.Node = node; t.isPropertyAccessExpression(current.parent) && t.isCallExpression(current.parent.parent); current = current.parent.parent) calls.push(current.parent.parent);
  let table: string | undefined;
  let columns: string[] = [];
  for (const call of calls) {
    const name = t.isPropertyAccessExpression(call.expression) ? call.expression.name.text : t.isIdentifier(call.expression) ? 'knex' : '';
    const first = call.arguments[0] ? strip(t, call.arguments[0]) : undefined;
    if (/^(knex|from|table|into)$/.test(name) && first && t.isStringLiteralLike(first)) table = first.text;
    else if (name === 'where' && first && t.isObjectLiteralExpression(first)) columns = recordColumns(t, first);
    // `.where('app_key', key)`, `.where('app_key', '=', key)`, `.andWhere(…)`: one more column of the key.
    else if (/^(where|andWhere)$/.test(name) && first && t.isStringLiteralLike(first) && call.arguments.length >= 2) columns = [...columns, first.text.split('.').pop()!];
  }
  return { ...(table ? { table } : {}), ...(columns.length > 0 ? { columns } : {}) };
}

function setIncrement(t: TS, node: Call): Refined {
  // `db.update(t).set({ n: sql`${t.n} + 1` })`: look at the `.set(...)` call that follows.
  const parent = node.parent;
  if (t.isPropertyAccessExpression(parent) && parent.name.text === 'set' && t.isCallExpression(parent.parent)) {
    const text = parent.parent.arguments.map((a) => a.getText()).join(' ');
    if (/\}\s*[+-]\s*\d|[+-]\s*\$\{/.test(text) || /\b(increment|decrement)\b/.test(text)) return { kind: 'db-increment' };
    // `.set({ views: row.views + 1 })`, `.set({ apiKey: randomUUID() })`: judged like any update's values.
    const values = parent.parent.arguments[0];
    if (values) return updateValues(t, values);
  }
  return {};
}

/** Finds `method: 'POST'` (or a verb given as a property) in an options object; no method means GET. */
function httpMethod(t: TS, options: ts.Expression | undefined, url: ts.Expression | undefined): Refined {
  const method = options && t.isObjectLiteralExpression(options) ? propertyValue(t, options, 'method') : undefined;
  if (!method) return { notWrite: true };
  const text = t.isStringLiteralLike(method) ? method.text.toUpperCase() : undefined;
  // A method passed in (`request(method, url)` helpers serve GETs too): unknown, so not counted.
  if (text === undefined) return { notWrite: true };
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(text)) return { notWrite: true };
  // PUT and DELETE are idempotent by definition (RFC 9110 §9.2.2): the other system ends up the same.
  // Not when the URL is made fresh per call (`/${Date.now()}-${name}`): each call PUTs a new resource.
  if ((text === 'PUT' || text === 'DELETE') && !(url && GENERATED_VALUE.test(expandedText(t, url)))) return { idempotentBecause: `HTTP ${text} is idempotent by definition` };
  // An OAuth token request (`grant_type=…` in the body) exchanges credentials; it stores nothing.
  const body = options && t.isObjectLiteralExpression(options) ? propertyValue(t, options, 'body') : undefined;
  if (body && /grant_type/.test(expressionText(t, body))) return { notWrite: true };
  return webhook(t, url);
}

/** The text of an expression, or of the initializer of the local it names (`const url = `…``). */
function expressionText(t: TS, expr: ts.Expression): string {
  const e = strip(t, expr);
  if (t.isIdentifier(e)) {
    const init = initializerOf(t, e);
    if (init) return init.getText();
  }
  return e.getText();
}

/**
 * Endpoints that take a POST body but change nothing: model inference (`/chat/completions`,
 * `/embeddings`, Anthropic `/v1/messages`), search and query APIs, token introspection, checks that only
 * answer yes or no (a captcha's `/siteverify`, a licence server's `/validate-key`, a `/verify` path; not a
 * `verify.` host name).
 */
const READ_LIKE_POST = /(?<!\/)\/(siteverify|validate[\w-]*|verify[\w-]*)(?=[/?'"`]|$)|\/oauth2?\/(v\d+\/)?token\b|\/oauth\/access_token\b|\/(chat\/)?completions\b|\/embeddings\b|\/moderations\b|\/v1\/messages\b|\/generateContent\b|\/search\b|\/query\b|\/_search\b|\/introspect\b|\/tokeninfo\b|\/graphql\b.*query/i;

function webhook(t: TS, url: ts.Expression | undefined): Refined {
  if (!url) return {};
  const text = expressionText(t, url);
  if (READ_LIKE_POST.test(text)) return { notWrite: true };
  // `new URL('token', 'https://oauth2.googleapis.com')`: an OAuth token endpoint, however it is built.
  if (/oauth/i.test(text) && /\btoken\b|access_token/i.test(text)) return { notWrite: true };
  return /webhook|hooks?\./i.test(text) ? { kind: 'webhook' } : {};
}

/**
 * `new PutObjectCommand({ Bucket, Key: \`avatars/${userId}\` })`: a put at a key fixed by the request
 * overwrites the same object on a retry; a key made fresh per call (`${Date.now()}-…`, a UUID) stores
 * another object every time.
 */
/** Functions that turn a storage command into a signed URL the client uploads to later. */
const PRESIGN = /^(getSignedUrl|createPresignedPost|createPresignedUrl|presign\w*)$/;

/**
 * A storage command that is only ever signed, never sent: given straight to a presigner, or kept in a
 * variable whose every use is an argument of one.
 */
function onlyPresigned(t: TS, node: ts.Node): boolean {
  const presigns = (use: ts.Node): boolean => {
    const call = parentOf(use);
    if (!call || !t.isCallExpression(call) || !call.arguments.includes(use as ts.Expression)) return false;
    const callee = call.expression;
    const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
    return PRESIGN.test(name);
  };
  if (presigns(node)) return true;
  const decl = parentOf(node);
  if (!decl || !t.isVariableDeclaration(decl) || decl.initializer !== node || !t.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  let scope = parentOf(decl);
  while (scope && !t.isBlock(scope) && !t.isSourceFile(scope)) scope = parentOf(scope);
  if (!scope) return false;
  let uses = 0;
  let signed = 0;
  const visit = (n: ts.Node): void => {
    if (t.isIdentifier(n) && n.text === name && n !== decl.name) {
      uses++;
      if (presigns(n)) signed++;
    }
    t.forEachChild(n, visit);
  };
  visit(scope);
  return uses > 0 && uses === signed;
}

function objectKey(t: TS, args: readonly ts.Expression[]): Refined {
  let key: ts.Expression | undefined;
  const find = (node: ts.Node): void => {
    if (key) return;
    if (t.isPropertyAssignment(node) && /^(Key|key)$/.test(propertyNameText(t, node.name) ?? '')) key = node.initializer;
    else if (t.isShorthandPropertyAssignment(node) && /^(Key|key)$/.test(node.name.text)) key = node.name;
    else if (t.isObjectLiteralExpression(node) || t.isPropertyAssignment(node)) t.forEachChild(node, find);
  };
  for (const arg of args) find(strip(t, arg));
  return key ? putAtKey(t, key) : {};
}

function putAtKey(t: TS, key: ts.Expression): Refined {
  return GENERATED_VALUE.test(expandedText(t, key)) ? {} : { idempotentBecause: 'a put at a key fixed by the request overwrites the same object' };
}

/**
 * multer's `upload.single('f')` (and `.array`, `.fields`, `.any`) stores each upload where the
 * instance's storage says: `dest` or `diskStorage` write a file per request (usually under a fresh
 * name), other engines (S3, GCS) write to a bucket, `memoryStorage` and `multer()` keep it in memory.
 */
function multerStorage(t: TS, node: Call): Refined {
  // `upload.single('f')(req, res, next)`: the outer call is the one counted.
  if (t.isCallExpression(node.parent) && node.parent.expression === node) return { notWrite: true };
  let call: ts.Expression | undefined = t.isCallExpression(node) ? node : undefined;
  // `const uploadImage = upload.single('image')` then `uploadImage(req, res, cb)` in the handler.
  if (call && t.isCallExpression(call) && t.isIdentifier(call.expression)) call = initializerOf(t, call.expression);
  // `upload.single('file')(req, res, next)`: the middleware made and called at once.
  else if (call && t.isCallExpression(call) && t.isCallExpression(call.expression)) call = call.expression;
  if (!call || !t.isCallExpression(call) || !t.isPropertyAccessExpression(call.expression)) return { notWrite: true };
  let instance: ts.Expression | undefined = strip(t, call.expression.expression);
  if (t.isIdentifier(instance)) instance = initializerOf(t, instance);
  if (!instance || !t.isCallExpression(instance)) return {};
  const options = instance.arguments[0];
  if (!options) return { notWrite: true };
  if (!t.isObjectLiteralExpression(options)) return {};
  if (propertyValue(t, options, 'dest')) return {};
  const storage = propertyValue(t, options, 'storage');
  if (!storage) return { notWrite: true };
  const text = expressionText(t, storage);
  if (/memoryStorage/.test(text)) return { notWrite: true };
  if (/diskStorage/.test(text)) return {};
  return { kind: 'storage-write' };
}

function prepareSql(t: TS, node: Call): Refined {
  // `db.prepare('INSERT …').run(x)`: the SQL is the argument of the inner `prepare` call, also through a
  // variable (`const stmt = this.db.prepare(sql); stmt.run(...params)`).
  if (!t.isCallExpression(node)) return { notWrite: true };
  const callee = node.expression;
  if (!t.isPropertyAccessExpression(callee)) return { notWrite: true };
  const receiver = strip(t, callee.expression);
  const prepared = t.isIdentifier(receiver) ? initializerOf(t, receiver) : receiver;
  const prepare = prepared ? strip(t, prepared) : undefined;
  if (!prepare || !t.isCallExpression(prepare)) return { notWrite: true };
  return sqlOf(t, prepare.arguments[0]);
}

/**
 * The SQL a call runs, classified; when the text is a parameter of the enclosing function, the callers
 * decide (see `sqlFrom`). Text that cannot be seen at all is not counted: precision first.
 */
export function sqlOf(t: TS, arg: ts.Expression | undefined): Refined {
  const text = sqlText(t, arg);
  if (text !== undefined) return classifySql(text);
  const e = arg ? strip(t, arg) : undefined;
  if (e && t.isIdentifier(e) && isParameterName(t, e)) return { sqlFrom: e };
  return { notWrite: true };
}

/** The first parameter of the enclosing function that an expression uses (`path.join(dir, name)` → `name`). */
function parameterIn(t: TS, expr: ts.Expression): ts.Identifier | undefined {
  let found: ts.Identifier | undefined;
  const visit = (node: ts.Node): void => {
    if (found || t.isFunctionLike(node)) return;
    if (t.isIdentifier(node) && !(t.isPropertyAccessExpression(node.parent) && node.parent.name === node) && isParameterName(t, node)) found = node;
    else t.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** A name that is a parameter of the nearest enclosing function (and not declared again inside it). */
export function isParameterName(t: TS, id: ts.Identifier): boolean {
  if (initializerOf(t, id) !== undefined) return false;
  for (let node: ts.Node | undefined = parentOf(id); node; node = parentOf(node)) {
    if (t.isFunctionLike(node)) return node.parameters.some((p) => t.isIdentifier(p.name) && p.name.text === id.text);
  }
  return false;
}

/** Classifies SQL text by its verb. Unknown text is not counted as a write: precision first. */
export function classifySql(sql: string | undefined): Refined {
  if (sql === undefined) return { notWrite: true };
  const text = sql.replace(/--.*$/gm, ' ').replace(/\s+/g, ' ').trim();
  const verb = /^\(?\s*(with\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[2]?.toLowerCase();
  const table = /\b(?:insert\s+(?:ignore\s+|or\s+\w+\s+)?into|replace\s+into|update|delete\s+from|merge\s+into)\s+["`]?([\w.]+)/i.exec(text)?.[1];
  const withTable = (r: Refined): Refined => (table ? { ...r, table: table.split('.').pop()!.toLowerCase() } : r);
  switch (verb) {
    case 'replace':
      // MySQL/SQLite `REPLACE INTO`: the row at its key is replaced.
      return withTable({ kind: 'db-upsert', idempotentBecause: 'REPLACE INTO replaces the row at its key' });
    case 'insert':
      if (/^insert\s+or\s+(ignore|replace)\b/i.test(text)) return withTable({ kind: 'db-upsert', idempotentBecause: 'INSERT OR IGNORE/REPLACE (SQLite) keeps one row per key' });
      if (/\bon\s+conflict\b|\bon\s+duplicate\s+key\b|^insert\s+ignore\b/i.test(text)) return withTable({ kind: 'db-upsert', idempotentBecause: 'INSERT … ON CONFLICT' });
      return withTable({ kind: 'db-create', columns: insertColumns(text) });
    case 'merge':
    case 'upsert':
      return withTable({ kind: 'db-upsert', idempotentBecause: 'MERGE/upsert statement' });
    case 'update':
      if (/\bset\b[\s\S]*?(\w+)\s*=\s*\1\s*[+-]/i.test(text) || /array_append|\|\|\s*array/i.test(text)) return withTable({ kind: 'db-increment' });
      return withTable({ kind: 'db-update' });
    case 'delete': {
      // The columns an equality-only WHERE names: a later INSERT of those columns replaces the row.
      const where = /\bwhere\b([\s\S]*)$/i.exec(text)?.[1];
      const parts = where?.split(/\band\b/i).map((p) => /^\s*["`]?(\w+)["`]?\s*=\s*[^=<>]+$/.exec(p)?.[1]?.toLowerCase());
      const keys = parts && parts.every((p): p is string => p !== undefined) ? parts : undefined;
      return withTable(keys ? { kind: 'db-delete', columns: keys } : { kind: 'db-delete' });
    }
    case 'truncate':
      return withTable({ kind: 'db-delete' });
    default:
      return { notWrite: true };
  }
}

function insertColumns(text: string): string[] {
  const list = /insert\s+into\s+[\w."`]+\s*\(([^)]*)\)/i.exec(text)?.[1];
  return list ? list.split(',').map((c) => c.trim().replace(/["`]/g, '').toLowerCase()) : [];
}

export function sqlText(t: TS, arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  const value = strip(t, arg);
  if (t.isStringLiteralLike(value)) return value.text;
  if (t.isTemplateExpression(value)) return templateText(t, value);
  if (t.isTaggedTemplateExpression(value)) return templateText(t, value.template);
  if (t.isObjectLiteralExpression(value)) {
    const text = propertyValue(t, value, 'text') ?? propertyValue(t, value, 'sql');
    return text ? sqlText(t, text) : undefined;
  }
  if (t.isIdentifier(value)) {
    const init = initializerOf(t, value);
    return init ? sqlText(t, init) : undefined;
  }
  if (t.isBinaryExpression(value) && value.operatorToken.kind === t.SyntaxKind.PlusToken) return sqlText(t, value.left);
  // `this.dbProvider.batchInsertSql(table, rows)`: SQL made by a builder whose name says the statement.
  if (t.isCallExpression(value)) {
    const callee = value.expression;
    const name = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
    const verb = SQL_BUILDER.exec(name)?.[1]?.toLowerCase();
    const first = value.arguments[0] ? strip(t, value.arguments[0]) : undefined;
    const table = first && t.isStringLiteralLike(first) && /^\w+$/.test(first.text) ? first.text : 'x';
    if (verb === 'upsert') return `INSERT INTO ${table} ON CONFLICT`;
    if (verb) return `${verb === 'insert' ? 'INSERT INTO' : verb === 'update' ? 'UPDATE' : 'DELETE FROM'} ${table}`;
  }
  return undefined;
}

/** Functions named for the SQL statement they return (`batchInsertSql`, `buildUpdateQuery`, `deleteStatement`). */
const SQL_BUILDER = /^(?:batch|bulk|build|make|get)?(insert|update|delete|upsert)\w*(?:Sql|Query|Statement)$/i;

function templateText(t: TS, template: ts.TemplateLiteral): string {
  if (t.isNoSubstitutionTemplateLiteral(template)) return template.text;
  return template.head.text + template.templateSpans.map((s) => ` $x ${s.literal.text}`).join('');
}

/** The initializer of a `const` the identifier refers to, in the same function or file. */
export function initializerOf(t: TS, id: ts.Identifier, destructured = false): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = parentOf(id); scope; scope = parentOf(scope)) {
    if (!t.isBlock(scope) && !t.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!t.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (t.isIdentifier(decl.name) && decl.name.text === id.text) return decl.initializer;
        // `const { pk, sk } = given ? given : await generateKeySet()`: the whole right-hand side.
        if (destructured && !t.isIdentifier(decl.name) && bindsName(t, decl.name, id.text)) return decl.initializer;
      }
    }
  }
  return undefined;
}

/**
 * Whether a name holds what the enclosing function was called with: one of its parameters (or a part
 * of one), or a part of a parameter taken apart in the body (`const { jobId } = options`).
 */
function handedIn(t: TS, id: ts.Identifier): boolean {
  let fn: ts.Node | undefined = parentOf(id);
  while (fn && !t.isFunctionLike(fn)) fn = parentOf(fn);
  if (!fn || !t.isFunctionLike(fn)) return false;
  const parameters = fn.parameters;
  const isParameter = (name: string): boolean => parameters.some((p) => bindsName(t, p.name, name));
  if (isParameter(id.text)) return true;
  const init = initializerOf(t, id, true);
  const source = init ? strip(t, init) : undefined;
  return source !== undefined && t.isIdentifier(source) && source !== id && isParameter(source.text);
}

function bindsName(t: TS, pattern: ts.BindingName, name: string): boolean {
  if (t.isIdentifier(pattern)) return pattern.text === name;
  return pattern.elements.some((el) => !t.isOmittedExpression(el) && bindsName(t, el.name, name));
}

export function strip(t: TS, expr: ts.Expression): ts.Expression {
  let e = expr;
  while (t.isAwaitExpression(e) || t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isNonNullExpression(e) || t.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

export function propertyValue(t: TS, obj: ts.Expression, key: string): ts.Expression | undefined {
  const o = strip(t, obj);
  if (!t.isObjectLiteralExpression(o)) return undefined;
  for (const prop of o.properties) {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    if (name !== key) continue;
    if (t.isPropertyAssignment(prop)) return prop.initializer;
    if (t.isShorthandPropertyAssignment(prop)) return prop.name;
  }
  return undefined;
}

function hasProperty(t: TS, obj: ts.Expression | undefined, key: string): boolean {
  return obj !== undefined && propertyValue(t, obj, key) !== undefined;
}

function hasTrueProperty(t: TS, obj: ts.Expression | undefined, key: string): boolean {
  const value = obj ? propertyValue(t, obj, key) : undefined;
  return value !== undefined && value.kind === t.SyntaxKind.TrueKeyword;
}

/** Optimistic-locking counters: bumping one on a retry changes no business value. */
export const VERSION_FIELD = /^(_*version|_*rev|revision|lockVersion|__v|etag|updateCount)$/i;

/** `{ $inc: { __v: 1 } }`: the only counter stepped is the document's version. */
function onlyVersionBump(t: TS, update: ts.Expression): boolean {
  const inc = propertyValue(t, update, '$inc');
  const object = inc ? strip(t, inc) : undefined;
  return !!object && t.isObjectLiteralExpression(object) && object.properties.every((p) => p.name !== undefined && VERSION_FIELD.test(propertyNameText(t, p.name) ?? ''));
}

function containsPropertyNamed(t: TS, root: ts.Node, pattern: RegExp): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // `version: { increment: 1 }` is a lock counter, not the write's effect.
    if (t.isPropertyAssignment(node) && VERSION_FIELD.test(propertyNameText(t, node.name) ?? '')) return;
    if ((t.isPropertyAssignment(node) || t.isShorthandPropertyAssignment(node)) && pattern.test(propertyNameText(t, node.name) ?? '')) {
      found = true;
      return;
    }
    t.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function containsCall(t: TS, args: readonly ts.Expression[], name: RegExp): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (t.isCallExpression(node)) {
      const callee = node.expression;
      const last = t.isPropertyAccessExpression(callee) ? callee.name.text : t.isIdentifier(callee) ? callee.text : '';
      if (name.test(last)) found = true;
    }
    t.forEachChild(node, visit);
  };
  args.forEach(visit);
  return found;
}

function objectText(t: TS, arg: ts.Expression | undefined): string {
  if (!arg) return '';
  const value = strip(t, arg);
  if (t.isIdentifier(value)) return initializerOf(t, value)?.getText() ?? '';
  return value.getText();
}
