// What an analyzer session keeps between runs: every file's text as last read, its parse, and the
// disk stamp (mtime + size) it was read at. A later run re-reads and re-parses only files whose stamp
// changed, so an editor that lints one file after another pays for one parse, not the whole app.
import fs from 'node:fs';
import type { TS, tsTypes as ts } from './ts.js';
import { readSourceQuick, readSourceStamped } from './files.js';

export interface Stamp {
  mtimeMs: number;
  size: number;
}

interface Entry {
  stamp: Stamp | null;
  /** When the stamp was last compared with the disk (Date.now()). */
  verifiedAt: number;
  read: { text: string } | { error: string };
  parsed?: ts.SourceFile;
}

export function stampOf(file: string): Stamp | null {
  try {
    const stat = fs.statSync(file);
    return { mtimeMs: stat.mtimeMs, size: stat.size };
  } catch {
    return null;
  }
}

export function sameStamp(a: Stamp | null, b: Stamp | null): boolean {
  return a === b || (a !== null && b !== null && a.mtimeMs === b.mtimeMs && a.size === b.size);
}

export class SourceCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ts: TS) {}

  /**
   * The file's text as it is on disk now (re-read only when its stamp changed), with the stamp it
   * was read at. Never throws: an unreadable file gives the reason.
   */
  read(file: string, trustForMs = 0): { read: Entry['read']; stamp: Stamp | null } {
    const entry = this.entries.get(file);
    const now = Date.now();
    // A stamp compared moments ago (by the same session's freshness check) need not be compared again.
    if (entry?.stamp && now - entry.verifiedAt < trustForMs) return { read: entry.read, stamp: entry.stamp };
    if (entry?.stamp) {
      const stamp = stampOf(file);
      if (sameStamp(entry.stamp, stamp)) {
        entry.verifiedAt = now;
        return { read: entry.read, stamp };
      }
    }
    // First read (or a changed file): the open's own fstat gives the stamp, no separate stat.
    const { read, stamp } = readSourceStamped(file);
    this.entries.set(file, { stamp, verifiedAt: now, read });
    return { read, stamp };
  }

  /**
   * The file's text read afresh without a stamp, for a one-off scan that compares none: the entry keeps
   * no stamp, so a later `read` of the file reads it again instead of trusting it.
   */
  readFresh(file: string): Entry['read'] {
    const read = readSourceQuick(file);
    const entry = this.entries.get(file);
    // A parse of the same text stays usable.
    const parsed = entry?.parsed && 'text' in read && entry.parsed.text === read.text ? entry.parsed : undefined;
    this.entries.set(file, { stamp: null, verifiedAt: 0, read, ...(parsed ? { parsed } : {}) });
    return read;
  }

  /** The parse of exactly this text, reused when the text is unchanged since the last parse. */
  parse(file: string, text: string, create: () => ts.SourceFile): ts.SourceFile {
    const entry = this.entries.get(file);
    if (entry?.parsed && entry.parsed.text === text) return entry.parsed;
    const parsed = create();
    if (entry && 'text' in entry.read && entry.read.text === text) entry.parsed = parsed;
    else this.entries.set(file, { stamp: null, verifiedAt: 0, read: { text }, parsed });
    return parsed;
  }

  /** The text last read or parsed for a file, without touching the disk. */
  cachedText(file: string): string | undefined {
    const entry = this.entries.get(file);
    return entry && 'text' in entry.read ? entry.read.text : undefined;
  }

  /** The namespace the cached parses belong to: a session never mixes two TypeScript copies. */
  get namespace(): TS {
    return this.ts;
  }
}
