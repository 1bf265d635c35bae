// One ESLint run over a folder, as a whole process, for the benchmark: `plugin` lints with the
// plugin's recommended config, `trivial` with the same parser and one rule that only visits calls.
//   node scripts/eslint-lint.mjs <dir> plugin|trivial
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import parser from '@typescript-eslint/parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [dir, mode] = process.argv.slice(2);
const trivial = {
  meta: { type: 'problem', schema: [] },
  create: () => ({ CallExpression() {} }),
};
const config = mode === 'plugin'
  ? [(await import(path.join(root, 'dist/rules/index.js'))).default.configs.recommended]
  : [{ files: ['**/*.{ts,tsx,js}'], languageOptions: { parser }, plugins: { bench: { rules: { calls: trivial } } }, rules: { 'bench/calls': 'error' } }];
const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, ignore: false });
const results = await eslint.lintFiles(['.']);
const reports = results.reduce((n, r) => n + r.messages.length, 0);
process.stdout.write(`${JSON.stringify({ files: results.length, reports })}\n`);
