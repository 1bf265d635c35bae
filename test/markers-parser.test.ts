import { describe, expect, it } from 'vitest';
import { compare, parseMarkers } from './helpers/markers.js';
import type { HandlerReport } from '../src/core/types.js';

function handler(line: number, status: HandlerReport['status'], severity: HandlerReport['severity'] = null, method: HandlerReport['method'] = 'POST'): HandlerReport {
  return { file: 'a.ts', line, column: 1, startLine: line, endLine: line, endColumn: 1, framework: 'express', symbol: 'h', method, route: '/x', status, reason: 'because', severity, writes: [] };
}

const source = [
  '// expect: missing-idempotency-key high',
  "app.post('/a', h);",
  '// expect POST: ok handled',
  '// expect PUT: ok naturally-idempotent',
  "router.route('/b').post(a).put(b);",
  '// expect: none',
  'map.set(1, 2);',
].join('\n');

describe('marker parser', () => {
  it('reads verdicts, method qualifiers and none', () => {
    expect(parseMarkers('a.ts', source)).toEqual([
      { file: 'a.ts', line: 1, verdict: { kind: 'report', severity: 'high' } },
      { file: 'a.ts', line: 3, method: 'POST', verdict: { kind: 'ok', status: 'handled' } },
      { file: 'a.ts', line: 4, method: 'PUT', verdict: { kind: 'ok', status: 'naturally-idempotent' } },
      { file: 'a.ts', line: 6, verdict: { kind: 'none' } },
    ]);
  });

  it('rejects unreadable markers', () => {
    expect(() => parseMarkers('a.ts', '// expect: missing-idempotency-key huge')).toThrow(/unreadable marker/);
  });

  it('agrees when every handler matches its marker', () => {
    const c = compare(parseMarkers('a.ts', source), [handler(2, 'reported', 'high'), handler(5, 'handled'), handler(5, 'naturally-idempotent', 'low', 'PUT')]);
    expect(c).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, problems: [] });
  });

  it('fails when the analyzer finds nothing, reports too much, or lists a handler no marker claims', () => {
    expect(compare(parseMarkers('a.ts', source), []).falseNegatives).toBe(1);
    const noisy = compare(parseMarkers('a.ts', source), [handler(2, 'reported', 'high'), handler(5, 'reported', 'high'), handler(5, 'naturally-idempotent', 'low', 'PUT'), handler(7, 'reported', 'medium')]);
    expect(noisy.falsePositives).toBe(2);
    expect(noisy.problems).toHaveLength(2);
    const wrongSeverity = compare(parseMarkers('a.ts', source), [handler(2, 'reported', 'medium'), handler(5, 'handled'), handler(5, 'naturally-idempotent', 'low', 'PUT')]);
    expect(wrongSeverity.problems).toEqual(['a.ts:2 POST /x: expected severity high, got medium (because)']);
  });
});
