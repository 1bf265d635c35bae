// A warm editor process: lint every file once, then edit one route file's buffer and lint it again,
// several times; prints the median time of those second lints in ms.
//   node scripts/eslint-warm.mjs <dir> [route file]   (default: the generated project's src/domain1/routes.ts)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [dir, routeFile] = process.argv.slice(2);
const plugin = (await import(path.join(root, 'dist/rules/index.js'))).default;
const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended], ignore: false });
await eslint.lintFiles(['.']);
const file = routeFile ? path.resolve(routeFile) : path.join(dir, 'src/domain1/routes.ts');
const text = fs.readFileSync(file, 'utf8');
const unchanged = [];
const edited = [];
for (let i = 0; i < 7; i++) {
  // An edit (a new buffer each time), then the same buffer linted again (nothing changed).
  const buffer = `${text}\n// edit ${i}\n`;
  let started = performance.now();
  await eslint.lintText(buffer, { filePath: file });
  edited.push(performance.now() - started);
  started = performance.now();
  await eslint.lintText(buffer, { filePath: file });
  unchanged.push(performance.now() - started);
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
process.stdout.write(`${JSON.stringify({ unchangedMs: median(unchanged), editedMs: median(edited) })}\n`);
