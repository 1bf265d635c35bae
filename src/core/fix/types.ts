// What a fix is: text edits computed once by the core and applied by every face (the CLI's --fix and
// --fix-dry-run, the JSON output, the ESLint rule's suggestion).

/** Replace the text of `file` from `start` to `end` (offsets in the text the analysis read) with `text`. */
export interface TextEdit {
  /** Path relative to the analysis cwd, with `/`. */
  file: string;
  start: number;
  end: number;
  text: string;
}

export type FixShape = 'wrap-work' | 'wrap-route';

export type FixPlan =
  | { available: true; shape: FixShape; description: string; edits: TextEdit[] }
  | { available: false; reason: string };

/** How fixes are written (config `fix`). */
export interface FixOptions {
  /** Module the wrapper is imported from. */
  module: string;
  /** Name of the function-level wrapper, `withIdempotency(key, work, { scope, input })`. */
  wrapper: string;
  /** A request without a key: run as today (`optional`) or refuse with 400 (`required`). */
  policy: 'optional' | 'required';
}

export const DEFAULT_FIX_OPTIONS: FixOptions = { module: '@idem-scan/runtime', wrapper: 'withIdempotency', policy: 'optional' };
