// Public API: what the CLI, the ESLint rule and other tools call. The core takes its framework
// plugins as an argument; this entry point supplies the built-in registry unless told otherwise.
import { analyze as analyzeWith } from './core/analyze.js';
import { Analyzer } from './core/session.js';
import type { AnalyzeOptions, AnalyzerOptions } from './core/options.js';
import type { AnalysisResult } from './core/types.js';
import { FRAMEWORKS } from './frameworks/index.js';

type WithDefaultFrameworks<T extends AnalyzerOptions> = Omit<T, 'frameworks'> & Partial<Pick<T, 'frameworks'>>;

/** One scan of files and folders with the built-in framework plugins (or the ones given). */
export function analyze(options: WithDefaultFrameworks<AnalyzeOptions>): Promise<AnalysisResult> {
  return analyzeWith({ ...options, frameworks: options.frameworks ?? FRAMEWORKS });
}

/** A long-lived analyzer (editor, ESLint process) that reuses what it learned between files. */
export function createAnalyzer(options: WithDefaultFrameworks<AnalyzerOptions> = {}): Analyzer {
  return new Analyzer({ ...options, frameworks: options.frameworks ?? FRAMEWORKS });
}

export { Analyzer, appRootOf, type AnalyzeFileInput, type FileAnalysis } from './core/session.js';
export type { AnalyzeOptions, AnalyzerOptions } from './core/options.js';
export type { FrameworkDetector, RouteHandler, Prelude, DetectorContext } from './core/plugin.js';
export { FRAMEWORKS } from './frameworks/index.js';
export { IdemScanError } from './core/errors.js';
export * from './core/types.js';
export type { UserConfig, UserWriteEntry } from './catalog/user-config.js';
