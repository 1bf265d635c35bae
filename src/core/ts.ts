// The core is written against an injected TypeScript namespace so that the CLI can feed it
// ts-morph's bundled compiler and the ESLint rule the user's own `typescript`, without ever reading
// nodes of one copy with another copy's SyntaxKind numbers.
import { createRequire } from 'node:module';
import type * as typescript from 'typescript';
import { loadCommonJs } from './code-cache.js';

export type TS = typeof typescript;
export type { typescript as tsTypes };

let cached: TS | undefined;

/**
 * ts-morph's bundled TypeScript, loaded on first use so `--version` and `--help` stay fast. The
 * compiler file is loaded from ts-morph's own dependency without ts-morph's wrapper library, which
 * the analysis does not use and which costs a tenth of a second to load. It is the same file as
 * ts-morph's `ts` export (the same version and SyntaxKind numbers), compiled as its own instance so
 * that a code cache can be used (below); nothing in the analysis mixes it with ts-morph's instance.
 */
export function loadBundledTsSync(): TS {
  if (!cached) {
    const require = createRequire(import.meta.url);
    let file: string | undefined;
    try {
      file = createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common/dist/typescript.js');
    } catch {
      file = undefined;
    }
    // Another layout of ts-morph's package: take the compiler from its public export.
    cached = file ? loadWithCodeCache(file) : ((require('ts-morph') as { ts: unknown }).ts as TS);
  }
  return cached;
}

/**
 * Compiling the 9 MB compiler is a third of a second of every run: it is loaded through V8's code
 * cache (core/code-cache.ts), which the CLI saves (saveCodeCaches) after its first scan, with the
 * functions the scan compiled, next to the installed packages (`node_modules/.cache/idem-scan`).
 */
function loadWithCodeCache(file: string): TS {
  return loadCommonJs(file, { key: 'size' }) as TS;
}

/** The same, for callers that await (kept so the CLI's start-up does not change shape). */
export function loadBundledTs(): Promise<TS> {
  return Promise.resolve(loadBundledTsSync());
}

/**
 * `import type { … } from '…'`, read from the text after `import` (the flag on the clause moved between
 * TypeScript versions, and the ESLint rule may run with an older or newer copy).
 */
export function isTypeOnlyImport(decl: typescript.ImportDeclaration): boolean {
  const sf = decl.getSourceFile();
  const start = decl.getStart(sf);
  return /^import\s+type\b/.test(sf.text.slice(start, Math.min(decl.end, start + 64)));
}

/** A node's parent; undefined above the source file (the compiler's types claim it is always set). */
export function parentOf(node: typescript.Node): typescript.Node | undefined {
  const parent: typescript.Node | undefined = node.parent;
  return parent;
}

/** The innermost function (declaration, expression, arrow, method, accessor) around a node, if any. */
export function enclosingFunction(t: TS, node: typescript.Node): typescript.SignatureDeclaration | undefined {
  let fn = parentOf(node);
  while (fn && !t.isFunctionLike(fn)) fn = parentOf(fn);
  return fn;
}

/**
 * Sets `parent` on every node below `root` (a parse made without `setParentNodes`). One closure per
 * call and plain recursion: no allocation per node. Only for parses without JSDoc nodes, which
 * forEachChild does not reach.
 */
export function setParents<T extends typescript.Node>(t: TS, root: T): T {
  let parent: typescript.Node = root;
  const visitChild = (child: typescript.Node): void => {
    (child as { parent: typescript.Node }).parent = parent;
    const saved = parent;
    parent = child;
    t.forEachChild(child, visitChild);
    parent = saved;
  };
  t.forEachChild(root, visitChild);
  return root;
}
