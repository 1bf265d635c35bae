// npm run bench: times a full idem-scan run against a bare TypeScript parse + AST walk of the same files,
// both as whole processes, alternating over several runs, on a large generated project. Prints files/s,
// peak memory and the median ratio (target: scan ≤ 2× parse+walk, never above 3×), and the time of
// `idem-scan --version` (target < 0.15 s).
// The generated project is the hard case (every domain has a route file, and half of all files are
// parsed); `--dir` measures a real folder the same way, where most files are never parsed.
//   node scripts/bench.mjs [--files 3000] [--runs 5] [--dir <folder>]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const fileTarget = arg('files', 3000);
const runs = arg('runs', 5);
const dirIndex = process.argv.indexOf('--dir');
const given = dirIndex > 0 ? process.argv[dirIndex + 1] : undefined;
if (given !== undefined && !fs.statSync(given, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`bench: --dir ${given}: not a folder`);
  process.exit(2);
}
const dir = given ? path.resolve(given) : path.join(os.tmpdir(), `idem-scan-bench-${fileTarget}`);
const files = given ? JSON.parse(spawnSync(process.execPath, ['scripts/parse-walk.mjs', dir], { cwd: root, encoding: 'utf8' }).stdout).files : generateProject(dir, fileTarget);
const report = path.join(os.tmpdir(), 'idem-scan-bench-report.json');
const hasTime = fs.existsSync('/usr/bin/time');

/** Runs a command, returning wall seconds and peak RSS in MiB (via /usr/bin/time when present). */
function measure(args) {
  const started = process.hrtime.bigint();
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const full = hasTime ? ['-f', '%M', process.execPath, ...args] : args;
  const result = spawnSync(cmd, full, { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  const rssKb = hasTime ? Number(/(\d+)\s*$/.exec(result.stderr.trim())?.[1] ?? NaN) : NaN;
  return { seconds, rssMiB: rssKb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const scan = [];
const baseline = [];
for (let i = 0; i < runs; i++) {
  // Alternate so that machine noise hits both sides alike.
  scan.push(measure(['bin/idem-scan.js', dir, '--format', 'json', '--output-file', report, '--quiet']));
  baseline.push(measure(['scripts/parse-walk.mjs', dir]));
}
const ratios = scan.map((s, i) => s.seconds / baseline[i].seconds);
const version = Array.from({ length: 5 }, () => measure(['bin/idem-scan.js', '--version']).seconds);
const result = JSON.parse(fs.readFileSync(report, 'utf8'));

const line = (label, samples) => {
  const s = median(samples.map((x) => x.seconds));
  return `${label.padEnd(16)} median ${s.toFixed(2)} s  ${(files / s).toFixed(0)} files/s  peak RSS ${median(samples.map((x) => x.rssMiB)).toFixed(0)} MiB`;
};
const ratio = median(ratios);
console.log(`${given ? 'scanned' : 'generated'} ${files} files (${result.summary.handlers} handlers, ${result.summary.findings} findings) in ${dir}`);
console.log(`coverage: ${result.summary.resolvedPercent}% of handlers followed to code, ${result.summary.unresolved} unresolved`);
console.log(line('idem-scan', scan));
console.log(line('parse+walk', baseline));
console.log(`ratio scan / parse+walk: median ${ratio.toFixed(2)}× (runs: ${ratios.map((r) => r.toFixed(2)).join(', ')}) — target ≤ 2×, limit 3×: ${ratio <= 2 ? 'met' : ratio <= 3 ? 'within limit' : 'OVER LIMIT'}`);
console.log(`idem-scan --version: median ${median(version).toFixed(3)} s — target < 0.15 s: ${median(version) < 0.15 ? 'met' : 'missed'}`);

// The ESLint face: the plugin's recommended config against the same ESLint run with one trivial rule
// (same parser, same files), alternating; the rule's share is the difference. Target: ≤ 25% more.
const lintPlugin = [];
const lintTrivial = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  lintTrivial.push(measure(['scripts/eslint-lint.mjs', dir, 'trivial']));
  lintPlugin.push(measure(['scripts/eslint-lint.mjs', dir, 'plugin']));
}
const pluginSeconds = median(lintPlugin.map((x) => x.seconds));
const trivialSeconds = median(lintTrivial.map((x) => x.seconds));
const share = (pluginSeconds - trivialSeconds) / trivialSeconds;
console.log(line('eslint + rule', lintPlugin));
console.log(line('eslint trivial', lintTrivial));
console.log(`rule's share of an untyped lint: +${(share * 100).toFixed(0)}% — target ≤ 25%: ${share <= 0.25 ? 'met' : 'missed'}`);
// In a real folder, the file that declares the most handlers is the one edited.
const perFile = new Map();
for (const h of result.handlers) perFile.set(h.file, (perFile.get(h.file) ?? 0) + 1);
const busiest = [...perFile].sort((a, b) => b[1] - a[1])[0]?.[0];
const warm = spawnSync(process.execPath, ['scripts/eslint-warm.mjs', dir, ...(given && busiest ? [path.resolve(root, busiest)] : [])], { cwd: root, encoding: 'utf8' });
if (warm.status === 0) {
  const { unchangedMs, editedMs } = JSON.parse(warm.stdout);
  console.log(`warm process, one route file: re-lint unchanged ${unchangedMs.toFixed(1)} ms, after an edit ${editedMs.toFixed(1)} ms — target < 50 ms: ${editedMs < 50 ? 'met' : 'missed'}`);
} else {
  console.log(`warm lint measurement failed: ${warm.stderr.trim().split('\n')[0]}`);
}

