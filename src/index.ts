// Public API of the analysis core: what the CLI, the ESLint rule and the fixer call.
export { analyze } from './core/analyze.js';
export type { AnalyzeOptions } from './core/options.js';
export { IdemScanError } from './core/errors.js';
export * from './core/types.js';
export type { UserConfig, UserWriteEntry } from './catalog/user-config.js';
