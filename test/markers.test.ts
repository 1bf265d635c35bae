// Runs the analyzer over every fixture app and compares it with the expectation markers written next
// to the code. Precision and recall are printed and held at 100%; any disagreement fails with the list.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import { compare, ratio, readAppMarkers } from './helpers/markers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURE_APPS = ['express-ts', 'express-cjs', 'express-classes', 'fastify-ts', 'nest-app', 'next-app-router', 'next-pages-router', 'nest-global'];
/** Apps that show one thing (a global interceptor) are smaller than the realistic apps. */
const MIN_HANDLERS: Record<string, number> = { 'nest-global': 6 };
/** Files a fixture holds on purpose to be unreadable (a blind spot the analysis must name). */
const EXPECTED_ERRORS: Record<string, string[]> = { 'express-cjs': ['fixtures/express-cjs/src/lib/exporter.js'] };

describe('fixture apps match their markers', () => {
  for (const app of FIXTURE_APPS) {
    it(app, async () => {
      const result = await analyze({ paths: [`fixtures/${app}`], cwd: ROOT });
      const markers = readAppMarkers(path.join(ROOT, 'fixtures', app), ROOT);
      const c = compare(markers, result.handlers);
      const precision = ratio(c.truePositives, c.truePositives + c.falsePositives);
      const recall = ratio(c.truePositives, c.truePositives + c.falseNegatives);
      console.log(`${app}: ${result.handlers.length} handlers, ${c.markers} markers, ${c.truePositives} findings expected and found; precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%`);
      expect(result.handlers.length, 'too few handlers for a realistic app').toBeGreaterThanOrEqual(MIN_HANDLERS[app] ?? 20);
      expect(c.problems).toEqual([]);
      expect(precision).toBe(1);
      expect(recall).toBe(1);
      expect(result.errors.filter((e) => !(EXPECTED_ERRORS[app] ?? []).includes(e.file))).toEqual([]);
      console.log(`${app}: ${result.summary.unresolved} unresolved handler(s), ${result.summary.resolvedPercent}% followed`);
    });
  }
});
