import type { UserConfig } from '../catalog/user-config.js';
import type { HttpMethod, Severity } from './types.js';
import type { TS } from './ts.js';

export interface AnalyzeOptions {
  /** Files or folders to scan, absolute or relative to `cwd`. */
  paths: string[];
  /** Base for relative paths in input and output; defaults to process.cwd(). */
  cwd?: string;
  /** Explicit tsconfig/jsconfig; otherwise the nearest one above each file. */
  project?: string;
  /** Methods that are reported; PATCH handlers are always listed. Default POST, PUT. */
  methods?: HttpMethod[];
  /** Findings below this are listed as `below-threshold`. Default medium. */
  minSeverity?: Severity;
  /** Catalogue extensions and names from the user's config file. */
  config?: UserConfig;
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
  /** Called as files are analysed, for a progress display. */
  onProgress?: (done: number, total: number) => void;
  /** TypeScript namespace to parse with; defaults to ts-morph's bundled copy. */
  ts?: TS;
}

export const DEFAULT_METHODS: readonly HttpMethod[] = ['POST', 'PUT'];
export const DEFAULT_MIN_SEVERITY: Severity = 'medium';
