// The ESLint face keeps one analyzer per set of effective options for the life of the process (an
// editor's ESLint server, or one `eslint .` run), so linting file after file reuses the app's parses,
// routes and app-wide middleware instead of scanning the app again for each file.
import { createRequire } from 'node:module';
import { Analyzer } from '../src/core/session.js';
import { FRAMEWORKS } from '../src/frameworks/index.js';
import { loadBundledTsSync, type TS } from '../src/core/ts.js';
import type { HttpMethod, Severity } from '../src/core/types.js';
import type { UserConfig } from '../src/catalog/user-config.js';

export interface PoolKey {
  cwd: string;
  config: UserConfig;
  methods: readonly HttpMethod[];
  minSeverity: Severity;
  ts?: TS;
}

const pool = new Map<string, Analyzer>();
const tsIds = new WeakMap<object, number>();
let nextTsId = 1;

export function analyzerFor(key: PoolKey): Analyzer {
  // Two TypeScript copies never share an analyzer: their nodes must not meet.
  let tsId = 0;
  if (key.ts) {
    tsId = tsIds.get(key.ts) ?? nextTsId++;
    tsIds.set(key.ts, tsId);
  }
  const id = JSON.stringify([key.cwd, key.config, key.methods, key.minSeverity, tsId]);
  let analyzer = pool.get(id);
  if (!analyzer) {
    analyzer = new Analyzer({
      frameworks: FRAMEWORKS,
      cwd: key.cwd,
      config: key.config,
      methods: [...key.methods],
      minSeverity: key.minSeverity,
      ...(key.ts ? { ts: key.ts } : {}),
    });
    pool.set(id, analyzer);
  }
  return analyzer;
}

/**
 * The `typescript` that typescript-eslint parsed with: the copy its typescript-estree resolves (the
 * user's own), so the program's nodes are read with their own SyntaxKind numbers.
 */
let parserTs: TS | undefined;

export function parserTypeScript(): TS {
  parserTs ??= findParserTypeScript();
  return parserTs;
}

function findParserTypeScript(): TS {
  const local = createRequire(import.meta.url);
  for (const from of ['@typescript-eslint/typescript-estree', '@typescript-eslint/parser']) {
    try {
      return createRequire(local.resolve(from))('typescript') as TS;
    } catch {
      // Not installed beside us; try the next way in.
    }
  }
  try {
    return local('typescript') as TS;
  } catch {
    // No TypeScript installed at all (a JavaScript project linted with espree): the CLI's own copy.
    return loadBundledTsSync();
  }
}
