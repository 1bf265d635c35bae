// The pipeline: files → project → framework detectors → handlers → state writes → mitigations →
// severity → findings. Returns data; never prints or exits. Throws IdemScanError for fatal input
// problems (missing path, unreadable --project tsconfig); everything else lands in `errors`.
import path from 'node:path';
import type { AnalyzeOptions } from './options.js';
import { DEFAULT_METHODS, DEFAULT_MIN_SEVERITY } from './options.js';
import type { AnalysisResult, Finding, HandlerReport, ScanError } from './types.js';
import { HTTP_METHODS } from './types.js';
import type { tsTypes as ts } from './ts.js';
import { loadBundledTs } from './ts.js';
import { collectFiles, readSource } from './files.js';
import { Project } from './project.js';
import { Resolver } from './resolver.js';
import { SchemaIndex } from './schema.js';
import { Effects } from './effects.js';
import { buildKnowledge } from './knowledge.js';
import { classifyRoute, type ClassifyContext } from './classify.js';
import { DETECTORS } from '../frameworks/index.js';
import type { RouteHandler } from '../frameworks/types.js';
import { errorMessage } from './errors.js';
import { isSuppressed } from './suppressions.js';

export async function analyze(options: AnalyzeOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const ts = options.ts ?? (await loadBundledTs());
  const knowledge = buildKnowledge(options.config);
  const { files, errors: fileErrors } = await collectFiles({
    paths: options.paths,
    cwd,
    gitignore: options.gitignore ?? true,
    ...(options.config?.ignore ? { ignore: options.config.ignore } : {}),
  });
  const project = new Project({ ts, cwd, project: options.project, readSource });
  const resolver = new Resolver(project);

  // First pass: read every file once and parse only those that can declare routes.
  const candidates = new Map<string, ts.SourceFile[]>(DETECTORS.map((d) => [d.id, []]));
  let done = 0;
  for (const file of files) {
    const read = readSource(file);
    done++;
    options.onProgress?.(done, files.length);
    if ('error' in read) {
      project.markUnreadable(file, read.error);
      continue;
    }
    const interested = DETECTORS.filter((d) => d.mightDeclareRoutes(read.text, file));
    if (interested.length === 0) {
      project.remember(file, read.text);
      continue;
    }
    const sf = project.parse(file, read.text);
    for (const d of interested) candidates.get(d.id)!.push(sf);
  }

  const routes: RouteHandler[] = [];
  const detectorErrors: ScanError[] = [];
  for (const detector of DETECTORS) {
    try {
      routes.push(...detector.detect(candidates.get(detector.id) ?? [], { ts, project, resolver }));
    } catch (error) {
      detectorErrors.push({ file: '.', message: `the ${detector.id} detector failed: ${errorMessage(error)}` });
    }
  }

  resolver.clearMemo();
  const ctx: ClassifyContext = {
    ts,
    project,
    resolver,
    effects: new Effects(ts, resolver, knowledge, new SchemaIndex(ts, resolver)),
    knowledge,
    methods: options.methods ?? DEFAULT_METHODS,
    minSeverity: options.minSeverity ?? DEFAULT_MIN_SEVERITY,
  };
  const handlers: HandlerReport[] = [];
  for (const route of dedupe(routes)) {
    try {
      const report = classifyRoute(route, ctx);
      if (report.status === 'reported' && isSuppressed(route.anchor)) {
        report.status = 'suppressed';
        report.reason = `suppressed by an idem-scan-ignore comment; ${report.reason}`;
      }
      handlers.push(report);
    } catch (error) {
      const sf = route.anchor.getSourceFile();
      detectorErrors.push({ file: project.relative(sf.fileName), message: `analysis failed for a ${route.method} handler: ${errorMessage(error)}` });
    }
  }
  handlers.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method));
  const findings = handlers.filter((h) => h.status === 'reported').map(toFinding);
  const errors = [...fileErrors, ...project.errors, ...detectorErrors];
  return {
    findings,
    handlers,
    errors,
    summary: { files: files.length, handlers: handlers.length, findings: findings.length, durationMs: Math.round(performance.now() - started) },
  };
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

function toFinding(h: HandlerReport): Finding {
  const where = h.route ? `${h.method} ${h.route}` : `${h.method} handler`;
  return {
    ruleId: 'missing-idempotency-key',
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
    writes: h.writes,
    ...(h.weak ? { weak: h.weak } : {}),
  };
}
