// Applying edits: from the end, identical edits once, insertions at one point in planned order,
// overlapping fixes left out whole, and a file changed on disk since it was read never overwritten.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyEdits, applyFixes } from '../../src/core/fix/apply.js';
import { runFixes } from '../../src/cli/fix.js';
import type { Finding, TextEdit } from '../../src/core/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function finding(edits: TextEdit[], line = 1): Finding {
  return {
    ruleId: 'missing-idempotency-key', fingerprint: 'f', severity: 'high', message: '', file: 'a.ts', line, column: 1, endLine: 1, endColumn: 1,
    framework: 'express', method: 'POST', route: '/x', symbol: 'h', writes: [],
    fix: { available: true, shape: 'wrap-work', description: 'test', edits },
  };
}

describe('applyEdits', () => {
  it('applies from the end, keeps insertions at one point in their order, before a replacement there', () => {
    expect(applyEdits('abcdef', [{ file: 'a', start: 1, end: 3, text: 'X' }, { file: 'a', start: 4, end: 4, text: '1' }, { file: 'a', start: 4, end: 4, text: '2' }])).toBe('aXd12ef');
    expect(applyEdits('abc', [{ file: 'a', start: 1, end: 2, text: 'R' }, { file: 'a', start: 1, end: 1, text: 'I' }])).toBe('aIRc');
  });
});

describe('applyFixes', () => {
  const text = 'const a = 1;\nconst b = 2;\n';
  it('counts an edit two fixes share once (the same import) and merges two new imports from one module', () => {
    const sharedImport = { file: 'a.ts', start: 0, end: 0, text: "import { withIdempotency } from '@idem-scan/runtime';\n" };
    const other = { file: 'a.ts', start: 0, end: 0, text: "import { idempotent } from '@idem-scan/runtime';\n" };
    const out = applyFixes([finding([sharedImport, { file: 'a.ts', start: 6, end: 7, text: 'x' }]), finding([sharedImport, { file: 'a.ts', start: 19, end: 20, text: 'y' }]), finding([other], 3)], () => text);
    expect(out.changes[0]!.after).toBe("import { withIdempotency, idempotent } from '@idem-scan/runtime';\nconst x = 1;\nconst y = 2;\n");
    expect(out.skipped).toEqual([]);
  });

  it('leaves out a fix whose edits overlap another fix, whole', () => {
    const first = finding([{ file: 'a.ts', start: 0, end: 12, text: 'let a = 1;' }]);
    const second = finding([{ file: 'a.ts', start: 6, end: 7, text: 'z' }, { file: 'a.ts', start: 19, end: 20, text: 'y' }], 2);
    const out = applyFixes([first, second], () => text);
    expect(out.changes[0]!.after).toBe('let a = 1;\nconst b = 2;\n');
    expect(out.skipped.map((s) => s.finding)).toEqual([second]);
    expect(out.skipped[0]!.reason).toMatch(/overlap another fix/);
  });

  it('never writes a file that changed on disk since the analysis read it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-apply-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), 'const a = 1; // edited meanwhile\n');
      const run = runFixes([finding([{ file: 'a.ts', start: 6, end: 7, text: 'x' }])], dir, () => text, true);
      expect(run.changedOnDisk).toEqual(['a.ts']);
      expect(run.fixed).toEqual([]);
      expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('const a = 1; // edited meanwhile\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI fix flags', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/idem-scan.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  it('refuses --fix with --fix-dry-run, and --fix-only alone, with one line and exit 2', () => {
    const both = run(['fixtures/express-ts', '--fix', '--fix-dry-run']);
    expect(both.status).toBe(2);
    expect(both.stderr.trim()).toBe('idem-scan: --fix and --fix-dry-run cannot be used together');
    const only = run(['fixtures/express-ts', '--fix-only', 'high']);
    expect(only.status).toBe(2);
    expect(only.stderr.trim()).toBe('idem-scan: --fix-only goes with --fix or --fix-dry-run');
  });

  it('--fix-dry-run --fix-only critical prints only the critical fixes and writes nothing', () => {
    const before = fs.readFileSync(path.join(ROOT, 'fixtures/express-ts/src/app.ts'), 'utf8');
    const dry = run(['fixtures/express-ts', '--fix-dry-run', '--fix-only', 'critical']);
    expect(dry.status).toBe(1);
    expect(dry.stderr).toContain('would fix 2 of 2 finding(s)');
    expect(dry.stdout).toContain('diff --git a/fixtures/express-ts/src/app.ts b/fixtures/express-ts/src/app.ts');
    expect(dry.stdout).not.toContain('src/routes/users.ts');
    expect(fs.readFileSync(path.join(ROOT, 'fixtures/express-ts/src/app.ts'), 'utf8')).toBe(before);
  });
});
