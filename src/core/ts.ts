// The core is written against an injected TypeScript namespace so that the CLI can feed it
// ts-morph's bundled compiler and the ESLint rule the user's own `typescript`, without ever reading
// nodes of one copy with another copy's SyntaxKind numbers.
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as typescript from 'typescript';

export type TS = typeof typescript;
export type { typescript as tsTypes };

let cached: TS | undefined;
/** The compiled compiler, while its code cache still has to be written (see saveCompilerCache). */
let pending: { script: vm.Script; file: string } | undefined;

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
 * Compiling the 9 MB compiler is a third of a second of every run. V8 can keep what it compiled (also
 * the functions compiled lazily while the scan ran) as a code cache: the CLI saves one after its first
 * scan, next to the installed packages (`node_modules/.cache/idem-scan`), and later runs start from it.
 * A cache V8 rejects (another Node version, a changed file) is ignored and replaced; one that cannot be
 * read or written changes nothing but speed.
 */
function loadWithCodeCache(file: string): TS {
  const cacheFile = codeCacheFile(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? fs.readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readSourceText(file)), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) pending = { script, file: cacheFile };
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports as TS;
}

/**
 * The compiler's source as a string. It is plain ASCII, which is its own Latin-1 decoding: copying the
 * bytes is more than twice as fast as validating and decoding 9 MB as UTF-8. Any other file is decoded as UTF-8.
 */
export function readSourceText(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** `…/node_modules/.cache/idem-scan/typescript-<v8 version>-<arch>-<size>.bin`, or undefined outside node_modules. */
function codeCacheFile(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return undefined;
  }
  const name = `typescript-${process.versions.v8}-${process.arch}-${size}.bin`.replace(/[^\w.-]/g, '_');
  return path.join(file.slice(0, at + marker.length), '.cache', 'idem-scan', name);
}

/**
 * Writes the compiler's code cache if this process made a new one. Called by the CLI once a scan is
 * over, so the cache holds the functions the scan compiled too.
 */
export function saveCompilerCache(): void {
  if (!pending) return;
  const { script, file } = pending;
  pending = undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, file);
  } catch {
    // A read-only install: every run compiles, as without a cache.
  }
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
