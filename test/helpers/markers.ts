// Expectation markers in fixture apps (docs/fixture-markers.md) and their comparison with the
// analyzer's handlers, both ways: every marker must claim a handler, every handler a marker.
import fs from 'node:fs';
import path from 'node:path';
import type { HandlerReport, HandlerStatus, HttpMethod, Severity } from '../../src/core/types.js';

export type Verdict = { kind: 'report'; severity: Severity } | { kind: 'ok'; status: Exclude<HandlerStatus, 'reported'> } | { kind: 'none' };

export interface Marker {
  file: string;
  line: number;
  method?: HttpMethod;
  verdict: Verdict;
}

const MARKER = /(?:\/\/|\/\*|\{\/\*)\s*expect(?:\s+(POST|PUT|PATCH))?\s*:\s*([^*\n]+?)\s*(?:\*\/\}?)?\s*$/;

/** Markers of one file's text; throws on a marker it cannot read, so a typo never passes silently. */
export function parseMarkers(file: string, text: string): Marker[] {
  const markers: Marker[] = [];
  text.split('\n').forEach((raw, index) => {
    const match = MARKER.exec(raw);
    if (!match) return;
    const verdict = parseVerdict(match[2]!.trim(), `${file}:${index + 1}`);
    const marker: Marker = { file, line: index + 1, verdict };
    if (match[1]) marker.method = match[1] as HttpMethod;
    markers.push(marker);
  });
  return markers;
}

function parseVerdict(text: string, where: string): Verdict {
  const [head, arg, extra] = text.split(/\s+/);
  if (extra !== undefined) throw new Error(`${where}: unreadable marker "${text}"`);
  if (head === 'none' && arg === undefined) return { kind: 'none' };
  if (head === 'missing-idempotency-key' && (arg === 'critical' || arg === 'high' || arg === 'medium' || arg === 'low')) return { kind: 'report', severity: arg };
  if (head === 'ok' && (arg === 'handled' || arg === 'read-only' || arg === 'naturally-idempotent' || arg === 'below-threshold' || arg === 'suppressed')) return { kind: 'ok', status: arg };
  if (head === 'unresolved' && arg === undefined) return { kind: 'ok', status: 'unresolved' };
  throw new Error(`${where}: unreadable marker "${text}"`);
}

export interface Comparison {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Every disagreement, as a line a reader can act on. */
  problems: string[];
  markers: number;
}

/** Compares the markers of all files with the handlers the analyzer listed for them. */
export function compare(markers: readonly Marker[], handlers: readonly HandlerReport[]): Comparison {
  const result: Comparison = { truePositives: 0, falsePositives: 0, falseNegatives: 0, problems: [], markers: markers.length };
  const claimed = new Set<HandlerReport>();
  const byFile = new Map<string, Marker[]>();
  for (const m of markers) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);
  for (const [file, fileMarkers] of byFile) {
    const groups = groupConsecutive(fileMarkers);
    groups.forEach((group, index) => {
      const start = group[group.length - 1]!.line;
      const end = groups[index + 1]?.[0]?.line ?? Number.POSITIVE_INFINITY;
      const inRange = handlers.filter((h) => h.file === file && h.line > start && h.line < end).sort((a, b) => a.line - b.line);
      for (const marker of group) {
        if (marker.verdict.kind === 'none') {
          for (const h of inRange.filter((x) => !claimed.has(x))) {
            claimed.add(h);
            if (h.status === 'reported') result.falsePositives++;
            result.problems.push(`${file}:${h.line} ${h.method} ${h.route ?? ''}: detected, but the marker at line ${marker.line} says no handler is here`);
          }
          continue;
        }
        const handler = inRange.find((h) => !claimed.has(h) && (!marker.method || h.method === marker.method));
        if (!handler) {
          result.problems.push(`${file}:${marker.line}: marker "${describe(marker.verdict)}" claims no handler (none detected after it)`);
          if (marker.verdict.kind === 'report') result.falseNegatives++;
          continue;
        }
        claimed.add(handler);
        judge(marker, handler, result);
      }
    });
  }
  for (const h of handlers) {
    if (claimed.has(h)) continue;
    result.problems.push(`${h.file}:${h.line} ${h.method} ${h.route ?? ''}: ${h.status} but no marker claims it (${h.reason})`);
    if (h.status === 'reported') result.falsePositives++;
  }
  return result;
}

function judge(marker: Marker, h: HandlerReport, result: Comparison): void {
  const at = `${h.file}:${h.line} ${h.method} ${h.route ?? ''}`;
  const actual = h.status === 'reported' ? `missing-idempotency-key ${h.severity ?? '?'}` : `ok ${h.status}`;
  if (marker.verdict.kind === 'report') {
    if (h.status !== 'reported') {
      result.falseNegatives++;
      result.problems.push(`${at}: expected ${describe(marker.verdict)}, got ${actual} (${h.reason})`);
      return;
    }
    result.truePositives++;
    if (h.severity !== marker.verdict.severity) result.problems.push(`${at}: expected severity ${marker.verdict.severity}, got ${h.severity ?? '?'} (${h.reason})`);
    return;
  }
  if (marker.verdict.kind === 'ok') {
    if (h.status === 'reported') {
      result.falsePositives++;
      result.problems.push(`${at}: expected ${describe(marker.verdict)}, got ${actual} (${h.reason})`);
    } else if (h.status !== marker.verdict.status) {
      result.problems.push(`${at}: expected ${describe(marker.verdict)}, got ${actual} (${h.reason})`);
    }
  }
}

function groupConsecutive(markers: readonly Marker[]): Marker[][] {
  const sorted = [...markers].sort((a, b) => a.line - b.line);
  const groups: Marker[][] = [];
  for (const m of sorted) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1]!.line === m.line - 1) last.push(m);
    else groups.push([m]);
  }
  return groups;
}

function describe(v: Verdict): string {
  return v.kind === 'report' ? `missing-idempotency-key ${v.severity}` : v.kind === 'ok' ? `ok ${v.status}` : 'none';
}

/** Every marker in the source files of a fixture app, with paths relative to `cwd`. */
export function readAppMarkers(appDir: string, cwd: string): Marker[] {
  const markers: Marker[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(entry.name)) {
        markers.push(...parseMarkers(path.relative(cwd, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8')));
      }
    }
  };
  walk(appDir);
  return markers;
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}
