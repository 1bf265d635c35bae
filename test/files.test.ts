import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, collectFiles, readSource, readSourceQuick } from '../src/core/files.js';
import { writeProject } from './helpers/scan.js';

describe('collectFiles', () => {
  it('takes source extensions, skips dependencies, build output, declarations and .gitignore matches', () => {
    const dir = writeProject({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '', 'src/b.tsx': '', 'src/c.mjs': '', 'src/d.cjs': '', 'src/e.jsx': '', 'src/f.mts': '', 'src/g.cts': '', 'src/h.js': '',
      'src/types.d.ts': '', 'src/readme.md': '', 'src/x.gen.ts': '',
      'node_modules/pkg/index.js': '', 'dist/app.js': '', '.next/server.js': '', 'coverage/lcov.js': '', 'generated/client.ts': '',
      'packages/api/.gitignore': 'local.ts\n', 'packages/api/local.ts': '', 'packages/api/kept.ts': '',
    });
    fs.mkdirSync(path.join(dir, '.git'));
    const { files, gitignored } = collectFiles({ paths: ['.'], cwd: dir });
    expect(files.map((f) => path.relative(dir, f).split(path.sep).join('/'))).toEqual([
      'packages/api/kept.ts', 'src/a.ts', 'src/b.tsx', 'src/c.mjs', 'src/d.cjs', 'src/e.jsx', 'src/f.mts', 'src/g.cts', 'src/h.js',
    ]);
    // The ignored folder is not walked for files to scan, but what it held is counted as left out.
    expect(gitignored).toBe(3);
    const all = collectFiles({ paths: ['.'], cwd: dir, gitignore: false });
    expect(all.files.length).toBe(12);
  });

  it('scans a linked file but does not follow a linked folder', () => {
    const dir = writeProject({ 'src/a.ts': '', 'shared/b.ts': '' });
    fs.symlinkSync(path.join(dir, 'shared', 'b.ts'), path.join(dir, 'src', 'b-link.ts'));
    fs.symlinkSync(path.join(dir, 'shared'), path.join(dir, 'src', 'shared-link'));
    const { files } = collectFiles({ paths: ['src'], cwd: dir });
    expect(files.map((f) => path.relative(dir, f).split(path.sep).join('/'))).toEqual(['src/a.ts', 'src/b-link.ts']);
  });

  it('scans a file named explicitly, honours config ignores and rejects a missing path', () => {
    const dir = writeProject({ 'src/a.ts': '', 'src/legacy/b.ts': '', 'notes.txt': '' });
    expect((collectFiles({ paths: ['src/a.ts'], cwd: dir })).files).toHaveLength(1);
    expect((collectFiles({ paths: ['.'], cwd: dir, ignore: ['src/legacy/**'] })).files).toHaveLength(1);
    expect((collectFiles({ paths: ['notes.txt'], cwd: dir })).errors[0]!.message).toMatch(/not a JavaScript or TypeScript/);
    expect(() => collectFiles({ paths: ['nope'], cwd: dir })).toThrow('path not found: nope');
  });
});

describe('readSource', () => {
  it('reads UTF-8 text (dropping a BOM) and explains what it cannot read', () => {
    const dir = writeProject({});
    const file = (name: string, content: Buffer | string): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    };
    expect(readSource(file('a.ts', '\uFEFFconst a = 1;'))).toEqual({ text: 'const a = 1;' });
    expect(readSource(file('b.ts', Buffer.from([0, 1, 2])))).toEqual({ error: 'binary file (contains NUL bytes); skipped' });
    expect(readSource(file('c.ts', Buffer.from([0xff, 0xfe, 0x41])))).toEqual({ error: 'not valid UTF-8; skipped' });
    expect(readSource(path.join(dir, 'missing.ts'))).toEqual({ error: 'cannot be read (ENOENT); skipped' });
    expect(readSource(dir)).toEqual({ error: 'not a regular file; skipped' });
  });

  it('decodes UTF-16 files that start with a byte-order mark, either byte order', () => {
    const dir = writeProject({});
    const source = "export type Json = { é: 'ok' };\n";
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]);
    const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(source, 'utf16le').swap16()]);
    for (const [name, content] of [['le.ts', little], ['be.ts', big]] as const) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      expect(readSource(p), name).toEqual({ text: source });
      expect(readSourceQuick(p), name).toEqual({ text: source });
    }
  });
});

describe('readSourceQuick', () => {
  it('gives what readSource gives, for ordinary and unusual files alike', () => {
    const dir = writeProject({});
    const cases: [string, Buffer | string][] = [
      ['plain.ts', 'export const a = 1;\n'],
      ['bom.ts', '\uFEFFconst a = 1;'],
      ['empty.ts', ''],
      ['nul.ts', Buffer.from([0x61, 0, 0x62])],
      ['invalid.ts', Buffer.from([0xff, 0xfe, 0x41])],
      // A replacement character written on purpose is valid UTF-8 and read as it is.
      ['replacement.ts', "const unknown = '\uFFFD';"],
      ['huge.ts', `// ${'x'.repeat(MAX_FILE_BYTES)}`],
      ['wide.ts', `const s = '${'é'.repeat(MAX_FILE_BYTES / 2)}';`],
    ];
    for (const [name, content] of cases) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      expect(readSourceQuick(p), name).toEqual(readSource(p));
    }
    expect(readSourceQuick(path.join(dir, 'missing.ts'))).toEqual({ error: 'cannot be read (ENOENT); skipped' });
    expect(readSourceQuick(dir)).toEqual({ error: 'not a regular file; skipped' });
  });
});
