#!/usr/bin/env node
// Runs the built CLI. A checkout that was never built gets one clear line instead of a stack trace.
try {
  await import('../dist/src/cli/run.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli/run.js')) {
    process.stderr.write('idem-scan: the CLI is not built yet; run `npm run build` (or `npm install`) first\n');
    process.exitCode = 2;
  } else {
    throw error;
  }
}
