// Runs the built CLI as a process, the way users and CI run it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'idem-scan.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const env = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === '') Reflect.deleteProperty(env, k);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI run in `cwd` without colour, with the exit status under the name spawnSync uses. */
export function cliIn(cwd: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = runCli(args, { cwd, env: { NO_COLOR: '1' } });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}
