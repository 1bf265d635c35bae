// Process entry: runs main() and turns every failure into one line on stderr and exit code 2.
// `--version` is answered before commander and the rest are loaded: CI scripts call it often.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../version.js';
import { loadCommonJs, saveCodeCaches } from '../core/code-cache.js';

type Entry = typeof import('./entry.js');

/**
 * The CLI: the bundle `npm run build` makes (one file, compiled from V8's code cache after the first
 * scan: a tenth of a second less per run than loading seventy modules and compiling them), or these
 * modules themselves when there is no bundle or it is older than they are (a build that only ran tsc).
 */
async function loadCli(): Promise<Entry> {
  const bundle = fileURLToPath(new URL('../../cli/idem-scan.cjs', import.meta.url));
  const bundled = fs.statSync(bundle, { throwIfNoEntry: false });
  const built = fs.statSync(fileURLToPath(import.meta.url), { throwIfNoEntry: false });
  if (bundled && built && bundled.mtimeMs >= built.mtimeMs) return loadCommonJs(bundle, { key: 'content' }) as Entry;
  return import('./entry.js');
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { main, IdemScanError, errorMessage } = await loadCli();
  const run = { scanned: false };
  try {
    process.exitCode = await main(args, process.env, { scanned: () => (run.scanned = true) });
  } catch (error) {
    if (error instanceof IdemScanError) {
      process.stderr.write(`idem-scan: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    } else {
      process.stderr.write(`idem-scan: internal error: ${errorMessage(error)} (please report this, with the command you ran)\n`);
    }
    process.exitCode = 2;
  }
  // The bundle's cache, once a scan (not just --help) compiled what a scan needs.
  if (run.scanned) saveCodeCaches();
}
