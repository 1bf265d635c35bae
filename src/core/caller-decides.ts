// Writes whose meaning a caller decides: the helper that makes the call cannot tell, the call site can.
//   SQL given as a parameter       `mutate(sql, params)` → the caller's text says insert or select
//   a file path given by a caller  `move(from, to)` → a fresh `to` undoes "same path, same file"
//   a secret stored by an update   `updateByEmail(email, data)` → a caller's signed token is a rotation
//   a record inserted whole        `saveRows(rows)` → the caller's literal says which keys it fills
//   a record saved whole           `saveUser(user)` → a user the caller loaded is updated, not created
//   a delete's filter              `remove(clause)` → the caller's filter names the rows it clears
// Each is settled one call level up at a time, with what that caller passes.
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { FunctionLike } from './values.js';
import type { FoundWrite } from './effects.js';
import { IDEMPOTENT_KINDS, withCallerSql, type WriteMatch } from './writes.js';
import { GENERATED_VALUE, defaultedFresh, destructuredFrom, expandedText, isLoadedRecord, propertyValue, reassignedFresh, recordColumns, sqlOf, strip } from './refine.js';
import { followTrails, passedFor } from './token-trail.js';

/**
 * Settles `copy` (a caller's copy of a write found in `callee`) with what `call` passes. False when
 * the caller's text says the call writes nothing (a SELECT through the SQL wrapper).
 */
export function settleAtCallSite(t: TS, resolver: Resolver, copy: FoundWrite, callee: FunctionLike, call: ts.CallExpression): boolean {
  const pending = copy.match;
  if (pending.sqlFrom) {
    const passed = passedFor(t, resolver, pending.sqlFrom, callee, call);
    const resolved = passed ? withCallerSql(copy.match, sqlOf(t, passed)) : copy.match;
    if (!resolved) return false;
    copy.match = resolved;
  }
  // `param.canvasId ||= genCanvasID(); createWithState(param)` → `create({ data: { canvasId: param.canvasId } })`:
  // a unique value the caller fills with a fresh one when the request leaves it out protects nothing.
  if (copy.guard?.startsWith('create fails on a duplicate') && pending.data && freshInCaller(t, resolver, pending.data, copy.guard, callee, call)) {
    delete copy.guard;
    delete copy.guardOnWholeRecord;
  }
  if (pending.freshFrom) {
    const passed = passedFor(t, resolver, pending.freshFrom, callee, call);
    const next: WriteMatch = { ...copy.match };
    delete next.freshFrom;
    // Names are often built in steps (`temp-${randomPart}-${name}`, `randomPart = randomSuffix()`).
    if (passed && GENERATED_VALUE.test(expandedText(t, passed, 0, 4))) delete next.idempotentBecause;
    else if (passed && t.isIdentifier(passed)) next.freshFrom = passed;
    copy.match = next;
  }
  if (pending.recordFrom) {
    // `saveMessages({ messages: [{ id: message.id, … }] })` → `db.insert(message).values(messages)`:
    // the caller spells out the record the helper inserts whole.
    const passed = passedFor(t, resolver, pending.recordFrom, callee, call);
    const next: WriteMatch = { ...copy.match };
    delete next.recordFrom;
    const literal = passed ? recordLiteral(t, passed) : undefined;
    if (literal) {
      next.data = literal;
      // The helper's own fields around the caller's record (`{ ...params, token: randomUUID() }`) still count.
      if (pending.data) next.moreData = [pending.data, ...(pending.moreData ?? [])];
      delete next.wholeRecord;
    } else if (passed && (t.isIdentifier(strip(t, passed)) || t.isPropertyAccessExpression(strip(t, passed)))) {
      next.recordFrom = strip(t, passed);
    }
    copy.match = next;
  }
  if (pending.whereFrom) {
    // `WorkspaceUser.delete({ workspace_id })` → `deleteMany({ where: clause })`: the caller's filter.
    const passed = passedFor(t, resolver, pending.whereFrom, callee, call);
    const next: WriteMatch = { ...copy.match };
    delete next.whereFrom;
    const filter = passed ? strip(t, passed) : undefined;
    if (filter && t.isObjectLiteralExpression(filter)) {
      const columns = recordColumns(t, filter);
      if (columns.length > 0) next.columns = columns;
    } else if (filter && t.isIdentifier(filter)) {
      next.whereFrom = filter;
    }
    copy.match = next;
  }
  if (pending.savedFrom) {
    // `saveUser(user)` → `repo.save(user)`, given a user the caller loaded: an update of that record.
    const passed = passedFor(t, resolver, pending.savedFrom, callee, call);
    const next: WriteMatch = { ...copy.match };
    delete next.savedFrom;
    if (passed && isLoadedRecord(t, passed)) {
      next.kind = 'db-update';
      next.idempotentBecause = IDEMPOTENT_KINDS['db-update'];
    } else if (passed && t.isIdentifier(strip(t, passed))) {
      next.savedFrom = strip(t, passed);
    }
    copy.match = next;
  }
  if (copy.trails) {
    const step = followTrails(t, resolver, copy.trails, callee, call);
    delete copy.trails;
    if (step && 'rotation' in step) copy.match = rotation(copy.match, step.rotation);
    else if (step) copy.trails = step.trail;
  }
  return true;
}

/** A field of the record, named in the unique guard, that the caller fills with a generated value (or defaults to one) before the call. */
function freshInCaller(t: TS, resolver: Resolver, data: ts.ObjectLiteralExpression, guard: string, callee: FunctionLike, call: ts.CallExpression): boolean {
  for (const prop of data.properties) {
    const written = t.isPropertyAssignment(prop) ? strip(t, prop.initializer) : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    // `params.jobId`, or `const { jobId } = params` read back.
    const taken = written && t.isIdentifier(written) ? destructuredFrom(t, written) : undefined;
    const object = written && t.isPropertyAccessExpression(written) ? written.expression : taken?.object;
    const field = written && t.isPropertyAccessExpression(written) ? written.name.text : taken?.field;
    if (!object || !field || !new RegExp(`\\.([\\w+]*\\+)?${field}\\b`).test(guard)) continue;
    const passed = passedFor(t, resolver, object, callee, call);
    const argument = passed ? strip(t, passed) : undefined;
    // `createJobRecord({ jobId, type })` with `jobId = this.generateJobId()`: the caller's value is fresh.
    const given = argument && t.isObjectLiteralExpression(argument) ? propertyValue(t, argument, field) : undefined;
    if (given && (GENERATED_VALUE.test(expandedText(t, given, 0, 4)) || reassignedFresh(t, given))) return true;
    // `param.canvasId ||= genCanvasID(); createWithState(param)`.
    if (argument && t.isIdentifier(argument) && defaultedFresh(t, argument, field, call)) return true;
  }
  return false;
}

/** An object literal, or the first of an array of them (rows of one insert look alike). */
function recordLiteral(t: TS, expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const e = strip(t, expr);
  if (t.isObjectLiteralExpression(e)) return e;
  const first = t.isArrayLiteralExpression(e) ? e.elements[0] : undefined;
  return first && t.isObjectLiteralExpression(strip(t, first)) ? (strip(t, first) as ts.ObjectLiteralExpression) : undefined;
}

/** The update seen as what it is: storing a fresh secret, which a retry replaces with another. */
export function rotation(match: WriteMatch, why: string): WriteMatch {
  const rotated: WriteMatch = { ...match, kind: 'token-rotation', rotates: why };
  delete rotated.idempotentBecause;
  return rotated;
}
