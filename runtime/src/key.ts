// The Idempotency-Key value: the IETF draft sends it as a structured-header string ("abc"); Stripe-style
// clients send it bare. Both are accepted; either way it must be 1–255 printable ASCII characters.
import { IdempotencyError } from './errors.js';

export const MAX_KEY_LENGTH = 255;

/** The key as sent, unquoted; undefined when absent. Throws IdempotencyError 400 when it is malformed. */
export function parseKey(raw: string | readonly string[] | null | undefined): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') {
    const values = raw;
    if (values.length > 1) throw new IdempotencyError(400, 'IDEMPOTENCY_KEY_INVALID', 'send the Idempotency-Key header once');
    return parseKey(values[0]);
  }
  let value = raw.trim();
  if (value === '') return undefined;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  if (value.length === 0 || value.length > MAX_KEY_LENGTH) {
    throw new IdempotencyError(400, 'IDEMPOTENCY_KEY_INVALID', `the Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  if (!/^[\x20-\x7e]+$/.test(value)) throw new IdempotencyError(400, 'IDEMPOTENCY_KEY_INVALID', 'the Idempotency-Key must be printable ASCII');
  return value;
}
