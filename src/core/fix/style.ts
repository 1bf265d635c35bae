// The surrounding code's style, so a fix reads like the code around it: quotes, semicolons,
// indentation and module system.
import type { TS, tsTypes as ts } from '../ts.js';

export interface CodeStyle {
  quote: "'" | '"';
  semi: boolean;
  /** One level of indentation. */
  unit: string;
  commonJs: boolean;
  typescript: boolean;
}

const styles = new WeakMap<ts.SourceFile, CodeStyle>();

/** The style of a file, computed once per parse (every handler of a file asks). */
export function styleOf(t: TS, sf: ts.SourceFile): CodeStyle {
  let style = styles.get(sf);
  if (!style) styles.set(sf, (style = computeStyle(t, sf)));
  return style;
}

function computeStyle(t: TS, sf: ts.SourceFile): CodeStyle {
  const text = sf.text;
  let quote: CodeStyle['quote'] = "'";
  for (const statement of sf.statements) {
    const spec = t.isImportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (spec) {
      quote = text[spec.getStart(sf)] === '"' ? '"' : "'";
      break;
    }
    const req = /\brequire\(\s*(['"])/.exec(statement.getText(sf));
    if (req) {
      quote = req[1] as CodeStyle['quote'];
      break;
    }
  }
  // Semicolons: most statement lines end with one, or not.
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => /^\s*(const|let|var|import|return|await)\b/.test(l));
  const withSemi = lines.filter((l) => l.endsWith(';')).length;
  const semi = lines.length === 0 || withSemi * 2 >= lines.length;
  const indents = text.split('\n').map((l) => /^(\s+)\S/.exec(l)?.[1]).filter((i): i is string => i !== undefined);
  const tabs = indents.filter((i) => i.startsWith('\t')).length;
  const spaces = indents.filter((i) => i.startsWith(' ')).map((i) => i.length);
  const smallest = spaces.length > 0 ? Math.min(...spaces) : 2;
  const unit = tabs > spaces.length ? '\t' : ' '.repeat(smallest >= 2 && smallest <= 8 ? smallest : 2);
  const hasImport = sf.statements.some((s) => t.isImportDeclaration(s) || t.isExportDeclaration(s) || t.isExportAssignment(s));
  const commonJs = !hasImport && (/\brequire\s*\(/.test(text) || /\bmodule\.exports\b|\bexports\.\w+\s*=/.test(text) || sf.fileName.endsWith('.cjs'));
  return { quote, semi, unit, commonJs, typescript: /\.[cm]?tsx?$/.test(sf.fileName) };
}

/** The whitespace before the first token on the node's line. */
export function lineIndent(sf: ts.SourceFile, pos: number): string {
  const lineStart = sf.text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

export function quoted(style: CodeStyle, value: string): string {
  return `${style.quote}${value.replace(/\\/g, '\\\\').split(style.quote).join(`\\${style.quote}`)}${style.quote}`;
}
