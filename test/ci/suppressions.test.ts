// Reasoned suppressions: `// idem-scan-ignore missing-idempotency-key -- reason` suppresses the
// handler (listed as suppressed, with the reason, also in SARIF); a comment without a reason, naming
// an unknown rule, or suppressing nothing is a low-severity finding of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { sarifLog } from '../../src/reporters/sarif.js';
import { makeChalk } from '../../src/cli/colors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-suppress-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'suppress', dependencies: { express: '^5', '@prisma/client': '^6' } }));

const header = "import { Router } from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const router = Router();\n";
const create = (route: string) => `router.post('${route}', async (req, res) => {\n  res.json(await prisma.note.create({ data: req.body }));\n});\n`;
const read = (route: string) => `router.post('${route}', async (req, res) => {\n  res.json(await prisma.note.findMany());\n});\n`;

async function scan(body: string) {
  fs.writeFileSync(path.join(dir, 'routes.ts'), header + body);
  return analyze({ paths: ['.'], cwd: dir });
}

describe('idem-scan-ignore', () => {
  it('with the rule and a reason: suppressed, the reason kept, no finding', async () => {
    const result = await scan(`// idem-scan-ignore missing-idempotency-key -- notes are merged nightly\n${create('/a')}`);
    expect(result.findings).toEqual([]);
    const handler = result.handlers.find((h) => h.route === '/a')!;
    expect(handler.status).toBe('suppressed');
    expect(handler.suppression).toEqual({ kind: 'inSource', justification: 'notes are merged nightly' });
    expect(handler.reason).toMatch(/^suppressed by an idem-scan-ignore comment \(notes are merged nightly\)/);
    const log = sarifLog(result, { version: '0.0.0', chalk: makeChalk({}, false), quiet: false, cwd: dir, srcRoot: dir });
    expect(log.runs[0]!.results![0]!.suppressions).toEqual([{ kind: 'inSource', justification: 'notes are merged nightly' }]);
  });

  it('at the end of the registration line', async () => {
    const result = await scan(create('/a').replace('{\n', '{ // idem-scan-ignore missing-idempotency-key -- merged nightly\n'));
    expect(result.handlers[0]!.status).toBe('suppressed');
  });

  it('without a reason: suppressed, and reported as a low finding of its own', async () => {
    const result = await scan(`// idem-scan-ignore missing-idempotency-key\n${create('/a')}`);
    expect(result.handlers[0]!.status).toBe('suppressed');
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.line, f.message])).toEqual([['suppression-comment', 'low', 5, 'idem-scan-ignore comment gives no reason: write one after "--" so reviewers can see why']]);
  });

  it('naming an unknown rule: not suppressed, and reported', async () => {
    const result = await scan(`// idem-scan-ignore missing-idempotency -- typo\n${create('/a')}`);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['suppression-comment', 'missing-idempotency-key']);
    expect(result.findings[0]!.message).toMatch(/names an unknown rule "missing-idempotency"/);
  });

  it('on a handler with nothing to suppress, or on no handler: reported as unused', async () => {
    const result = await scan(`// idem-scan-ignore missing-idempotency-key -- was a create once\n${read('/a')}\n// idem-scan-ignore missing-idempotency-key -- stray\nconst x = 1;\nvoid x;\n`);
    expect(result.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/suppresses nothing: the handler is read-only/) as unknown,
      expect.stringMatching(/suppresses nothing: no route registration follows it/) as unknown,
    ]);
  });
});
