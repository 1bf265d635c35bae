// The baseline for adopting the gate on a codebase with existing findings, in the style of ESLint's
// bulk suppressions: `idem-scan-suppressions.json` records each finding's fingerprint with a count per
// file; later runs report only findings beyond it, list the rest as suppressed (`external`), and say
// how many entries no longer match anything (stale, dropped by --prune-suppressions).
import type { AnalysisResult, Finding, HandlerReport } from './types.js';

export const BASELINE_FILE = 'idem-scan-suppressions.json';

export interface BaselineEntry {
  count: number;
  /** What it was, for a reader of the file: `POST /orders (high)`. */
  finding: string;
}

export interface Baseline {
  version: 1;
  /** File (relative, `/`) → fingerprint → entry. */
  suppressions: Record<string, Record<string, BaselineEntry>>;
}

export function baselineOf(findings: readonly Finding[]): Baseline {
  const suppressions: Baseline['suppressions'] = {};
  for (const f of [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) {
    const byFile = (suppressions[f.file] ??= {});
    const entry = (byFile[f.fingerprint] ??= { count: 0, finding: describe(f) });
    entry.count++;
  }
  return { version: 1, suppressions };
}

export interface BaselineOutcome {
  result: AnalysisResult;
  /** Findings the baseline covered. */
  suppressed: number;
  /** Entries (counted) that matched nothing this run. */
  stale: number;
  /** The baseline without its stale entries. */
  pruned: Baseline;
}

/** Moves the findings the baseline covers out of `findings`; their handlers become `suppressed`. */
export function applyBaseline(result: AnalysisResult, baseline: Baseline): BaselineOutcome {
  const left = new Map<string, number>();
  const key = (file: string, fp: string): string => `${file}\0${fp}`;
  for (const [file, entries] of Object.entries(baseline.suppressions)) {
    for (const [fp, entry] of Object.entries(entries)) left.set(key(file, fp), entry.count);
  }
  const findings: Finding[] = [];
  const covered = new Set<Finding>();
  for (const f of result.findings) {
    const k = key(f.file, f.fingerprint);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      covered.add(f);
    } else {
      findings.push(f);
    }
  }
  const handlers: HandlerReport[] = result.handlers.map((h) => {
    const match = [...covered].find((f) => f.ruleId === 'missing-idempotency-key' && f.file === h.file && f.line === h.line && f.column === h.column && f.method === h.method);
    if (!match || h.status !== 'reported') return h;
    return { ...h, status: 'suppressed', suppression: { kind: 'external', justification: `recorded in ${BASELINE_FILE}` }, reason: `suppressed by ${BASELINE_FILE}; ${h.reason}` };
  });
  let stale = 0;
  const pruned: Baseline = { version: 1, suppressions: {} };
  for (const [file, entries] of Object.entries(baseline.suppressions)) {
    for (const [fp, entry] of Object.entries(entries)) {
      const unused = left.get(key(file, fp)) ?? 0;
      stale += unused;
      const used = entry.count - unused;
      if (used > 0) (pruned.suppressions[file] ??= {})[fp] = { ...entry, count: used };
    }
  }
  return {
    result: { ...result, findings, handlers, summary: { ...result.summary, findings: findings.length } },
    suppressed: covered.size,
    stale,
    pruned,
  };
}

/** Reads a baseline file's JSON, or says what is wrong with it. */
export function parseBaseline(text: string): Baseline | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  const value = raw as Partial<Baseline> | null;
  if (!value || value.version !== 1 || typeof value.suppressions !== 'object') return 'not an idem-scan suppressions file (expected { "version": 1, "suppressions": { … } })';
  for (const entries of Object.values(value.suppressions)) {
    for (const entry of Object.values(entries)) {
      if (typeof entry.count !== 'number' || entry.count < 1) return 'every entry needs a positive "count"';
    }
  }
  return value as Baseline;
}

function describe(f: Finding): string {
  if (f.ruleId !== 'missing-idempotency-key') return `${f.ruleId} at line ${f.line}`;
  return `${f.method ?? ''} ${f.route ?? '(route unknown)'} (${f.severity})`.trim();
}
