// One RuleCreator for the plugin: every rule's docs URL is derived from its name.
import { ESLintUtils } from '@typescript-eslint/utils';

export interface IdemRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

export const DOCS_BASE = 'https://github.com/idem-scan/idem-scan/blob/main/docs/rules';

export const createRule = ESLintUtils.RuleCreator<IdemRuleDocs>((name) => `${DOCS_BASE}/${name}.md`);
