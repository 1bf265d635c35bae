// The function-level form: run any async work at most once per key and return the first result on a
// replay. This is what idem-scan's autofix wraps handler bodies in.
import { begin, type IdempotencyOptions } from './engine.js';
import { canonicalJson, sha256 } from './hash.js';
import { parseKey } from './key.js';

export interface WithIdempotencyOptions extends IdempotencyOptions {
  /** Whose record this is (tenant, user, API key): a key is never replayed across scopes. */
  scope?: string;
  /** What the work is for (e.g. the request body): the same key with other input is refused with 422. */
  input?: unknown;
}

/**
 * Runs `work` once for `key`; later calls with the same key (and scope) get the first result back.
 * Results must be JSON-serializable. A thrown error releases the key so a retry runs again.
 * A missing key runs the work unprotected (policy `optional`) or throws (policy `required`).
 */
export async function withIdempotency<T>(key: string | null | undefined, work: () => Promise<T> | T, options: WithIdempotencyOptions = {}): Promise<T> {
  const parsed = parseKey(key);
  const started = await begin({ key: parsed, scope: options.scope, fingerprint: sha256('fn', canonicalJson(options.input)) }, options);
  if (started.kind === 'skip') return work();
  if (started.kind === 'replay') return decodeResult(started.response.body) as T;
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await started.claim.release();
    throw error;
  }
  await started.claim.complete({ status: 200, headers: {}, body: encodeResult(result) });
  return result;
}

function encodeResult(value: unknown): string {
  return Buffer.from(value === undefined ? '{"undefined":true}' : JSON.stringify({ value })).toString('base64');
}

function decodeResult(body: string): unknown {
  const parsed = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as { value?: unknown; undefined?: true };
  return parsed.value;
}
