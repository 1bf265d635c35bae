// SARIF for GitHub code scanning: every fixture app's output passes Microsoft's SARIF Multitool with
// the GitHub and SARIF rule kinds (no error, no warning), matches its snapshot, and keeps its
// fingerprints stable across edits above a handler.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as sarif from 'sarif';
import { cliIn } from '../helpers/cli.js';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = ['express-ts', 'express-cjs', 'express-classes', 'fastify-ts', 'nest-app', 'nest-global', 'next-app-router', 'next-pages-router'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-sarif-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const scan = cliIn;

/** The Multitool's findings on a SARIF file: `level ruleId message` for each error and warning. */
function validate(file: string): string[] {
  // The platform package's executable, run directly: the npm wrapper passes arguments through a shell,
  // which splits "Gh;Sarif" at the semicolon.
  const exe = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  const out = `${file}.validation.sarif`;
  const r = spawnSync(exe, ['validate', file, '--rule-kind', 'Gh;Sarif', '-o', out, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
  if (!fs.existsSync(out)) throw new Error(`the SARIF Multitool did not run (exit ${r.status}): ${r.stdout}${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(out, 'utf8')) as sarif.Log;
  return (log.runs[0]?.results ?? []).filter((x) => (x.level ?? 'warning') === 'error' || (x.level ?? 'warning') === 'warning').map((x) => `${x.level ?? 'warning'} ${x.ruleId} ${x.message.text ?? JSON.stringify(x.message.arguments)}`);
}

describe('--format sarif', () => {
  for (const app of APPS) {
    it(`${app}: valid for GitHub, deterministic, matching its snapshot`, async () => {
      const first = scan(ROOT, [`fixtures/${app}`, '--format', 'sarif']);
      const again = scan(ROOT, [`fixtures/${app}`, '--format', 'sarif']);
      expect(again.stdout).toBe(first.stdout);
      const file = path.join(tmp, `${app}.sarif`);
      fs.writeFileSync(file, first.stdout);
      expect(validate(file)).toEqual([]);
      const log = JSON.parse(first.stdout) as sarif.Log;
      const run = log.runs[0]!;
      expect(first.stdout).not.toContain('primaryLocationLineHash');
      for (const result of run.results ?? []) {
        expect(result.partialFingerprints?.['idemScan/v1']).toMatch(/^[0-9a-f]{32}$/);
        expect(result.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toMatch(new RegExp(`^fixtures/${app}/`));
      }
      // The snapshot does not depend on where the repository is checked out.
      const portable = first.stdout.split(JSON.stringify(run.originalUriBaseIds?.['%SRCROOT%']?.uri).slice(1, -1)).join('file:///SRCROOT/');
      await expect(portable).toMatchFileSnapshot(`snapshots/${app}.sarif`);
    }, 60_000);
  }

  it('--sarif-file writes SARIF beside the text report', () => {
    const file = path.join(tmp, 'side.sarif');
    const r = scan(ROOT, ['fixtures/express-ts', '--sarif-file', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✖ 21 finding(s)');
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as sarif.Log).runs[0]!.results).toHaveLength(21);
  });
});

describe('fingerprints', () => {
  const app = path.join(tmp, 'fp');
  const write = (routes: string): void => {
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fp', dependencies: { express: '^5', '@prisma/client': '^6' } }));
    fs.writeFileSync(path.join(app, 'routes.ts'), routes);
  };
  const fingerprints = (): string[] => {
    const log = JSON.parse(scan(app, ['.', '--format', 'sarif']).stdout) as sarif.Log;
    return (log.runs[0]!.results ?? []).map((r) => r.partialFingerprints!['idemScan/v1']!);
  };
  const routes = (route: string, above = '') => `import { Router } from 'express';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const router = Router();
${above}
router.post('${route}', async (req, res) => {
  res.json(await prisma.order.create({ data: req.body }));
});
`;

  it('survive lines inserted above the handler, and change when the route does', () => {
    write(routes('/orders'));
    const before = fingerprints();
    expect(before).toHaveLength(1);
    write(routes('/orders', '// a comment\n\nconst unrelated = 1;\nvoid unrelated;\n'));
    expect(fingerprints()).toEqual(before);
    write(routes('/purchases'));
    expect(fingerprints()).not.toEqual(before);
  });
});
