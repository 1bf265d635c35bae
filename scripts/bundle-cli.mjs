// `npm run build`, after tsc: bundles the CLI (dist/src/cli/entry.js and everything it imports, the
// dependencies included) into one CommonJS file, dist/cli/idem-scan.cjs, which the process entry loads
// through V8's code cache (src/cli/run.ts). Only the compiler stays outside: it is loaded at run time
// from ts-morph's package, with a code cache of its own. Without the bundler (a platform its native
// part does not support) the CLI runs from the separate modules: slower to start, the same results.
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'dist', 'cli', 'idem-scan.cjs');
fs.rmSync(output, { force: true });

let build;
try {
  ({ build } = await import('rolldown'));
} catch (error) {
  console.warn(`bundle-cli: skipped (the bundler cannot load here: ${String(error?.message ?? error).split('\n')[0]}); the CLI runs unbundled`);
  process.exit(0);
}
await build({
  input: path.join(root, 'dist', 'src', 'cli', 'entry.js'),
  platform: 'node',
  external: [...builtinModules, /^node:/, 'typescript', 'ts-morph'],
  logLevel: 'warn',
  output: { file: output, format: 'cjs', codeSplitting: false },
});
