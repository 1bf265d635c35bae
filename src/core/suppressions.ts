// `// idem-scan-ignore` (optionally with a reason) on the line before a route registration, or at
// the end of its line, suppresses its finding; the handler is still listed as `suppressed`.
import type { tsTypes as ts } from './ts.js';

const MARKER = /idem-scan-ignore\b/;

export function isSuppressed(anchor: ts.Node): boolean {
  const sf = anchor.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(anchor.getStart(sf));
  const lines = sf.text.split('\n', line + 1);
  const current = lines[line] ?? '';
  const previous = lines[line - 1] ?? '';
  return MARKER.test(previous.trim().startsWith('//') || previous.trim().startsWith('/*') ? previous : '') || /\/\/.*idem-scan-ignore\b/.test(current);
}
