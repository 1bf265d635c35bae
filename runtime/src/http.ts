// HTTP semantics shared by the framework adapters: which header, whose scope, what the fingerprint
// covers, which responses are stored, which headers are replayed, and how refusals look.
import { begin, type Begin, type IdempotencyOptions } from './engine.js';
import { IdempotencyError } from './errors.js';
import { canonicalJson, sha256 } from './hash.js';
import { parseKey } from './key.js';
import type { StoredResponse } from './store.js';

export interface HttpIdempotencyOptions<Req> extends IdempotencyOptions {
  /** Request header that carries the key. Default `Idempotency-Key`. */
  header?: string;
  /** Tenant, user or API key of the request. Without it, records are keyed by the key alone (see docs). */
  scope?: (req: Req) => string | undefined;
  /** Key records per route too (a reused key on another endpoint then runs instead of getting 422). */
  keyPerRoute?: boolean;
  /** Header added to replays. Default `Idempotent-Replayed` (Stripe's spelling). */
  replayHeader?: string;
  /** Response headers stored and replayed besides the defaults (content-type, location, etag, …). */
  storeHeaders?: string[];
  /** Which outcomes are stored. Default: status < 500; `stripe` also stores 5xx. */
  storeIf?: ((status: number) => boolean) | 'stripe';
  /** Methods the adapter acts on. Default POST, PUT, PATCH, DELETE. */
  methods?: string[];
}

const DEFAULT_HEADERS = ['content-type', 'content-language', 'content-location', 'location', 'etag', 'last-modified', 'cache-control'];
const DEFAULT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface HttpRequestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  body: unknown;
  headerValue: string | readonly string[] | null | undefined;
  scope: string | undefined;
}

export function appliesTo<Req>(options: HttpIdempotencyOptions<Req>, method: string): boolean {
  return (options.methods ?? DEFAULT_METHODS).includes(method.toUpperCase());
}

export function headerName<Req>(options: HttpIdempotencyOptions<Req>): string {
  return (options.header ?? 'Idempotency-Key').toLowerCase();
}

/** Starts idempotent handling of one request; refusals come back as `{ kind: 'refuse' }`. */
export async function beginHttp<Req>(info: HttpRequestInfo, options: HttpIdempotencyOptions<Req>): Promise<Begin | { kind: 'refuse'; response: StoredResponse }> {
  try {
    const key = parseKey(info.headerValue);
    const fingerprint = sha256(info.method.toUpperCase(), info.path, canonicalJson(info.body));
    return await begin({ key, scope: info.scope, fingerprint, route: `${info.method.toUpperCase()} ${info.path}` }, options, options.keyPerRoute ?? false);
  } catch (error) {
    if (error instanceof IdempotencyError) return { kind: 'refuse', response: problem(error) };
    throw error;
  }
}

export function problem(error: IdempotencyError): StoredResponse {
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  return { status: error.status, headers, body: Buffer.from(JSON.stringify(error.toProblem())).toString('base64') };
}

export function shouldStore<Req>(options: HttpIdempotencyOptions<Req>, status: number): boolean {
  if (options.storeIf === 'stripe') return true;
  return options.storeIf ? options.storeIf(status) : status < 500;
}

/** The headers of a response worth replaying (never Set-Cookie, lengths, dates or hop-by-hop ones). */
export function pickHeaders<Req>(options: HttpIdempotencyOptions<Req>, headers: Record<string, unknown>): Record<string, string> {
  const allowed = new Set([...DEFAULT_HEADERS, ...(options.storeHeaders ?? []).map((h) => h.toLowerCase())]);
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!allowed.has(lower)) continue;
    if (Array.isArray(value)) picked[lower] = value.map(String).join(', ');
    else if (typeof value === 'string' || typeof value === 'number') picked[lower] = String(value);
  }
  return picked;
}

export function replayHeaders<Req>(options: HttpIdempotencyOptions<Req>, stored: StoredResponse): Record<string, string> {
  return { ...stored.headers, [(options.replayHeader ?? 'Idempotent-Replayed').toLowerCase()]: 'true' };
}
