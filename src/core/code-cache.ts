// Loads a CommonJS script through V8's code cache. Compiling JavaScript is a fixed cost of every
// short-lived CLI run: V8 can keep what it compiled — including the functions compiled lazily while
// the run went on — and a later run starts from it. Used for the 9 MB compiler (core/ts.ts) and for
// the CLI's own bundle (cli/run.ts). A cache V8 rejects (another Node version, other flags) is
// ignored and replaced; one that cannot be read or written changes nothing but speed.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** Scripts whose cache this process still has to write, once it has run what it will run. */
const pending: { script: vm.Script; file: string }[] = [];

export interface CodeCacheOptions {
  /**
   * How the cache is named. V8 checks a cache against the source's length only, so a file that can
   * change in place (a rebuilt bundle) must be keyed by its content; a file inside an installed
   * package never changes without changing its folder, and its size is enough.
   */
  key: 'size' | 'content';
}

/**
 * Runs a CommonJS file as Node's loader would (module wrapper, its own `require`), compiled from the
 * code cache when one is there. Returns `module.exports`.
 */
export function loadCommonJs(file: string, options: CodeCacheOptions): unknown {
  const source = readSourceText(file);
  const cacheFile = codeCacheFile(file, options.key === 'content' ? contentKey(file, source) : sizeKey(file));
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? fs.readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) pending.push({ script, file: cacheFile });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/**
 * Writes the caches this process made new. Called once the work is done, so that each cache holds
 * the functions the run compiled too, not only the top level.
 */
export function saveCodeCaches(): void {
  for (const { script, file } of pending.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, file);
    } catch {
      // A read-only install: every run compiles, as without a cache.
    }
  }
}

/**
 * A source file as a string. The compiler is plain ASCII, which is its own Latin-1 decoding: copying
 * the bytes is more than twice as fast as validating and decoding 9 MB as UTF-8. Anything else is
 * decoded as UTF-8.
 */
export function readSourceText(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** `typescript.js` → `typescript-<size>`: an installed package's file changes only with its version. */
function sizeKey(file: string): string | undefined {
  try {
    return `${path.basename(file, path.extname(file))}-${fs.statSync(file).size}`;
  } catch {
    return undefined;
  }
}

/** `cli.cjs` → `cli-<hash of its text>`. */
function contentKey(file: string, source: string): string {
  return `${path.basename(file, path.extname(file))}-${createHash('sha1').update(source).digest('hex').slice(0, 16)}`;
}

/**
 * `<node_modules>/.cache/idem-scan/<name>-<key>-<v8 version>-<arch>.bin`: in the nearest
 * `node_modules` the file lies in (an installed package), or else the one beside the nearest folder
 * that has one (a checkout with its dependencies installed). Undefined when there is neither.
 */
export function codeCacheFile(file: string, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  let modules: string | undefined = at >= 0 ? file.slice(0, at + marker.length - 1) : undefined;
  for (let dir = path.dirname(file); !modules; dir = path.dirname(dir)) {
    if (fs.statSync(path.join(dir, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) modules = path.join(dir, 'node_modules');
    else if (path.dirname(dir) === dir) return undefined;
  }
  const name = `${key}-${process.versions.v8}-${process.arch}.bin`.replace(/[^\w.-]/g, '_');
  return path.join(modules, '.cache', 'idem-scan', name);
}
