// vitest globalSetup: starts a throwaway Redis and a throwaway PostgreSQL on loopback, on free ports,
// with data in temp folders, and stops them afterwards. A server that cannot start fails the run: the
// store tests never skip because a server is missing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    postgresUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return path.join(root, versions[0], 'bin', name);
  throw new Error(`PostgreSQL's ${name} was not found: run runtime/scripts/ensure-servers.sh`);
}

/** PostgreSQL refuses to run as root; run its tools as the `postgres` system user then. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => void)[] = [];
  const stopAll = (): void => {
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // Best effort: the temp folders are removed anyway.
      }
    }
  };
  try {
    // Redis
    const redisPort = await freePort();
    const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-redis-'));
    const redis: ChildProcess = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
    cleanups.push(() => {
      redis.kill('SIGKILL');
      fs.rmSync(redisDir, { recursive: true, force: true });
    });
    redis.once('error', () => undefined);
    await waitFor(() => redisPing(redisPort), 'redis-server (run runtime/scripts/ensure-servers.sh)');

    // PostgreSQL
    const pgPort = await freePort();
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-pg-'));
    fs.chmodSync(pgDir, 0o777);
    const dataDir = path.join(pgDir, 'data');
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres', pgDir]);
    const [initCmd, initArgs] = asPostgres(postgresBin('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    execFileSync(initCmd, initArgs, { stdio: 'ignore' });
    const [startCmd, startArgs] = asPostgres(postgresBin('pg_ctl'), ['-D', dataDir, '-l', path.join(pgDir, 'log'), '-w', '-o', `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    execFileSync(startCmd, startArgs, { stdio: 'ignore' });
    cleanups.push(() => {
      const [stopCmd, stopArgs] = asPostgres(postgresBin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
      execFileSync(stopCmd, stopArgs, { stdio: 'ignore' });
      fs.rmSync(pgDir, { recursive: true, force: true });
    });

    project.provide('redisUrl', `redis://127.0.0.1:${redisPort}`);
    project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${pgPort}/postgres`);
  } catch (error) {
    stopAll();
    throw error;
  }
  return () => {
    stopAll();
    return Promise.resolve();
  };
}
