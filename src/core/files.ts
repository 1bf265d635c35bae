// The files a scan reads: the given files and folders, source extensions only, minus dependencies,
// build output, declaration files and what .gitignore excludes. Bad input never crashes the run: a
// missing path is a fatal IdemScanError (exit 2); an unreadable file is listed in `errors`.
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ScanError } from './types.js';
import { IdemScanError } from './errors.js';

/** Files over this size are skipped (generated bundles, vendored code): listed in `errors`. */
export const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED_DIRS = ['node_modules', 'dist', 'build', 'out', '.next', '.nuxt', '.output', 'coverage', '.turbo', '.vercel', '.git', '.svelte-kit', '.cache'];
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

export interface CollectOptions {
  paths: readonly string[];
  cwd: string;
  gitignore?: boolean;
  /** Extra glob patterns to leave out, relative to cwd. */
  ignore?: readonly string[];
}

export interface CollectedFiles {
  files: string[];
  errors: ScanError[];
  /** Source files left out because .gitignore excludes them (a scan of only those would be empty). */
  gitignored: number;
  /** The entries of every folder the walk listed, for later searches of the same folders in the same run. */
  listings: FolderListings;
}

export type FolderListings = ReadonlyMap<string, readonly fs.Dirent[]>;

export function collectFiles(options: CollectOptions): CollectedFiles {
  const found = new Set<string>();
  const listings = new Map<string, fs.Dirent[]>();
  let gitignored = 0;
  const errors: ScanError[] = [];
  const filters = new GitignoreFilters(options.gitignore ?? true);
  const extra = options.ignore?.length ? ignore().add([...options.ignore]) : undefined;
  for (const given of options.paths.length > 0 ? options.paths : ['.']) {
    const absolute = path.resolve(options.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new IdemScanError(`path not found: ${given}`, 'check the path, or run idem-scan from the project folder');
    }
    if (stat.isFile()) {
      // A file named explicitly is scanned even if it would be ignored in a folder scan.
      if (SOURCE_FILE.test(absolute) && !DECLARATION.test(absolute)) found.add(absolute);
      else errors.push({ file: relative(options.cwd, absolute), message: 'not a JavaScript or TypeScript source file; skipped' });
      continue;
    }
    if (!stat.isDirectory()) throw new IdemScanError(`not a file or folder: ${given}`);
    const visitDir = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // A folder that cannot be listed holds nothing the scan can read.
      }
      listings.set(dir, entries);
      filters.listed(dir, entries);
      for (const entry of entries) {
        // Dot folders and files (.git, .env.js, .eslintrc.js) are not application code.
        if (entry.name.startsWith('.')) continue;
        const full = path.join(dir, entry.name);
        // Links are not followed into folders (no loops); a link to a file is scanned as a file.
        const isDir = entry.isDirectory();
        const isFile = entry.isFile() || (entry.isSymbolicLink() && fs.statSync(full, { throwIfNoEntry: false })?.isFile() === true);
        if (isDir) {
          if (SKIPPED_DIRS.includes(entry.name)) continue;
          // A folder .gitignore excludes is pruned whole (git re-includes nothing below it).
          if (filters.ignoresFolder(full)) {
            gitignored += countSources(full);
            continue;
          }
          visitDir(full);
          continue;
        }
        if (!isFile || !SOURCE_FILE.test(entry.name) || DECLARATION.test(entry.name)) continue;
        if (extra) {
          const rel = relative(options.cwd, full);
          if (!rel.startsWith('..') && extra.ignores(rel)) continue;
        }
        if (filters.ignores(full)) {
          gitignored++;
          continue;
        }
        found.add(full);
      }
    };
    visitDir(path.normalize(absolute));
  }
  return { files: [...found].sort(), errors, gitignored, listings };
}

/** Source files below a folder .gitignore excludes, for the count of what it left out. */
function countSources(dir: string): number {
  let count = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.includes(entry.name)) count += countSources(path.join(dir, entry.name));
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !DECLARATION.test(entry.name)) {
      count++;
    }
  }
  return count;
}

/** Test and mock files (`*.test.ts`, `*.spec.js`, `__tests__/`, `__mocks__/`). */
const TEST_FILE = /(\.(test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$)|([\\/](__tests__|__mocks__)[\\/])/;

/** Tests build throw-away apps and objects around the real code: their wiring says nothing about the app's. */
export function isTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

/** The file's text, or why it cannot be analysed. Never throws. */
export function readSource(file: string): { text: string } | { error: string } {
  return readSourceStamped(file).read;
}

/** The same, with the file's mtime and size as read (null when it could not be opened). */
export function readSourceStamped(file: string): { read: { text: string } | { error: string }; stamp: { mtimeMs: number; size: number } | null } {
  let stamp: { mtimeMs: number; size: number } | null = null;
  const read = readWith(file, (s) => (stamp = s));
  return { read, stamp };
}

/**
 * The file's text in one native call, without a stamp: a one-off scan reads thousands of files and
 * keeps none of them for later, so the open + fstat + read of `readSourceStamped` would be spent on a
 * stamp nobody compares. Only for files the caller found to be regular files (a folder listing or a
 * stat). Anything unusual (NUL bytes, a replacement character, a size over the limit, a read error) is
 * read again the careful way, so the messages stay the same.
 */
export function readSourceQuick(file: string): { text: string } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return readSource(file);
  }
  if (text.length > MAX_FILE_BYTES / 4 || text.includes('\0') || text.includes('\uFFFD')) return readSource(file);
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function readWith(file: string, onStat: (stamp: { mtimeMs: number; size: number }) => void): { text: string } | { error: string } {
  let buffer: Buffer;
  try {
    // One open + fstat + read: a separate stat per file is measurable on thousands of files.
    const fd = fs.openSync(file, 'r');
    try {
      const stat = fs.fstatSync(fd);
      onStat({ mtimeMs: stat.mtimeMs, size: stat.size });
      if (!stat.isFile()) return { error: 'not a regular file; skipped' };
      if (stat.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES / 1024} KiB (${Math.round(stat.size / 1024)} KiB); skipped` };
      buffer = Buffer.allocUnsafe(stat.size);
      let read = 0;
      while (read < stat.size) {
        const n = fs.readSync(fd, buffer, read, stat.size - read, read);
        if (n === 0) break;
        read += n;
      }
      buffer = buffer.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { error: `cannot be read (${code}); skipped` };
  }
  // UTF-16 with a byte-order mark (what some Windows tools write, e.g. generated type files): decoded.
  if (buffer.length % 2 === 0 && buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))) {
    // Big-endian pairs are swapped to little-endian.
    const body = Buffer.from(buffer.subarray(2));
    const text = (buffer[0] === 0xff ? body : body.swap16()).toString('utf16le');
    return text.includes('\0') ? { error: 'binary file (contains NUL bytes); skipped' } : { text };
  }
  if (buffer.includes(0)) return { error: 'binary file (contains NUL bytes); skipped' };
  // The native check and decode are several times faster than a strict TextDecoder on thousands of files.
  if (!isUtf8(buffer)) return { error: 'not valid UTF-8; skipped' };
  return { text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
}

function relative(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join('/');
}

/**
 * .gitignore rules of every folder from the git root (or the file's first folder with a .git) down to
 * the file's folder, each applied relative to its own folder, as git does.
 */
class GitignoreFilters {
  private readonly byDir = new Map<string, Ignore | null>();
  private readonly rootOf = new Map<string, string>();
  /** What the scan's own listing of a folder showed of `.gitignore` and `.git` (a stat less per folder). */
  private readonly listings = new Map<string, { gitignore: 'absent' | 'ask'; git: 'absent' | 'present' | 'ask' }>();
  constructor(private readonly enabled: boolean) {}

  /** The entries of a folder the scan listed: a plain entry answers, a link is still followed by a stat. */
  listed(dir: string, entries: readonly fs.Dirent[]): void {
    if (!this.enabled) return;
    const gitignore = entries.find((e) => e.name === '.gitignore');
    const git = entries.find((e) => e.name === '.git');
    this.listings.set(dir, {
      gitignore: gitignore ? 'ask' : 'absent',
      git: !git ? 'absent' : git.isSymbolicLink() ? 'ask' : 'present',
    });
  }

  ignores(file: string): boolean {
    return this.ignoresPath(file, '');
  }

  /** A folder is matched with a trailing slash, so that `build/` patterns apply to it. */
  ignoresFolder(dir: string): boolean {
    return this.ignoresPath(dir, '/');
  }

  private ignoresPath(file: string, suffix: string): boolean {
    if (!this.enabled) return false;
    for (const [d, rules] of this.rulesAbove(path.dirname(file))) {
      const rel = path.relative(d, file).split(path.sep).join('/');
      if (rel && !rel.startsWith('..') && rules.ignores(rel + suffix)) return true;
    }
    return false;
  }

  private readonly chains = new Map<string, [string, Ignore][]>();

  /** The folders from the git root down to `dir` that have rules, outermost first (asked once per folder). */
  private rulesAbove(dir: string): [string, Ignore][] {
    let chain = this.chains.get(dir);
    if (chain) return chain;
    const root = this.gitRoot(dir);
    chain = [];
    for (let d = dir; ; d = path.dirname(d)) {
      const rules = this.rules(d);
      if (rules) chain.unshift([d, rules]);
      if (d === root || path.dirname(d) === d) break;
    }
    this.chains.set(dir, chain);
    return chain;
  }

  private rules(dir: string): Ignore | null {
    let rules = this.byDir.get(dir);
    if (rules !== undefined) return rules;
    rules = null;
    if (this.listings.get(dir)?.gitignore === 'absent') {
      this.byDir.set(dir, rules);
      return rules;
    }
    const file = path.join(dir, '.gitignore');
    try {
      // Checked first: most folders have none, and a failed read costs an Error with a stack trace.
      if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) rules = ignore().add(fs.readFileSync(file, 'utf8'));
    } catch {
      // An unreadable .gitignore ignores nothing.
    }
    this.byDir.set(dir, rules);
    return rules;
  }

  private gitRoot(dir: string): string {
    const cached = this.rootOf.get(dir);
    if (cached) return cached;
    let root = path.parse(dir).root;
    const walked: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      // A folder above that was asked before answers for every folder walked on the way to it.
      const known = this.rootOf.get(d);
      if (known) {
        root = known;
        break;
      }
      walked.push(d);
      const listed = this.listings.get(d)?.git;
      if (listed === 'present' || (listed !== 'absent' && fs.existsSync(path.join(d, '.git')))) {
        root = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of walked) this.rootOf.set(d, root);
    return root;
  }
}
