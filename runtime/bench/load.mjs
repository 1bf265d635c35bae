// npm run bench:runtime — a bounded load test on loopback: for a few seconds per setup, a fixed number
// of concurrent clients send POSTs with fresh keys and repeats of recent ones (about 1 in 5) to the
// Express adapter with each store, and to the same app without the wrapper. Prints requests/s and
// the overhead against the baseline. Nothing leaves 127.0.0.1, and every loop is bounded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startServers } from '../scripts/local-servers.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MAX_REQUESTS = 200_000;

async function startApp(store, servers) {
  const child = spawn(process.execPath, [new URL('./app.mjs', import.meta.url).pathname, store, servers.redisUrl, servers.postgresUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  return { url: `http://127.0.0.1:${String(chunk).trim()}/orders`, stop: () => child.kill() };
}

async function load(url) {
  const deadline = Date.now() + SECONDS * 1000;
  const recent = [];
  let sent = 0;
  let counter = 0;
  const statuses = new Map();
  const client = async (id) => {
    while (Date.now() < deadline && sent < MAX_REQUESTS) {
      sent++;
      const repeat = recent.length > 0 && counter % 5 === 0;
      const key = repeat ? recent[counter % recent.length] : `k-${id}-${counter}`;
      counter++;
      if (!repeat) recent.push(key), recent.length > 100 && recent.shift();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: `{"item":"${key}"}` });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
  const seconds = (performance.now() - started) / 1000;
  return { rps: sent / seconds, statuses: Object.fromEntries(statuses) };
}

const servers = await startServers();
try {
  const results = {};
  for (const store of ['none', 'memory', 'redis', 'postgres']) {
    const app = await startApp(store, servers);
    await load(app.url); // warm-up pass is not counted
    results[store] = await load(app.url);
    app.stop();
  }
  const base = results.none.rps;
  console.log(`Express, ${CONCURRENCY} concurrent clients, ${SECONDS} s per setup, ~20% repeated keys (loopback)`);
  for (const [store, r] of Object.entries(results)) {
    const overhead = store === 'none' ? '' : `  overhead ${(((base - r.rps) / base) * 100).toFixed(0)}% (${((1000 / r.rps - 1000 / base) * CONCURRENCY).toFixed(2)} ms per request)`;
    console.log(`${(store === 'none' ? 'no wrapper' : store).padEnd(11)} ${r.rps.toFixed(0).padStart(6)} req/s${overhead}  statuses ${JSON.stringify(r.statuses)}`);
  }
} finally {
  servers.stop();
}
