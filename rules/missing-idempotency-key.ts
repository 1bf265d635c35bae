// `idempotency/missing-idempotency-key`: the CLI's findings for the file being linted, at the same
// place, with the same severity and evidence. The rule is a thin adapter: the analysis is the core's
// (src/core/session.ts), run on the editor's buffer in the context of the file's whole app.
import path from 'node:path';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import type { ParserServices } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';
import { analyzerFor, parserTypeScript } from './analyzer-pool.js';
import { loadConfig, validate } from '../src/config/load-config.js';
import type { UserConfig, UserWriteEntry } from '../src/catalog/user-config.js';
import { HTTP_METHODS, SEVERITIES, type Finding, type HttpMethod, type Severity, type WriteEvidence } from '../src/core/types.js';
import { DEFAULT_METHODS, DEFAULT_MIN_SEVERITY } from '../src/core/options.js';
import { IdemScanError } from '../src/core/errors.js';
import type { tsTypes as ts } from '../src/core/ts.js';

export interface RuleOptions {
  /** Methods that are reported (default POST, PUT), as `--methods`. */
  methods?: HttpMethod[];
  /** Findings below this severity are not reported (default medium), as `--min-severity`. */
  minSeverity?: Severity;
  /** Extra idempotency header names, added to those of the config file. */
  headers?: string[];
  /** Extra names of functions that wrap work in idempotency handling. */
  wrappers?: string[];
  /** Extra names of middleware, hooks or interceptors that provide idempotency. */
  middleware?: string[];
  /** Extra write catalogue entries (docs/catalog.md). */
  writes?: UserWriteEntry[];
  /** The idem-scan config file; default: the CLI's discovery from ESLint's working directory. */
  configFile?: string;
  /** `off`: the CLI's analysis; `require`: use typescript-eslint's program, and fail without one. */
  typeInfo?: 'off' | 'require';
  /**
   * Offer the fix as an automatic fix (`eslint --fix` applies it) instead of a suggestion. Off by
   * default: the fix changes what the handler does at run time.
   */
  autofix?: boolean;
  /** Also report handlers the analysis could not follow to code (off by default: they are not findings). */
  reportUnresolved?: boolean;
}

type MessageIds = 'missingIdempotencyKey' | 'addIdempotency' | 'suppressionComment' | 'unresolvedHandler';

const RULE = 'idempotency/missing-idempotency-key';
const stringList = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } as const;

export const missingIdempotencyKey = createRule<[RuleOptions], MessageIds>({
  name: 'missing-idempotency-key',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require idempotency handling (an Idempotency-Key) in POST and PUT handlers that write state',
      recommended: true,
      requiresTypeChecking: false,
    },
    messages: {
      missingIdempotencyKey: '{{where}} ({{severity}}): {{reason}}{{location}}.',
      addIdempotency: 'Add idempotency handling: {{description}}.',
      suppressionComment: '{{message}}.',
      unresolvedHandler: '{{where}} could not be followed, so its writes are unknown: {{reason}}.',
    },
    hasSuggestions: true,
    fixable: 'code',
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          methods: { type: 'array', items: { type: 'string', enum: [...HTTP_METHODS] }, uniqueItems: true, minItems: 1 },
          minSeverity: { type: 'string', enum: [...SEVERITIES] },
          headers: stringList,
          wrappers: stringList,
          middleware: stringList,
          writes: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'kind', 'module', 'path'],
              properties: {
                id: { type: 'string' },
                kind: { type: 'string' },
                module: { type: 'string' },
                path: { type: 'string' },
                impact: { type: 'string', enum: [...SEVERITIES] },
              },
            },
          },
          configFile: { type: 'string', minLength: 1 },
          typeInfo: { type: 'string', enum: ['off', 'require'] },
          autofix: { type: 'boolean' },
          reportUnresolved: { type: 'boolean' },
        },
      },
    ],
    defaultOptions: [{ typeInfo: 'off', autofix: false, reportUnresolved: false }],
  },
  create(context, [options]) {
    const cwd = context.cwd;
    const config = effectiveConfig(cwd, options);
    const methods = options.methods ?? [...DEFAULT_METHODS];
    const minSeverity = options.minSeverity ?? DEFAULT_MIN_SEVERITY;
    const file = path.resolve(cwd, context.filename);
    const text = context.sourceCode.text;

    // The TypeScript that typescript-eslint parsed this file with is already loaded: analysing with the
    // same copy costs no second compiler in memory and lets the core take the parser's own parse.
    const ts = parserTypeScript();
    let result;
    if (options.typeInfo === 'require') {
      const services = requireProgram(context);
      const program = services.program;
      const sourceFile: ts.SourceFile = program.getSourceFile(file) ?? services.esTreeNodeToTSNodeMap.get(context.sourceCode.ast);
      const analyzer = analyzerFor({ cwd, config, methods, minSeverity, ts });
      result = analyzer.analyzeFile(file, { text, ...(sourceFile.text === text ? { sourceFile } : {}), program });
    } else {
      const sourceFile = parserSourceFile(context);
      result = analyzerFor({ cwd, config, methods, minSeverity, ts }).analyzeFile(file, { text, ...(sourceFile?.text === text ? { sourceFile } : {}) });
    }

    return {
      Program() {
        const self = path.relative(cwd, file).split(path.sep).join('/');
        if (options.reportUnresolved) {
          for (const h of result.handlers.filter((x) => x.status === 'unresolved')) {
            const start = { line: h.line, column: h.column - 1 };
            context.report({ loc: { start, end: endOfToken(context.sourceCode, start) }, messageId: 'unresolvedHandler', data: { where: h.route ? `${h.method} ${h.route}` : `${h.method} handler`, reason: h.reason } });
          }
        }
        for (const finding of result.findings) {
          const start = { line: finding.line, column: finding.column - 1 };
          if (finding.ruleId === 'suppression-comment') {
            // A wrong or unused idem-scan-ignore comment, reported as the CLI reports it.
            context.report({ loc: { start, end: { line: start.line, column: start.column + 2 } }, messageId: 'suppressionComment', data: { message: finding.message } });
            continue;
          }
          const fix = fixerFor(finding, self);
          const report = {
            loc: { start, end: endOfToken(context.sourceCode, start) },
            messageId: 'missingIdempotencyKey' as const,
            data: messageData(finding, cwd),
          };
          if (!fix) context.report(report);
          else if (options.autofix) context.report({ ...report, fix: fix.apply });
          else context.report({ ...report, suggest: [{ messageId: 'addIdempotency', data: { description: fix.description }, fix: fix.apply }] });
        }
      },
    };
  },
});

/**
 * The core's planned edits as an ESLint fix, when they all fall in the linted file (ESLint fixes one
 * file at a time; a fix that also edits a service file is left to `idem-scan --fix`).
 */
function fixerFor(finding: Finding, self: string): { description: string; apply: TSESLint.ReportFixFunction } | undefined {
  const fix = finding.fix;
  if (!fix?.available || fix.edits.some((e) => e.file !== self)) return undefined;
  const edits = [...fix.edits];
  return {
    description: fix.description,
    apply: (fixer) => edits.map((e) => fixer.replaceTextRange([e.start, e.end], e.text)),
  };
}

/** The TypeScript node typescript-eslint made for the file, when it parsed it (no program needed). */
function parserSourceFile(context: Readonly<TSESLint.RuleContext<MessageIds, [RuleOptions]>>): ts.SourceFile | undefined {
  const services = ESLintUtils.getParserServices(context, true) as Partial<ParserServices> | undefined;
  const node: unknown = services?.esTreeNodeToTSNodeMap?.get(context.sourceCode.ast);
  return node && typeof node === 'object' && 'statements' in node ? (node as ts.SourceFile) : undefined;
}

const configs = new Map<string, UserConfig>();

/** The config file's catalogue (found as the CLI finds it) with the rule's own options added. */
function effectiveConfig(cwd: string, options: RuleOptions): UserConfig {
  // Read once per process and options: `create` runs for every linted file.
  const id = JSON.stringify([cwd, options]);
  let config = configs.get(id);
  if (!config) configs.set(id, (config = readConfig(cwd, options)));
  return config;
}

function readConfig(cwd: string, options: RuleOptions): UserConfig {
  try {
    const { config } = loadConfig(cwd, options.configFile);
    const merged: UserConfig = { ...config };
    for (const key of ['headers', 'wrappers', 'middleware'] as const) {
      const extra = options[key];
      if (extra?.length) merged[key] = [...(config[key] ?? []), ...extra];
    }
    if (options.writes?.length) merged.writes = [...(config.writes ?? []), ...options.writes];
    return validate(merged, `${RULE} options`);
  } catch (error) {
    if (error instanceof IdemScanError) throw new Error(`${RULE}: ${error.message}`, { cause: error });
    throw error;
  }
}

function requireProgram(context: Readonly<TSESLint.RuleContext<MessageIds, [RuleOptions]>>): ParserServices & { program: NonNullable<ParserServices['program']> } {
  const services = ESLintUtils.getParserServices(context, true);
  if (!services.program) {
    throw new Error(
      `${RULE}: typeInfo "require" needs typed linting, but ${context.filename} was parsed without a TypeScript program. ` +
        'Use @typescript-eslint/parser with parserOptions.projectService (configs["recommended-type-checked"] sets it), or set typeInfo: "off".',
    );
  }
  return { ...services, program: services.program };
}

function messageData(finding: Finding, cwd: string): Record<string, string> {
  const where = finding.route ? `${finding.method} ${finding.route}` : `${finding.method} handler`;
  const worst = worstWrite(finding.writes, finding.severity);
  // The core's message is `<where> writes state without idempotency handling: <reason>`.
  const prefix = `${where} writes state without idempotency handling: `;
  const reason = finding.message.startsWith(prefix) ? finding.message.slice(prefix.length) : finding.message;
  return {
    where,
    method: finding.method ?? '',
    route: finding.route ?? '',
    severity: finding.severity,
    reason,
    write: worst ? `${worst.kind} ${worst.callee}` : '',
    location: worst ? ` — write at ${displayPath(worst.file, cwd)}:${worst.line}` : '',
  };
}

function worstWrite(writes: readonly WriteEvidence[], severity: Severity): WriteEvidence | undefined {
  const open = writes.filter((w) => !w.protected && !w.idempotent);
  return open.find((w) => w.severity === severity) ?? open[0];
}

function displayPath(file: string, cwd: string): string {
  return path.isAbsolute(file) ? path.relative(cwd, file).split(path.sep).join('/') : file;
}

/** The end of the token the finding starts at (`post` in `router.post(`, `@` of a decorator, `export`). */
function endOfToken(sourceCode: Readonly<TSESLint.SourceCode>, start: { line: number; column: number }): { line: number; column: number } {
  const index = sourceCode.getIndexFromLoc(start);
  const token = sourceCode.getTokenByRangeStart(index, { includeComments: false });
  return token ? token.loc.end : { line: start.line, column: start.column + 1 };
}
