// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding, on the
// file and line (relative to the repository root), escaped as the runner expects
// (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
import path from 'node:path';
import type { Finding } from '../core/types.js';
import type { Reporter } from './types.js';
import { summaryLine } from './text.js';

export const githubReporter: Reporter = (result, ctx) => {
  const lines: string[] = [];
  for (const f of result.findings) {
    const file = path.relative(ctx.srcRoot, path.resolve(ctx.cwd, f.file)).split(path.sep).join('/');
    const level = f.severity === 'critical' || f.severity === 'high' ? 'error' : f.severity === 'medium' ? 'warning' : 'notice';
    const props = [`file=${file}`, `line=${f.line}`, `col=${f.column}`, `title=${title(f)}`].map((p) => {
      const at = p.indexOf('=');
      return `${p.slice(0, at)}=${escapeProperty(p.slice(at + 1))}`;
    });
    lines.push(`::${level} ${props.join(',')}::${escapeData(body(f))}`);
  }
  for (const h of result.handlers.filter((x) => x.status === 'unresolved')) {
    const file = path.relative(ctx.srcRoot, path.resolve(ctx.cwd, h.file)).split(path.sep).join('/');
    lines.push(`::notice file=${escapeProperty(file)},line=${h.line},col=${h.column},title=${escapeProperty(`idem-scan: ${h.method} ${h.route ?? 'handler'} could not be followed`)}::${escapeData(h.reason)}`);
  }
  if (!ctx.quiet) lines.push(summaryLine(result, ctx.chalk));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};

function title(f: Finding): string {
  if (f.ruleId !== 'missing-idempotency-key') return 'idem-scan: suppression comment';
  return `idem-scan: ${f.route ? `${f.method} ${f.route}` : `${f.method ?? ''} handler`} without idempotency (${f.severity})`;
}

function body(f: Finding): string {
  const open = f.writes.filter((w) => !w.protected && !w.idempotent);
  const evidence = open.map((w) => `${w.kind} ${w.callee} at ${w.file}:${w.line} via ${w.path.join(' → ')}`);
  const fix = f.fix?.available ? `Fix: idem-scan --fix (${f.fix.description}).` : '';
  return [f.message, ...evidence, fix].filter(Boolean).join('\n');
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
