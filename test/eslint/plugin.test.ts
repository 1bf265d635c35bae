// The plugin inside real ESLint (the `ESLint` class, flat config): the same findings as the CLI on
// every fixture app, eslint-disable comments, typed mode without a program, and an editor session
// that sees a service file change between two lints of the same handler file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../rules/index.js';
import { analyze } from '../../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = ['express-ts', 'express-cjs', 'express-classes', 'fastify-ts', 'nest-app', 'nest-global', 'next-app-router', 'next-pages-router'];
const recommended = plugin.configs.recommended as Linter.Config;
const UNREADABLE = new Set(['fixtures/express-cjs/src/lib/exporter.js']);

function eslintFor(cwd: string, extra: Linter.Config[] = []): ESLint {
  return new ESLint({ cwd, overrideConfigFile: true, overrideConfig: [recommended, ...extra], ignore: false, fix: true });
}

/** `file:line severity` for every report of the rule. */
function reportsOf(results: ESLint.LintResult[], cwd: string): string[] {
  const out: string[] = [];
  for (const result of results) {
    for (const message of result.messages) {
      // A fixture's deliberately unreadable file (binary) is not parsed by ESLint either.
      if (message.fatal && UNREADABLE.has(path.relative(cwd, result.filePath).split(path.sep).join('/'))) continue;
      if (message.ruleId !== 'idempotency/missing-idempotency-key') throw new Error(`${result.filePath}: ${message.message}`);
      const severity = /\((critical|high|medium|low)\)/.exec(message.message)?.[1];
      out.push(`${path.relative(cwd, result.filePath).split(path.sep).join('/')}:${message.line}:${message.column} ${severity}`);
    }
  }
  return out.sort();
}

describe('parity with the CLI', () => {
  for (const app of APPS) {
    it(`${app}: ESLint reports exactly the CLI's findings`, async () => {
      const cli = await analyze({ paths: [`fixtures/${app}`], cwd: ROOT });
      const expected = cli.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity}`).sort();
      const results = await eslintFor(ROOT).lintFiles([`fixtures/${app}`]);
      const actual = reportsOf(results, ROOT);
      console.log(`${app}: CLI ${expected.length} finding(s), ESLint ${actual.length} report(s) in ${results.length} file(s)`);
      expect(actual).toEqual(expected);
    });
  }
});

describe('in ESLint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-eslint-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (rel: string, text: string): string => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  write('package.json', JSON.stringify({ name: 'editor-app', dependencies: { express: '^5', '@prisma/client': '^6' } }));
  write('src/db.ts', "import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n");
  const service = (body: string) => `import { prisma } from './db';\nexport async function saveNote(id: string, text: string) {\n  ${body}\n}\n`;
  const CREATE = 'return prisma.note.create({ data: { text } });';
  const UPSERT = 'return prisma.note.upsert({ where: { id }, create: { id, text }, update: { text } });';
  const servicePath = write('src/notes-service.ts', service(CREATE));
  const routes = `import { Router } from 'express';\nimport { saveNote } from './notes-service';\nexport const router = Router();\nrouter.post('/notes/:id', async (req, res) => {\n  res.json(await saveNote(req.params.id, req.body.text));\n});\n`;
  const routesPath = write('src/routes.ts', routes);

  it('follows a change of the service file between two lints of the handler file, in one process', async () => {
    const eslint = eslintFor(dir);
    const lint = async () => reportsOf(await eslint.lintText(routes, { filePath: routesPath }), dir);
    expect(await lint()).toEqual(['src/routes.ts:4:8 high']);
    fs.writeFileSync(servicePath, service(UPSERT));
    bumpMtime(servicePath);
    expect(await lint()).toEqual([]);
    fs.writeFileSync(servicePath, service(CREATE));
    bumpMtime(servicePath);
    expect(await lint()).toEqual(['src/routes.ts:4:8 high']);
  });

  it('analyses the unsaved buffer, not the file on disk', async () => {
    const eslint = eslintFor(dir);
    const unsaved = routes.replace('router.post(', '// idem-scan-ignore missing-idempotency-key -- merged nightly\nrouter.post(');
    expect(reportsOf(await eslint.lintText(unsaved, { filePath: routesPath }), dir)).toEqual([]);
    expect(reportsOf(await eslint.lintText(routes, { filePath: routesPath }), dir)).toEqual(['src/routes.ts:4:8 high']);
  });

  it('honours eslint-disable comments with a reason', async () => {
    const disabled = routes.replace('router.post(', '// eslint-disable-next-line idempotency/missing-idempotency-key -- internal only\nrouter.post(');
    expect(reportsOf(await eslintFor(dir).lintText(disabled, { filePath: routesPath }), dir)).toEqual([]);
  });

  it('offers the CLI\'s fix as a suggestion, and as an autofix only when asked', async () => {
    const [result] = await eslintFor(dir).lintText(routes, { filePath: routesPath });
    const suggestion = result!.messages[0]!.suggestions?.[0];
    expect(suggestion?.desc).toMatch(/^Add idempotency handling: /);
    const fixed = await eslintFor(dir, [{ rules: { 'idempotency/missing-idempotency-key': ['error', { autofix: true }] } }]).lintText(routes, { filePath: routesPath });
    // `res.json(await saveNote(…))` answers in the same statement that writes: the route-level form.
    expect(fixed[0]!.output).toContain("import { idempotent } from '@idem-scan/runtime';");
    expect(fixed[0]!.output).toContain("router.post('/notes/:id', idempotent(async (req, res) => {");
    expect(fixed[0]!.messages).toEqual([]);
    // Without the option, eslint --fix leaves the handler alone.
    const untouched = await eslintFor(dir).lintText(routes, { filePath: routesPath });
    expect(untouched[0]!.output).toBeUndefined();
  });

  it('reports handlers it cannot follow only with reportUnresolved', async () => {
    const blind = "import { Router } from 'express';\nexport const router = Router();\nrouter.post('/carts', async (req, res) => {\n  res.json(await req.scope.resolve('cartService').create(req.body));\n});\n";
    const file = path.join(dir, 'src/carts.ts');
    expect((await eslintFor(dir).lintText(blind, { filePath: file }))[0]!.messages).toEqual([]);
    const [result] = await eslintFor(dir, [{ rules: { 'idempotency/missing-idempotency-key': ['error', { reportUnresolved: true }] } }]).lintText(blind, { filePath: file });
    expect(result!.messages.map((m) => m.message)).toEqual(["POST /carts could not be followed, so its writes are unknown: `req.scope.resolve('cartService').create` could not be followed: a value from a container (req.scope.resolve('cartService'))."]);
  });

  it('reads options: methods, minSeverity and extra wrappers', async () => {
    const eslint = eslintFor(dir, [{ rules: { 'idempotency/missing-idempotency-key': ['error', { minSeverity: 'critical' }] } }]);
    expect(reportsOf(await eslint.lintText(routes, { filePath: routesPath }), dir)).toEqual([]);
  });

  it('rejects invalid options with a clear message', async () => {
    const eslint = eslintFor(dir, [{ rules: { 'idempotency/missing-idempotency-key': ['error', { minSeverity: 'urgent' }] } }]);
    await expect(eslint.lintText(routes, { filePath: routesPath })).rejects.toThrow(/idempotency\/missing-idempotency-key[\s\S]*"urgent" should be equal to one of the allowed values/);
  });

  it('typeInfo "require" without a program fails with a message that says what to set up', async () => {
    const eslint = eslintFor(dir, [{ rules: { 'idempotency/missing-idempotency-key': ['error', { typeInfo: 'require' }] } }]);
    await expect(eslint.lintText(routes, { filePath: routesPath })).rejects.toThrow(/typeInfo "require" needs typed linting.*projectService/);
  });

  it('finds app-wide protection registered in another file for a router file linted alone', async () => {
    write('src/app.ts', "import express from 'express';\nimport { idempotency } from '@idem-scan/runtime';\nimport { router } from './routes';\nexport const app = express();\napp.use(idempotency());\napp.use('/api', router);\n");
    const eslint = eslintFor(dir);
    // The app-wide middleware is re-read once the analyzer re-checks the app's files.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const results = await eslint.lintText(routes, { filePath: routesPath });
    expect(reportsOf(results, dir)).toEqual([]);
    fs.rmSync(path.join(dir, 'src/app.ts'));
  });
});

/** Some file systems keep whole-second mtimes: make sure a rewrite is seen as a change. */
function bumpMtime(file: string): void {
  const later = new Date(Date.now() + 2000 + Math.random() * 1000);
  fs.utimesSync(file, later, later);
}
