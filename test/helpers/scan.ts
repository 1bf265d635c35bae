// Writes a small project to a temp folder and runs the analysis core on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../src/index.js';
import type { AnalyzeOptions } from '../../src/core/options.js';
import type { AnalysisResult, HandlerReport } from '../../src/core/types.js';

export function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-scan-test-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

export async function scan(files: Record<string, string>, options: Partial<AnalyzeOptions> = {}): Promise<AnalysisResult> {
  const dir = writeProject(files);
  try {
    return await analyze({ paths: ['.'], cwd: dir, ...options });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `METHOD route status severity` per handler, sorted, for compact assertions. */
export function verdicts(result: AnalysisResult): string[] {
  return result.handlers.map(verdict);
}

export function verdict(h: HandlerReport): string {
  return [h.method, h.route ?? '?', h.status, h.status === 'reported' ? h.severity : null].filter(Boolean).join(' ');
}
