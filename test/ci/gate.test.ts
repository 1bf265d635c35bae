// The CI gate: a baseline to adopt it (--suppress-all, stale entries, --prune-suppressions), PR mode
// (--changed-since) in a real git repository, runs that scan nothing, and readable evidence.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliIn } from '../helpers/cli.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/core/types.js';
import { textReporter } from '../../src/reporters/text.js';
import { makeChalk } from '../../src/cli/colors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-gate-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = cliIn;
function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}
const json = (cwd: string, args: string[] = []): AnalysisResult => JSON.parse(cli(cwd, ['.', '--format', 'json', ...args]).stdout) as AnalysisResult;

const PKG = JSON.stringify({ name: 'gate', dependencies: { express: '^5', '@prisma/client': '^6' } });
const DB = "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n";
const route = (name: string, body: string) => `import { Router } from 'express';\nimport { prisma } from './db';\nimport { ${name}Service } from './${name}-service';\nexport const ${name} = Router();\n${name}.post('/${name}', async (req, res) => {\n  ${body}\n  res.status(201).end();\n});\nvoid prisma;\nvoid ${name}Service;\n`;
const service = (name: string, write: string) => `import { prisma } from './db';\nexport const ${name}Service = {\n  run(data: object) {\n    return ${write};\n  },\n};\n`;

describe('baseline', () => {
  const dir = path.join(tmp, 'baseline');
  write(dir, 'package.json', PKG);
  write(dir, 'db.ts', DB);
  write(dir, 'orders-service.ts', service('orders', 'prisma.order.create({ data })'));
  write(dir, 'orders.ts', route('orders', 'await ordersService.run(req.body);'));

  it('records every finding, then reports only new ones, and says how many entries are stale', () => {
    expect(cli(dir, ['.']).status).toBe(1);
    const recorded = cli(dir, ['.', '--suppress-all']);
    expect(recorded.status).toBe(0);
    expect(recorded.stdout).toContain('recorded 1 finding(s) in idem-scan-suppressions.json');
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'idem-scan-suppressions.json'), 'utf8')) as { suppressions: Record<string, Record<string, { count: number; finding: string }>> };
    expect(Object.values(file.suppressions['orders.ts']!)).toEqual([{ count: 1, finding: 'POST /orders (high)' }]);

    const clean = cli(dir, ['.']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('✔ no findings');
    expect(clean.stdout).toContain('1 in idem-scan-suppressions.json');
    expect(json(dir).handlers.find((h) => h.route === '/orders')).toMatchObject({ status: 'suppressed', suppression: { kind: 'external' } });

    // A new handler is reported; the old one stays quiet.
    write(dir, 'refunds-service.ts', service('refunds', 'prisma.refund.create({ data })'));
    write(dir, 'refunds.ts', route('refunds', 'await refundsService.run(req.body);'));
    const fresh = json(dir);
    expect(fresh.findings.map((f) => f.route)).toEqual(['/refunds']);

    // Fixing the old one leaves a stale entry, reported until pruned.
    write(dir, 'orders-service.ts', service('orders', 'prisma.order.upsert({ where: { id: "x" }, create: data, update: data })'));
    const stale = cli(dir, ['.']);
    expect(stale.stdout).toContain('1 stale baseline entry (--prune-suppressions)');
    cli(dir, ['.', '--prune-suppressions']);
    const pruned = JSON.parse(fs.readFileSync(path.join(dir, 'idem-scan-suppressions.json'), 'utf8')) as { suppressions: object };
    expect(pruned.suppressions).toEqual({});
    expect(cli(dir, ['.']).stdout).not.toContain('stale');
  });

  it('refuses a broken baseline file with one line', () => {
    const other = path.join(tmp, 'broken');
    write(other, 'package.json', PKG);
    write(other, 'db.ts', DB);
    write(other, 'idem-scan-suppressions.json', '{ "version": 2 }');
    const r = cli(other, ['.']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('idem-scan: idem-scan-suppressions.json: not an idem-scan suppressions file (expected { "version": 1, "suppressions": { … } })');
  });
});

describe('--changed-since', () => {
  const dir = path.join(tmp, 'pr');
  write(dir, 'package.json', PKG);
  write(dir, 'db.ts', DB);
  for (const name of ['orders', 'refunds', 'notes']) {
    write(dir, `${name}-service.ts`, service(name, `prisma.${name}.create({ data })`));
    write(dir, `${name}.ts`, route(name, `await ${name}Service.run(req.body);`));
  }
  write(dir, 'README.md', 'app\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');

  it('reports findings whose handler or a write on its path changed; the rest are unchanged', () => {
    git(dir, 'checkout', '-qb', 'feature');
    // A handler file (committed), a service file on another handler's path (staged), an unrelated file (unstaged).
    write(dir, 'orders.ts', route('orders', 'await ordersService.run({ ...req.body });'));
    git(dir, 'commit', '-qam', 'orders');
    write(dir, 'refunds-service.ts', service('refunds', 'prisma.refunds.create({ data: { ...data } })'));
    git(dir, 'add', 'refunds-service.ts');
    write(dir, 'README.md', 'app, changed\n');
    const result = json(dir, ['--changed-since', 'main']);
    expect(result.findings.map((f) => f.route).sort()).toEqual(['/orders', '/refunds']);
    expect(result.handlers.find((h) => h.route === '/notes')?.status).toBe('unchanged');
    expect(result.summary.changedSince).toEqual({ ref: 'main', files: 3 });
  });

  it('a bad ref, or no repository, exits 2 with one line', () => {
    const bad = cli(dir, ['.', '--changed-since', 'no-such-branch']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('idem-scan: --changed-since: "no-such-branch" is not a commit in this repository');
    const outside = path.join(tmp, 'no-git');
    write(outside, 'package.json', PKG);
    write(outside, 'db.ts', DB);
    const none = cli(outside, ['.', '--changed-since', 'main']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^idem-scan: --changed-since needs a git repository/);
  });
});

describe('no silent green', () => {
  it('a folder that .gitignore excludes exits 2 and says so; a file named explicitly is still scanned', () => {
    const dir = path.join(tmp, 'ignored');
    write(dir, 'package.json', PKG);
    write(dir, '.gitignore', 'generated/\n');
    write(dir, 'generated/db.ts', DB);
    write(dir, 'generated/orders-service.ts', service('orders', 'prisma.order.create({ data })'));
    write(dir, 'generated/orders.ts', route('orders', 'await ordersService.run(req.body);'));
    git(dir, 'init', '-q');
    const r = cli(dir, ['generated']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('idem-scan: nothing to scan: 3 file(s) ignored by .gitignore — pass --no-gitignore to scan them');
    expect(cli(dir, ['generated', '--no-gitignore']).status).toBe(1);
    expect(cli(dir, ['generated/orders.ts']).status).toBe(1);
  });

  it('a folder without source files exits 2', () => {
    const dir = path.join(tmp, 'empty');
    write(dir, 'notes.md', '# nothing\n');
    const r = cli(dir, ['.']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('idem-scan: nothing to scan: no JavaScript or TypeScript source files in the given paths');
  });
});

describe('readable evidence', () => {
  it('lists a write reached along several paths once, with the shortest path', () => {
    const write1 = { kind: 'db-create' as const, callee: 'prisma.order.create', catalogId: 'prisma.create', file: 'svc.ts', line: 3, column: 5, severity: 'high' as const, idempotent: false, protected: false };
    const result: AnalysisResult = {
      findings: [{ ruleId: 'missing-idempotency-key', fingerprint: 'f', severity: 'high', message: 'm', file: 'a.ts', line: 1, column: 1, endLine: 1, endColumn: 1, framework: 'express', method: 'POST', route: '/o', symbol: 'h', writes: [{ ...write1, path: ['h', 'a', 'b', 'create'] }, { ...write1, path: ['h', 'create'] }, { ...write1, path: ['h', 'c', 'create'] }] }],
      handlers: [],
      errors: [],
      summary: { files: 1, gitignored: 0, handlers: 1, findings: 1, unresolved: 0, resolvedPercent: 100, durationMs: 1 },
    };
    const text = textReporter(result, { version: '0', chalk: makeChalk({}, false), quiet: true, cwd: tmp, srcRoot: tmp });
    expect(text.match(/prisma\.order\.create/g)).toHaveLength(1);
    expect(text).toContain('via h → create');
    expect(text).toContain('(+2 more paths)');
  });
});
