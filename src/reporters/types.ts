import type { ChalkInstance } from 'chalk';
import type { AnalysisResult } from '../core/types.js';

export interface ReportContext {
  version: string;
  chalk: ChalkInstance;
  /** Only findings: no summary, no handler counts. */
  quiet: boolean;
  /** List every unresolved handler, not the first ten. */
  verbose?: boolean;
  /** The folder paths in the result are relative to. */
  cwd: string;
  /** The repository root (git), which SARIF locations are relative to; cwd outside a repository. */
  srcRoot: string;
}

/** Renders a result; returns the text to print or write. */
export type Reporter = (result: AnalysisResult, ctx: ReportContext) => string;
