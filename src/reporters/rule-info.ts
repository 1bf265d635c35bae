// What the rules are, for the formats that describe them (SARIF's reportingDescriptor, annotations).
import type { Severity } from '../core/types.js';

export const INFORMATION_URI = 'https://github.com/idem-scan/idem-scan';
export const RULE_DOCS = `${INFORMATION_URI}/blob/main/docs/rules/missing-idempotency-key.md`;

export const MISSING_KEY = {
  id: 'missing-idempotency-key',
  name: 'MissingIdempotencyKey',
  short: 'POST/PUT handler writes state without idempotency handling',
  full:
    'A POST or PUT handler reaches a state-changing call (a database create, a payment, an e-mail, a queue job, an outbound webhook) ' +
    'with nothing that makes a retry safe: no Idempotency-Key read and used, no idempotency wrapper, middleware or interceptor, ' +
    'no upsert, guard or unique key. A client that times out and retries creates a second record, charge or message.',
  helpText:
    'Read the client\'s Idempotency-Key header and run the writes once per key, replaying the first result on a retry. ' +
    '`idem-scan --fix` does it: it reads the header the framework\'s way and wraps the writes in withIdempotency(key, work, { scope, input }) ' +
    'from @idem-scan/runtime, or wraps the route in the runtime\'s route-level form where the response is sent among the writes. ' +
    'Other ways out: an upsert or a unique key that comes from the request, a check that refuses the repeat, idempotency middleware.',
} as const;

export const SUPPRESSION = {
  id: 'suppression-comment',
  name: 'SuppressionComment',
  short: 'idem-scan-ignore comment without a reason, for an unknown rule, or suppressing nothing',
  full:
    'An idem-scan-ignore comment must name the rule it silences and say why after `--`, so that reviewers can see the reason; ' +
    'a comment that no longer suppresses anything should be removed.',
  helpText: 'Write `// idem-scan-ignore missing-idempotency-key -- <reason>` on the line before the route registration, or remove the comment.',
} as const;

/** SARIF level from a severity: critical/high error, medium warning, low note. */
export function levelOf(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}
