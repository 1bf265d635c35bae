import { createHash } from 'node:crypto';

export function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  // Length-prefixed parts: ("ab", "c") and ("a", "bc") must not collide.
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}

/** JSON with sorted object keys, so that `{a,b}` and `{b,a}` fingerprint alike. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  if (Buffer.isBuffer(value)) return `base64:${value.toString('base64')}`;
  return value;
}
