// Scans a throw-away app, applies every planned fix, and returns the findings and the fixed texts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../src/index.js';
import { applyFixes } from '../../src/core/fix/apply.js';
import type { AnalysisResult, Finding } from '../../src/core/types.js';
import type { UserConfig } from '../../src/catalog/user-config.js';

export interface FixedApp {
  dir: string;
  findings: Finding[];
  /** Fixed text of every changed file, by path relative to the app. */
  after: Record<string, string>;
  rescan: () => Promise<AnalysisResult>;
}

export async function fixApp(files: Record<string, string>, dependencies: Record<string, string>, config?: UserConfig): Promise<FixedApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-fix-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fix-case', dependencies }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const options = { paths: ['.'], cwd: dir, ...(config ? { config } : {}) };
  const result = await analyze(options);
  const outcome = applyFixes(result.findings, (file) => fs.readFileSync(path.join(dir, file), 'utf8'));
  const after: Record<string, string> = {};
  for (const change of outcome.changes) {
    after[change.file] = change.after;
    fs.writeFileSync(path.join(dir, change.file), change.after);
  }
  return { dir, findings: result.findings, after, rescan: () => analyze(options) };
}

export const EXPRESS = { express: '^5', '@prisma/client': '^6', stripe: '^17' };
