// `--format github`: workflow-command annotations, level from severity, escaped as the runner expects.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/reporters/github.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('--format github', () => {
  it('escapes data and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('POST /a/:id, again')).toBe('POST /a/%3Aid%2C again');
  });

  it('annotates every finding at its file and line, relative to the repository root', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/idem-scan.js'), 'fixtures/express-ts', '--format', 'github'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(21);
    expect(annotations.filter((a) => a.startsWith('::error '))).toHaveLength(16);
    expect(annotations.filter((a) => a.startsWith('::warning '))).toHaveLength(5);
    expect(annotations).toContain(annotations.find((a) => a.startsWith('::error file=fixtures/express-ts/src/routes/orders.ts,line=16,col=8,title=idem-scan%3A POST /api/orders without idempotency (high)::')));
    for (const a of annotations) expect(a).not.toMatch(/\n/);
    expect(lines[lines.length - 1]).toMatch(/^✖ 21 finding\(s\)/);
  });
});
