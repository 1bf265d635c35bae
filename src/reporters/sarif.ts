// SARIF 2.1.0 for GitHub code scanning (docs/github.md): one run, the rules with their help, a result
// per finding (and per suppressed handler, with its suppression), locations relative to %SRCROOT% (the
// git root), every write as a related location, the path to the worst write as a code flow, our own
// fingerprint (never primaryLocationLineHash, which the upload action computes), and the autofix.
// Deterministic: sorted, no timestamps.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import type { Finding, HandlerReport, Severity, WriteEvidence } from '../core/types.js';
import type { Reporter, ReportContext } from './types.js';
import { INFORMATION_URI, MISSING_KEY, RULE_DOCS, SUPPRESSION, levelOf } from './rule-info.js';
import { fingerprintOf } from '../core/session.js';

const SRCROOT = '%SRCROOT%';

export const sarifReporter: Reporter = (result, ctx) => `${JSON.stringify(sarifLog(result, ctx), null, 2)}\n`;

export function sarifLog(result: Parameters<Reporter>[0], ctx: ReportContext): sarif.Log {
  // A relative URI reference: each segment percent-encoded (`[id]` in a Next route folder is `%5Bid%5D`).
  const uri = (file: string): string => path.relative(ctx.srcRoot, path.resolve(ctx.cwd, file)).split(path.sep).map(encodeURIComponent).join('/');
  const location = (file: string, line: number, column: number, message?: string): sarif.Location => ({
    physicalLocation: { artifactLocation: { uri: uri(file), uriBaseId: SRCROOT }, region: { startLine: line, startColumn: column } },
    ...(message ? { message: { text: message } } : {}),
  });

  const results: sarif.Result[] = [];
  for (const f of result.findings) {
    if (f.ruleId === 'missing-idempotency-key') results.push(handlerResult(f, f.severity, location, uri));
    else results.push(suppressionResult(f, location));
  }
  for (const h of result.handlers) {
    if (h.status !== 'suppressed' || !h.suppression) continue;
    const r = handlerResult({ ...h, fingerprint: fingerprintOf(h), message: `${where(h)} writes state without idempotency handling: ${h.reason}` }, h.severity ?? 'medium', location, uri);
    r.suppressions = [{ kind: h.suppression.kind, justification: h.suppression.justification }];
    results.push(r);
  }
  results.sort((a, b) => compareLocation(a, b) || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''));

  // Handlers the analysis could not follow: notes that show the blind spots without raising alerts.
  const blind: sarif.Notification[] = result.handlers.filter((h) => h.status === 'unresolved').map((h) => ({
    level: 'note',
    message: { text: `${where(h)} could not be followed: ${h.reason}.` },
    locations: [location(h.file, h.line, h.column)],
  }));
  const notifications: sarif.Notification[] = [...blind, ...result.errors.map((e): sarif.Notification => ({
    level: 'warning',
    message: { text: `${e.message}.`.replace(/\.\.$/, '.') },
    ...(e.file !== '.' ? { locations: [{ physicalLocation: { artifactLocation: { uri: uri(e.file), uriBaseId: SRCROOT } } }] } : {}),
  }))];

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'idem-scan',
            semanticVersion: ctx.version,
            version: ctx.version,
            informationUri: INFORMATION_URI,
            rules: [missingKeyRule(), suppressionRule()],
          },
        },
        automationDetails: { id: 'idem-scan/' },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(ctx.srcRoot).href.replace(/\/?$/, '/') } },
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function missingKeyRule(): sarif.ReportingDescriptor {
  return {
    id: MISSING_KEY.id,
    name: MISSING_KEY.name,
    shortDescription: { text: MISSING_KEY.short },
    fullDescription: { text: MISSING_KEY.full },
    help: {
      text: MISSING_KEY.helpText,
      markdown: [
        `**${MISSING_KEY.short}.**`,
        '',
        MISSING_KEY.full,
        '',
        '**Fix.** Read the `Idempotency-Key` header and run the writes once per key; `idem-scan --fix` writes it:',
        '',
        '```ts',
        "const idempotencyKey = req.get('Idempotency-Key');",
        'const order = await withIdempotency(idempotencyKey, async () => {',
        '  return prisma.order.create({ data: req.body });',
        '}, { input: req.body });',
        '```',
        '',
        `See [the rule's documentation](${RULE_DOCS}).`,
      ].join('\n'),
    },
    helpUri: RULE_DOCS,
    defaultConfiguration: { level: 'error' },
    properties: {
      tags: ['security', 'reliability', 'idempotency', 'external/cwe/cwe-837'],
      precision: 'high',
      'problem.severity': 'error',
      'security-severity': '7.5',
    },
  };
}

function suppressionRule(): sarif.ReportingDescriptor {
  return {
    id: SUPPRESSION.id,
    name: SUPPRESSION.name,
    shortDescription: { text: SUPPRESSION.short },
    fullDescription: { text: SUPPRESSION.full },
    help: { text: SUPPRESSION.helpText, markdown: `${SUPPRESSION.full}\n\n${SUPPRESSION.helpText}` },
    helpUri: RULE_DOCS,
    defaultConfiguration: { level: 'note' },
    properties: { tags: ['maintainability'], precision: 'very-high', 'problem.severity': 'recommendation' },
  };
}

type LocationOf = (file: string, line: number, column: number, message?: string) => sarif.Location;

function handlerResult(f: Pick<Finding, 'file' | 'line' | 'column' | 'method' | 'route' | 'writes' | 'fingerprint' | 'message' | 'framework' | 'symbol' | 'fix'>, severity: Severity, location: LocationOf, uri: (file: string) => string): sarif.Result {
  const open = f.writes.filter((w) => !w.protected && !w.idempotent);
  const worst = open.find((w) => w.severity === severity) ?? open[0] ?? f.writes[0];
  const result: sarif.Result = {
    ruleId: MISSING_KEY.id,
    ruleIndex: 0,
    level: levelOf(severity),
    message: { text: `${where(f)} writes state without idempotency handling (${severity})${worst ? `: ${worst.kind} ${worst.callee}` : ''}.` },
    locations: [location(f.file, f.line, f.column)],
    partialFingerprints: { 'idemScan/v1': f.fingerprint },
    properties: { severity, method: f.method, route: f.route, framework: f.framework, handler: f.symbol },
  };
  if (f.writes.length > 0) {
    result.relatedLocations = f.writes.map((w, i) => ({ id: i + 1, ...location(w.file, w.line, w.column, describe(w)) }));
  }
  if (open.length > 0) {
    result.codeFlows = open.map((w) => ({
      message: { text: `${where(f)} reaches ${w.kind} ${w.callee}.` },
      threadFlows: [{ locations: [{ location: location(f.file, f.line, f.column, `handler ${w.path[0] ?? f.symbol}`) }, { location: location(w.file, w.line, w.column, `${w.kind} ${w.callee} via ${w.path.join(' → ')}`) }] }],
    }));
  }
  if (f.fix?.available) {
    const byFile = new Map<string, sarif.Replacement[]>();
    for (const e of f.fix.edits) {
      const list = byFile.get(e.file) ?? [];
      list.push({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } });
      byFile.set(e.file, list);
    }
    result.fixes = [{ description: { text: `${f.fix.description}.` }, artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: { uri: uri(file), uriBaseId: SRCROOT }, replacements })) }];
  }
  return result;
}

function suppressionResult(f: Finding, location: LocationOf): sarif.Result {
  return {
    ruleId: SUPPRESSION.id,
    ruleIndex: 1,
    level: 'note',
    message: { text: f.message },
    locations: [location(f.file, f.line, f.column)],
    partialFingerprints: { 'idemScan/v1': f.fingerprint },
    properties: { severity: f.severity },
  };
}

function describe(w: WriteEvidence): string {
  const state = w.protected ? `protected: ${w.note ?? 'yes'}` : w.idempotent ? `idempotent: ${w.note ?? 'yes'}` : 'unprotected';
  return `${w.kind} ${w.callee} (${state})`;
}

function where(h: { method: HandlerReport['method'] | null; route: string | null }): string {
  return h.route ? `${h.method} ${h.route}` : `${h.method} handler`;
}

function compareLocation(a: sarif.Result, b: sarif.Result): number {
  const la = a.locations?.[0]?.physicalLocation;
  const lb = b.locations?.[0]?.physicalLocation;
  return (la?.artifactLocation?.uri ?? '').localeCompare(lb?.artifactLocation?.uri ?? '') || (la?.region?.startLine ?? 0) - (lb?.region?.startLine ?? 0) || (la?.region?.startColumn ?? 0) - (lb?.region?.startColumn ?? 0);
}
