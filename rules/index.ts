// The ESLint plugin (`import idem from 'idem-scan/eslint-plugin'`), for ESLint 9 and 10 flat config.
// `recommended` runs the same syntactic analysis as the CLI; `recommended-type-checked` also has
// typescript-eslint build a program and the rule share its parses (typeInfo "require").
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { missingIdempotencyKey } from './missing-idempotency-key.js';
import { packageVersion } from '../src/version.js';

export const rules = {
  'missing-idempotency-key': missingIdempotencyKey,
};

type FlatConfig = TSESLint.FlatConfig.Config;

interface IdemPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: FlatConfig; 'recommended-type-checked': FlatConfig };
}

const plugin: IdemPlugin = {
  meta: { name: 'idem-scan', version: packageVersion(), namespace: 'idempotency' },
  rules,
  configs: {} as IdemPlugin['configs'],
};

const SOURCE_FILES = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/**
 * ESLint cannot read TypeScript without a parser: the configs use @typescript-eslint/parser (an
 * optional peer dependency) when it is installed, as typescript-eslint's own configs do.
 */
function typescriptParser(): TSESLint.FlatConfig.Parser | undefined {
  try {
    return createRequire(import.meta.url)('@typescript-eslint/parser') as TSESLint.FlatConfig.Parser;
  } catch {
    return undefined;
  }
}
const parser = typescriptParser();

Object.assign(plugin.configs, {
  recommended: {
    name: 'idempotency/recommended',
    files: SOURCE_FILES,
    plugins: { idempotency: plugin as unknown as TSESLint.FlatConfig.Plugin },
    ...(parser ? { languageOptions: { parser } } : {}),
    rules: { 'idempotency/missing-idempotency-key': ['error', { typeInfo: 'off' }] },
  },
  'recommended-type-checked': {
    name: 'idempotency/recommended-type-checked',
    files: ['**/*.{ts,tsx,mts,cts}'],
    plugins: { idempotency: plugin as unknown as TSESLint.FlatConfig.Plugin },
    languageOptions: { ...(parser ? { parser } : {}), parserOptions: { projectService: true } },
    rules: { 'idempotency/missing-idempotency-key': ['error', { typeInfo: 'require' }] },
  },
} satisfies IdemPlugin['configs']);

export default plugin;
