// Human output, grouped by file: each finding with its severity, method and route, then every write it
// reaches with the call path, so a reader can trust or refute it without opening the code.
import type { Finding, Severity, WriteEvidence } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import type { ChalkInstance } from 'chalk';
import type { Reporter } from './types.js';

const UNRESOLVED_SHOWN = 10;

export const textReporter: Reporter = (result, ctx) => {
  const c = ctx.chalk;
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    lines.push(c.underline(file));
    for (const f of findings) {
      const where = c.dim(`${f.line}:${f.column}`.padEnd(8));
      if (f.ruleId !== 'missing-idempotency-key') {
        lines.push(`  ${where}${paint(c, f.severity)}  ${f.message}`);
        continue;
      }
      const route = `${f.method} ${f.route ?? '(route unknown)'}`;
      lines.push(`  ${where}${paint(c, f.severity)}  ${c.bold(route)}  ${c.dim(`[${f.framework}]`)}`);
      for (const { write, more } of distinctWrites(f.writes.filter((x) => !x.protected && !x.idempotent))) {
        lines.push(`          ${describeWrite(c, write)}${more > 0 ? c.dim(` (+${more} more path${more === 1 ? '' : 's'})`) : ''}`);
      }
      if (f.weak) lines.push(`          ${c.yellow('note:')} ${f.weak}`);
      const safe = f.writes.filter((x) => x.protected || x.idempotent).length;
      if (safe > 0) lines.push(c.dim(`          (+${safe} write(s) that are idempotent or protected)`));
    }
    lines.push('');
  }
  const unresolved = result.handlers.filter((h) => h.status === 'unresolved');
  if (unresolved.length > 0 && !ctx.quiet) {
    // Blind spots: "nothing to report" and "could not look" must not look alike.
    const shown = ctx.verbose ? unresolved : unresolved.slice(0, UNRESOLVED_SHOWN);
    lines.push(c.yellow(`${unresolved.length} handler(s) could not be followed:`));
    for (const h of shown) lines.push(`  ${h.file}:${h.line}  ${h.method} ${h.route ?? '(route unknown)'} — ${h.reason}`);
    if (shown.length < unresolved.length) lines.push(c.dim(`  +${unresolved.length - shown.length} more (--verbose lists them all)`));
    lines.push('');
  }
  if (result.errors.length > 0 && !ctx.quiet) {
    lines.push(c.yellow(`${result.errors.length} file(s) could not be fully analysed:`));
    for (const e of result.errors) lines.push(`  ${e.file}: ${e.message}`);
    lines.push('');
  }
  if (!ctx.quiet) lines.push(summaryLine(result, c));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};

/** The same write reached along several paths is listed once, with its shortest path. */
function distinctWrites(writes: readonly WriteEvidence[]): { write: WriteEvidence; more: number }[] {
  const groups = new Map<string, WriteEvidence[]>();
  for (const w of writes) {
    const key = `${w.file}:${w.line}:${w.column}:${w.callee}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  return [...groups.values()].map((group) => ({ write: [...group].sort((a, b) => a.path.length - b.path.length)[0]!, more: group.length - 1 }));
}

function describeWrite(c: ChalkInstance, w: WriteEvidence): string {
  const path = w.path.join(' → ');
  return `${c.cyan(w.kind)} ${w.callee} ${c.dim(`at ${w.file}:${w.line}`)}\n            ${c.dim('via')} ${path}`;
}

function paint(c: ChalkInstance, severity: Severity): string {
  const label = severity.padEnd(8);
  switch (severity) {
    case 'critical':
      return c.bgRed.white.bold(label);
    case 'high':
      return c.red.bold(label);
    case 'medium':
      return c.yellow(label);
    case 'low':
      return c.dim(label);
  }
}

export function summaryLine(result: Parameters<Reporter>[0], c: ChalkInstance): string {
  const { summary } = result;
  const counts = SEVERITIES.map((s) => [s, result.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const time = `${(summary.durationMs / 1000).toFixed(1)} s`;
  const scope = `${summary.handlers} POST/PUT/PATCH handler(s) in ${summary.files} file(s), ${time}`;
  const extras: string[] = [`${summary.unresolved} unresolved`];
  if (summary.changedSince) extras.push(`${summary.changedSince.files} file(s) changed since ${summary.changedSince.ref}`);
  if (summary.baseline) {
    extras.push(`${summary.baseline.suppressed} in ${summary.baseline.file}`);
    if (summary.baseline.stale > 0) extras.push(c.yellow(`${summary.baseline.stale} stale baseline entr${summary.baseline.stale === 1 ? 'y' : 'ies'} (--prune-suppressions)`));
  }
  const tail = extras.map((e) => ` · ${e}`).join('');
  if (summary.findings === 0) return `${c.green('✔ no findings')} · ${scope}${tail}`;
  const detail = counts.map(([s, n]) => `${n} ${s}`).join(', ');
  return `${c.red(`✖ ${summary.findings} finding(s)`)} (${detail}) · ${scope}${tail}`;
}
