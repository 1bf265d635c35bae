// An "absolute" update that stores a fresh secret is token rotation, not an idempotent update — also
// when the secret is made by a caller several helpers up:
//   exchangeToken():   refreshToken = this.auth.generateToken(…); setRefreshToken(email, refreshToken)
//   setRefreshToken(): updateByEmail(email, { secrets: { update: { refreshToken: token } } })
//   updateByEmail():   prisma.user.update({ where: { email }, data })
// The write keeps a trail: the expression, in the current caller's terms, that still decides it (the
// record passed in, or the token value). Each call level up replaces it with what that caller passes.
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { FunctionLike } from './values.js';
import { GENERATED_VALUE, expandedText, strip } from './refine.js';
import { propertyNameText } from './scope.js';

/** What is still open about an update whose stored values come from a caller. */
export interface TokenTrail {
  /** `record`: the data object (or a part of it) is passed in; `token`: a secret's value is. */
  looking: 'record' | 'token';
  expr: ts.Expression;
  /** The secret's field, for the reason text. */
  field?: string;
}

/** A field that holds a secret, a one-time code or a session token. */
export const SECRET_FIELD = /token|secret|otp|nonce|apikey|api_key|code$|codes$/i;
/** Parts of an update call that select or shape the result rather than say what is stored. */
const NOT_STORED = /^(where|filter|criteria|select|include|orderBy|omit|returning)$/;
/** A signed token (`jwt.sign`, `jwtService.signAsync`) carries its issue time: fresh on every call. */
const FRESH_VALUE = new RegExp(`${GENERATED_VALUE.source}|\\bsign(Async)?\\(`, 'i');

/** The result of following a trail one step: a rotation found, a trail to keep, or nothing. */
export type TrailStep = { rotation: string } | { trail: TokenTrail[] } | undefined;

/**
 * The trails an update starts with: its arguments (or their `data`/`$set` members) that are passed in,
 * and secret fields whose values are. A secret made right here is a rotation already.
 */
export function startTrails(t: TS, call: ts.CallExpression | ts.NewExpression): TrailStep {
  const trails: TokenTrail[] = [];
  for (const arg of call.arguments ?? []) {
    const found = inRecord(t, arg, 0, trails);
    if (found) return found;
  }
  return trails.length > 0 ? { trail: trails } : undefined;
}

/** One level up: what the caller passes for each open trail. */
export function followTrails(t: TS, resolver: Resolver, trails: readonly TokenTrail[], callee: FunctionLike, call: ts.CallExpression): TrailStep {
  const next: TokenTrail[] = [];
  for (const trail of trails) {
    const passed = passedFor(t, resolver, trail.expr, callee, call);
    if (!passed) continue;
    if (trail.looking === 'token') {
      if (FRESH_VALUE.test(expandedText(t, passed))) return { rotation: rotationText(trail.field, passed) };
      if (t.isIdentifier(strip(t, passed)) || t.isPropertyAccessExpression(strip(t, passed))) next.push({ ...trail, expr: passed });
      continue;
    }
    const found = inRecord(t, passed, 0, next);
    if (found) return found;
  }
  return next.length > 0 ? { trail: next } : undefined;
}

/** Looks through a record (nested relation updates included) for secrets and passed-in parts. */
function inRecord(t: TS, expr: ts.Expression, depth: number, trails: TokenTrail[]): TrailStep {
  const e = strip(t, expr);
  if (t.isIdentifier(e) || t.isPropertyAccessExpression(e)) {
    trails.push({ looking: 'record', expr: e });
    return undefined;
  }
  if (!t.isObjectLiteralExpression(e) || depth > 4) return undefined;
  for (const prop of e.properties) {
    const name = prop.name ? propertyNameText(t, prop.name) : undefined;
    const value = t.isPropertyAssignment(prop) ? prop.initializer : t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    // What selects the record (`where: { resetToken }`) is not what is stored.
    if (!name || !value || NOT_STORED.test(name)) continue;
    // `secrets: { update: { … } }` is a relation, not a secret: its fields are looked at one by one.
    if (SECRET_FIELD.test(name) && !t.isObjectLiteralExpression(strip(t, value))) {
      if (FRESH_VALUE.test(expandedText(t, value))) return { rotation: rotationText(name, value) };
      const v = strip(t, value);
      if (t.isIdentifier(v) || t.isPropertyAccessExpression(v)) trails.push({ looking: 'token', expr: v, field: name });
      continue;
    }
    const found = inRecord(t, value, depth + 1, trails);
    if (found) return found;
  }
  return undefined;
}

/**
 * The expression a caller passes for `expr`, when `expr` is a parameter of `callee` or a member of one
 * (`data`, `options.data`, a destructured `{ token }`).
 */
export function passedFor(t: TS, resolver: Resolver, expr: ts.Expression, callee: FunctionLike, call: ts.CallExpression): ts.Expression | undefined {
  let e = strip(t, expr);
  const path: string[] = [];
  while (t.isPropertyAccessExpression(e)) {
    path.unshift(e.name.text);
    e = strip(t, e.expression);
  }
  if (!t.isIdentifier(e)) return undefined;
  let binding = resolver.scopes.lookup(e.text, e);
  // `const { jobId } = options` in the callee: the `jobId` of what the caller passes as `options`.
  if (binding?.kind === 'variable' && binding.path.length > 0 && binding.decl.initializer && t.isIdentifier(strip(t, binding.decl.initializer))) {
    const source = strip(t, binding.decl.initializer) as ts.Identifier;
    const parameter = resolver.scopes.lookup(source.text, source);
    if (parameter?.kind === 'parameter') {
      path.unshift(...binding.path);
      binding = parameter;
    }
  }
  if (binding?.kind !== 'parameter' || binding.decl.parent !== callee) return undefined;
  let argument: ts.Expression | undefined = call.arguments[callee.parameters.indexOf(binding.decl)];
  for (const key of [...binding.path, ...path]) {
    const object = argument ? strip(t, argument) : undefined;
    if (!object || !t.isObjectLiteralExpression(object)) return undefined;
    const member = object.properties.find((p) => p.name && propertyNameText(t, p.name) === key);
    argument = member && t.isPropertyAssignment(member) ? member.initializer : member && t.isShorthandPropertyAssignment(member) ? member.name : undefined;
  }
  return argument;
}

function rotationText(field: string | undefined, value: ts.Expression): string {
  const shown = value.getText().replace(/\s+/g, ' ');
  return `stores a fresh ${field ?? 'secret'} (${shown.length > 50 ? `${shown.slice(0, 47)}...` : shown})`;
}
