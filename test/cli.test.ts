import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeProject } from './helpers/scan.js';

const app = {
  'package.json': JSON.stringify({ name: 'app', dependencies: { express: '^5' } }),
  'src/app.ts': [
    "import express from 'express';",
    "import { PrismaClient } from '@prisma/client';",
    "import Stripe from 'stripe';",
    'const prisma = new PrismaClient();',
    "const stripe = new Stripe('k');",
    'const app = express();',
    "app.post('/orders', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });",
    "app.post('/pay', async (req, res) => { res.json(await stripe.charges.create({ amount: 1 })); });",
    "app.post('/views', async (req, res) => { await prisma.post.update({ where: { id: 1 }, data: { views: { increment: 1 } } }); res.end(); });",
    "app.patch('/orders/:id', async (req, res) => { res.json(await prisma.order.create({ data: req.body })); });",
    "app.post('/search', async (req, res) => { res.json(await prisma.order.findMany()); });",
  ].join('\n'),
};

interface JsonOut {
  tool: { name: string; version: string };
  findings: { severity: string; method: string; route: string; file: string; line: number; writes: { path: string[] }[] }[];
  handlers: { status: string; method: string }[];
  errors: { file: string; message: string }[];
  summary: { files: number; handlers: number; findings: number; durationMs: number };
}

describe('idem-scan CLI', () => {
  const dir = writeProject(app);

  it('prints findings grouped by file and exits 1', () => {
    const run = runCli(['.'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('src/app.ts');
    expect(run.stdout).toMatch(/critical\s+POST \/pay/);
    expect(run.stdout).toContain('✖ 3 finding(s) (1 critical, 1 high, 1 medium)');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('writes the documented JSON contract', () => {
    const run = runCli(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(run.stdout) as JsonOut;
    expect(Object.keys(out)).toEqual(['tool', 'findings', 'handlers', 'errors', 'summary']);
    expect(out.tool.name).toBe('idem-scan');
    expect(out.findings.map((f) => `${f.severity} ${f.method} ${f.route}`)).toEqual(['high POST /orders', 'critical POST /pay', 'medium POST /views']);
    expect(out.findings[0]).toMatchObject({ file: 'src/app.ts', line: 7, writes: [{ path: ['POST /orders'] }] });
    expect(out.handlers.map((h) => `${h.method} ${h.status}`)).toEqual(['POST reported', 'POST reported', 'POST reported', 'PATCH below-threshold', 'POST read-only']);
    expect(out.summary).toMatchObject({ files: 1, handlers: 5, findings: 3 });
  });

  it('--methods adds PATCH, --min-severity and --fail-on set the thresholds', () => {
    expect((JSON.parse(runCli(['--format', 'json', '--methods', 'POST,PUT,PATCH'], { cwd: dir }).stdout) as JsonOut).summary.findings).toBe(4);
    const critical = runCli(['--format', 'json', '--min-severity', 'critical'], { cwd: dir });
    expect((JSON.parse(critical.stdout) as JsonOut).findings.map((f) => f.route)).toEqual(['/pay']);
    expect(runCli(['--fail-on', 'critical', '--quiet'], { cwd: dir }).code).toBe(1);
    const onlyMedium = writeProject({ ...app, 'src/app.ts': app['src/app.ts'].split('\n').filter((l) => !/orders'|\/pay/.test(l)).join('\n') });
    expect(runCli(['--fail-on', 'high'], { cwd: onlyMedium }).code).toBe(0);
    expect(runCli([], { cwd: onlyMedium }).code).toBe(1);
  });

  it('--output-file writes the report and prints a summary; --quiet prints findings only', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idem-out-')), 'reports', 'idem.json');
    const run = runCli(['--format', 'json', '--output-file', out], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 finding\(s\).*report written to/);
    expect((JSON.parse(fs.readFileSync(out, 'utf8')) as JsonOut).summary.findings).toBe(3);
    const quiet = runCli(['--quiet'], { cwd: dir });
    expect(quiet.stdout).not.toContain('finding(s)');
    expect(quiet.stdout).toContain('POST /orders');
  });

  it('colours only when asked: FORCE_COLOR forces, NO_COLOR wins', () => {
    expect(runCli(['.'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(runCli(['.'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });

  it('exits 0 with a clean summary when nothing is found', () => {
    const clean = writeProject({ 'src/util.ts': 'export const add = (a: number, b: number) => a + b;\n' });
    const run = runCli(['.'], { cwd: clean });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ no findings');
  });

  it('answers --version and --help', () => {
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--fail-on');
  });
});

describe('bad input', () => {
  const oneLine = (text: string): void => {
    expect(text.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(text).not.toMatch(/\n\s+at /);
  };

  it('a missing path exits 2 with one line and a hint', () => {
    const run = runCli(['does-not-exist']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('idem-scan: path not found: does-not-exist');
    oneLine(run.stderr);
  });

  it('usage errors exit 2', () => {
    expect(runCli(['--format', 'xml']).code).toBe(2);
    expect(runCli(['--min-severity', 'huge']).code).toBe(2);
    expect(runCli(['--bogus']).code).toBe(2);
    const methods = runCli(['--methods', 'GET']);
    expect(methods.code).toBe(2);
    expect(methods.stderr).toContain('--methods');
  });

  it('a broken --project tsconfig exits 2 with one line', () => {
    const dir = writeProject({ 'tsconfig.json': '{ "compilerOptions": { "strict": tru', 'a.ts': 'export {};\n' });
    const run = runCli(['--project', 'tsconfig.json', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('tsconfig.json');
    oneLine(run.stderr);
  });

  it('a broken tsconfig that is found (not given) is listed in errors and the scan goes on', () => {
    const dir = writeProject({ ...app, 'tsconfig.json': '{ "compilerOptions": { "strict": tru' });
    const run = runCli(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(run.stdout) as JsonOut;
    expect(run.code).toBe(1);
    expect(out.summary.findings).toBe(3);
    expect(out.errors.map((e) => e.file)).toEqual(['tsconfig.json']);
    expect(out.errors[0]!.message).toContain('using default compiler options');
  });

  it('an invalid config file exits 2 naming the problem', () => {
    const dir = writeProject({ 'idem-scan.config.json': '{ "headerz": [] }', 'a.ts': 'export {};\n' });
    const run = runCli(['.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option "headerz"');
  });

  it('binary, non-UTF-8 and huge files are listed as errors, and the rest is still scanned', () => {
    const dir = writeProject(app);
    fs.writeFileSync(path.join(dir, 'src', 'blob.ts'), Buffer.from([0x63, 0x6f, 0x00, 0x6e, 0x73]));
    fs.writeFileSync(path.join(dir, 'src', 'latin1.ts'), Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0xe8, 0x0a]));
    fs.writeFileSync(path.join(dir, 'src', 'huge.js'), `// ${'x'.repeat(1100 * 1024)}\n`);
    const run = runCli(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(run.stdout) as JsonOut;
    expect(run.code).toBe(1);
    expect(out.summary.findings).toBe(3);
    expect(out.errors.map((e) => `${e.file}: ${e.message.split(';')[0]!}`).sort()).toEqual([
      'src/blob.ts: binary file (contains NUL bytes)',
      expect.stringMatching(/^src\/huge\.js: larger than 1024 KiB/) as string,
      'src/latin1.ts: not valid UTF-8',
    ]);
  });

  it('a file nested too deeply to walk costs its own routes, named in errors, not the whole app', () => {
    const dir = writeProject(app);
    // Generated code: one expression of 50,000 terms, deeper than a recursive walk can follow.
    const terms = Array.from({ length: 50_000 }, (_, i) => `'s${i}'`).join(' + ');
    fs.writeFileSync(path.join(dir, 'src', 'generated.ts'), `import express from 'express';\nexport const table = ${terms};\nexpress().post('/g', (req, res) => { res.end(); });\n`);
    const run = runCli(['--format', 'json'], { cwd: dir });
    const out = JSON.parse(run.stdout) as JsonOut;
    expect(run.code).toBe(1);
    expect(out.summary.findings).toBe(3);
    expect(out.errors).toEqual([{ file: 'src/generated.ts', message: expect.stringContaining('nested too deeply to analyse') as string }]);
  });

  it('a symlink loop does not hang the scan', () => {
    const dir = writeProject(app);
    fs.symlinkSync(dir, path.join(dir, 'src', 'loop'));
    const run = runCli(['--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as JsonOut).summary.files).toBe(1);
  });
});

describe('handlers that could not be followed', () => {
  it('are listed after the findings, counted in the summary, and fail the gate only with --fail-on-unresolved', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = (args: string[]) => spawnSync(process.execPath, ['bin/idem-scan.js', 'fixtures/express-cjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const plain = run(['--min-severity', 'critical', '--fail-on', 'critical']);
    expect(plain.stdout).toContain('6 handler(s) could not be followed:');
    expect(plain.stdout).toContain("fixtures/express-cjs/src/routes/legacy.js:21  POST /legacy/carts — `req.scope.resolve('cartService').create` could not be followed: a value from a container");
    expect(plain.stdout).toMatch(/· 6 unresolved/);
    expect(plain.status).toBe(0);
    expect(run(['--min-severity', 'critical', '--fail-on', 'critical', '--fail-on-unresolved']).status).toBe(1);
    const github = run(['--format', 'github']);
    expect(github.stdout.split('\n').filter((l) => l.startsWith('::notice '))).toHaveLength(6);
  });
});

describe('the code caches (compiler and CLI bundle)', () => {
  const cacheDir = path.join('node_modules', '.cache', 'idem-scan');
  const scan = (args: readonly string[] = ['fixtures/fastify-ts', '--format', 'json']) => spawnSync(process.execPath, ['bin/idem-scan.js', ...args], { encoding: 'utf8' });
  const findings = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings;

  it('are written after a scan, used by the next one, and change no result', () => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const first = scan();
    const written = fs.readdirSync(cacheDir).sort();
    // One for the compiler, one for the CLI's bundle (so the bundle, not the separate modules, ran).
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^idem-scan-[0-9a-f]{16}-.*\.bin$/);
    expect(written[1]).toMatch(/^typescript-\d+-.*\.bin$/);
    const sizes = written.map((f) => fs.statSync(path.join(cacheDir, f)).size);
    const second = scan();
    // Accepted, so not written again (the same files, the same sizes), and the same findings.
    expect(fs.readdirSync(cacheDir).sort()).toEqual(written);
    expect(written.map((f) => fs.statSync(path.join(cacheDir, f)).size)).toEqual(sizes);
    expect(findings(second.stdout)).toEqual(findings(first.stdout));
    // A damaged cache is rejected by V8 and replaced; the scan is unaffected.
    for (const f of written) fs.writeFileSync(path.join(cacheDir, f), 'not a code cache');
    const third = scan();
    expect(findings(third.stdout)).toEqual(findings(first.stdout));
    for (const f of written) expect(fs.statSync(path.join(cacheDir, f)).size).toBeGreaterThan(1000);
  });

  it('the bundled CLI reports exactly what the separate modules report', () => {
    const fromModules = spawnSync(process.execPath, ['--input-type=module', '-e', "const { main } = await import('./dist/src/cli/entry.js'); process.exitCode = await main(process.argv.slice(1));", 'fixtures/nest-app', '--format', 'json'], { encoding: 'utf8' });
    const bundled = scan(['fixtures/nest-app', '--format', 'json']);
    expect(bundled.status).toBe(1);
    expect(fromModules.status).toBe(1);
    const report = (out: string) => ({ ...(JSON.parse(out) as { summary: object }), summary: undefined });
    expect(report(bundled.stdout)).toEqual(report(fromModules.stdout));
  });
});
