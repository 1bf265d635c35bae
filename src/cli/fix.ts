// `--fix`, `--fix-dry-run` and `--fix-only`: applies the core's planned edits. A file is written only
// if it still holds the text the analysis read, and atomically (temporary file, then rename); a dry
// run prints a unified diff that `git apply` accepts.
import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { applyFixes, type FixOutcome } from '../core/fix/apply.js';

export interface FixRun {
  outcome: FixOutcome;
  /** Files left alone because they changed on disk after the analysis read them. */
  changedOnDisk: string[];
  /** Findings whose fix was applied (or, in a dry run, would be). */
  fixed: Finding[];
}

export function selectFindings(findings: readonly Finding[], only: Severity | undefined): Finding[] {
  return only ? findings.filter((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(only)) : [...findings];
}

export function runFixes(findings: readonly Finding[], cwd: string, textOf: (file: string) => string | undefined, write: boolean): FixRun {
  const outcome = applyFixes(findings, textOf);
  const changedOnDisk: string[] = [];
  const fixed = new Set<Finding>();
  for (const change of outcome.changes) {
    const file = path.resolve(cwd, change.file);
    let now: string | undefined;
    try {
      now = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    } catch {
      now = undefined;
    }
    if (now !== change.before) {
      changedOnDisk.push(change.file);
      continue;
    }
    if (write) writeAtomically(file, change.after);
    for (const f of change.findings) fixed.add(f);
  }
  // A finding whose edits span files counts as fixed only if every one of its files was written.
  const blocked = new Set(changedOnDisk);
  const result = [...fixed].filter((f) => f.fix?.available && !f.fix.edits.some((e) => blocked.has(e.file)));
  return { outcome, changedOnDisk, fixed: result };
}

/** A unified diff of every change, paths `a/<file>` and `b/<file>` relative to cwd (`git apply` reads it). */
export function unifiedDiff(run: FixRun): string {
  const blocked = new Set(run.changedOnDisk);
  return run.outcome.changes
    .filter((c) => !blocked.has(c.file))
    .map((c) => createTwoFilesPatch(`a/${c.file}`, `b/${c.file}`, c.before, c.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, `diff --git a/${c.file} b/${c.file}\n`))
    .join('');
}

function writeAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.idem-scan-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  fs.writeFileSync(temp, text, { mode });
  fs.renameSync(temp, file);
}

/** The package.json nearest to each changed file that does not list the fix's module. */
export function missingRuntime(files: readonly string[], cwd: string, module: string): string[] {
  const missing = new Set<string>();
  const name = module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : module.split('/')[0]!;
  if (name.startsWith('.')) return [];
  for (const rel of files) {
    for (let dir = path.dirname(path.resolve(cwd, rel)); ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg)) {
        try {
          const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as Record<string, Record<string, string> | undefined>;
          const listed = ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => json[k]?.[name] !== undefined);
          if (!listed) missing.add(path.relative(cwd, dir).split(path.sep).join('/') || '.');
        } catch {
          // An unreadable package.json: say nothing about it.
        }
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...missing];
}
