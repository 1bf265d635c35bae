// action.yml: a composite GitHub Action whose scan step, run here with bash as the runner would run it
// (inputs as environment, GITHUB_ACTION_PATH, GITHUB_OUTPUT), annotates, writes SARIF and gates.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'idem-action-'));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  if?: string;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { description: string; default: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

it('is a composite action with the documented inputs, a SARIF upload and a gate', () => {
  expect(action.runs.using).toBe('composite');
  expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'fail-on', 'min-severity', 'config', 'sarif-file', 'changed-since']));
  const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
  expect(upload?.with?.category).toBe('idem-scan/');
  expect(action.runs.steps.at(-1)?.run).toContain('exit');
});

it("runs its scan command line on a fixture app: annotations, SARIF, and the exit code for the gate", () => {
  const scan = action.runs.steps.find((s) => s.id === 'scan')!;
  const output = path.join(tmp, 'github-output');
  fs.writeFileSync(output, '');
  const sarif = path.join(tmp, 'out.sarif');
  // The runner substitutes ${{ inputs.x }} in env; here the inputs are given as the workflow would.
  const inputs: Record<string, string> = { paths: 'fixtures/express-ts fixtures/fastify-ts', 'fail-on': 'high', 'min-severity': 'medium', config: '', 'changed-since': '', 'sarif-file': sarif };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(scan.env ?? {})) {
    env[name] = value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, input: string) => inputs[input] ?? action.inputs[input]?.default ?? '');
  }
  const r = spawnSync('bash', ['-e', '-c', scan.run!], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1', GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output } });
  expect(r.status, r.stderr).toBe(0);
  expect(fs.readFileSync(output, 'utf8')).toBe('exit-code=1\n');
  // express-ts reports 21 and fastify-ts 26 (test/markers.test.ts holds both at their markers).
  expect(r.stdout.split('\n').filter((l) => l.startsWith('::')).length).toBe(47);
  expect((JSON.parse(fs.readFileSync(sarif, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]!.results).toHaveLength(47);
});
