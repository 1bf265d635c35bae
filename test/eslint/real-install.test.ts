// The plugin as a user gets it: `npm pack`, install the tarball with eslint and
// @typescript-eslint/parser into a fresh project holding a copy of a fixture app, a flat config
// that uses configs.recommended, and `npx eslint .` — which must report the CLI's findings and exit 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP = 'express-ts';

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-install-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a fresh project that installs the packed tarball sees the CLI findings in npx eslint', async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/rules/index.js'))) throw new Error('run `npm run build` first (npm test does)');
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = path.join(dir, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);

  const project = path.join(dir, 'project');
  fs.cpSync(path.join(ROOT, 'fixtures', APP), project, { recursive: true });
  const manifest = path.join(project, 'package.json');
  const original = fs.readFileSync(manifest, 'utf8');
  // The app's own dependencies are not needed to lint it (and one is this repo's unpublished runtime):
  // install only the linter and the plugin, then put the app's package.json back.
  fs.writeFileSync(manifest, JSON.stringify({ name: 'lint-only', private: true, type: 'module' }, null, 2));
  fs.writeFileSync(path.join(project, 'eslint.config.js'), "import idem from 'idem-scan/eslint-plugin';\n\nexport default [{ ignores: ['eslint.config.js'] }, idem.configs.recommended];\n");
  const install = run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--no-package-lock', tarball, 'eslint@^10.0.0', '@typescript-eslint/parser@8.72.0', 'typescript@~6.0.3'], project);
  expect(install.status, install.stderr).toBe(0);
  fs.writeFileSync(manifest, original);

  const lint = run('npx', ['--no-install', 'eslint', '.', '--format', 'json'], project);
  expect(lint.status, lint.stderr).toBe(1);
  const results = JSON.parse(lint.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number; message: string }[] }[];
  const reports = results.flatMap((r) => r.messages.map((m) => {
    expect(m.ruleId, m.message).toBe('idempotency/missing-idempotency-key');
    return `${path.relative(project, r.filePath).split(path.sep).join('/')}:${m.line}:${m.column} ${/\((critical|high|medium|low)\)/.exec(m.message)?.[1]}`;
  })).sort();

  const cli = await analyze({ paths: ['.'], cwd: path.join(ROOT, 'fixtures', APP) });
  const expected = cli.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity}`).sort();
  console.log(`real install: npx eslint reported ${reports.length}, the CLI ${expected.length}`);
  expect(reports).toEqual(expected);
}, 300_000);
