// Baseline for the benchmark: read every source file, parse it with the TypeScript that ts-morph
// bundles (parents set, as an analyzer needs them) and visit every node. Nothing else: the compiler is
// loaded the way idem-scan loads it (src/core/ts.ts), without ts-morph's wrapper library.
//   node scripts/parse-walk.mjs <dir>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const ts = createRequire(createRequire(import.meta.url).resolve('ts-morph'))('@ts-morph/common/dist/typescript.js');

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/parse-walk.mjs <dir>');
  process.exit(2);
}
const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
};
walk(root);
let nodes = 0;
const visit = (node) => {
  nodes++;
  ts.forEachChild(node, visit);
};
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind));
}
console.log(JSON.stringify({ files: files.length, nodes }));
