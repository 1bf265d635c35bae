// The catalogues the analysis runs on: built-in knowledge merged with the user's config.
import { BUILTIN_WRITE_RULES, REQUEST_FIELD_WRITES, REQUEST_METHOD_WRITES, type RequestFieldRule, type RequestMethodRule, type WriteRule } from '../catalog/writes.js';
import { DEFAULT_IDEMPOTENCY_HEADERS, DEFAULT_WRAPPERS, KNOWN_LIBRARIES, type LibraryMitigation } from '../catalog/mitigations.js';
import type { UserConfig } from '../catalog/user-config.js';
import { IdemScanError } from './errors.js';

export interface Knowledge {
  writeRules: readonly WriteRule[];
  /** Methods packages add to the request object that write (`req.logIn` with a session store). */
  requestRules: readonly RequestMethodRule[];
  /** Request fields a package persists (`req.session.userId = …` with a session store). */
  requestFields: readonly RequestFieldRule[];
  /** Lower-case header names. */
  headers: ReadonlySet<string>;
  wrappers: ReadonlySet<string>;
  middleware: ReadonlySet<string>;
  libraries: readonly LibraryMitigation[];
}

export function buildKnowledge(config: UserConfig | undefined): Knowledge {
  const userRules: WriteRule[] = (config?.writes ?? []).map((entry) => ({
    id: entry.id,
    kind: entry.kind,
    module: toPattern(entry.module, `writes[${entry.id}].module`),
    chain: new RegExp(entry.path),
    ...(entry.impact ? { impact: entry.impact } : {}),
  }));
  return {
    // User rules first: they refine or override what the built-ins say about the same calls.
    writeRules: [...userRules, ...BUILTIN_WRITE_RULES],
    requestRules: REQUEST_METHOD_WRITES,
    requestFields: REQUEST_FIELD_WRITES,
    headers: new Set([...DEFAULT_IDEMPOTENCY_HEADERS, ...(config?.headers ?? [])].map((h) => h.toLowerCase())),
    // The fix's own wrapper (config `fix.wrapper`) protects what it wraps, as the default one does.
    wrappers: new Set([...DEFAULT_WRAPPERS, ...(config?.wrappers ?? []), ...(config?.fix?.wrapper ? [config.fix.wrapper] : [])]),
    middleware: new Set(config?.middleware ?? []),
    libraries: KNOWN_LIBRARIES,
  };
}

/** `"/regex/"` strings are patterns; anything else is an exact module specifier. */
function toPattern(value: string, where: string): string | RegExp {
  const regex = /^\/(.*)\/([a-z]*)$/.exec(value);
  if (!regex) return value;
  try {
    return new RegExp(regex[1]!, regex[2]);
  } catch {
    throw new IdemScanError(`invalid regular expression in config ${where}: ${value}`);
  }
}
