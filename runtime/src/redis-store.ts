// Shared state in Redis for several server instances. Each change runs as one Lua script, so a claim,
// a renewal, a completion or a release is atomic and fenced by the claim's token; Redis key expiry
// removes old records. Works with an ioredis client or a node-redis (v4/v5) client the app already has.
import type { ClaimRequest, ClaimResult, IdempotencyRecord, IdempotencyStore, StoredResponse } from './store.js';

/** The two client shapes: ioredis `eval(script, numKeys, ...args)`, node-redis `eval(script, { keys, arguments })`. */
export type RedisClientLike =
  | { eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> }
  | { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>; isOpen: boolean };

export interface RedisStoreOptions {
  /** Prefix of the Redis keys. Default `idem:`. */
  prefix?: string;
}

// Time comes from the Redis server (TIME), so instances with skewed clocks agree on lock expiry.
const NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

const CLAIM = `${NOW}
local current = redis.call('GET', KEYS[1])
if current then
  local record = cjson.decode(current)
  if not (record.state == 'in-progress' and tonumber(record.lockedUntil) < now) then return current end
end
local record = { state = 'in-progress', fingerprint = ARGV[1], token = ARGV[2], lockedUntil = now + tonumber(ARGV[3]), expiresAt = now + tonumber(ARGV[4]) }
redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[4])
return false`;

const RENEW = `${NOW}
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.token ~= ARGV[1] or record.state ~= 'in-progress' then return 0 end
record.lockedUntil = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1`;

const COMPLETE = `${NOW}
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.token ~= ARGV[1] then return 0 end
record.state = 'completed'
record.lockedUntil = 0
record.expiresAt = now + tonumber(ARGV[3])
record.response = cjson.decode(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[3])
return 1`;

const RELEASE = `local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.token == ARGV[1] and record.state == 'in-progress' then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisStore implements IdempotencyStore {
  private readonly prefix: string;

  constructor(private readonly client: RedisClientLike, options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'idem:';
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const current = await this.run(CLAIM, request.key, [request.fingerprint, request.token, String(request.lockMs), String(request.ttlMs)]);
    return typeof current === 'string' ? { claimed: false, record: decode(current) } : { claimed: true };
  }

  async renew(key: string, token: string, lockMs: number): Promise<boolean> {
    return Number(await this.run(RENEW, key, [token, String(lockMs)])) === 1;
  }

  async complete(key: string, token: string, response: StoredResponse, ttlMs: number): Promise<boolean> {
    return Number(await this.run(COMPLETE, key, [token, JSON.stringify(response), String(ttlMs)])) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.run(RELEASE, key, [token]);
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const current = await this.run("return redis.call('GET', KEYS[1])", key, []);
    return typeof current === 'string' ? decode(current) : undefined;
  }

  private run(script: string, key: string, args: string[]): Promise<unknown> {
    const client = this.client;
    if ('isOpen' in client) return client.eval(script, { keys: [this.prefix + key], arguments: args });
    return client.eval(script, 1, this.prefix + key, ...args);
  }
}

function decode(text: string): IdempotencyRecord {
  const raw = JSON.parse(text) as IdempotencyRecord & { response?: StoredResponse | unknown[] };
  // cjson encodes an empty table as {} or []; normalize the headers map.
  if (raw.response && !Array.isArray(raw.response) && Array.isArray(raw.response.headers)) raw.response.headers = {};
  return raw;
}
