// The data the analysis core returns. Every face (CLI, reporters, ESLint rule, fixer) reads these
// types and nothing else; the JSON reporter prints them as documented in docs/json-output.md.
import type { FixPlan } from './fix/types.js';
export type { FixPlan, TextEdit, FixShape } from './fix/types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const HTTP_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type FrameworkId = 'express' | 'fastify' | 'nest' | 'next-app' | 'next-pages' | 'next-action';

export type HandlerStatus =
  | 'reported'
  | 'handled'
  | 'read-only'
  | 'naturally-idempotent'
  | 'below-threshold'
  | 'suppressed'
  /** With --changed-since: reported, but neither it nor a write on its path is in a changed file. */
  | 'unchanged'
  /** The handler, or a call on its path that could lead to writes, could not be followed; `reason` names it. */
  | 'unresolved';

/** What a state-changing call does; each kind has a default impact in the catalogue. */
export type WriteKind =
  | 'payment'
  | 'db-create'
  | 'db-update'
  | 'db-upsert'
  | 'db-delete'
  | 'db-increment'
  | 'db-append'
  | 'db-write'
  | 'email'
  | 'message'
  | 'queue'
  | 'event'
  | 'webhook'
  | 'http-mutation'
  | 'storage-write'
  | 'file-write'
  | 'token-rotation';

/** One state write reached from a handler, with the evidence a user needs to trust or refute it. */
export interface WriteEvidence {
  kind: WriteKind;
  /** The call as written, e.g. `prisma.order.create` or `this.repo.save`. */
  callee: string;
  /** Catalogue entry that matched, e.g. `prisma.create`. */
  catalogId: string;
  file: string;
  line: number;
  column: number;
  /** Functions from the handler to the function that contains the write, e.g. ["createOrder", "OrderService.create"]. */
  path: string[];
  /** Severity this write alone carries after idempotency classification. */
  severity: Severity;
  /** True when the write is naturally idempotent (upsert, absolute update, delete, guarded create). */
  idempotent: boolean;
  /** Why it is idempotent or protected, when it is. */
  note?: string;
  /** True when a mitigation covers this write. */
  protected: boolean;
}

/** `missing-idempotency-key`, or `suppression-comment` for an idem-scan-ignore comment that is wrong or unused. */
export type RuleId = 'missing-idempotency-key' | 'suppression-comment';

export interface Finding {
  ruleId: RuleId;
  /**
   * Stable identity across runs (baseline, SARIF `partialFingerprints["idemScan/v1"]`): a hash of the
   * file, method, route and handler symbol — not the line, so edits above the handler keep it.
   */
  fingerprint: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** null only for a `suppression-comment` finding that sits on no handler. */
  framework: FrameworkId | null;
  method: HttpMethod | null;
  route: string | null;
  /** The handler's name (see HandlerReport.symbol); '' for a suppression comment on no handler. */
  symbol: string;
  writes: WriteEvidence[];
  /** Protection that is there but does not hold, when there is some. */
  weak?: string;
  /** The autofix: the edits that add idempotency handling, or why there is no safe one. */
  fix?: FixPlan;
}

export interface HandlerReport {
  file: string;
  /** Where the route is registered (1-based). */
  line: number;
  column: number;
  /** Span of the handler code. */
  startLine: number;
  endLine: number;
  endColumn: number;
  framework: FrameworkId;
  /** The handler's name as the evidence paths start with it (`OrdersController.create`, `POST /orders`). */
  symbol: string;
  method: HttpMethod;
  route: string | null;
  status: HandlerStatus;
  reason: string;
  /** Protection that is there but does not hold (e.g. express-idempotency without an isHit check). */
  weak?: string;
  /** Why a `suppressed` handler is: an idem-scan-ignore comment (`inSource`) or the baseline file (`external`). */
  suppression?: { kind: 'inSource' | 'external'; justification: string };
  /** Severity the handler would carry if reported (null when it writes nothing). */
  severity: Severity | null;
  writes: WriteEvidence[];
}

export interface ScanError {
  file: string;
  message: string;
}

export interface AnalysisSummary {
  files: number;
  /** Source files under the given paths that .gitignore excluded (scanned with --no-gitignore). */
  gitignored: number;
  /** With a baseline file: findings it covered, and its entries that matched nothing (stale). */
  baseline?: { file: string; suppressed: number; stale: number };
  /** With --changed-since: the ref, and how many files changed since it. */
  changedSince?: { ref: string; files: number };
  handlers: number;
  findings: number;
  /** Handlers whose code could not be followed (status `unresolved`). */
  unresolved: number;
  /** Handlers whose code was followed, in percent of all POST/PUT/PATCH handlers (100 when there are none). */
  resolvedPercent: number;
  durationMs: number;
}

export interface AnalysisResult {
  findings: Finding[];
  handlers: HandlerReport[];
  errors: ScanError[];
  summary: AnalysisSummary;
}
