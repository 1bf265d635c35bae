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
  return error instanceof Error ? error.message : String(error);
}
