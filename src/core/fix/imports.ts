// One import of a runtime helper per file: reused when present, merged into an existing import from
// the same module, aliased when the file already uses the name for something else.
import type { TS, tsTypes as ts } from '../ts.js';
import { isTypeOnlyImport } from '../ts.js';
import type { CodeStyle } from './style.js';
import { quoted } from './style.js';
import { importClauseNames } from '../scope.js';

export interface ImportEdit {
  /** The name to call in this file. */
  local: string;
  /** The edit that adds it, if one is needed. */
  edit?: { start: number; end: number; text: string };
}

/** Asked once per fix, and a route file has several: the answer depends only on the file and the name. */
const planned = new WeakMap<ts.SourceFile, Map<string, ImportEdit>>();

export function ensureImport(t: TS, sf: ts.SourceFile, module: string, name: string, style: CodeStyle): ImportEdit {
  let byName = planned.get(sf);
  if (!byName) planned.set(sf, (byName = new Map<string, ImportEdit>()));
  const key = `${module}\0${name}\0${style.commonJs}\0${style.semi}\0${style.quote}`;
  let edit = byName.get(key);
  if (!edit) byName.set(key, (edit = planImport(t, sf, module, name, style)));
  return edit;
}

function planImport(t: TS, sf: ts.SourceFile, module: string, name: string, style: CodeStyle): ImportEdit {
  const imports = sf.statements.filter((s): s is ts.ImportDeclaration => t.isImportDeclaration(s));
  for (const decl of imports) {
    if (!t.isStringLiteral(decl.moduleSpecifier) || decl.moduleSpecifier.text !== module) continue;
    const named = decl.importClause?.namedBindings;
    if (named && t.isNamedImports(named)) {
      const existing = named.elements.find((e) => (e.propertyName ?? e.name).text === name);
      if (existing) return { local: existing.name.text };
    }
  }
  for (const statement of sf.statements) {
    const found = requiredName(t, statement, module, name);
    if (found) return { local: found };
  }
  const local = declaredAtTop(t, sf).has(name) ? freeName(t, sf, `idemScan${name[0]!.toUpperCase()}${name.slice(1)}`) : name;
  const specifier = local === name ? name : style.commonJs ? `${name}: ${local}` : `${name} as ${local}`;
  const semi = style.semi ? ';' : '';

  for (const decl of imports) {
    if (!t.isStringLiteral(decl.moduleSpecifier) || decl.moduleSpecifier.text !== module || isTypeOnlyImport(decl)) continue;
    const named = decl.importClause?.namedBindings;
    if (named && t.isNamedImports(named)) {
      const last = named.elements[named.elements.length - 1];
      if (last) return { local, edit: { start: last.getEnd(), end: last.getEnd(), text: `, ${specifier}` } };
    }
  }
  const line = style.commonJs ? `const { ${specifier} } = require(${quoted(style, module)})${semi}` : `import { ${specifier} } from ${quoted(style, module)}${semi}`;
  const anchor = lastImportLike(t, sf, style.commonJs);
  if (anchor) return { local, edit: { start: anchor.getEnd(), end: anchor.getEnd(), text: `\n${line}` } };
  const prologue = directives(t, sf);
  if (prologue) return { local, edit: { start: prologue.getEnd(), end: prologue.getEnd(), text: `\n${line}` } };
  return { local, edit: { start: 0, end: 0, text: `${line}\n` } };
}

/** `const { name } = require('module')` (or an alias of it) at the top level. */
function requiredName(t: TS, statement: ts.Statement, module: string, name: string): string | undefined {
  if (!t.isVariableStatement(statement)) return undefined;
  for (const decl of statement.declarationList.declarations) {
    const init = decl.initializer;
    if (!init || !t.isCallExpression(init) || !t.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
    const arg = init.arguments[0];
    if (!arg || !t.isStringLiteral(arg) || arg.text !== module || !t.isObjectBindingPattern(decl.name)) continue;
    for (const element of decl.name.elements) {
      const key = element.propertyName && t.isIdentifier(element.propertyName) ? element.propertyName.text : t.isIdentifier(element.name) ? element.name.text : undefined;
      if (key === name && t.isIdentifier(element.name)) return element.name.text;
    }
  }
  return undefined;
}

function lastImportLike(t: TS, sf: ts.SourceFile, commonJs: boolean): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of sf.statements) {
    if (t.isImportDeclaration(statement) || t.isImportEqualsDeclaration(statement)) last = statement;
    else if (commonJs && t.isVariableStatement(statement) && /^\s*(const|let|var)\s[^=]*=\s*require\(/.test(statement.getText(sf))) last = statement;
  }
  return last;
}

/** The last of the file's leading directives (`'use strict'`, `'use server'`), which must stay first. */
function directives(t: TS, sf: ts.SourceFile): ts.Statement | undefined {
  let last: ts.Statement | undefined;
  for (const statement of sf.statements) {
    if (t.isExpressionStatement(statement) && t.isStringLiteral(statement.expression)) last = statement;
    else break;
  }
  return last;
}

/** Names declared at the top level of the file (imports, variables, functions, classes). */
export function declaredAtTop(t: TS, sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (t.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!t.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of sf.statements) {
    if (t.isImportDeclaration(statement)) {
      for (const local of importClauseNames(t, statement.importClause)) names.add(local);
    } else if (t.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) addBinding(decl.name);
    } else if ((t.isFunctionDeclaration(statement) || t.isClassDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** `base`, or `base2`, `base3`… whichever the file does not mention. */
export function freeName(_t: TS, sf: ts.SourceFile, base: string, within: string = sf.text): string {
  const used = (n: string): boolean => new RegExp(`\\b${n}\\b`).test(within);
  if (!used(base)) return base;
  for (let i = 2; ; i++) if (!used(`${base}${i}`)) return `${base}${i}`;
}
