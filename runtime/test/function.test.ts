import { describe, expect, it } from 'vitest';
import { IdempotencyError, MemoryStore, begin, parseKey, withIdempotency } from '../src/index.js';

describe('withIdempotency', () => {
  it('runs the work once per key and returns the first result on a replay', async () => {
    const store = new MemoryStore();
    let runs = 0;
    const work = async () => ({ order: ++runs });
    expect(await withIdempotency('k1', work, { store })).toEqual({ order: 1 });
    expect(await withIdempotency('k1', work, { store })).toEqual({ order: 1 });
    expect(await withIdempotency('k2', work, { store })).toEqual({ order: 2 });
    expect(runs).toBe(2);
    store.close();
  });

  it('runs unprotected without a key, or refuses under policy required', async () => {
    const store = new MemoryStore();
    let runs = 0;
    await withIdempotency(undefined, () => ++runs, { store });
    await withIdempotency(undefined, () => ++runs, { store });
    expect(runs).toBe(2);
    await expect(withIdempotency(null, () => ++runs, { store, policy: 'required' })).rejects.toMatchObject({ status: 400, statusCode: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
    store.close();
  });

  it('refuses the key with other input (422), separates scopes, and releases after an error', async () => {
    const store = new MemoryStore();
    await withIdempotency('k', () => 'first', { store, input: { amount: 1 } });
    await expect(withIdempotency('k', () => 'second', { store, input: { amount: 2 } })).rejects.toBeInstanceOf(IdempotencyError);
    expect(await withIdempotency('k', () => 'tenant b', { store, input: { amount: 1 }, scope: 'b' })).toBe('tenant b');
    let attempts = 0;
    const flaky = () => {
      attempts++;
      if (attempts === 1) throw new Error('timeout');
      return 'ok';
    };
    await expect(withIdempotency('retry', flaky, { store })).rejects.toThrow('timeout');
    expect(await withIdempotency('retry', flaky, { store })).toBe('ok');
    store.close();
  });

  it('keys records by key and scope, not route, unless keyPerRoute', async () => {
    const store = new MemoryStore();
    const a = await begin({ key: 'x', fingerprint: 'POST /a', route: 'POST /a' }, { store });
    expect(a.kind).toBe('proceed');
    if (a.kind === 'proceed') await a.claim.complete({ status: 201, headers: {}, body: '' });
    await expect(begin({ key: 'x', fingerprint: 'POST /b', route: 'POST /b' }, { store })).rejects.toMatchObject({ status: 422 });
    expect((await begin({ key: 'x', fingerprint: 'POST /b', route: 'POST /b' }, { store }, true)).kind).toBe('proceed');
    store.close();
  });
});

describe('parseKey', () => {
  it('accepts bare and sf-string keys of 1 to 255 printable characters', () => {
    expect(parseKey('abc')).toBe('abc');
    expect(parseKey('"abc"')).toBe('abc');
    expect(parseKey('"a\\"b"')).toBe('a"b');
    expect(parseKey(' ')).toBeUndefined();
    expect(parseKey(undefined)).toBeUndefined();
    expect(parseKey('k'.repeat(255))).toHaveLength(255);
    expect(() => parseKey('k'.repeat(256))).toThrow(IdempotencyError);
    expect(() => parseKey('tab\there')).toThrow(/printable/);
    expect(() => parseKey(['a', 'b'])).toThrow(/once/);
  });
});

describe('MemoryStore', () => {
  it('warns once in production, where each instance would have its own memory', () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    new MemoryStore().close();
    new MemoryStore().close();
    process.env.NODE_ENV = previous;
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        process.off('warning', listen);
        expect(warnings.filter((m) => m.includes('RedisStore or PostgresStore'))).toHaveLength(1);
        resolve();
      });
    });
  });

  it('sweeps expired records and stays within its bound', async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await store.claim({ key, fingerprint: 'f', token: 't', lockMs: 1_000, ttlMs: key === 'd' ? 50 : 60_000 });
    expect(store.size).toBe(3);
    expect(await store.get('a')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(2);
    store.close();
  });
});
