// What users can add to the built-in knowledge from `idem-scan.config.json`, `.idem-scanrc.json`
// or the `idem-scan` key of package.json. Everything is additive: built-in entries stay.
import type { WriteKind, Severity } from '../core/types.js';

export interface UserWriteEntry {
  /** Stable id shown as evidence, e.g. `acme-billing.charge`. */
  id: string;
  kind: WriteKind;
  /** Module specifier the receiver comes from (exact, or a /regex/ string). */
  module: string;
  /** Regex over the access path from that import, e.g. `^new\\.charges\\.create$` (see docs/catalog.md). */
  path: string;
  impact?: Severity;
}

export interface UserConfig {
  /** Extra idempotency header names (case-insensitive), added to Idempotency-Key and X-Idempotency-Key. */
  headers?: string[];
  /** Names of functions that wrap work in idempotency handling, like `withIdempotency`. */
  wrappers?: string[];
  /** Names of middleware/hooks/interceptors that provide idempotency for the routes they cover. */
  middleware?: string[];
  /** Extra state-writing calls. */
  writes?: UserWriteEntry[];
  /** Glob patterns (relative to the config file) of files not to scan. */
  ignore?: string[];
  /** Fail the run (exit 1) when a handler could not be followed, as --fail-on-unresolved. */
  failOnUnresolved?: boolean;
  /** How the autofix writes its code: the wrapper's module and name, and the policy for a missing key. */
  fix?: { module?: string; wrapper?: string; policy?: 'optional' | 'required' };
}
