// `idem-scan [paths...]`: the CLI and CI gate. Exit codes: 0 no finding at or above --fail-on,
// 1 findings, 2 usage or fatal error (one line, never a stack trace). The analysis core is imported
// only when a scan runs, so `--version` and `--help` stay fast.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { AnalysisResult, HttpMethod, Severity } from '../core/types.js';
import type { Analyzer } from '../core/session.js';
import { HTTP_METHODS, SEVERITIES } from '../core/types.js';
import { packageVersion } from '../version.js';
import { makeChalk } from './colors.js';
import { FORMATS, REPORTERS, type FormatName } from '../reporters/index.js';
import { summaryLine } from '../reporters/text.js';
import { Progress } from './progress.js';

interface CliOptions {
  format: FormatName;
  outputFile?: string;
  methods: string;
  minSeverity: Severity;
  failOn?: Severity;
  project?: string;
  config?: string;
  gitignore: boolean;
  quiet?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  fixOnly?: Severity;
  sarifFile?: string;
  verbose?: boolean;
  failOnUnresolved?: boolean;
  changedSince?: string;
  suppressAll?: boolean;
  pruneSuppressions?: boolean;
  suppressionsLocation: string;
}

/** What the process entry (cli/run.ts) learns of a run. */
export interface MainHooks {
  /** Called once a scan is over, before reporting: the moment to keep what was compiled for it. */
  scanned?: () => void;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, hooks: MainHooks = {}): Promise<number> {
  const program = new Command('idem-scan')
    .description('Find POST/PUT handlers that write state without idempotency handling (Express, Fastify, NestJS, Next.js).')
    .version(packageVersion(), '-v, --version')
    .argument('[paths...]', 'files or folders to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
    .option('-o, --output-file <file>', 'write the report to a file (a summary still goes to stdout)')
    .option('--sarif-file <file>', 'also write SARIF there (for GitHub code scanning), whatever --format says')
    .option('--methods <list>', 'HTTP methods to report, comma-separated (PATCH handlers are always listed)', 'POST,PUT')
    .addOption(new Option('--min-severity <severity>', 'report findings at or above this severity').choices(SEVERITIES).default('medium'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for findings at or above this severity (default: any finding)').choices(SEVERITIES))
    .option('-p, --project <tsconfig>', 'tsconfig/jsconfig to resolve imports with (default: the nearest one above each file)')
    .option('-c, --config <file>', 'config file (default: idem-scan.config.json, .idem-scanrc.json or package.json "idem-scan")')
    .option('--no-gitignore', 'scan files that .gitignore excludes')
    .option('-q, --quiet', 'print findings only, no summary')
    .option('--verbose', 'list every handler that could not be followed, not the first ten')
    .option('--fail-on-unresolved', 'exit 1 when a handler could not be followed (also config "failOnUnresolved")')
    .option('--changed-since <ref>', 'PR mode: report only findings whose handler or a write on its path changed since the git ref')
    .option('--suppress-all', `record every current finding in the baseline (idem-scan-suppressions.json) so later runs report only new ones`)
    .option('--prune-suppressions', 'drop baseline entries that no longer match a finding')
    .option('--suppressions-location <file>', 'the baseline file', 'idem-scan-suppressions.json')
    .option('--fix', 'add idempotency handling to the reported handlers (writes the files)')
    .option('--fix-dry-run', 'print the fixes as a unified diff (for git apply) instead of writing them')
    .addOption(new Option('--fix-only <severity>', 'fix only findings at or above this severity').choices(SEVERITIES))
    .exitOverride()
    .showSuggestionAfterError();

  let paths: string[];
  let options: CliOptions;
  try {
    program.parse(argv, { from: 'user' });
    paths = program.args.length > 0 ? program.args : ['.'];
    options = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }

  const stdoutTTY = process.stdout.isTTY;
  const chalk = makeChalk(env, stdoutTTY && !options.outputFile);
  const methods = parseMethods(options.methods);
  if (typeof methods === 'string') return usageError(methods);

  if (options.fix && options.fixDryRun) return usageError('--fix and --fix-dry-run cannot be used together');
  if (options.fixOnly && !options.fix && !options.fixDryRun) return usageError('--fix-only goes with --fix or --fix-dry-run');
  const [{ createAnalyzer }, { loadConfig }, { loadBundledTs }, { saveCodeCaches }] = await Promise.all([
    import('../index.js'),
    import('../config/load-config.js'),
    import('../core/ts.js'),
    import('../core/code-cache.js'),
  ]);
  const ts = await loadBundledTs();
  const cwd = process.cwd();
  const { config } = loadConfig(cwd, options.config);
  const progress = new Progress(process.stderr, process.stderr.isTTY && !options.quiet);
  let result: AnalysisResult;
  let analyzer: Analyzer;
  if (options.suppressAll && (options.fix || options.fixDryRun || options.pruneSuppressions)) return usageError('--suppress-all records findings; it does not go with --fix, --fix-dry-run or --prune-suppressions');
  try {
    analyzer = createAnalyzer({
      cwd,
      ts,
      methods,
      minSeverity: options.minSeverity,
      config,
      gitignore: options.gitignore,
      ...(options.project ? { project: options.project } : {}),
    });
    result = analyzer.analyzePaths(paths, (done, total) => {
      progress.update(done, total);
    });
  } finally {
    progress.done();
  }
  // The compiler's code cache, with what this scan compiled, for the next run (see core/code-cache.ts).
  saveCodeCaches();
  hooks.scanned?.();

  // A gate that scanned nothing must not pass green.
  if (result.summary.files === 0) {
    const why = result.summary.gitignored > 0
      ? `${result.summary.gitignored} file(s) ignored by .gitignore — pass --no-gitignore to scan them`
      : 'no JavaScript or TypeScript source files in the given paths';
    return usageError(`nothing to scan: ${why}`);
  }

  if (options.changedSince) {
    const [{ changedFiles }, { limitToChanged }] = await Promise.all([import('./git.js'), import('../core/changed.js')]);
    const changed = changedFiles(cwd, options.changedSince);
    result = limitToChanged(result, changed, cwd);
    result.summary.changedSince = { ref: options.changedSince, files: changed.size };
  }

  const { BASELINE_FILE, applyBaseline, baselineOf, parseBaseline } = await import('../core/baseline.js');
  const baselinePath = path.resolve(cwd, options.suppressionsLocation);
  if (options.suppressAll) {
    const baseline = baselineOf(result.findings);
    writeJson(baselinePath, baseline);
    process.stdout.write(`${chalk.green('✔')} recorded ${result.findings.length} finding(s) in ${options.suppressionsLocation}; later runs report only new ones\n`);
    return 0;
  }
  if (fs.existsSync(baselinePath)) {
    const parsed = parseBaseline(fs.readFileSync(baselinePath, 'utf8'));
    if (typeof parsed === 'string') return usageError(`${options.suppressionsLocation}: ${parsed}`);
    const outcome = applyBaseline(result, parsed);
    result = outcome.result;
    result.summary.baseline = { file: options.suppressionsLocation, suppressed: outcome.suppressed, stale: options.pruneSuppressions ? 0 : outcome.stale };
    if (options.pruneSuppressions) {
      writeJson(baselinePath, outcome.pruned);
      process.stderr.write(`idem-scan: pruned ${outcome.stale} stale entr${outcome.stale === 1 ? 'y' : 'ies'} from ${options.suppressionsLocation}\n`);
    }
  } else if (options.pruneSuppressions) {
    return usageError(`--prune-suppressions: ${options.suppressionsLocation} not found (create it with --suppress-all)`);
  } else if (options.suppressionsLocation !== BASELINE_FILE) {
    return usageError(`--suppressions-location: ${options.suppressionsLocation} not found`);
  }

  if (options.fix || options.fixDryRun) {
    const { fixCommand } = await import('./fix-command.js');
    return fixCommand(result, analyzer, { cwd, write: Boolean(options.fix), only: options.fixOnly, failOn: options.failOn ?? options.minSeverity, chalk, quiet: Boolean(options.quiet), module: config.fix?.module ?? '@idem-scan/runtime' });
  }

  const reportContext = { version: packageVersion(), chalk, quiet: Boolean(options.quiet), verbose: Boolean(options.verbose), cwd, srcRoot: repositoryRoot(cwd) };
  if (options.sarifFile) {
    const file = path.resolve(cwd, options.sarifFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, REPORTERS.sarif(result, { ...reportContext, chalk: makeChalk({ NO_COLOR: '1' }, false) }));
  }
  const report = REPORTERS[options.format](result, reportContext);
  if (options.outputFile) {
    const file = path.resolve(cwd, options.outputFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, report);
    if (!options.quiet) process.stdout.write(`${summaryLine(result, chalk)} · report written to ${options.outputFile}\n`);
  } else {
    process.stdout.write(report);
  }
  const failOn = options.failOn ?? options.minSeverity;
  const failing = result.findings.some((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(failOn));
  const blind = (options.failOnUnresolved ?? config.failOnUnresolved ?? false) && result.summary.unresolved > 0;
  return failing || blind ? 1 : 0;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The git work tree that holds `cwd` (SARIF paths are relative to it), else `cwd`. */
function repositoryRoot(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}

function parseMethods(list: string): HttpMethod[] | string {
  const methods = list.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
  const unknown = methods.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m));
  if (unknown.length > 0 || methods.length === 0) return `--methods takes a comma-separated list of ${HTTP_METHODS.join(', ')}; got "${list}"`;
  return methods as HttpMethod[];
}

function usageError(message: string): number {
  process.stderr.write(`idem-scan: ${message}\n`);
  return 2;
}
