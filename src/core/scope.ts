// Name lookup without a type checker: walk outwards from a use through the enclosing blocks and
// functions to the declaration a name refers to. Good enough for the code routes are written in
// (no `with`, no eval); `var` hoisting is approximated by scanning a whole block.
import type { TS, tsTypes as ts } from './ts.js';
import { parentOf } from './ts.js';
import { kindFlags, type KindFlags } from './kinds.js';

export type Binding =
  | { kind: 'import'; module: string; name: string; node: ts.Node }
  | { kind: 'variable'; decl: ts.VariableDeclaration; path: string[] }
  | { kind: 'parameter'; decl: ts.ParameterDeclaration; path: string[] }
  | { kind: 'function'; decl: ts.FunctionDeclaration }
  | { kind: 'class'; decl: ts.ClassDeclaration }
  | { kind: 'type'; decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration };

type ScopeTable = Map<string, Binding>;

export class Scopes {
  // A Map, not a WeakMap: the tables live exactly as long as the resolver of one analysis, and plain
  // maps are cheaper to fill and to collect.
  private readonly tables = new Map<ts.Node, ScopeTable>();
  constructor(private readonly ts: TS) {
    const t = ts;
    this.scopeKinds = kindFlags(t, 'scope.opens', [
      (node) =>
        t.isSourceFile(node) || t.isBlock(node) || t.isModuleBlock(node) || t.isCaseClause(node) || t.isDefaultClause(node) ||
        t.isFunctionLike(node) || t.isForStatement(node) || t.isForOfStatement(node) || t.isForInStatement(node) ||
        t.isCatchClause(node) || t.isClassLike(node),
    ]);
  }

  /** The declaration `name` refers to at `from`, or undefined for globals and unknown names. */
  lookup(name: string, from: ts.Node): Binding | undefined {
    for (let node: ts.Node | undefined = from; node; node = parentOf(node)) {
      const found = this.table(node)?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether nodes of a kind open a scope, tabled per kind (every lookup asks for every ancestor). */
  private readonly scopeKinds: KindFlags;

  private table(node: ts.Node): ScopeTable | undefined {
    const isScope = this.scopeKinds[node.kind] === 1;
    if (!isScope) return undefined;
    let table = this.tables.get(node);
    if (!table) {
      table = this.build(node);
      this.tables.set(node, table);
    }
    return table;
  }

  private build(node: ts.Node): ScopeTable {
    const t = this.ts;
    const table: ScopeTable = new Map();
    if (t.isFunctionLike(node)) {
      for (const param of node.parameters) this.addBindingName(table, param.name, [], (p) => ({ kind: 'parameter', decl: param, path: p }));
      if ((t.isFunctionExpression(node) || t.isClassExpression(node)) && node.name) {
        if (t.isFunctionExpression(node)) table.set(node.name.text, { kind: 'function', decl: node as unknown as ts.FunctionDeclaration });
      }
      return table;
    }
    if (t.isClassLike(node)) return table;
    if (t.isCatchClause(node)) {
      const decl = node.variableDeclaration;
      if (decl) this.addBindingName(table, decl.name, [], (p) => ({ kind: 'variable', decl, path: p }));
      return table;
    }
    if (t.isForStatement(node) || t.isForOfStatement(node) || t.isForInStatement(node)) {
      const init = node.initializer;
      if (init && t.isVariableDeclarationList(init)) this.addDeclarationList(table, init);
      return table;
    }
    const statements = t.isCaseClause(node) || t.isDefaultClause(node) ? node.statements : (node as ts.Block).statements;
    for (const statement of statements) this.addStatement(table, statement);
    return table;
  }

  private addStatement(table: ScopeTable, statement: ts.Statement): void {
    const t = this.ts;
    if (t.isVariableStatement(statement)) this.addDeclarationList(table, statement.declarationList);
    else if (t.isFunctionDeclaration(statement) && statement.name) table.set(statement.name.text, { kind: 'function', decl: statement });
    else if (t.isClassDeclaration(statement) && statement.name) table.set(statement.name.text, { kind: 'class', decl: statement });
    else if ((t.isInterfaceDeclaration(statement) || t.isTypeAliasDeclaration(statement) || t.isEnumDeclaration(statement)) && !table.has(statement.name.text)) {
      table.set(statement.name.text, { kind: 'type', decl: statement });
    } else if (t.isImportDeclaration(statement) && t.isStringLiteral(statement.moduleSpecifier)) this.addImport(table, statement);
    else if (t.isImportEqualsDeclaration(statement)) {
      const ref = statement.moduleReference;
      if (t.isExternalModuleReference(ref) && t.isStringLiteral(ref.expression)) {
        table.set(statement.name.text, { kind: 'import', module: ref.expression.text, name: 'module.exports', node: statement });
      }
    }
  }

  private addImport(table: ScopeTable, decl: ts.ImportDeclaration): void {
    const t = this.ts;
    const module = (decl.moduleSpecifier as ts.StringLiteral).text;
    const clause = decl.importClause;
    if (!clause) return;
    if (clause.name) table.set(clause.name.text, { kind: 'import', module, name: 'default', node: clause });
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (t.isNamespaceImport(bindings)) table.set(bindings.name.text, { kind: 'import', module, name: '*', node: bindings });
    else {
      for (const spec of bindings.elements) {
        const imported = spec.propertyName ? moduleExportName(t, spec.propertyName) : spec.name.text;
        table.set(spec.name.text, { kind: 'import', module, name: imported, node: spec });
      }
    }
  }

  private addDeclarationList(table: ScopeTable, list: ts.VariableDeclarationList): void {
    for (const decl of list.declarations) {
      this.addBindingName(table, decl.name, [], (p) => ({ kind: 'variable', decl, path: p }));
    }
  }

  /** Adds every name a (possibly destructuring) binding introduces, with the property path to it. */
  private addBindingName(table: ScopeTable, name: ts.BindingName, path: string[], make: (path: string[]) => Binding): void {
    const t = this.ts;
    if (t.isIdentifier(name)) {
      table.set(name.text, make(path));
      return;
    }
    if (t.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        // `{ menuIds, ...data }`: the rest is the same record less the named keys; its fields are reached through it.
        if (element.dotDotDotToken) {
          if (t.isIdentifier(element.name)) table.set(element.name.text, make(path));
          continue;
        }
        const key = element.propertyName ? propertyNameText(t, element.propertyName) : t.isIdentifier(element.name) ? element.name.text : undefined;
        if (key === undefined) continue;
        this.addBindingName(table, element.name, [...path, key], make);
      }
      return;
    }
    name.elements.forEach((element, index) => {
      if (t.isBindingElement(element) && !element.dotDotDotToken) this.addBindingName(table, element.name, [...path, String(index)], make);
    });
  }
}

export function propertyNameText(t: TS, name: ts.PropertyName | ts.Expression): string | undefined {
  if (t.isIdentifier(name) || t.isPrivateIdentifier(name)) return name.text;
  if (t.isStringLiteralLike(name) || t.isNumericLiteral(name)) return name.text;
  if (t.isComputedPropertyName(name)) return t.isStringLiteralLike(name.expression) ? name.expression.text : undefined;
  return undefined;
}

function moduleExportName(t: TS, name: ts.ModuleExportName): string {
  return t.isIdentifier(name) ? name.text : name.text;
}

/** The local names an import declaration binds: `import a, { b as c } from 'm'` → a, c; `* as ns` → ns. */
export function importClauseNames(t: TS, clause: ts.ImportClause | undefined): string[] {
  const names: string[] = [];
  if (clause?.name) names.push(clause.name.text);
  const bindings = clause?.namedBindings;
  if (bindings && t.isNamespaceImport(bindings)) names.push(bindings.name.text);
  if (bindings && t.isNamedImports(bindings)) for (const e of bindings.elements) names.push(e.name.text);
  return names;
}
