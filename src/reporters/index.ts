// Output formats by name. A new format is one file here and one entry in this map.
import type { Reporter } from './types.js';
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';

export const REPORTERS = { text: textReporter, json: jsonReporter } satisfies Record<string, Reporter>;
export type FormatName = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as FormatName[];
