// The core is written against an injected TypeScript namespace so that the CLI can feed it
// ts-morph's bundled compiler and the ESLint rule the user's own `typescript`, without ever reading
// nodes of one copy with another copy's SyntaxKind numbers.
import { createRequire } from 'node:module';
import type * as typescript from 'typescript';

export type TS = typeof typescript;
export type { typescript as tsTypes };

let cached: TS | undefined;

/**
 * ts-morph's bundled TypeScript, loaded on first use so `--version` and `--help` stay fast. The
 * compiler file is loaded from ts-morph's own dependency without ts-morph's wrapper library, which
 * the analysis does not use and which costs a tenth of a second to load; ts-morph's `ts` export is
 * that same module object, so both routes give the same copy.
 */
export function loadBundledTsSync(): TS {
  if (!cached) {
    const require = createRequire(import.meta.url);
    try {
      cached = createRequire(require.resolve('ts-morph'))('@ts-morph/common/dist/typescript.js') as TS;
    } catch {
      // Another layout of ts-morph's package: take the compiler from its public export.
      cached = (require('ts-morph') as { ts: unknown }).ts as TS;
    }
  }
  return cached;
}

/** The same, for callers that await (kept so the CLI's start-up does not change shape). */
export function loadBundledTs(): Promise<TS> {
  return Promise.resolve(loadBundledTsSync());
}

/** A node's parent; undefined above the source file (the compiler's types claim it is always set). */
export function parentOf(node: typescript.Node): typescript.Node | undefined {
  const parent: typescript.Node | undefined = node.parent;
  return parent;
}
