// One scan, for callers that need no session: the pipeline files → project → framework detectors →
// handlers → state writes → mitigations → severity → findings lives in the Analyzer (session.ts).
// Returns data; never prints or exits. Throws IdemScanError for fatal input problems (missing path,
// unreadable --project tsconfig); everything else lands in `errors`.
import type { AnalyzeOptions } from './options.js';
import type { AnalysisResult } from './types.js';
import { loadBundledTs } from './ts.js';
import { Analyzer } from './session.js';

export async function analyze(options: AnalyzeOptions): Promise<AnalysisResult> {
  // Loaded asynchronously here so that a CLI run does not block on ts-morph's module graph twice.
  const ts = options.ts ?? (await loadBundledTs());
  return new Analyzer({ ...options, ts }).analyzePaths(options.paths, options.onProgress);
}
