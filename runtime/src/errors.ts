// Refusals are errors with an HTTP status and a stable code (the strings @nestjs/idempotency uses), so
// the function-level API can throw them and the HTTP adapters can answer with application/problem+json.

export type IdempotencyErrorCode =
  | 'IDEMPOTENCY_KEY_INVALID'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_REQUEST_IN_PROGRESS'
  | 'IDEMPOTENCY_STORE_UNAVAILABLE';

export class IdempotencyError extends Error {
  override readonly name = 'IdempotencyError';
  constructor(
    readonly status: 400 | 409 | 422 | 503,
    readonly code: IdempotencyErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (409, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /**
   * The status under the name frameworks read from a thrown error (Express's and Fastify's error
   * handlers, Nest's handling of unknown errors), so a refusal thrown by withIdempotency inside a
   * handler answers 400/409/422/503, not 500.
   */
  get statusCode(): number {
    return this.status;
  }

  /** RFC 9457 problem details. */
  toProblem(): { type: string; title: string; status: number; code: IdempotencyErrorCode; detail: string } {
    return { type: `https://idem-scan.dev/problems/${this.code.toLowerCase()}`, title: TITLES[this.code], status: this.status, code: this.code, detail: this.message };
  }
}

const TITLES: Record<IdempotencyErrorCode, string> = {
  IDEMPOTENCY_KEY_INVALID: 'Invalid Idempotency-Key',
  IDEMPOTENCY_KEY_REQUIRED: 'Idempotency-Key required',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key reused for a different request',
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 'A request with this Idempotency-Key is in progress',
  IDEMPOTENCY_STORE_UNAVAILABLE: 'Idempotency store unavailable',
};
