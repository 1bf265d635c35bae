// Reasoned suppressions: `// idem-scan-ignore missing-idempotency-key -- <reason>` on the line before
// a route registration (its decorator or export), or at the end of that line. The reason is what a
// reviewer reads; a comment without one, naming an unknown rule, or suppressing nothing is reported.
import type { tsTypes as ts } from './ts.js';

export const SUPPRESSIBLE_RULES = ['missing-idempotency-key'] as const;

export interface SuppressionComment {
  /** 1-based line and column of the comment. */
  line: number;
  column: number;
  /** The rule it names, if any. */
  rule?: string;
  /** The text after `--`, if any. */
  reason?: string;
}

const MARKER = /idem-scan-ignore\b(?:[ \t]+([A-Za-z][\w/-]*))?(?:[ \t]*--[ \t]*(.*?))?[ \t]*(?:\*\/)?[ \t]*$/;

/** Every idem-scan-ignore comment of a file. */
export function suppressionComments(sf: ts.SourceFile): SuppressionComment[] {
  if (!sf.text.includes('idem-scan-ignore')) return [];
  const out: SuppressionComment[] = [];
  const lines = sf.text.split('\n');
  lines.forEach((text, index) => {
    const start = text.search(/\/\/|\/\*/);
    if (start < 0) return;
    const comment = text.slice(start);
    const match = MARKER.exec(comment);
    if (!match) return;
    const entry: SuppressionComment = { line: index + 1, column: start + 1 };
    if (match[1]) entry.rule = match[1];
    const reason = match[2]?.trim();
    if (reason) entry.reason = reason;
    out.push(entry);
  });
  return out;
}

/** The comment that applies to a registration: on the line before it, or at the end of its line. */
export function suppressionFor(anchor: ts.Node, comments: readonly SuppressionComment[]): SuppressionComment | undefined {
  if (comments.length === 0) return undefined;
  const sf = anchor.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(anchor.getStart(sf)).line + 1;
  const lineText = sf.text.split('\n', line)[line - 1] ?? '';
  return comments.find((c) => c.line === line - 1 && isWholeLineComment(sf, c)) ?? comments.find((c) => c.line === line && c.column > firstCodeColumn(lineText));
}

function isWholeLineComment(sf: ts.SourceFile, c: SuppressionComment): boolean {
  const text = sf.text.split('\n', c.line)[c.line - 1] ?? '';
  return text.slice(0, c.column - 1).trim() === '';
}

function firstCodeColumn(text: string): number {
  return text.search(/\S/) + 1;
}
