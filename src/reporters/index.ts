// Output formats by name. A new format is one file here and one entry in this map.
import type { Reporter } from './types.js';
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';
import { sarifReporter } from './sarif.js';
import { githubReporter } from './github.js';

export const REPORTERS = { text: textReporter, json: jsonReporter, sarif: sarifReporter, github: githubReporter } satisfies Record<string, Reporter>;
export type FormatName = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as FormatName[];
