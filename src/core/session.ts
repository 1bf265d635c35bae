// The long-lived entry point every face uses: an Analyzer is created once per process (CLI run,
// ESLint process) with the config and the framework registry, and answers `analyzePaths` (a scan) and
// `analyzeFile` (one file, e.g. an unsaved editor buffer). It keeps what it learned about the app a
// file belongs to — parses, detected routes, app-wide middleware and interceptors — and throws it away
// only when a file it depends on changed, so linting file after file costs one parse each.
import { createHash } from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import type { AnalyzerOptions } from './options.js';
import { DEFAULT_METHODS, DEFAULT_MIN_SEVERITY } from './options.js';
import type { AnalysisResult, Finding, HandlerReport, ScanError } from './types.js';
import { HTTP_METHODS } from './types.js';
import type { TS, tsTypes as ts } from './ts.js';
import { loadBundledTsSync } from './ts.js';
import { collectFiles, isTestFile, type FolderListings } from './files.js';
import { Project } from './project.js';
import { Resolver } from './resolver.js';
import { SchemaIndex, readSmallText } from './schema.js';
import { Effects } from './effects.js';
import { buildKnowledge, type Knowledge } from './knowledge.js';
import { classifyRoute, type ClassifyContext } from './classify.js';
import type { DetectorContext, FrameworkDetector, RouteHandler } from './plugin.js';
import { errorMessage } from './errors.js';
import { SUPPRESSIBLE_RULES, suppressionComments, suppressionFor, type SuppressionComment } from './suppressions.js';
import { SourceCache, sameStamp, stampOf, type Stamp } from './source-cache.js';
import { planFix } from './fix/plan.js';
import { DEFAULT_FIX_OPTIONS, type FixOptions, type FixPlan } from './fix/types.js';

/** What one file contributes: its handlers and findings, and the problems met on the way. */
export interface FileAnalysis {
  findings: Finding[];
  handlers: HandlerReport[];
  errors: ScanError[];
}

export interface AnalyzeFileInput {
  /** The file's current text (an editor buffer); defaults to the text on disk. */
  text?: string;
  /** A parse of exactly `text` made with this analyzer's `ts` (the ESLint parser's), to save a parse. */
  sourceFile?: ts.SourceFile;
  /**
   * A TypeScript program built with this analyzer's `ts` (typed linting): its parses of other files
   * are used instead of parsing them again.
   */
  program?: { getSourceFile(fileName: string): ts.SourceFile | undefined };
}

/** One analysed app: everything detection learned, and the stamps that say when it is stale. */
interface AppState {
  files: ReadonlySet<string>;
  project: Project;
  ctx: ClassifyContext;
  routesByFile: Map<string, RouteHandler[]>;
  errors: ScanError[];
  /** Disk stamps of every file the state read (first pass, lazy parses, schemas). */
  stamps: Map<string, Stamp | null>;
  /** Stamps of the app's folders (set for an app analysed file by file): a file added or removed changes its folder's. */
  folders: Map<string, Stamp | null>;
  /** The editor buffer the state was built with, if any. */
  overlay?: { file: string; text: string };
  /** Per linted file: its verdicts and the files they were drawn from. */
  verdicts: Map<string, Verdicts>;
  checkedAt: number;
}

interface Verdicts {
  handlers: HandlerReport[];
  errors: ScanError[];
  deps: Set<string>;
  /** The fix of each reported handler. */
  fixes: Map<HandlerReport, FixPlan>;
  /** Suppression comments that are wrong or unused, as findings of their own. */
  problems: Finding[];
}


/** How often (ms) a warm analyzer re-checks every file of an app, beyond a file's own dependencies. */
const DEFAULT_RECHECK_MS = 250;

export class Analyzer {
  readonly ts: TS;
  readonly cwd: string;
  private readonly options: AnalyzerOptions;
  private readonly knowledge: Knowledge;
  private readonly sources: SourceCache;
  private readonly apps = new Map<string, AppState>();
  private readonly recheckMs: number;
  private readonly fixOptions: FixOptions;

  constructor(options: AnalyzerOptions) {
    this.options = options;
    this.ts = options.ts ?? loadBundledTsSync();
    this.cwd = path.resolve(options.cwd ?? process.cwd());
    this.knowledge = buildKnowledge(options.config);
    this.sources = new SourceCache(this.ts);
    this.recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.fixOptions = { ...DEFAULT_FIX_OPTIONS, ...options.config?.fix };
  }

  /** A scan of files and folders, as the CLI runs it. Throws IdemScanError for a missing path. */
  analyzePaths(paths: readonly string[], onProgress?: (done: number, total: number) => void): AnalysisResult {
    const started = performance.now();
    const { files, errors: fileErrors, gitignored, listings } = collectFiles({
      paths,
      cwd: this.cwd,
      gitignore: this.options.gitignore ?? true,
      ...(this.options.config?.ignore ? { ignore: this.options.config.ignore } : {}),
    });
    // The scan's state is not kept (unlike an editor's app state), so no file needs its disk stamp.
    const state = this.build(files, undefined, onProgress, undefined, undefined, { listings });
    // Every route file is analysed next, and the services and controllers they import are where
    // their handlers' calls lead: parsed now, in one run while the parser is hot, rather than one at a
    // time between analyses. (Not for a file linted alone, which needs only its own imports.)
    state.project.prefetchImports([...state.routesByFile.values()].map((list) => list[0]!.anchor.getSourceFile()));
    const handlers: HandlerReport[] = [];
    const errors: ScanError[] = [];
    const fixes = new Map<HandlerReport, FixPlan>();
    const problems: Finding[] = [];
    for (const file of state.routesByFile.keys()) {
      const verdict = this.verdictsFor(state, file);
      handlers.push(...verdict.handlers);
      errors.push(...verdict.errors);
      problems.push(...verdict.problems);
      for (const [h, fix] of verdict.fixes) fixes.set(h, fix);
    }
    sortHandlers(handlers);
    const findings = sortFindings([...handlers.filter((h) => h.status === 'reported').map((h) => toFinding(h, fixes.get(h))), ...problems]);
    return {
      findings,
      handlers,
      errors: [...fileErrors, ...state.errors, ...state.project.errors, ...errors],
      summary: { files: files.length, gitignored, handlers: handlers.length, findings: findings.length, ...coverage(handlers), durationMs: Math.round(performance.now() - started) },
    };
  }

  /**
   * The handlers one file declares, judged in the context of its app: the folder of the nearest
   * package.json above it, scanned the way the CLI scans it, so middleware registered in `app.ts` or
   * a global Nest interceptor counts for a router file linted alone.
   */
  analyzeFile(fileName: string, input: AnalyzeFileInput = {}): FileAnalysis {
    const file = path.resolve(this.cwd, fileName);
    const text = input.text ?? this.diskText(file);
    const root = appRootOf(file);
    let state = this.apps.get(root);
    const freshness = state ? this.freshness(state, file, text) : 'stale';
    if (!state || freshness !== 'fresh') {
      const overlay = text === undefined ? undefined : { file, text, ...(input.sourceFile ? { sourceFile: input.sourceFile } : {}) };
      const previousFolders = state?.folders;
      if (state && freshness === 'edited') {
        // Only this file's text changed: keep the file list and what was learned about the file system.
        state = this.build([...state.files], overlay, undefined, state.project, input.program);
      } else {
        const { files } = collectFiles({
          paths: [root],
          cwd: this.cwd,
          gitignore: this.options.gitignore ?? true,
          ...(this.options.config?.ignore ? { ignore: this.options.config.ignore } : {}),
        });
        // A file being linted is analysed even where a folder scan would skip it (as when named on the CLI).
        if (!files.includes(file)) files.push(file);
        state = this.build(files, overlay, undefined, undefined, input.program);
      }
      if (freshness !== 'edited') state.folders = folderStamps(state.files, root);
      else state.folders = previousFolders ?? folderStamps(state.files, root);
      this.apps.set(root, state);
    }
    const verdict = this.verdictsFor(state, file);
    const handlers = [...verdict.handlers];
    sortHandlers(handlers);
    const fileErrors = state.project.errors.filter((e) => e.file === state.project.relative(file));
    const findings = sortFindings([...handlers.filter((h) => h.status === 'reported').map((h) => toFinding(h, verdict.fixes.get(h))), ...verdict.problems]);
    return { handlers, findings, errors: [...fileErrors, ...verdict.errors] };
  }

  /** The text the analysis read for a file (relative to cwd or absolute): what fix offsets refer to. */
  analyzedText(file: string): string | undefined {
    return this.sources.cachedText(path.resolve(this.cwd, file));
  }

  private fixFor(route: RouteHandler, ctx: ClassifyContext): FixPlan {
    try {
      return planFix(route, ctx, this.fixOptions);
    } catch (error) {
      return { available: false, reason: `the fix could not be planned: ${errorMessage(error)}` };
    }
  }

  private diskText(file: string): string | undefined {
    const { read } = this.sources.read(file);
    return 'text' in read ? read.text : undefined;
  }

  /** Parses the files, runs every framework detector, and prepares classification. */
  /**
   * `oneOff`: a scan whose state is not kept (the CLI's), with the folder listings its file walk made:
   * no file needs a disk stamp, and the schema search may reuse the listings.
   */
  private build(files: readonly string[], overlay: { file: string; text: string; sourceFile?: ts.SourceFile } | undefined, onProgress?: (done: number, total: number) => void, reuse?: Project, program?: AnalyzeFileInput['program'], oneOff?: { listings: FolderListings }): AppState {
    const stamped = !oneOff;
    const ts = this.ts;
    const stamps = new Map<string, Stamp | null>();
    const sources = this.sources;
    const readSource = (file: string): { text: string } | { error: string } => {
      if (overlay && file === overlay.file) return { text: overlay.text };
      if (!stamped) return sources.readFresh(file);
      // On a rebuild after an edit, the other files' stamps were compared within recheckMs: trust them.
      const { read, stamp } = sources.read(file, reuse ? this.recheckMs : 0);
      stamps.set(file, stamp);
      return read;
    };
    let project: Project;
    if (reuse) {
      project = reuse;
      project.resetSources(readSource, program);
    } else {
      project = new Project({ ts, cwd: this.cwd, project: this.options.project, readSource, parseCache: sources, program });
    }
    const resolver = new Resolver(project);
    const frameworks: readonly FrameworkDetector[] = this.options.frameworks;

    // First pass: read every file once and parse only those that can declare routes.
    const candidates = new Map<string, ts.SourceFile[]>(frameworks.map((d) => [d.id, []]));
    let done = 0;
    for (const file of files) {
      const read = readSource(file);
      done++;
      onProgress?.(done, files.length);
      if ('error' in read) {
        project.markUnreadable(file, read.error);
        continue;
      }
      // Tests build throw-away apps around the real handlers: their registrations are not routes.
      const interested = isTestFile(file) ? [] : frameworks.filter((d) => detectorApplies(d, project, file, read.text) && d.mightDeclareRoutes(read.text, file));
      if (interested.length === 0) {
        project.remember(file, read.text);
        continue;
      }
      const sf = overlay?.sourceFile && file === overlay.file ? project.adopt(file, overlay.sourceFile) : project.parse(file, read.text);
      for (const d of interested) candidates.get(d.id)!.push(sf);
    }

    const routes: RouteHandler[] = [];
    const errors: ScanError[] = [];
    for (const detector of frameworks) {
      routes.push(...detectIsolating(detector, candidates.get(detector.id) ?? [], { ts, project, resolver }, errors));
    }
    resolver.detectionDone();

    const routesByFile = new Map<string, RouteHandler[]>();
    for (const route of dedupe(routes)) {
      const file = route.anchor.getSourceFile().fileName;
      let list = routesByFile.get(file);
      if (!list) routesByFile.set(file, (list = []));
      list.push(route);
    }
    const schemaReader = (file: string): string => {
      if (stamped) stamps.set(file, stampOf(file));
      return readSmallText(file);
    };
    const ctx: ClassifyContext = {
      ts,
      project,
      resolver,
      effects: new Effects(ts, resolver, this.knowledge, new SchemaIndex(ts, resolver, schemaReader, oneOff?.listings)),
      knowledge: this.knowledge,
      methods: this.options.methods ?? DEFAULT_METHODS,
      minSeverity: this.options.minSeverity ?? DEFAULT_MIN_SEVERITY,
    };
    return {
      files: new Set(files),
      project,
      ctx,
      routesByFile,
      errors,
      stamps,
      folders: new Map(),
      ...(overlay ? { overlay: { file: overlay.file, text: overlay.text } } : {}),
      verdicts: new Map(),
      checkedAt: Date.now(),
    };
  }

  private verdictsFor(state: AppState, file: string): Verdicts {
    const cached = state.verdicts.get(file);
    if (cached) return cached;
    const deps = new Set<string>([file]);
    const stopWatching = state.project.watchAccess((f) => deps.add(f));
    const handlers: HandlerReport[] = [];
    const errors: ScanError[] = [];
    const fixes = new Map<HandlerReport, FixPlan>();
    const problems: Finding[] = [];
    const routes = state.routesByFile.get(file) ?? [];
    const comments = routes[0] ? suppressionComments(routes[0].anchor.getSourceFile()) : [];
    const used = new Set<SuppressionComment>();
    try {
      for (const route of routes) {
        try {
          const report = classifyRoute(route, state.ctx);
          const comment = suppressionFor(route.anchor, comments);
          if (comment) {
            used.add(comment);
            problems.push(...applySuppression(report, comment));
          }
          if (report.status === 'reported') fixes.set(report, this.fixFor(route, state.ctx));
          handlers.push(report);
        } catch (error) {
          errors.push({ file: state.project.relative(file), message: `analysis failed for a ${route.method} handler: ${errorMessage(error)}` });
        }
      }
    } finally {
      stopWatching();
    }
    // The files the verdicts name as evidence are dependencies too, even when a cached summary saved reading them.
    for (const h of handlers) for (const w of h.writes) deps.add(state.project.absolute(w.file));
    for (const comment of comments) {
      if (!used.has(comment)) problems.push(suppressionProblem(state.project.relative(file), comment, undefined, 'suppresses nothing: no route registration follows it'));
    }
    const verdict = { handlers, errors, deps, fixes, problems };
    state.verdicts.set(file, verdict);
    return verdict;
  }

  /**
   * Whether a state still describes the code: `fresh` when the linted file's text is the one it was
   * built with, the files its verdicts were drawn from are unchanged on disk and (checked at most every
   * `recheckMs`) so is every other file it read; `edited` when only the linted file's text differs;
   * `stale` otherwise.
   */
  private freshness(state: AppState, file: string, text: string | undefined): 'fresh' | 'edited' | 'stale' {
    if (!state.files.has(file)) return 'stale';
    const known = state.overlay?.file === file ? state.overlay.text : this.stateText(state, file);
    const edited = text !== undefined && known !== text;
    const others = (f: string): boolean => f !== file && f !== state.overlay?.file;
    const verdict = state.verdicts.get(file);
    for (const dep of verdict?.deps ?? []) {
      if (others(dep) && state.stamps.has(dep) && !sameStamp(state.stamps.get(dep)!, stampOf(dep))) return 'stale';
    }
    const now = Date.now();
    if (now - state.checkedAt >= this.recheckMs) {
      for (const [other, stamp] of state.stamps) {
        if (others(other) && !sameStamp(stamp, stampOf(other))) return 'stale';
      }
      for (const [folder, stamp] of state.folders) if (!sameStamp(stamp, stampOf(folder))) return 'stale';
      state.checkedAt = now;
    }
    return edited ? 'edited' : 'fresh';
  }

  private stateText(state: AppState, file: string): string | undefined {
    const stamp = state.stamps.get(file);
    if (stamp === undefined) return undefined;
    // The state read this file at `stamp`; the cache still holds that text unless the file changed since.
    if (!sameStamp(stamp, stampOf(file))) return undefined;
    return this.diskText(file);
  }
}

/** The folder of the nearest package.json above a file (the app a CLI user would scan), else its folder. */
export function appRootOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

/** The folders that hold the files (and their parents up to the common one), with their stamps. */
function folderStamps(files: Iterable<string>, root: string): Map<string, Stamp | null> {
  const folders = new Map<string, Stamp | null>([[root, stampOf(root)]]);
  const inside = root.endsWith(path.sep) ? root : root + path.sep;
  for (const file of files) {
    for (let dir = path.dirname(file); dir.startsWith(inside) && !folders.has(dir); dir = path.dirname(dir)) {
      folders.set(dir, stampOf(dir));
    }
  }
  return folders;
}

/**
 * A detector runs on a file when the framework is a dependency of a package above it, when no
 * package.json says either way, or when the file itself names the package (`from 'fastify'`): an
 * Express app's route files are not also walked for Fastify, Nest and Next routes.
 */
function detectorApplies(detector: FrameworkDetector, project: Project, file: string, text: string): boolean {
  if (project.usesPackage(file, detector.packages) !== false) return true;
  return detector.packages.some((name) => text.includes(`'${name}`) || text.includes(`"${name}`));
}

function coverage(handlers: readonly HandlerReport[]): { unresolved: number; resolvedPercent: number } {
  const unresolved = handlers.filter((h) => h.status === 'unresolved').length;
  const resolvedPercent = handlers.length === 0 ? 100 : Math.round(((handlers.length - unresolved) / handlers.length) * 1000) / 10;
  return { unresolved, resolvedPercent };
}

/** The order of `localeCompare`, from one collator: `localeCompare` sets one up per call, and thousands of handlers are sorted. */
const byText = new Intl.Collator().compare;

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => byText(a.file, b.file) || a.line - b.line || a.column - b.column || byText(a.ruleId, b.ruleId));
}

/** Applies a suppression comment to a handler's verdict; returns what is wrong with the comment. */
function applySuppression(report: HandlerReport, comment: SuppressionComment): Finding[] {
  if (comment.rule && !(SUPPRESSIBLE_RULES as readonly string[]).includes(comment.rule)) {
    return [suppressionProblem(report.file, comment, report, `names an unknown rule "${comment.rule}" (known: ${SUPPRESSIBLE_RULES.join(', ')}); the handler is not suppressed`)];
  }
  if (report.status !== 'reported') {
    return [suppressionProblem(report.file, comment, report, `suppresses nothing: the handler is ${report.status} (${report.reason})`)];
  }
  report.status = 'suppressed';
  report.suppression = { kind: 'inSource', justification: comment.reason ?? '' };
  report.reason = `suppressed by an idem-scan-ignore comment${comment.reason ? ` (${comment.reason})` : ''}; ${report.reason}`;
  return comment.reason ? [] : [suppressionProblem(report.file, comment, report, 'gives no reason: write one after "--" so reviewers can see why')];
}

function suppressionProblem(file: string, comment: SuppressionComment, handler: HandlerReport | undefined, problem: string): Finding {
  return {
    ruleId: 'suppression-comment',
    fingerprint: createHash('sha256').update(['suppression-comment', file, handler?.method ?? '', handler?.route ?? '', handler?.symbol ?? '', comment.rule ?? '', comment.reason ?? ''].join('\0')).digest('hex').slice(0, 32),
    severity: 'low',
    message: `idem-scan-ignore comment ${problem}`,
    file,
    line: comment.line,
    column: comment.column,
    endLine: comment.line,
    endColumn: comment.column,
    framework: handler?.framework ?? null,
    method: handler?.method ?? null,
    route: handler?.route ?? null,
    symbol: handler?.symbol ?? '',
    writes: [],
  };
}

function sortHandlers(handlers: HandlerReport[]): void {
  handlers.sort((a, b) => byText(a.file, b.file) || a.line - b.line || a.column - b.column || HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method));
}

/** The same registration seen twice (e.g. through two detectors) is one handler. */
function dedupe(routes: RouteHandler[]): RouteHandler[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.anchor.getSourceFile().fileName}:${r.anchor.getStart()}:${r.method}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** See Finding.fingerprint. */
export function fingerprintOf(h: Pick<HandlerReport, 'file' | 'method' | 'route' | 'symbol'>): string {
  return createHash('sha256').update(['missing-idempotency-key', h.file, h.method, h.route ?? '', h.symbol].join('\0')).digest('hex').slice(0, 32);
}

export function toFinding(h: HandlerReport, fix?: FixPlan): Finding {
  const where = h.route ? `${h.method} ${h.route}` : `${h.method} handler`;
  return {
    ruleId: 'missing-idempotency-key',
    fingerprint: fingerprintOf(h),
    severity: h.severity ?? 'medium',
    message: `${where} writes state without idempotency handling: ${h.reason}`,
    file: h.file,
    line: h.line,
    column: h.column,
    endLine: h.endLine,
    endColumn: h.endColumn,
    framework: h.framework,
    method: h.method,
    route: h.route,
    symbol: h.symbol,
    writes: h.writes,
    ...(h.weak ? { weak: h.weak } : {}),
    ...(fix ? { fix } : {}),
  };
}

/**
 * Runs a detector over the app. One that fails is run file by file to find the files it fails on, and
 * then over the others again: one pathological file (generated code nested 20,000 deep) costs its own
 * routes, named in `errors`, not every route of the app. A failure no single file explains is reported
 * for the whole app, as before.
 */
function detectIsolating(detector: FrameworkDetector, files: readonly ts.SourceFile[], ctx: DetectorContext, errors: ScanError[]): RouteHandler[] {
  try {
    return detector.detect(files, ctx);
  } catch (error) {
    const failing = new Map<ts.SourceFile, unknown>();
    if (files.length > 1) {
      for (const sf of files) {
        try {
          detector.detect([sf], ctx);
        } catch (alone) {
          failing.set(sf, alone);
        }
      }
    }
    if (failing.size === 0 || failing.size === files.length) {
      errors.push({ file: '.', message: `the ${detector.id} detector failed: ${errorMessage(error)}` });
      return [];
    }
    for (const [sf, alone] of failing) {
      errors.push({ file: ctx.project.relative(sf.fileName), message: `the ${detector.id} detector failed on this file, so its routes were skipped: ${errorMessage(alone)}` });
    }
    try {
      return detector.detect(files.filter((sf) => !failing.has(sf)), ctx);
    } catch (again) {
      errors.push({ file: '.', message: `the ${detector.id} detector failed: ${errorMessage(again)}` });
      return [];
    }
  }
}
