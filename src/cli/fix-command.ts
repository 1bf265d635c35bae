// The CLI's fix mode: `--fix` writes, `--fix-dry-run` prints the patch on stdout (and the summary on
// stderr, so the patch can be piped to `git apply`). Exit code: 1 while findings at or above
// --fail-on remain unfixed, else 0.
import type { ChalkInstance } from 'chalk';
import type { AnalysisResult, Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import type { Analyzer } from '../core/session.js';
import { missingRuntime, runFixes, selectFindings, unifiedDiff } from './fix.js';

export interface FixCommandOptions {
  cwd: string;
  write: boolean;
  only: Severity | undefined;
  failOn: Severity;
  chalk: ChalkInstance;
  quiet: boolean;
  /** The module fixed code imports (config `fix.module`). */
  module: string;
}

export function fixCommand(result: AnalysisResult, analyzer: Analyzer, options: FixCommandOptions): number {
  const { chalk } = options;
  const selected = selectFindings(result.findings, options.only);
  const run = runFixes(selected, options.cwd, (file) => analyzer.analyzedText(file), options.write);
  const log = options.write ? (line: string) => process.stdout.write(`${line}\n`) : (line: string) => process.stderr.write(`${line}\n`);
  if (!options.write) process.stdout.write(unifiedDiff(run));

  const where = (f: Finding): string => `${f.file}:${f.line}  ${f.method} ${f.route ?? ''}`.trimEnd();
  if (!options.quiet) {
    const files = new Set(run.fixed.flatMap((f) => (f.fix?.available ? f.fix.edits.map((e) => e.file) : [])));
    const verb = options.write ? 'fixed' : 'would fix';
    log(`${chalk.green('✔')} ${verb} ${run.fixed.length} of ${selected.length} finding(s) in ${files.size} file(s)`);
    if (run.outcome.unavailable.length > 0) {
      log(`${chalk.yellow('!')} ${run.outcome.unavailable.length} finding(s) have no safe fix:`);
      for (const { finding, reason } of run.outcome.unavailable) log(`  ${where(finding)} — ${reason}`);
    }
    for (const { finding, reason } of run.outcome.skipped) log(`${chalk.yellow('!')} ${where(finding)} not fixed: ${reason}`);
    for (const file of run.changedOnDisk) log(`${chalk.yellow('!')} ${file} changed on disk since it was read; left alone (run again)`);
    const missing = missingRuntime([...files], options.cwd, options.module);
    if (missing.length > 0) {
      log(`${chalk.cyan('i')} the fixed code imports ${options.module}, which ${missing.map((d) => `${d}/package.json`).join(', ')} does not list: npm install ${options.module}`);
    }
  }
  const fixed = new Set(options.write ? run.fixed : []);
  const failing = result.findings.some((f) => !fixed.has(f) && SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(options.failOn));
  return failing ? 1 : 0;
}
