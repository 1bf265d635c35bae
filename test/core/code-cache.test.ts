import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, loadCommonJs, saveCodeCaches } from '../../src/core/code-cache.js';

const tempDir = (): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'idem-code-cache-')));

describe('code caches', () => {
  it('runs a CommonJS file with its own require, and keeps its cache in the node_modules beside it', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'helper.cjs'), 'module.exports = 20;');
    const file = path.join(dir, 'dist', 'main.cjs');
    fs.writeFileSync(file, "const helper = require('./helper.cjs'); exports.answer = (n) => helper + n; exports.where = __dirname;");
    const loaded = loadCommonJs(file, { key: 'content' }) as { answer: (n: number) => number; where: string };
    expect(loaded.answer(22)).toBe(42);
    expect(loaded.where).toBe(path.join(dir, 'dist'));
    saveCodeCaches();
    const written = fs.readdirSync(path.join(dir, 'node_modules', '.cache', 'idem-scan'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^main-[0-9a-f]{16}-/);
    // Loaded again: the cache is accepted, nothing new to write.
    expect((loadCommonJs(file, { key: 'content' }) as { answer: (n: number) => number }).answer(1)).toBe(21);
    saveCodeCaches();
    expect(fs.readdirSync(path.join(dir, 'node_modules', '.cache', 'idem-scan'))).toEqual(written);
  });

  it('keys a changing file by its content: an edit of the same length gets a cache of its own', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const file = path.join(dir, 'bundle.cjs');
    fs.writeFileSync(file, 'exports.value = 1;');
    expect((loadCommonJs(file, { key: 'content' }) as { value: number }).value).toBe(1);
    saveCodeCaches();
    fs.writeFileSync(file, 'exports.value = 2;');
    expect((loadCommonJs(file, { key: 'content' }) as { value: number }).value).toBe(2);
    saveCodeCaches();
    expect(fs.readdirSync(path.join(dir, 'node_modules', '.cache', 'idem-scan'))).toHaveLength(2);
  });

  it('places the cache in the node_modules a file is installed in, and keys an installed file by its size', () => {
    const dir = tempDir();
    const installed = path.join(dir, 'node_modules', 'pkg', 'lib', 'big.js');
    fs.mkdirSync(path.dirname(installed), { recursive: true });
    fs.writeFileSync(installed, 'exports.x = 1;');
    expect(path.dirname(codeCacheFile(installed, 'k')!)).toBe(path.join(dir, 'node_modules', '.cache', 'idem-scan'));
    expect((loadCommonJs(installed, { key: 'size' }) as { x: number }).x).toBe(1);
    saveCodeCaches();
    expect(fs.readdirSync(path.join(dir, 'node_modules', '.cache', 'idem-scan'))[0]).toMatch(/^big-14-/);
  });

  it('has no cache (and runs all the same) where no node_modules folder is above the file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'alone.cjs');
    fs.writeFileSync(file, 'exports.ok = true;');
    const above = (d: string): boolean => fs.existsSync(path.join(d, 'node_modules')) || (path.dirname(d) !== d && above(path.dirname(d)));
    if (above(dir)) return; // a machine with node_modules above the temp folder: nothing to check
    expect(codeCacheFile(file, 'k')).toBeUndefined();
    expect((loadCommonJs(file, { key: 'content' }) as { ok: boolean }).ok).toBe(true);
  });
});
