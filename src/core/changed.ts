// PR mode: only findings whose handler, or a write on its call path, is in a changed file are
// reported; the other reported handlers are listed as `unchanged`.
import path from 'node:path';
import type { AnalysisResult, Finding } from './types.js';

/** `changed` holds absolute paths; result paths are relative to `cwd`. */
export function limitToChanged(result: AnalysisResult, changed: ReadonlySet<string>, cwd: string): AnalysisResult {
  const touched = (file: string): boolean => changed.has(path.resolve(cwd, file));
  const relevant = (f: Pick<Finding, 'file' | 'writes'>): boolean => touched(f.file) || f.writes.some((w) => touched(w.file));
  const findings = result.findings.filter(relevant);
  const handlers = result.handlers.map((h) => (h.status === 'reported' && !relevant(h) ? { ...h, status: 'unchanged' as const, reason: `not in a changed file; ${h.reason}` } : h));
  return { ...result, findings, handlers, summary: { ...result.summary, findings: findings.length } };
}
