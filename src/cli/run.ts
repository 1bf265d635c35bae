// Process entry: runs main() and turns every failure into one line on stderr and exit code 2.
// `--version` is answered before commander and the rest are loaded: CI scripts call it often.
import { packageVersion } from '../version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const [{ main }, { IdemScanError, errorMessage }] = await Promise.all([import('./main.js'), import('../core/errors.js')]);
  try {
    process.exitCode = await main(args);
  } catch (error) {
    if (error instanceof IdemScanError) {
      process.stderr.write(`idem-scan: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    } else {
      process.stderr.write(`idem-scan: internal error: ${errorMessage(error)} (please report this, with the command you ran)\n`);
    }
    process.exitCode = 2;
  }
}
