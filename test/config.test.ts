import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validate } from '../src/config/load-config.js';
import { scan, verdicts, writeProject } from './helpers/scan.js';

describe('config', () => {
  it('finds idem-scan.config.json, .idem-scanrc.json or package.json "idem-scan" above cwd', () => {
    const a = writeProject({ 'idem-scan.config.json': JSON.stringify({ headers: ['X-Request-Id'] }), 'sub/x.ts': '' });
    expect(loadConfig(path.join(a, 'sub')).config).toEqual({ headers: ['X-Request-Id'] });
    const b = writeProject({ 'package.json': JSON.stringify({ name: 'b', 'idem-scan': { wrappers: ['withDedup'] } }) });
    expect(loadConfig(b)).toMatchObject({ config: { wrappers: ['withDedup'] } });
    const c = writeProject({ '.idem-scanrc.json': '{ "middleware": ["dedupe"] }' });
    fs.mkdirSync(path.join(c, '.git'));
    expect(loadConfig(c).config).toEqual({ middleware: ['dedupe'] });
  });

  it('rejects mistakes with one clear line each', () => {
    expect(() => validate([], 'x')).toThrow('x: the config must be a JSON object');
    expect(() => validate({ headers: 'Idempotency-Key' }, 'x')).toThrow('"headers" must be an array of non-empty strings');
    expect(() => validate({ writes: [{ id: 'a', kind: 'money', module: 'm', path: 'p' }] }, 'x')).toThrow(/"kind" must be one of/);
    expect(() => validate({ writes: [{ id: 'a', kind: 'payment', module: 'm', path: '(' }] }, 'x')).toThrow(/not a valid regular expression/);
    const bad = writeProject({ 'idem-scan.config.json': '{ nope' });
    expect(() => loadConfig(bad)).toThrow(/invalid JSON in idem-scan.config.json/);
    expect(() => loadConfig(bad, 'missing.json')).toThrow('config file not found: missing.json');
  });

  it('extends the catalogues: write rules, headers, wrappers and middleware', async () => {
    const pkg = JSON.stringify({ name: 'app', dependencies: { express: '^5' } });
    const app = `import express from 'express';\nimport { billing } from '@acme/billing';\nimport { dedupe } from '@acme/kit';\nconst app = express();\n` +
      `app.post('/a', async (req, res) => { await billing.charges.create({}); res.end(); });\n` +
      `app.post('/b', dedupe(), async (req, res) => { await billing.charges.create({}); res.end(); });\n` +
      `app.post('/c', async (req, res) => { const id = req.get('X-Request-Id'); await billing.charges.create({ requestId: id }); res.end(); });\n`;
    const config = { writes: [{ id: 'acme.charge', kind: 'payment' as const, module: '@acme/billing', path: '^billing\\.charges\\.create$' }], middleware: ['dedupe'], headers: ['X-Request-Id'] };
    expect(verdicts(await scan({ 'package.json': pkg, 'src/app.ts': app }))).toEqual(['POST /a read-only', 'POST /b read-only', 'POST /c read-only']);
    expect(verdicts(await scan({ 'package.json': pkg, 'src/app.ts': app }, { config }))).toEqual(['POST /a reported critical', 'POST /b handled', 'POST /c handled']);
  });
});
