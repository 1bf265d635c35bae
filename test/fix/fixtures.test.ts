// The autofix on every fixture app, through the CLI as a user runs it: the dry-run patch applies with
// `git apply`, `--fix` leaves code that parses and type-checks with no diagnostic the app did not
// already have, the fixed handlers re-scan as handled, and a second `--fix` changes no byte.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { cliIn } from '../helpers/cli.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/core/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = path.join(ROOT, '.fix-test');
const APPS = ['express-ts', 'express-cjs', 'express-classes', 'fastify-ts', 'nest-app', 'nest-global', 'next-app-router', 'next-pages-router'];

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
});

const cli = cliIn;

function git(cwd: string, args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Every diagnostic of the app's program, as `file: TS1234 message` (positions left out: fixes move lines). */
function diagnostics(dir: string): string[] {
  const configFile = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!configFile) return [];
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, { noEmit: true, skipLibCheck: true }, configFile);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(dir, d.file.fileName) : '-'}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`).sort();
}

/** What `after` has that `before` has not, counting duplicates. */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((d) => {
    const i = left.indexOf(d);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('--fix on every fixture app', () => {
  fs.rmSync(WORK, { recursive: true, force: true });
  for (const app of APPS) {
    it(app, () => {
      const dir = path.join(WORK, app);
      fs.cpSync(path.join(ROOT, 'fixtures', app), dir, { recursive: true });
      expect(git(dir, ['init', '-q']).status).toBe(0);
      const scan = JSON.parse(cli(dir, ['.', '--format', 'json']).stdout) as AnalysisResult;
      const fixable = scan.findings.filter((f) => f.fix?.available);
      const typesBefore = diagnostics(dir);
      const original = snapshot(dir);

      const dry = cli(dir, ['.', '--fix-dry-run']);
      expect(dry.status, dry.stderr).toBe(scan.findings.length > 0 ? 1 : 0);
      fs.writeFileSync(path.join(WORK, `${app}.patch`), dry.stdout);
      if (dry.stdout !== '') {
        const check = git(dir, ['apply', '--check', path.join(WORK, `${app}.patch`)]);
        expect(check.status, check.stderr).toBe(0);
      }

      const fixed = cli(dir, ['.', '--fix']);
      expect(fixed.stdout).toContain(`fixed ${fixable.length} of ${scan.findings.length} finding(s)`);
      const once = snapshot(dir);

      // Every changed file still parses.
      for (const [file, text] of once) {
        if (!/\.[cm]?[jt]sx?$/.test(file) || original.get(file) === text) continue;
        const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const parseErrors = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
        expect(parseErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), file).toEqual([]);
      }
      // The type-check reports nothing new.
      expect(added(typesBefore, diagnostics(dir))).toEqual([]);

      // The fixed handlers re-scan as handled; only those without a safe fix are still reported.
      const rescan = JSON.parse(cli(dir, ['.', '--format', 'json']).stdout) as AnalysisResult;
      expect(rescan.findings.map((f) => `${f.file}:${f.method}:${f.route}`).sort()).toEqual(scan.findings.filter((f) => !f.fix?.available).map((f) => `${f.file}:${f.method}:${f.route}`).sort());
      for (const f of fixable) {
        const handler = rescan.handlers.find((h) => h.file === f.file && h.method === f.method && h.route === f.route);
        expect(handler?.status, `${f.file} ${f.method} ${f.route}`).toBe('handled');
      }

      // A second --fix changes no byte.
      cli(dir, ['.', '--fix']);
      expect(snapshot(dir)).toEqual(once);
      console.log(`${app}: ${scan.findings.length} finding(s), ${fixable.length} fixed, ${scan.findings.length - fixable.length} without a safe fix; patch applies; ${typesBefore.length} type diagnostic(s) before, none added`);
    }, 120_000);
  }
});
