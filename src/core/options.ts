import type { UserConfig } from '../catalog/user-config.js';
import type { HttpMethod, Severity } from './types.js';
import type { TS } from './ts.js';
import type { FrameworkDetector } from './plugin.js';

/** What an analyzer session is created with, once per process. */
export interface AnalyzerOptions {
  /** The framework plugins to run (the faces pass the built-in registry, `src/frameworks`). */
  frameworks: readonly FrameworkDetector[];
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
  /** TypeScript namespace to parse with; defaults to ts-morph's bundled copy. */
  ts?: TS;
  /** How often (ms) a warm session re-checks every file of an app for changes (default 250). */
  recheckMs?: number;
}

/** One scan: an analyzer's options plus what to scan. */
export interface AnalyzeOptions extends AnalyzerOptions {
  /** Files or folders to scan, absolute or relative to `cwd`. */
  paths: string[];
  /** Called as files are analysed, for a progress display. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_METHODS: readonly HttpMethod[] = ['POST', 'PUT'];
export const DEFAULT_MIN_SEVERITY: Severity = 'medium';
