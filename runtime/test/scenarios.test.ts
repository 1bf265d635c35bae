// The same scenarios against every store: memory, Redis (ioredis and node-redis) and PostgreSQL,
// through a real Express app over HTTP.
import { afterAll, describe, expect, it } from 'vitest';
import { STORE_KITS, closeAll, post, startExpressApp } from './helpers.js';

afterAll(closeAll);

describe.each(STORE_KITS)('$name store', (kit) => {
  it('replays a completed request byte for byte, with the replay header, and runs it once', async () => {
    const app = await startExpressApp({ store: await kit.make() });
    const first = await post(`${app.url}/orders`, { item: 'book' }, { 'Idempotency-Key': 'replay-1' });
    const second = await post(`${app.url}/orders`, { item: 'book' }, { 'Idempotency-Key': 'replay-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(app.runs()).toBe(1);
    await app.close();
  });

  it('refuses the same key with another body (422) and runs nothing', async () => {
    const app = await startExpressApp({ store: await kit.make() });
    await post(`${app.url}/orders`, { item: 'book' }, { 'Idempotency-Key': 'mismatch' });
    const other = await post(`${app.url}/orders`, { item: 'lamp' }, { 'Idempotency-Key': 'mismatch' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(await other.json()).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(app.runs()).toBe(1);
    await app.close();
  });

  it('answers 400 for a malformed key, and for a missing one only under policy required', async () => {
    const optional = await startExpressApp({ store: await kit.make() });
    expect((await post(`${optional.url}/orders`, {}, { 'Idempotency-Key': 'x'.repeat(256) })).status).toBe(400);
    expect((await post(`${optional.url}/orders`, {}, { 'Idempotency-Key': 'caf\u00e9' })).status).toBe(400);
    expect((await post(`${optional.url}/orders`, {})).status).toBe(201);
    const quoted = await post(`${optional.url}/orders`, { item: 'q' }, { 'Idempotency-Key': '"abc-123"' });
    const bare = await post(`${optional.url}/orders`, { item: 'q' }, { 'Idempotency-Key': 'abc-123' });
    expect(bare.headers.get('idempotent-replayed')).toBe('true');
    expect(await bare.text()).toBe(await quoted.text());
    await optional.close();
    const required = await startExpressApp({ store: await kit.make(), policy: 'required' });
    const missing = await post(`${required.url}/orders`, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
    expect(required.runs()).toBe(0);
    await required.close();
  });

  it('answers 409 with Retry-After to a duplicate that arrives while the first runs', async () => {
    const app = await startExpressApp({ store: await kit.make() }, { delayMs: 300 });
    const first = post(`${app.url}/orders`, { item: 'slow' }, { 'Idempotency-Key': 'busy' });
    await new Promise((r) => setTimeout(r, 80));
    const duplicate = await post(`${app.url}/orders`, { item: 'slow' }, { 'Idempotency-Key': 'busy' });
    expect(duplicate.status).toBe(409);
    expect(Number(duplicate.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await first).status).toBe(201);
    expect(app.runs()).toBe(1);
    await app.close();
  });

  it('runs the handler exactly once for 50 concurrent identical requests; waiting duplicates get the replay', async () => {
    const app = await startExpressApp({ store: await kit.make(), concurrent: { waitMs: 5_000, pollMs: 20 } }, { delayMs: 150 });
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(`${app.url}/orders`, { item: 'rush' }, { 'Idempotency-Key': 'fifty' })));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(app.runs()).toBe(1);
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    await app.close();
  });

  it('releases the key when the handler throws or answers 5xx, so the retry runs', async () => {
    const app = await startExpressApp({ store: await kit.make() }, { failTimes: 1 });
    expect((await post(`${app.url}/orders`, { item: 'x' }, { 'Idempotency-Key': 'flaky' })).status).toBe(500);
    expect((await post(`${app.url}/orders`, { item: 'x' }, { 'Idempotency-Key': 'flaky' })).status).toBe(201);
    expect(app.runs()).toBe(2);
    await app.close();
    const unavailable = await startExpressApp({ store: await kit.make() }, { status: 503 });
    await post(`${unavailable.url}/orders`, {}, { 'Idempotency-Key': 'five-oh-three' });
    await post(`${unavailable.url}/orders`, {}, { 'Idempotency-Key': 'five-oh-three' });
    expect(unavailable.runs()).toBe(2);
    await unavailable.close();
    const stripeLike = await startExpressApp({ store: await kit.make(), storeIf: 'stripe' }, { status: 503 });
    await post(`${stripeLike.url}/orders`, {}, { 'Idempotency-Key': 'kept' });
    const replay = await post(`${stripeLike.url}/orders`, {}, { 'Idempotency-Key': 'kept' });
    expect(replay.status).toBe(503);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(stripeLike.runs()).toBe(1);
    await stripeLike.close();
  });

  it('lets a new attempt take over a claim whose process died, once its lock expires', async () => {
    const store = await kit.make();
    // A "crashed" process: claimed, never completed, never released.
    const crashed = await store.claim({ key: 'orphan', fingerprint: 'f', token: 'dead-process', lockMs: 200, ttlMs: 60_000 });
    expect(crashed.claimed).toBe(true);
    const early = await store.claim({ key: 'orphan', fingerprint: 'f', token: 'second', lockMs: 200, ttlMs: 60_000 });
    expect(early.claimed).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await store.claim({ key: 'orphan', fingerprint: 'f', token: 'third', lockMs: 200, ttlMs: 60_000 })).claimed).toBe(true);
    // The dead process can no longer write over the newer attempt's record.
    expect(await store.complete('orphan', 'dead-process', { status: 200, headers: {}, body: '' }, 60_000)).toBe(false);
    expect(await store.complete('orphan', 'third', { status: 201, headers: {}, body: '' }, 60_000)).toBe(true);
    expect((await store.get('orphan'))?.response?.status).toBe(201);
  });

  it('renews the lock of a long handler, so a duplicate cannot take it over mid-run', async () => {
    // lockMs 1 s, handler 2.5 s: without renewal the claim would expire and the duplicate would run.
    const app = await startExpressApp({ store: await kit.make(), lockMs: 1_000 }, { delayMs: 2_500 });
    const first = post(`${app.url}/orders`, { item: 'long' }, { 'Idempotency-Key': 'long-run' });
    await new Promise((r) => setTimeout(r, 1_700));
    expect((await post(`${app.url}/orders`, { item: 'long' }, { 'Idempotency-Key': 'long-run' })).status).toBe(409);
    expect((await first).status).toBe(201);
    expect(app.runs()).toBe(1);
    await app.close();
  });

  it('forgets records after their TTL', async () => {
    const app = await startExpressApp({ store: await kit.make(), ttlMs: 1_000 });
    await post(`${app.url}/orders`, { item: 'ttl' }, { 'Idempotency-Key': 'short-lived' });
    expect((await post(`${app.url}/orders`, { item: 'ttl' }, { 'Idempotency-Key': 'short-lived' })).headers.get('idempotent-replayed')).toBe('true');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await post(`${app.url}/orders`, { item: 'ttl' }, { 'Idempotency-Key': 'short-lived' })).headers.get('idempotent-replayed')).toBeNull();
    expect(app.runs()).toBe(2);
    await app.close();
  });

  it('never replays one tenant’s response to another', async () => {
    const app = await startExpressApp({ store: await kit.make(), scope: (req) => String(req.headers['x-tenant']) });
    const a = await post(`${app.url}/orders`, { item: 'same' }, { 'Idempotency-Key': 'shared-key', 'x-tenant': 'tenant-a' });
    const b = await post(`${app.url}/orders`, { item: 'same' }, { 'Idempotency-Key': 'shared-key', 'x-tenant': 'tenant-b' });
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(((await b.json()) as { tenant: string }).tenant).toBe('tenant-b');
    expect(((await a.json()) as { tenant: string }).tenant).toBe('tenant-a');
    expect(app.runs()).toBe(2);
    await app.close();
  });

  it('fails closed with 503 when the store is down, and runs nothing; fail-open runs unprotected', async () => {
    const closed = await startExpressApp({ store: await kit.down() });
    const refused = await post(`${closed.url}/orders`, {}, { 'Idempotency-Key': 'down' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'IDEMPOTENCY_STORE_UNAVAILABLE' });
    expect(closed.runs()).toBe(0);
    await closed.close();
    const open = await startExpressApp({ store: await kit.down(), onStoreError: 'fail-open' });
    expect((await post(`${open.url}/orders`, {}, { 'Idempotency-Key': 'down' })).status).toBe(201);
    expect(open.runs()).toBe(1);
    await open.close();
  });

  it('leaves the query string out of the fingerprint', async () => {
    const store = await kit.make();
    const app = await startExpressApp({ store });
    await post(`${app.url}/orders`, { item: 'a' }, { 'Idempotency-Key': 'route-key' });
    const elsewhere = await post(`${app.url}/orders?x=1`, { item: 'a' }, { 'Idempotency-Key': 'route-key' });
    expect(elsewhere.headers.get('idempotent-replayed')).toBe('true');
    await app.close();
  });
});
