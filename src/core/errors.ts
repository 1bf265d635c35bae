/**
 * A problem with the user's input (missing path, unreadable tsconfig, bad option) that stops the
 * run. The CLI prints `message` (and `hint`) on one line each and exits 2, never a stack trace.
 */
export class IdemScanError extends Error {
  override readonly name = 'IdemScanError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  // Generated code (a string table of 20,000 `+` terms) nests deeper than a recursive walk can go.
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'the code is nested too deeply to analyse (the call stack overflowed)';
  return error instanceof Error ? error.message : String(error);
}
