// Route path helpers shared by the detectors.
import type { TS, tsTypes as ts } from '../core/ts.js';

/** A path written as a literal; null when it is computed (a variable, a regex). */
export function literalPath(t: TS, node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (t.isStringLiteralLike(node)) return node.text;
  if (t.isArrayLiteralExpression(node)) {
    const first = node.elements[0];
    return first && t.isStringLiteralLike(first) ? first.text : null;
  }
  return null;
}

/** Joins a mount prefix and a route path; null when either is unknown. */
export function joinPaths(prefix: string | null, path: string | null): string | null {
  if (prefix === null || path === null) return null;
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : '/';
}

/** Whether middleware mounted at `prefix` runs for `path` (unknown paths are covered by `/` only). */
export function pathCovers(prefix: string, path: string | null): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '' || p === '*' || p === '/*') return true;
  if (path === null) return false;
  // `app.all('/entries*', …)`: a trailing wildcard covers every path that starts with what precedes it.
  if (p.endsWith('*')) return path.startsWith(p.slice(0, -1));
  return path === p || path.startsWith(`${p}/`);
}
