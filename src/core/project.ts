// The scanned code as the analysis sees it: parsed lazily, one file at a time, with imports resolved
// through each file's nearest tsconfig/jsconfig. No type checker is built: the default scan only
// parses the files a handler's calls actually lead to (see perf notes in docs/architecture.md).
import fs from 'node:fs';
import path from 'node:path';
import type { TS, tsTypes as ts } from './ts.js';
import { isTypeOnlyImport, setParents } from './ts.js';
import type { ScanError } from './types.js';
import { IdemScanError, errorMessage } from './errors.js';
import type { SourceCache } from './source-cache.js';

export interface ProjectOptions {
  ts: TS;
  cwd: string;
  /** Explicit tsconfig/jsconfig; its failure to load is fatal. */
  project?: string | undefined;
  /** Reads a file's text or says why it cannot be analysed (binary, too big, not UTF-8). */
  readSource: (file: string) => { text: string } | { error: string };
  /** Parses kept from an earlier run of the same session, reused when a file's text is unchanged. */
  parseCache?: SourceCache | undefined;
  /** A program of the same TypeScript copy whose parses are taken when their text matches. */
  program?: { getSourceFile(fileName: string): ts.SourceFile | undefined } | undefined;
}

interface CompilerSetup {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  /** Package names and path aliases resolved under this setup: `package dir \0 specifier` → file (null: none in the project). */
  bare?: Map<string, string | null>;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

const DEFAULT_OPTIONS = (t: TS): ts.CompilerOptions => ({
  allowJs: true,
  checkJs: false,
  module: t.ModuleKind.NodeNext,
  moduleResolution: t.ModuleResolutionKind.Bundler,
  target: t.ScriptTarget.Latest,
  jsx: t.JsxEmit.Preserve,
  resolveJsonModule: false,
});

export class Project {
  readonly ts: TS;
  readonly cwd: string;
  readonly errors: ScanError[] = [];
  private readSource: ProjectOptions['readSource'];
  private readonly parseCache: SourceCache | undefined;
  private program: ProjectOptions['program'];
  private readonly explicit: CompilerSetup | undefined;
  private readonly files = new Map<string, ts.SourceFile | null>();
  private readonly configByDir = new Map<string, CompilerSetup>();
  private readonly packageByDir = new Map<string, PackageInfo | null>();
  private readonly resolved = new Map<string, string | null>();
  private readonly host: ts.ModuleResolutionHost;

  constructor(options: ProjectOptions) {
    this.ts = options.ts;
    this.cwd = options.cwd;
    this.readSource = options.readSource;
    this.parseCache = options.parseCache;
    this.program = options.program;
    const sys = this.ts.sys;
    // Module resolution probes the same folders and files for every import: remember the answers.
    const files = new Map<string, boolean>();
    const dirs = new Map<string, boolean>();
    const memo = (cache: Map<string, boolean>, probe: (p: string) => boolean) => (p: string): boolean => {
      let hit = cache.get(p);
      if (hit === undefined) cache.set(p, (hit = probe(p)));
      return hit;
    };
    this.host = {
      fileExists: memo(files, (f) => sys.fileExists(f)),
      readFile: (f) => sys.readFile(f),
      directoryExists: memo(dirs, (d) => sys.directoryExists(d)),
      realpath: (p) => sys.realpath?.(p) ?? p,
      getCurrentDirectory: () => this.cwd,
    };
    if (options.project) {
      const file = path.resolve(this.cwd, options.project);
      this.explicit = this.loadConfig(file, true);
    }
  }

  /** Texts read in the first pass but not parsed yet: parsed only if a handler's calls lead there. */
  private readonly pending = new Map<string, string>();

  /** Every text the scan has read, parsed or not (for registrations found by a text search). */
  *texts(): Iterable<[string, string]> {
    for (const entry of this.pending) yield entry;
    for (const [file, sf] of this.files) if (sf) yield [file, sf.text];
  }

  private wordIndex?: Map<string, string[]>;

  /**
   * The files whose text contains any of `words` as a whole identifier, in scan order. Built once per
   * run from every text read, so searches for call sites cost a lookup, not a pass over the project.
   */
  mentioning(words: readonly string[]): string[] {
    if (!this.wordIndex) {
      this.wordIndex = new Map();
      for (const [file, text] of this.texts()) this.indexWords(file, text);
    }
    const found = new Set<string>();
    for (const word of words) for (const file of this.wordIndex.get(word) ?? []) found.add(file);
    return [...found];
  }

  /** The text of a file this run has read, parsed or not. */
  textOf(file: string): string | undefined {
    return this.pending.get(file) ?? this.files.get(file)?.text;
  }

  private indexWords(file: string, text: string): void {
    const index = this.wordIndex!;
    for (const word of new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? [])) {
      const files = index.get(word);
      if (files) files.push(file);
      else index.set(word, [file]);
    }
  }

  /** Keeps a file's text for a later lazy parse (saves reading it twice). */
  remember(file: string, text: string): void {
    this.pending.set(file, text);
  }

  private readonly watchers = new Set<(file: string) => void>();

  /**
   * Forgets every file's parse and every problem found, keeping what was learned about the file
   * system (module resolution, tsconfigs, package.json files): for a rebuild after an edit that
   * changed only file contents.
   */
  resetSources(readSource: ProjectOptions['readSource'], program?: ProjectOptions['program']): void {
    this.readSource = readSource;
    this.program = program;
    this.files.clear();
    this.pending.clear();
    this.errors.length = 0;
    this.watchers.clear();
  }

  /** Calls `listener` with every file the analysis asks for until the returned function is called. */
  watchAccess(listener: (file: string) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** The parsed file, or undefined when it cannot be read (the reason is in `errors`). */
  sourceFile(file: string): ts.SourceFile | undefined {
    for (const watcher of this.watchers) watcher(file);
    const cached = this.files.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.pending.get(file);
    if (text !== undefined) {
      this.pending.delete(file);
      return this.parse(file, text);
    }
    const read = this.readSource(file);
    if ('error' in read) {
      this.errors.push({ file: this.relative(file), message: read.error });
      this.files.set(file, null);
      return undefined;
    }
    // A file outside the first pass (a workspace package, say): its words join the index too.
    if (this.wordIndex) this.indexWords(file, read.text);
    return this.parse(file, read.text);
  }

  /**
   * Parses the files of the scan that `files` import by a relative path, for their values (not
   * `import type`), and that are not parsed yet. A speed-up: what is parsed now would otherwise be
   * parsed on first use (only a syntax error in an imported file no handler reaches is now listed too).
   */
  prefetchImports(files: readonly ts.SourceFile[]): void {
    const t = this.ts;
    for (const sf of files) {
      for (const statement of sf.statements) {
        if (!t.isImportDeclaration(statement) || !t.isStringLiteral(statement.moduleSpecifier)) continue;
        const clause = statement.importClause;
        if (isTypeOnlyImport(statement)) continue;
        const named = clause?.namedBindings;
        if (clause && !clause.name && named && t.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)) continue;
        const specifier = statement.moduleSpecifier.text;
        if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
        const target = this.resolveImport(specifier, sf.fileName);
        if (target && this.pending.has(target)) this.sourceFile(target);
      }
    }
  }

  /** Parses text already read by the caller (the first pass reads every file once). */
  parse(file: string, text: string): ts.SourceFile {
    const t = this.ts;
    const create = (): ts.SourceFile => {
      const fromProgram = this.program?.getSourceFile(file);
      if (fromProgram?.text === text) return fromProgram;
      // JSDoc is never read by the analysis: skipping it saves parse time on commented JavaScript.
      // (The enum exists from TypeScript 5.3; the ESLint rule may run with an older user copy.)
      const modes = (t as { JSDocParsingMode?: typeof t.JSDocParsingMode }).JSDocParsingMode;
      if (!modes) return t.createSourceFile(file, text, t.ScriptTarget.Latest, true, scriptKind(t, file));
      // Without JSDoc nodes every child is reached by forEachChild, so the parents can be set by one
      // plain recursion, cheaper than the compiler's own pass (which queues every node in work lists).
      const options = { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: modes.ParseNone };
      try {
        return setParents(t, t.createSourceFile(file, text, options, false, scriptKind(t, file)));
      } catch (error) {
        // Nesting deeper than the stack (generated code): the compiler's pass uses work lists instead.
        if (!(error instanceof RangeError)) throw error;
        return t.createSourceFile(file, text, options, true, scriptKind(t, file));
      }
    };
    const sf = this.parseCache ? this.parseCache.parse(file, text, create) : create();
    return this.adopt(file, sf);
  }

  /**
   * Takes a parse made elsewhere (the ESLint parser's own, for the file being linted) as this file's
   * parse. It must come from the same TypeScript copy as `ts`.
   */
  adopt(file: string, sf: ts.SourceFile): ts.SourceFile {
    const t = this.ts;
    this.pending.delete(file);
    this.files.set(file, sf);
    const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
    const first = diagnostics?.[0];
    if (first) {
      const { line } = sf.getLineAndCharacterOfPosition(first.start ?? 0);
      this.errors.push({
        file: this.relative(file),
        message: `syntax error at line ${line + 1}: ${t.flattenDiagnosticMessageText(first.messageText, ' ')} (analysed as far as the parser recovered)`,
      });
    }
    return sf;
  }

  /** Records that a file could not be read in the first pass. */
  markUnreadable(file: string, message: string): void {
    this.files.set(file, null);
    this.errors.push({ file: this.relative(file), message });
  }

  /**
   * The project file an import specifier points at, or undefined for packages (node_modules,
   * declaration files) and specifiers that resolve nowhere.
   */
  resolveImport(specifier: string, fromFile: string): string | undefined {
    const key = `${fromFile}\0${specifier}`;
    const hit = this.resolved.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const result = this.resolveUncached(specifier, fromFile);
    this.resolved.set(key, result ?? null);
    return result;
  }

  private resolveUncached(specifier: string, fromFile: string): string | undefined {
    if (specifier.startsWith('node:')) return undefined;
    // Most imports are relative and name a file of the scan: found without asking the file system.
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const known = this.scannedRelative(path.resolve(path.dirname(fromFile), specifier));
      if (known) return known;
    }
    const setup = this.compilerSetup(path.dirname(fromFile));
    // A package name (or a path alias) means the same throughout a package under one tsconfig: asked
    // once there, not once per importing file (a miss walks every folder up to the root).
    const bare = !specifier.startsWith('.') && !path.isAbsolute(specifier);
    const byPackage = bare ? `${this.packageOf(fromFile)?.dir ?? ''}\0${specifier}` : undefined;
    if (byPackage !== undefined) {
      const known = setup.bare?.get(byPackage);
      if (known !== undefined) return known ?? undefined;
    }
    const result = this.resolveWithCompiler(specifier, fromFile, setup);
    if (byPackage !== undefined) (setup.bare ??= new Map()).set(byPackage, result ?? null);
    return result;
  }

  private resolveWithCompiler(specifier: string, fromFile: string, setup: CompilerSetup): string | undefined {
    const { resolvedModule } = this.ts.resolveModuleName(specifier, fromFile, setup.options, this.host, setup.cache);
    let target = resolvedModule?.resolvedFileName;
    if (!target && specifier.startsWith('.')) target = this.probeRelative(path.resolve(path.dirname(fromFile), specifier));
    if (!target && !specifier.startsWith('.')) target = this.workspaceImport(specifier, fromFile);
    if (!target) return undefined;
    if (target.includes(`${path.sep}node_modules${path.sep}`) || /\.d\.[cm]?ts$/.test(target)) return undefined;
    return SOURCE_EXTENSIONS.some((ext) => target.endsWith(ext)) ? path.normalize(target) : undefined;
  }

  /**
   * A relative import that names a file already read by this scan, in the order TypeScript tries them:
   * the path itself, the path with a source extension (`./client.js` written for `client.ts` too), then
   * the folder's index.
   */
  private scannedRelative(base: string): string | undefined {
    const known = (file: string): boolean => this.files.has(file) || this.pending.has(file);
    const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    const written = stem !== base;
    if (!written && known(base)) return base;
    for (const ext of SOURCE_EXTENSIONS) if (known(stem + ext)) return stem + ext;
    if (written && known(base)) return base;
    for (const ext of SOURCE_EXTENSIONS) if (known(path.join(base, `index${ext}`))) return path.join(base, `index${ext}`);
    return undefined;
  }

  /** CommonJS `require('./x')` and extension-less JS imports that TypeScript's resolver refuses. */
  private probeRelative(base: string): string | undefined {
    const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => base + e), ...SOURCE_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
    return candidates.find((c) => isFile(c));
  }

  /**
   * `@repo/db` in a monorepo whose node_modules is not installed: the workspace package of that name
   * (npm/yarn `workspaces`, pnpm-workspace.yaml), entered through its exports/main/types or index.
   */
  private workspaceImport(specifier: string, fromFile: string): string | undefined {
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const subpath = parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
    const dir = this.workspacePackages(path.dirname(fromFile)).get(name);
    if (!dir) return undefined;
    if (subpath) return this.probeRelative(path.join(dir, subpath)) ?? this.probeRelative(path.join(dir, 'src', subpath));
    let entry: string | undefined;
    let built: string | undefined;
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      const exported = json.exports;
      const dot = exported && typeof exported === 'object' ? (exported as Record<string, unknown>)['.'] ?? exported : exported;
      const fromExports = typeof dot === 'string' ? dot : dot && typeof dot === 'object' ? Object.values(dot as Record<string, unknown>).find((v): v is string => typeof v === 'string') : undefined;
      const entries = [json.types, json.typings, fromExports, json.module, json.main].filter((v): v is string => typeof v === 'string');
      entry = entries.find((v) => !v.includes('dist/'));
      built = entries.find((v) => v.includes('dist/'));
    } catch {
      entry = undefined;
    }
    // `main: dist/index.js` of a package not built here: its tsconfig's outDir/rootDir name the source
    // (`dist/index.js` → `lib/index.ts`).
    const source = built ? this.sourceOfBuilt(dir, built) : undefined;
    const candidates = [entry && path.join(dir, entry.replace(/\.d\.ts$/, '.ts')), source, path.join(dir, 'src', 'index'), path.join(dir, 'index')];
    for (const candidate of candidates) {
      const found = candidate ? this.probeRelative(candidate.replace(/\.(js|mjs|cjs)$/, '')) ?? this.probeRelative(candidate) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The source file a built entry of a workspace package comes from, by its own tsconfig's outDir and rootDir. */
  private sourceOfBuilt(dir: string, built: string): string | undefined {
    const t = this.ts;
    const { config } = t.readConfigFile(path.join(dir, 'tsconfig.json'), (f) => (isFile(f) ? fs.readFileSync(f, 'utf8') : undefined)) as { config?: { compilerOptions?: { outDir?: unknown; rootDir?: unknown } } };
    const { outDir, rootDir } = config?.compilerOptions ?? {};
    if (typeof outDir !== 'string' || typeof rootDir !== 'string') return undefined;
    const out = path.resolve(dir, outDir);
    const file = path.resolve(dir, built.replace(/\.d\.ts$/, '.js'));
    if (!file.startsWith(out + path.sep)) return undefined;
    return path.join(path.resolve(dir, rootDir), path.relative(out, file));
  }

  private workspaceMaps = new Map<string, Map<string, string>>();

  /** The package folders of the monorepo that contains `file` (empty outside one). */
  workspaceFolders(file: string): string[] {
    return [...this.workspacePackages(path.dirname(file)).values()];
  }

  /** Package name → folder for the monorepo that contains `dir` (empty outside one). */
  private workspacePackages(dir: string): Map<string, string> {
    const root = this.monorepoRoot(dir);
    if (!root) return new Map();
    let map = this.workspaceMaps.get(root.dir);
    if (map) return map;
    map = new Map();
    for (const pattern of root.patterns) {
      for (const folder of expandWorkspacePattern(root.dir, pattern)) {
        try {
          const json = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: unknown };
          if (typeof json.name === 'string') map.set(json.name, folder);
        } catch {
          // Not a package folder.
        }
      }
    }
    this.workspaceMaps.set(root.dir, map);
    return map;
  }

  private readonly rootByDir = new Map<string, { dir: string; patterns: string[] } | null>();

  private monorepoRoot(dir: string): { dir: string; patterns: string[] } | undefined {
    const cached = this.rootByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.findMonorepoRoot(dir);
    this.rootByDir.set(dir, found ?? null);
    return found;
  }

  /** The root at `dir` itself, else its parent's (cached per folder, so siblings share the walk up). */
  private findMonorepoRoot(dir: string): { dir: string; patterns: string[] } | undefined {
    const here = workspaceRootAt(dir);
    if (here) return here;
    const parent = path.dirname(dir);
    return parent === dir ? undefined : this.monorepoRoot(parent);
  }

  /** The dependencies of the nearest package.json above a file (per-workspace framework enablement). */
  packageOf(file: string): PackageInfo | undefined {
    // Asked for every call the analysis matches against the catalogue: remembered per file.
    let info = this.packageByFile.get(file);
    if (info === undefined) this.packageByFile.set(file, (info = this.findPackage(path.dirname(file))));
    return info ?? undefined;
  }

  private readonly packageByFile = new Map<string, PackageInfo | null>();

  /** Per package and list of names (a detector's own, constant list: compared by identity; asked per file). */
  private readonly packageUse = new Map<PackageInfo, Map<readonly string[], boolean>>();

  /**
   * Whether a package.json above the file (its own or an enclosing workspace's) lists one of `names`;
   * undefined when there is no package.json above it at all.
   */
  usesPackage(file: string, names: readonly string[]): boolean | undefined {
    let info = this.packageOf(file);
    if (!info) return undefined;
    let byNames = this.packageUse.get(info);
    if (!byNames) this.packageUse.set(info, (byNames = new Map<readonly string[], boolean>()));
    const cached = byNames.get(names);
    if (cached !== undefined) return cached;
    let found = false;
    while (info && !found) {
      const deps = info.deps;
      found = names.some((n) => deps.has(n));
      const parent = path.dirname(info.dir);
      info = parent === info.dir ? undefined : this.findPackage(parent) ?? undefined;
    }
    byNames.set(names, found);
    return found;
  }

  private readonly relativeNames = new Map<string, string>();

  /** The file's path from the working folder, with forward slashes (asked once per write and report). */
  relative(file: string): string {
    let rel = this.relativeNames.get(file);
    if (rel === undefined) {
      rel = path.relative(this.cwd, file).split(path.sep).join('/');
      this.relativeNames.set(file, rel);
      this.absoluteNames.set(rel, file);
    }
    return rel;
  }

  private readonly absoluteNames = new Map<string, string>();

  /** The file a name `relative` gave stands for (a report's evidence names files that way). */
  absolute(rel: string): string {
    return this.absoluteNames.get(rel) ?? path.resolve(this.cwd, rel);
  }

  private findPackage(dir: string): PackageInfo | null {
    const cached = this.packageByDir.get(dir);
    if (cached !== undefined) return cached;
    let info: PackageInfo | null;
    const file = path.join(dir, 'package.json');
    if (isFile(file)) {
      try {
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        const deps = new Set<string>();
        for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
          const value = json[field];
          if (value && typeof value === 'object') for (const name of Object.keys(value)) deps.add(name);
        }
        info = { dir, deps };
      } catch {
        info = { dir, deps: new Set() };
      }
    } else {
      const parent = path.dirname(dir);
      info = parent === dir ? null : this.findPackage(parent);
    }
    this.packageByDir.set(dir, info);
    return info;
  }

  private compilerSetup(dir: string): CompilerSetup {
    if (this.explicit) return this.explicit;
    const cached = this.configByDir.get(dir);
    if (cached) return cached;
    let setup: CompilerSetup;
    const candidate = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(dir, n)).find(isFile);
    if (candidate) {
      try {
        setup = this.loadConfig(candidate, false);
      } catch (error) {
        this.errors.push({ file: this.relative(candidate), message: `${errorMessage(error)}; using default compiler options` });
        setup = this.defaultSetup();
      }
    } else {
      const parent = path.dirname(dir);
      setup = parent === dir ? this.defaultSetup() : this.compilerSetup(parent);
    }
    this.configByDir.set(dir, setup);
    return setup;
  }

  private defaultSetup(): CompilerSetup {
    const options = DEFAULT_OPTIONS(this.ts);
    return { options, cache: this.ts.createModuleResolutionCache(this.cwd, (f) => f, options) };
  }

  private loadConfig(file: string, fatal: boolean): CompilerSetup {
    const t = this.ts;
    if (!isFile(file)) throw new IdemScanError(`tsconfig not found: ${this.relative(file)}`);
    const read = t.readConfigFile(file, (f) => t.sys.readFile(f));
    if (read.error) {
      const message = `cannot read ${this.relative(file)}: ${t.flattenDiagnosticMessageText(read.error.messageText, ' ')}`;
      throw fatal ? new IdemScanError(message, 'fix the file or pass another one with --project') : new Error(message);
    }
    // Only the options matter; the file list is ours. An empty `files` keeps TypeScript from globbing.
    const raw = { ...(read.config as Record<string, unknown>), files: [], include: [] };
    const parsed = t.parseJsonConfigFileContent(raw, t.sys, path.dirname(file), undefined, file);
    const hard = parsed.errors.filter((d) => d.code !== 18002 && d.code !== 18003);
    const firstHard = hard[0];
    if (firstHard && fatal) {
      throw new IdemScanError(`invalid ${this.relative(file)}: ${t.flattenDiagnosticMessageText(firstHard.messageText, ' ')}`);
    }
    const options = { ...DEFAULT_OPTIONS(t), ...parsed.options, allowJs: true };
    return { options, cache: t.createModuleResolutionCache(path.dirname(file), (f) => f, options) };
  }
}

export interface PackageInfo {
  dir: string;
  deps: Set<string>;
}

/** `packages/*`, `apps/web`, `packages/**`: the folders a workspace pattern names (one `*` level, or `**` two). */
function expandWorkspacePattern(root: string, pattern: string): string[] {
  const clean = pattern.replace(/\/+$/, '');
  const star = clean.indexOf('*');
  if (star < 0) return [path.join(root, clean)];
  const base = path.join(root, clean.slice(0, star));
  const deep = clean.includes('**');
  const out: string[] = [];
  const list = (dir: string, level: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.')) continue;
      out.push(path.join(dir, e.name));
      if (deep && level < 2) list(path.join(dir, e.name), level + 1);
    }
  };
  list(base, 0);
  return out;
}

function scriptKind(t: TS, file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return t.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return t.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return t.ScriptKind.JS;
  return t.ScriptKind.TS;
}

function isFile(file: string): boolean {
  try {
    // Most probes miss: without throwIfNoEntry every miss builds an Error with a stack trace.
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** A monorepo root declared in `dir`: pnpm-workspace.yaml, or package.json `workspaces`. */
function workspaceRootAt(dir: string): { dir: string; patterns: string[] } | undefined {
  const pnpm = path.join(dir, 'pnpm-workspace.yaml');
  if (isFile(pnpm)) {
    const text = fs.readFileSync(pnpm, 'utf8');
    const patterns = [...text.matchAll(/^\s*-\s*['"]?([^'"\n#]+?)['"]?\s*$/gm)].map((m) => m[1]!).filter((p) => !p.startsWith('!'));
    return { dir, patterns };
  }
  const pkg = path.join(dir, 'package.json');
  if (isFile(pkg)) {
    try {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: unknown };
      const ws = Array.isArray(json.workspaces) ? json.workspaces : (json.workspaces as { packages?: unknown } | undefined)?.packages;
      if (Array.isArray(ws)) return { dir, patterns: ws.filter((p): p is string => typeof p === 'string') };
    } catch {
      // An unreadable package.json is not a workspace root.
    }
  }
  return undefined;
}
