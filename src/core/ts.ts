// The core is written against an injected TypeScript namespace so that the CLI can feed it
// ts-morph's bundled compiler and the ESLint rule the user's own `typescript`, without ever reading
// nodes of one copy with another copy's SyntaxKind numbers.
import { createRequire } from 'node:module';
import type * as typescript from 'typescript';

export type TS = typeof typescript;
export type { typescript as tsTypes };

let cached: TS | undefined;

/** ts-morph's bundled TypeScript, loaded on first use so `--version` and `--help` stay fast. */
export async function loadBundledTs(): Promise<TS> {
  if (!cached) {
    const morph = await import('ts-morph');
    cached = morph.ts as unknown as TS;
  }
  return cached;
}

/** The same copy, loaded synchronously: an ESLint rule cannot await. */
export function loadBundledTsSync(): TS {
  if (!cached) {
    const morph = createRequire(import.meta.url)('ts-morph') as { ts: unknown };
    cached = morph.ts as TS;
  }
  return cached;
}

/** A node's parent; undefined above the source file (the compiler's types claim it is always set). */
export function parentOf(node: typescript.Node): typescript.Node | undefined {
  const parent: typescript.Node | undefined = node.parent;
  return parent;
}
