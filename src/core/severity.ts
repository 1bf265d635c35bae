// Severity from the evidence: what a duplicate of the write costs.
import { SEVERITIES, type Severity, type WriteKind } from './types.js';

const BY_KIND: Record<WriteKind, Severity> = {
  payment: 'critical',
  'db-create': 'high',
  email: 'high',
  message: 'high',
  queue: 'high',
  event: 'high',
  webhook: 'high',
  'db-write': 'high',
  'db-increment': 'medium',
  'db-append': 'medium',
  'http-mutation': 'medium',
  'storage-write': 'medium',
  'file-write': 'medium',
  'token-rotation': 'medium',
  'db-update': 'low',
  'db-upsert': 'low',
  'db-delete': 'low',
};

export function severityOf(kind: WriteKind): Severity {
  return BY_KIND[kind];
}

/** `critical` > `high` > `medium` > `low`. */
export function rank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return rank(severity) >= rank(threshold);
}

export function maxSeverity(values: readonly Severity[]): Severity | null {
  let best: Severity | null = null;
  for (const value of values) if (best === null || rank(value) > rank(best)) best = value;
  return best;
}
