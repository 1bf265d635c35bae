// The files changed since a git ref, committed or not (staged, unstaged and untracked), for PR mode.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { IdemScanError } from '../core/errors.js';

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new IdemScanError('--changed-since needs git, which is not installed or not on PATH');
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

/** Absolute paths of the files changed since `ref`. Throws IdemScanError (exit 2) without git or with a bad ref. */
export function changedFiles(cwd: string, ref: string): Set<string> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new IdemScanError(`--changed-since needs a git repository: ${cwd} is not in one`);
  const root = top.out.trim();
  if (!git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) throw new IdemScanError(`--changed-since: "${ref}" is not a commit in this repository`, 'fetch it first (e.g. git fetch origin main --depth=50) or name another ref');
  // Against the merge base, as a pull request's diff is, plus what is not committed yet.
  const base = git(cwd, ['merge-base', ref, 'HEAD']);
  const from = base.ok ? base.out.trim() : ref;
  const diff = git(cwd, ['diff', '--name-only', '--no-renames', from]);
  const untracked = git(cwd, ['ls-files', '--others', '--exclude-standard', '--full-name']);
  if (!diff.ok) throw new IdemScanError(`--changed-since: git diff failed: ${diff.err}`);
  const files = [...diff.out.split('\n'), ...untracked.out.split('\n')].filter(Boolean);
  return new Set(files.map((f) => path.resolve(root, f)));
}
