// Applies planned fixes: edits are grouped by file, identical edits (the same import added for two
// handlers) count once, insertions at one point keep their order, and a fix whose edits overlap
// another's is left out whole. Edits in a file are applied from the end so offsets stay valid.
import type { Finding } from '../types.js';
import type { TextEdit } from './types.js';

export interface FileChange {
  /** Path relative to the analysis cwd, with `/`. */
  file: string;
  before: string;
  after: string;
  /** Findings whose fix is in this change. */
  findings: Finding[];
}

export interface FixOutcome {
  changes: FileChange[];
  /** Findings with a fix that was left out, and why. */
  skipped: { finding: Finding; reason: string }[];
  /** Findings with no safe fix, with the reason the plan gave. */
  unavailable: { finding: Finding; reason: string }[];
}

interface Accepted extends TextEdit {
  order: number;
}

/** `textOf` gives the text each edit's offsets refer to (the text the analysis read), or undefined. */
export function applyFixes(findings: readonly Finding[], textOf: (file: string) => string | undefined): FixOutcome {
  const byFile = new Map<string, Accepted[]>();
  const owners = new Map<string, Finding[]>();
  const skipped: FixOutcome['skipped'] = [];
  const unavailable: FixOutcome['unavailable'] = [];
  let order = 0;
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    if (!fix.available) {
      unavailable.push({ finding, reason: fix.reason });
      continue;
    }
    const fresh: Accepted[] = [];
    let conflict: string | undefined;
    for (const edit of fix.edits) {
      if (textOf(edit.file) === undefined) {
        conflict = `${edit.file} could not be read`;
        break;
      }
      const accepted = byFile.get(edit.file) ?? [];
      if ([...accepted, ...fresh].some((a) => same(a, edit))) continue;
      if ([...accepted, ...fresh].some((a) => a.file === edit.file && overlaps(a, edit))) {
        conflict = `its edits overlap another fix in ${edit.file}; run --fix again to fix it next`;
        break;
      }
      fresh.push({ ...edit, order: order++ });
    }
    if (conflict) {
      skipped.push({ finding, reason: conflict });
      continue;
    }
    for (const edit of fresh) {
      let list = byFile.get(edit.file);
      if (!list) byFile.set(edit.file, (list = []));
      list.push(edit);
    }
    for (const file of new Set(fix.edits.map((e) => e.file))) {
      let list = owners.get(file);
      if (!list) owners.set(file, (list = []));
      list.push(finding);
    }
  }
  const changes: FileChange[] = [];
  for (const [file, edits] of byFile) {
    const before = textOf(file)!;
    changes.push({ file, before, after: applyEdits(before, mergeImports(edits)), findings: owners.get(file) ?? [] });
  }
  changes.sort((a, b) => a.file.localeCompare(b.file));
  return { changes, skipped, unavailable };
}

const IMPORT_LINE = /^(\n?)import \{ ([^}]+) \} from (['"])([^'"]+)\3(;?)(\n?)$/;
const REQUIRE_LINE = /^(\n?)const \{ ([^}]+) \} = require\((['"])([^'"]+)\3\)(;?)(\n?)$/;

/** Two fixes that each add an import line from one module at one place give one line with both names. */
function mergeImports(edits: Accepted[]): Accepted[] {
  const out: Accepted[] = [];
  for (const edit of edits) {
    const pattern = IMPORT_LINE.test(edit.text) ? IMPORT_LINE : REQUIRE_LINE.test(edit.text) ? REQUIRE_LINE : undefined;
    const mine = pattern?.exec(edit.text);
    const twin = mine && out.find((o) => o.start === edit.start && o.end === edit.end && pattern!.exec(o.text)?.[4] === mine[4]);
    if (!mine || !twin) {
      out.push(edit);
      continue;
    }
    const theirs = pattern!.exec(twin.text)!;
    const names = [...new Set([...theirs[2]!.split(',').map((n) => n.trim()), ...mine[2]!.split(',').map((n) => n.trim())])];
    twin.text = twin.text.replace(theirs[2]!, names.join(', '));
  }
  return out;
}

/** Applies non-overlapping edits to one text, from the end. */
export function applyEdits(text: string, edits: readonly (TextEdit & { order?: number })[]): string {
  const sorted = edits.map((e, i) => ({ ...e, order: e.order ?? i }));
  // From the end; at one offset, a replacement before the insertions there, and insertions in reverse
  // order, so that they end up in the order they were planned, before the replaced text.
  sorted.sort((a, b) => b.start - a.start || (b.end - b.start) - (a.end - a.start) || b.order - a.order);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function same(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Two edits touch the same text. Insertions at one offset, or at the edge of a replacement, do not. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end || b.start === b.end) {
    const insert = a.start === a.end ? a : b;
    const other = insert === a ? b : a;
    return insert.start > other.start && insert.start < other.end;
  }
  return a.start < b.end && b.start < a.end;
}
