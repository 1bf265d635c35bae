// Throwaway Redis and PostgreSQL servers on loopback, on free ports, with data in temp folders: used by
// the test suite (test/servers.ts) and the load benchmark (bench/load.mjs). Nothing listens beyond
// 127.0.0.1, and stop() removes everything.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}

function redisPing(port) {
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

function postgresBin(name) {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return path.join(root, versions[0], 'bin', name);
  throw new Error(`PostgreSQL's ${name} was not found: run runtime/scripts/ensure-servers.sh`);
}

/** PostgreSQL refuses to run as root: run its tools as the `postgres` system user then. */
function asPostgres(cmd, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/** @returns {Promise<{ redisUrl: string, postgresUrl: string, stop: () => void }>} */
export async function startServers() {
  const cleanups = [];
  const stop = () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // Best effort: the temp folders go anyway.
      }
    }
  };
  try {
    const redisPort = await freePort();
    const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-redis-'));
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: 'ignore' });
    redis.once('error', () => undefined);
    cleanups.push(() => {
      redis.kill('SIGKILL');
      fs.rmSync(redisDir, { recursive: true, force: true });
    });
    await waitFor(() => redisPing(redisPort), 'redis-server (run runtime/scripts/ensure-servers.sh)');

    const pgPort = await freePort();
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-pg-'));
    fs.chmodSync(pgDir, 0o777);
    const dataDir = path.join(pgDir, 'data');
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres', pgDir]);
    execFileSync(...asPostgres(postgresBin('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']), { stdio: 'ignore' });
    execFileSync(...asPostgres(postgresBin('pg_ctl'), ['-D', dataDir, '-l', path.join(pgDir, 'log'), '-w', '-o', `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']), { stdio: 'ignore' });
    cleanups.push(() => {
      execFileSync(...asPostgres(postgresBin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
      fs.rmSync(pgDir, { recursive: true, force: true });
    });
    return { redisUrl: `redis://127.0.0.1:${redisPort}`, postgresUrl: `postgres://postgres@127.0.0.1:${pgPort}/postgres`, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
