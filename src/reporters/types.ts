import type { ChalkInstance } from 'chalk';
import type { AnalysisResult } from '../core/types.js';

export interface ReportContext {
  version: string;
  chalk: ChalkInstance;
  /** Only findings: no summary, no handler counts. */
  quiet: boolean;
}

/** Renders a result; returns the text to print or write. */
export type Reporter = (result: AnalysisResult, ctx: ReportContext) => string;
