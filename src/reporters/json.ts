// The JSON contract (docs/json-output.md): stable field names, paths relative to cwd with `/`.
import type { AnalysisResult } from '../core/types.js';
import type { Reporter } from './types.js';

export interface JsonReport extends AnalysisResult {
  tool: { name: 'idem-scan'; version: string };
}

export const jsonReporter: Reporter = (result, ctx) => {
  const report: JsonReport = { tool: { name: 'idem-scan', version: ctx.version }, ...result };
  const ordered = { tool: report.tool, findings: report.findings, handlers: report.handlers, errors: report.errors, summary: report.summary };
  return `${JSON.stringify(ordered, null, 2)}\n`;
};
