// Every example in docs/rules/missing-idempotency-key.md is linted as a file of its own small app:
// each ❌ block must be reported and each ✅ block must not, so the docs cannot drift from the rule.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../rules/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/rules/missing-idempotency-key.md'), 'utf8');

interface Example {
  expectReport: boolean;
  file: string;
  code: string;
}

function examples(markdown: string): Example[] {
  const out: Example[] = [];
  let verdict: boolean | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('❌')) verdict = true;
    else if (line.startsWith('✅')) verdict = false;
    else if (line.startsWith('```ts') && verdict !== undefined) {
      const end = lines.indexOf('```', i + 1);
      const body = lines.slice(i + 1, end);
      const file = /^\/\/ file: (.+)$/.exec(body[0] ?? '')?.[1];
      if (!file) throw new Error(`docs example at line ${i + 1} has no "// file:" line`);
      out.push({ expectReport: verdict, file, code: body.join('\n') + '\n' });
      verdict = undefined;
      i = end;
    }
  }
  return out;
}

const DEPENDENCIES: Record<string, Record<string, string>> = {
  express: { express: '^5', '@prisma/client': '^6', '@idem-scan/runtime': '^0.1.0' },
  fastify: { fastify: '^5', stripe: '^17' },
  nest: { '@nestjs/common': '^11', '@nestjs/core': '^11', '@prisma/client': '^6', resend: '^4' },
  next: { next: '^15', '@prisma/client': '^6', bullmq: '^5', '@idem-scan/runtime': '^0.1.0' },
};

describe('docs/rules/missing-idempotency-key.md', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-docs-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const [app, dependencies] of Object.entries(DEPENDENCIES)) {
    fs.mkdirSync(path.join(dir, app), { recursive: true });
    fs.writeFileSync(path.join(dir, app, 'package.json'), JSON.stringify({ name: `docs-${app}`, dependencies }));
  }
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended as Linter.Config], ignore: false });
  const all = examples(DOC);

  it('has a reported and a clean example for every framework', () => {
    for (const app of Object.keys(DEPENDENCIES)) {
      expect(all.some((e) => e.file.startsWith(`${app}/`) && e.expectReport)).toBe(true);
      expect(all.some((e) => e.file.startsWith(`${app}/`) && !e.expectReport)).toBe(true);
    }
  });

  for (const example of all) {
    it(`${example.expectReport ? '❌' : '✅'} ${example.file}`, async () => {
      const file = path.join(dir, example.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, example.code);
      const [result] = await eslint.lintText(example.code, { filePath: file });
      const messages = result!.messages;
      for (const m of messages) expect(m.ruleId, m.message).toBe('idempotency/missing-idempotency-key');
      expect(messages.length, messages.map((m) => m.message).join('\n')).toBe(example.expectReport ? 1 : 0);
    });
  }
});
