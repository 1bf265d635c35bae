// What the process entry (run.ts) needs of the CLI. `npm run build` bundles this module and all it
// imports into one CommonJS file (scripts/bundle-cli.mjs), which run.ts loads through V8's code cache.
export { main } from './main.js';
export { IdemScanError, errorMessage } from '../core/errors.js';
