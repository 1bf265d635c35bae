// Per-kind answers to the compiler's `is…` tests, worked out once per TypeScript copy. The walks over
// every node of a handler and of what it calls ask several such tests per node; one array lookup per
// node answers them all. Only tests that depend on nothing but `node.kind` may be tabled.
import type { TS, tsTypes as ts } from './ts.js';

/** One bit per test, in the order the tests were given. */
export type KindFlags = Uint8Array;

const tables = new WeakMap<TS, Map<string, KindFlags>>();

/**
 * For each SyntaxKind of `t`, a bit mask: bit i is set when `tests[i]` holds for a node of that kind.
 * `name` identifies the set of tests (one table per name and TypeScript copy).
 */
export function kindFlags(t: TS, name: string, tests: readonly ((node: ts.Node) => boolean)[]): KindFlags {
  let byName = tables.get(t);
  if (!byName) tables.set(t, (byName = new Map<string, KindFlags>()));
  const known = byName.get(name);
  if (known) return known;
  // The enum's numeric values (its reverse-mapped names are strings), largest first needed for the size.
  const numbers: unknown[] = Object.values(t.SyntaxKind);
  let last = 0;
  for (const value of numbers) if (typeof value === 'number' && value > last) last = value;
  const table = new Uint8Array(last + 1);
  for (let kind = 0; kind <= last; kind++) {
    const probe = { kind } as unknown as ts.Node;
    tests.forEach((test, bit) => {
      if (test(probe)) table[kind]! |= 1 << bit;
    });
  }
  byName.set(name, table);
  return table;
}

/**
 * The two bits every walk over code that runs shares: `CODE_TYPE`, types (annotations, `as X`,
 * `app.post<{ Body: … }>`) hold no code; `CODE_DECLARATION`, a nested function or class declaration is
 * not run where it stands. Tests given in `more` take the bits from 4 up.
 */
export const CODE_TYPE = 1;
export const CODE_DECLARATION = 2;

export function codeWalkFlags(t: TS, name: string, more: () => readonly ((node: ts.Node) => boolean)[]): KindFlags {
  // Asked at the start of every walk: the tests are made only when the table is not there yet.
  return tables.get(t)?.get(name) ?? kindFlags(t, name, [(n) => t.isTypeNode(n), (n) => t.isFunctionDeclaration(n) || t.isClassDeclaration(n), ...more()]);
}
