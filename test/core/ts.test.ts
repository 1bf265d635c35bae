import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledTsSync, setParents, type tsTypes } from '../../src/core/ts.js';
import { readSourceText } from '../../src/core/code-cache.js';
import { kindFlags } from '../../src/core/kinds.js';

const ts = loadBundledTsSync();

/** Every node of a tree with its parent's position and kind, in visiting order. */
function parentsOf(sf: tsTypes.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: tsTypes.Node): void => {
    // Typed as always set; a parse without setParentNodes leaves it undefined.
    const parent = node.parent as tsTypes.Node | undefined;
    out.push(`${node.kind}@${node.pos}-${node.end} <- ${parent ? `${parent.kind}@${parent.pos}` : 'none'}`);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return out;
}

describe('setParents', () => {
  const samples: [string, string][] = [
    ['app.ts', `import express from 'express';\n@Controller('x') class C { constructor(private readonly s: S) {} @Post() async create(@Body() b: Dto): Promise<void> { await this.s.create({ ...b, tags: [1, 2] as const }); } }\nconst app = express();\napp.post('/o', async (req, res) => { const { a = 1, ...rest } = req.body; for (const x of rest) if (x) await db.insert(t).values(x); res.json(\`\${a}\`); });\n`],
    ['page.tsx', `export default function Page({ items }: { items: string[] }) { return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>; }\n`],
    ['legacy.js', `/** @param {string} id */\nmodule.exports = function (app, { db }) { app.put('/x/:id', (req, res, next) => db.collection('x').updateOne({ _id: req.params.id }, { $set: req.body }, next)); };\n`],
  ];

  it.each(samples)('gives %s the parents the compiler would set', (file, text) => {
    const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const expected = ts.createSourceFile(file, text, options, true, kind);
    const bare = ts.createSourceFile(file, text, options, false, kind);
    expect(parentsOf(bare).some((line) => line.endsWith('<- none'))).toBe(true);
    const actual = setParents(ts, bare);
    expect(actual).toBe(bare);
    expect(parentsOf(actual)).toEqual(parentsOf(expected));
    expect(parentsOf(actual).length).toBeGreaterThan(40);
  });
});

describe('kindFlags', () => {
  it('answers each test for every node as the test itself does', () => {
    const tests = [(n: tsTypes.Node) => ts.isTypeNode(n), (n: tsTypes.Node) => ts.isCallExpression(n) || ts.isNewExpression(n), (n: tsTypes.Node) => ts.isFunctionLike(n)];
    const table = kindFlags(ts, 'test.sample', tests);
    expect(kindFlags(ts, 'test.sample', tests)).toBe(table);
    const sf = ts.createSourceFile('x.ts', `const f = async (a: number): Promise<Order> => new Order(await g(a) as Order);\nclass C { m(x: string[]) { return x.map((y) => y.trim()); } }\n`, ts.ScriptTarget.Latest, true);
    let checked = 0;
    const visit = (node: tsTypes.Node): void => {
      tests.forEach((test, bit) => {
        expect(Boolean(table[node.kind]! & (1 << bit)), `${ts.SyntaxKind[node.kind]} test ${bit}`).toBe(test(node));
      });
      checked++;
      ts.forEachChild(node, visit);
    };
    visit(sf);
    expect(checked).toBeGreaterThan(30);
    expect(table[ts.SyntaxKind.CallExpression]).toBe(2);
    expect(table[ts.SyntaxKind.ArrowFunction]).toBe(4);
    expect(table[ts.SyntaxKind.TypeReference]).toBe(1);
  });
});

describe('readSourceText', () => {
  it('reads ASCII by copying bytes and anything else as UTF-8, to the same string either way', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-ts-read-'));
    try {
      const samples = ['var ts = {};\n// plain ASCII\n', 'var s = "café → naïve 日本";\n', '\uFEFFvar bom = 1;\n'];
      samples.forEach((text, i) => {
        const file = path.join(dir, `s${i}.js`);
        fs.writeFileSync(file, text, 'utf8');
        expect(readSourceText(file)).toBe(fs.readFileSync(file, 'utf8'));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
