// TEMPORARY minimal file collection (the CLI helper replaces this file).
import fs from 'node:fs';
import path from 'node:path';
import type { ScanError } from './types.js';
import { IdemScanError } from './errors.js';

const EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
export async function collectFiles(o: { paths: string[]; cwd: string; gitignore?: boolean; ignore?: string[] }): Promise<{ files: string[]; errors: ScanError[] }> {
  await Promise.resolve();
  const files: string[] = [];
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (!['node_modules', 'dist', '.git'].includes(e)) walk(path.join(p, e));
    } else if (EXT.test(p) && !/\.d\.[cm]?ts$/.test(p)) files.push(p);
  };
  for (const p of o.paths) {
    const abs = path.resolve(o.cwd, p);
    if (!fs.existsSync(abs)) throw new IdemScanError(`path not found: ${p}`);
    walk(abs);
  }
  return { files: files.sort(), errors: [] };
}
export function readSource(file: string): { text: string } | { error: string } {
  try {
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: String(e) };
  }
}
