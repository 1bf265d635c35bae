// Unique constraints from the schema, so that a create whose request-supplied value is unique counts
// as naturally idempotent (the retry fails instead of duplicating). Sources: Prisma schema files,
// TypeORM entity decorators, Mongoose schemas, Drizzle table definitions, SQL and Knex migrations.
import fs from 'node:fs';
import path from 'node:path';
import type { TS, tsTypes as ts } from './ts.js';
import type { Resolver } from './resolver.js';
import type { FolderListings } from './files.js';
import type { WriteMatch } from './writes.js';
import { propertyNameText } from './scope.js';
import { GENERATED_VALUE, expandedText, isBlank, reassignedFresh, strip } from './refine.js';
import { enclosingFunction } from './ts.js';

/** Values a server makes up: a unique column filled with one of these protects nothing. */
const GENERATED = GENERATED_VALUE;

/** Marks a key column the store fills by default when the create leaves it out (`@id @default(uuid())`). */
const DEFAULTED = '?';
/** Marks a unique column that may be left empty (`String? @unique`): a record given whole may not carry it. */
const OPTIONAL = '~';
/** The request itself, as handlers name it. */
const REQUEST_PARAMETER = /^(req|request|ctx|context|c|event|input|body|dto)$/;

export class SchemaIndex {
  private readonly prismaByDir = new Map<string, Map<string, Set<string>>>();
  /** Models of the monorepo's packages, for an app folder whose own package has no schema. */
  private readonly workspacePrismaByDir = new Map<string, Map<string, Set<string>>>();
  private readonly sqlByDir = new Map<string, Map<string, Set<string>>>();

  /** `readText` reads schema and migration files; a session passes one that records what was read. */
  /** `listings`: folders a one-off scan listed already, not listed again by the schema and migration searches. */
  constructor(
    private readonly t: TS,
    private readonly resolver: Resolver,
    private readonly readText: (file: string) => string = readSmallText,
    private readonly listings?: FolderListings,
  ) {}

  /**
   * The unique key a create fills entirely from the request, as `Model.field` (or `Model.a+b` for a
   * composite key), if any. Each entry of a unique set is one key: its columns joined with commas.
   */
  uniqueFieldOf(write: WriteMatch, fromFile: string): string | undefined {
    const model = write.model;
    if (!model) return undefined;
    const unique = this.uniqueFields(model, fromFile);
    if (!unique || unique.size === 0) return undefined;
    // Lower-cased column → the name as the code writes it (for the reason text).
    const filled = new Map<string, string>();
    // Columns whose value came in through a parameter of the function that writes (`id: entity.id`
    // in `create(entity)`): where it was made is the caller's business.
    const handedIn = new Set<string>();
    for (const column of write.columns ?? []) filled.set(columnKey(column), column);
    const literals = write.data ? [write.data, ...(write.moreData ?? [])] : [];
    // Columns the literals set themselves, to whatever value: a spread record does not fill them.
    const spelled = new Set<string>();
    for (const prop of literals.flatMap((l) => l.properties)) {
      const name = prop.name ? propertyNameText(this.t, prop.name) : undefined;
      if (name) spelled.add(columnKey(name));
      const value = this.t.isPropertyAssignment(prop) ? prop.initializer : this.t.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      // A generated value is not the request's; `email: null` fills nothing (NULLs never collide).
      if (name && value && !GENERATED.test(expandedText(this.t, value)) && !isBlank(this.t, value) && !reassignedFresh(this.t, value)) {
        filled.set(columnKey(name), name);
        if (this.fromParameter(value)) handedIn.add(columnKey(name));
      }
    }
    for (const key of unique) {
      // A key the store fills by default (`@id @default(uuid())`) counts only when the create gives it a
      // value the request fixes: not one handed in by a caller that may have generated it.
      const columns = key.replace(DEFAULTED, '').replace(OPTIONAL, '').split(',').map(columnKey);
      if (key.startsWith(DEFAULTED) && columns.some((c) => handedIn.has(c))) continue;
      if (columns.every((c) => filled.has(c))) return `${model.name || 'model'}.${columns.map((c) => filled.get(c)!).join('+')}${key.startsWith(DEFAULTED) ? ' (given, not defaulted)' : ''}`;
    }
    // A record passed whole (the request's DTO) carries the unique columns the client sent; so does one
    // spread into the literal (`{ ...dto, menus }`), for the columns the literal does not set itself.
    const spread = write.data !== undefined && write.recordFrom !== undefined && write.kind === 'db-create' && this.givenRecord(write.recordFrom);
    if ((write.wholeRecord && !write.data && !write.columns?.length) || spread) {
      // Not the record's own id: a client's DTO rarely carries it, the store makes it.
      const fresh = write.recordFrom ? this.freshFields(write.recordFrom, write.node) : new Set<string>();
      // Nor an optional one (`extCustomerId String? @unique`): a DTO usually leaves it out, and NULLs never collide.
      // (Unless the record's DTO class declares it required: `email!: string` on a register DTO.)
      // (A compound key with an optional column: every column of it declared required.)
      const given = (k: string): boolean => !k.startsWith(OPTIONAL) || (write.recordFrom !== undefined && k.slice(OPTIONAL.length).split(',').every((c) => this.requiredInRecord(write.recordFrom!, c)));
      // A column the record's declared type does not have is not in it (`ImportDto` without `name`).
      const declared = (k: string): boolean => write.recordFrom === undefined || k.replace(OPTIONAL, '').split(',').every((c) => this.recordMember(write.recordFrom!, c) !== 'absent');
      const natural = [...unique].filter((k) => !/^_?id$/.test(k) && !k.startsWith(DEFAULTED) && given(k) && declared(k) && !k.split(',').some((c) => fresh.has(c) || spelled.has(columnKey(c.replace(OPTIONAL, '')))));
      const key = natural.find((k) => !k.includes(',')) ?? natural[0];
      if (key) return `${model.name || 'model'}.${key.replace(OPTIONAL, '')} (${spread ? `spread from ${write.recordFrom!.getText()}` : 'the record is passed whole'})`;
    }
    return undefined;
  }

  /**
   * Whether the type a record parameter is declared with (`dto: RegisterDto`, `input: { email: string }`)
   * requires a property (compared in lower case): declared without `?` and without `@IsOptional()`.
   */
  requiredInRecord(record: ts.Expression, column: string): boolean {
    return this.recordMember(record, column) === 'required';
  }

  /**
   * How the type a record parameter is declared with has a property (compared in lower case): `required`,
   * `optional` (`?` or `@IsOptional()`), `absent`, or undefined when the type is not known here (no
   * annotation, or a class that extends another, whose members are not all in sight).
   */
  private recordMember(record: ts.Expression, column: string): 'required' | 'optional' | 'absent' | undefined {
    const t = this.t;
    const root = strip(t, record);
    const binding = t.isIdentifier(root) ? this.resolver.scopes.lookup(root.text, root) : undefined;
    if (binding?.kind !== 'parameter' || binding.path.length > 0 || !binding.decl.type) return undefined;
    if (t.isTypeLiteralNode(binding.decl.type)) {
      const declared = binding.decl.type.members.find((m) => t.isPropertySignature(m) && propertyNameText(t, m.name)?.toLowerCase() === column);
      return declared === undefined ? 'absent' : declared.questionToken ? 'optional' : 'required';
    }
    const typed = this.resolver.fromType(binding.decl.type, 0);
    if (typed?.kind !== 'instance') return undefined;
    const member = typed.cls.members.find((m) => t.isPropertyDeclaration(m) && propertyNameText(t, m.name)?.toLowerCase() === column);
    if (!member || !t.isPropertyDeclaration(member)) return typed.cls.heritageClauses?.length ? undefined : 'absent';
    if (member.questionToken) return 'optional';
    return (t.getDecorators(member) ?? []).some((d) => /^IsOptional\b/.test(d.expression.getText())) ? 'optional' : 'required';
  }

  /**
   * `article.slug = slugify(title) + '-' + random()` before `insert(article)`: fields of the record the
   * function sets to a fresh value, which therefore do not come from the request.
   */
  private freshFields(record: ts.Expression, write: ts.Node): Set<string> {
    const t = this.t;
    const fresh = new Set<string>();
    const name = record.getText();
    const body = (enclosingFunction(t, write) as ts.FunctionLikeDeclaration | undefined)?.body;
    if (!body || !body.getText().includes(`${name}.`)) return fresh;
    const visit = (n: ts.Node): void => {
      if (n.pos >= write.pos) return;
      if (t.isBinaryExpression(n) && n.operatorToken.kind === t.SyntaxKind.EqualsToken && t.isPropertyAccessExpression(n.left) &&
          n.left.expression.getText() === name && GENERATED.test(expandedText(t, n.right))) {
        fresh.add(n.left.name.text.toLowerCase());
      }
      t.forEachChild(n, visit);
    };
    visit(body);
    return fresh;
  }

  /** `entity.id`, `id` where `entity`/`id` is a parameter of the enclosing function other than the request. */
  private fromParameter(value: ts.Expression): boolean {
    const t = this.t;
    let root = strip(t, value);
    while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = strip(t, root.expression);
    if (!t.isIdentifier(root)) return false;
    const binding = this.resolver.scopes.lookup(root.text, root);
    if (binding?.kind !== 'parameter') return false;
    const param = binding.decl;
    return !(t.isIdentifier(param.name) && REQUEST_PARAMETER.test(param.name.text));
  }

  /**
   * A record that comes in with the call (`dto`, the rest of a destructured parameter, `req.body`), not
   * one loaded or built here (`{ ...oldUser, apiKey }` saves a loaded row back).
   */
  private givenRecord(record: ts.Expression): boolean {
    const t = this.t;
    let root = strip(t, record);
    while (t.isPropertyAccessExpression(root) || t.isElementAccessExpression(root)) root = strip(t, root.expression);
    return t.isIdentifier(root) && this.resolver.scopes.lookup(root.text, root)?.kind === 'parameter';
  }

  /** Whether the store declares unique columns for the model a create writes (whatever fills them). */
  hasUniqueFields(write: WriteMatch, fromFile: string): boolean {
    const unique = write.model ? this.uniqueFields(write.model, fromFile) : undefined;
    return unique !== undefined && [...unique].some((k) => !k.startsWith(DEFAULTED));
  }

  /** The folder of the nearest package.json: where a workspace keeps its schema and migrations. */
  private packageRoot(file: string): string {
    return this.resolver.project.packageOf(file)?.dir ?? path.dirname(file);
  }

  private uniqueFields(model: NonNullable<WriteMatch['model']>, fromFile: string): Set<string> | undefined {
    switch (model.hint) {
      case 'prisma-model':
        return this.prismaModels(fromFile).get(model.name.toLowerCase());
      case 'type-argument':
        return model.node ? this.entityUnique(model.node) : undefined;
      case 'mongoose-model':
        return model.node ? this.mongooseUnique(model.node) : undefined;
      case 'first-argument':
        return model.node ? this.tableDefinitionUnique(model.node) ?? this.sqlTables(fromFile).get(model.name.toLowerCase()) : undefined;
      case 'receiver-call-argument':
      case 'sql':
        return this.sqlTables(fromFile).get(model.name.toLowerCase());
      case 'record-class':
        return model.node && this.t.isClassLike(model.node) ? this.recordClassUnique(model.node, fromFile) : undefined;
    }
  }

  /**
   * A class-based model (`class AppConfig extends Model { static tableName = 'app_configs' }`, a
   * TypeORM `BaseEntity`): its own decorators, and the migrations' unique columns of its table, named
   * by `tableName` or, failing that, by the class name as tables usually are (`app_configs`).
   */
  private recordClassUnique(cls: ts.ClassLikeDeclaration, fromFile: string): Set<string> | undefined {
    const fields = this.entityClassUnique(cls);
    const tables = this.sqlTables(fromFile);
    for (const table of tableNamesOf(this.t, cls)) for (const key of tables.get(table) ?? []) fields.add(key);
    return fields.size > 0 ? fields : undefined;
  }

  // --- Prisma: `field Type @unique`, `@@unique([a, b])` (each member counts: the pair is refused), `@id` without @default.
  private prismaModels(fromFile: string): Map<string, Set<string>> {
    const root = this.packageRoot(fromFile);
    const own = this.prismaModelsIn(root);
    if (own.size > 0) return own;
    // An app of a monorepo whose client and schema live in a workspace package (`@acme/database`).
    const known = this.workspacePrismaByDir.get(root);
    if (known) return known;
    const merged = new Map<string, Set<string>>();
    for (const folder of this.resolver.project.workspaceFolders(fromFile)) {
      for (const [name, fields] of this.prismaModelsIn(folder)) if (!merged.has(name)) merged.set(name, fields);
    }
    this.workspacePrismaByDir.set(root, merged);
    return merged;
  }

  private prismaModelsIn(root: string): Map<string, Set<string>> {
    const cached = this.prismaByDir.get(root);
    if (cached) return cached;
    const models = new Map<string, Set<string>>();
    const files = new Set([...findFiles(root, (f) => f.endsWith('.prisma'), 4, this.listings), ...this.configuredPrismaSchemas(root)]);
    for (const file of files) {
      const text = this.readText(file);
      for (const match of text.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\}/g)) {
        const fields = new Set<string>();
        const lines = match[2]!.split('\n');
        // Columns declared optional (`code String?`): NULLs never collide, in a compound key too.
        const optional = new Set(lines.map((line) => /^\s*(\w+)\s+\w+(\[\])?\?/.exec(line)?.[1]?.toLowerCase()).filter((c) => c !== undefined));
        for (const line of lines) {
          const field = /^\s*(\w+)\s+(\S+).*@(unique|id)\b/.exec(line);
          if (field) fields.add((field[3] === 'id' && /@default\(/.test(line) ? DEFAULTED : field[2]!.endsWith('?') ? OPTIONAL : '') + field[1]!.toLowerCase());
          const compound = /@@(unique|id)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/.exec(line);
          if (compound) {
            const key = joinColumns(compound[2]!.split(','));
            fields.add((key.split(',').some((c) => optional.has(c)) ? OPTIONAL : '') + key);
          }
        }
        models.set(match[1]!.toLowerCase(), fields);
      }
    }
    this.prismaByDir.set(root, models);
    return models;
  }

  /**
   * Schema files a package points Prisma at, possibly outside it: `package.json#prisma.schema` and the
   * `schema` of `prisma.config.ts` (`defineConfig({ schema: 'prisma/schema' })`, `path.join('..', 'db',
   * 'schema.prisma')`), a file or a folder of a multi-file schema.
   */
  private configuredPrismaSchemas(root: string): string[] {
    const configured: string[] = [];
    const pkg = this.readText(path.join(root, 'package.json'));
    try {
      const schema = pkg ? (JSON.parse(pkg) as { prisma?: { schema?: unknown } }).prisma?.schema : undefined;
      if (typeof schema === 'string') configured.push(path.resolve(root, schema));
    } catch {
      // A broken package.json is reported by the project loader; here it only means no configured schema.
    }
    for (const name of ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js', 'prisma.config.mjs', '.config/prisma.ts']) {
      const text = this.readText(path.join(root, name));
      const schema = text ? configuredSchemaPath(text) : undefined;
      if (schema !== undefined) configured.push(path.resolve(path.dirname(path.join(root, name)), schema));
    }
    return configured.flatMap((target) => {
      try {
        if (fs.statSync(target).isDirectory()) return findFiles(target, (f) => f.endsWith('.prisma'), 3, this.listings);
        return target.endsWith('.prisma') ? [target] : [];
      } catch {
        return [];
      }
    });
  }

  // --- TypeORM: `@Column({ unique: true })`, `@PrimaryColumn()`, `@Index({ unique: true })`, class `@Unique([...])`;
  // MikroORM: `@Property({ unique: true })`, `@Unique()`, class `@Unique({ properties: [...] })`.
  private entityUnique(ref: ts.Node): Set<string> | undefined {
    const value = this.resolver.resolve(ref);
    const cls = value?.kind === 'class' ? value.node : value?.kind === 'instance' ? value.cls : undefined;
    return cls ? this.entityClassUnique(cls) : undefined;
  }

  private entityClassUnique(cls: ts.ClassLikeDeclaration): Set<string> {
    const t = this.t;
    const fields = new Set<string>();
    for (const decorator of decoratorsOf(t, cls)) {
      if (/^(Unique|Index)$/.test(decoratorName(decorator)) && (decoratorName(decorator) === 'Unique' || /unique\s*:\s*true/.test(decorator.getText()))) {
        // `@Unique(['a', 'b'])`, `@Unique('name', ['a', 'b'])`, `@Index(['a', 'b'], { unique: true })`.
        const list = /\[([^\]]*)\]/.exec(decorator.getText())?.[1];
        if (list) fields.add(joinColumns([...list.matchAll(/['"](\w+)['"]/g)].map((m) => m[1]!)));
      }
    }
    for (const member of cls.members) {
      if (!t.isPropertyDeclaration(member)) continue;
      const name = propertyNameText(t, member.name);
      if (!name) continue;
      for (const decorator of decoratorsOf(t, member)) {
        const id = decoratorName(decorator);
        // MikroORM: `@Property({ unique: true })`, or `@Unique()` on the property itself.
        if (id === 'PrimaryColumn' || (id === 'Unique' && !/\[/.test(decorator.getText())) || (/^(Column|Index|Prop|Property)$/.test(id) && /unique\s*:\s*true/.test(decorator.getText()))) {
          fields.add((/nullable\s*:\s*true/.test(decorator.getText()) ? OPTIONAL : '') + name.toLowerCase());
        }
      }
    }
    return fields;
  }

  // --- Mongoose: `new Schema({ email: { type: String, unique: true } })`, `schema.index({ a: 1 }, { unique: true })`.
  private mongooseUnique(lookup: ts.Node): Set<string> | undefined {
    const t = this.t;
    if (!t.isCallExpression(lookup) && !t.isNewExpression(lookup)) return undefined;
    // `mongoose.model('User')` looks up a model registered elsewhere with its schema.
    const made = lookup.arguments?.length === 1 ? this.mongooseRegistration(lookup.arguments[0]!) ?? lookup : lookup;
    const schemaArg = made.arguments?.[1];
    if (!schemaArg) return undefined;
    const schema = this.resolver.resolve(schemaArg);
    const madeBy = schema?.kind === 'external' ? schema.madeBy : undefined;
    const definition = madeBy?.arguments?.[0];
    if (!definition) return undefined;
    const fields = new Set<string>();
    const object = strip(t, definition);
    if (t.isObjectLiteralExpression(object)) {
      for (const prop of object.properties) {
        const name = prop.name ? propertyNameText(t, prop.name) : undefined;
        // A sparse unique index leaves documents without the field out.
        if (name && t.isPropertyAssignment(prop) && /unique\s*:\s*true/.test(prop.initializer.getText())) fields.add((/sparse\s*:\s*true/.test(prop.initializer.getText()) ? OPTIONAL : '') + name.toLowerCase());
      }
    }
    // `schema.index({ a: 1, b: 1 }, { unique: true })` anywhere in the schema's file.
    const text = made.getSourceFile().text;
    for (const m of text.matchAll(/\.index\(\s*\{([^}]*)\}\s*,\s*\{[^}]*unique\s*:\s*true/g)) {
      fields.add(joinColumns([...m[1]!.matchAll(/['"]?([\w.]+)['"]?\s*:/g)].map((key) => key[1]!)));
    }
    for (const field of this.duplicateValidators(made.getSourceFile())) fields.add(field);
    return fields;
  }

  /**
   * `schema.path('email').validate(function (email) { … User.find({ email }) … })`: a validator that
   * looks the value up refuses a second document with it, as a unique index would (class 9).
   */
  private duplicateValidators(sf: ts.SourceFile): string[] {
    const t = this.t;
    const fields: string[] = [];
    const visit = (node: ts.Node): void => {
      if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'validate') {
        const path = strip(t, node.expression.expression);
        const field = t.isCallExpression(path) && t.isPropertyAccessExpression(path.expression) && path.expression.name.text === 'path' && path.arguments[0] && t.isStringLiteralLike(path.arguments[0]) ? path.arguments[0].text : undefined;
        const check = node.arguments[0]?.getText() ?? '';
        if (field && new RegExp(`\\.(find\\w*|count\\w*|exists)\\s*\\(\\s*\\{[^}]*\\b${field}\\b`).test(check)) fields.push(field.toLowerCase());
      }
      t.forEachChild(node, visit);
    };
    visit(sf);
    return fields;
  }

  /** The `model('User', UserSchema)` call that registers the model a `model('User')` lookup names. */
  private readonly registrations = new Map<string, ts.CallExpression | undefined>();

  private mongooseRegistration(name: ts.Expression): ts.CallExpression | undefined {
    if (!this.t.isStringLiteralLike(name)) return undefined;
    // Asked for every create on a looked-up model: the project's texts are searched once per name.
    if (!this.registrations.has(name.text)) this.registrations.set(name.text, this.findMongooseRegistration(name.text));
    return this.registrations.get(name.text);
  }

  private findMongooseRegistration(model: string): ts.CallExpression | undefined {
    const t = this.t;
    const name = { text: model };
    const pattern = new RegExp(`model\\s*\\(\\s*['"\`]${name.text}['"\`]\\s*,`);
    for (const [file, text] of this.resolver.project.texts()) {
      if (!pattern.test(text)) continue;
      const sf = this.resolver.project.sourceFile(file);
      let found: ts.CallExpression | undefined;
      const visit = (node: ts.Node): void => {
        if (found) return;
        if (t.isCallExpression(node) && node.arguments.length >= 2 && t.isStringLiteralLike(node.arguments[0]!) && node.arguments[0].text === name.text && /(^|\.)model$/.test(node.expression.getText())) found = node;
        else t.forEachChild(node, visit);
      };
      if (sf) visit(sf);
      if (found) return found;
    }
    return undefined;
  }

  // --- Drizzle: `pgTable('users', { email: text('email').unique() })`.
  private tableDefinitionUnique(ref: ts.Node): Set<string> | undefined {
    const t = this.t;
    const value = this.resolver.resolve(ref);
    const call = value?.kind === 'external' ? value.madeBy : undefined;
    const columns = call?.arguments?.[1];
    if (!columns || !t.isObjectLiteralExpression(strip(t, columns))) return undefined;
    const fields = new Set<string>();
    for (const prop of (strip(t, columns) as ts.ObjectLiteralExpression).properties) {
      const name = prop.name ? propertyNameText(t, prop.name) : undefined;
      const text = name && t.isPropertyAssignment(prop) ? prop.initializer.getText() : '';
      if (name && /\.(unique|primaryKey)\(/.test(text) && !/serial|identity/i.test(text)) {
        fields.add(/defaultRandom|\$defaultFn|\$default\(/.test(text) ? DEFAULTED + name.toLowerCase() : name.toLowerCase());
      }
    }
    const extra = (call.arguments as readonly ts.Expression[] | undefined)?.[2]?.getText() ?? '';
    for (const m of extra.matchAll(/unique(?:Index)?\([^)]*\)\s*\.on\(([^)]*)\)/g)) {
      fields.add(joinColumns([...m[1]!.matchAll(/\.(\w+)/g)].map((col) => col[1]!)));
    }
    return fields;
  }

  // --- SQL (`UNIQUE`, `CREATE UNIQUE INDEX … ON t (c)`, `PRIMARY KEY` without a default) and Knex migrations.
  private sqlTables(fromFile: string): Map<string, Set<string>> {
    const root = this.packageRoot(fromFile);
    const cached = this.sqlByDir.get(root);
    if (cached) return cached;
    const tables = new Map<string, Set<string>>();
    const add = (table: string, column: string): void => {
      const key = table.split('.').pop()!.replace(/["`]/g, '').toLowerCase();
      let set = tables.get(key);
      if (!set) tables.set(key, (set = new Set()));
      set.add(column.replace(/["`]/g, '').toLowerCase());
    };
    const renames: [string, string][] = [];
    const isMigration = (f: string): boolean => f.endsWith('.sql') || (/migration/i.test(f) && /\.[cm]?[jt]s$/.test(f));
    for (const file of findFiles(root, isMigration, 5, this.listings)) {
      const text = this.readText(file);
      for (const m of text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?([\w."`]+)\s*\(([\s\S]*?)\n\s*\)/gi)) {
        for (const line of m[2]!.split('\n')) {
          const col = /^\s*["`]?(\w+)["`]?\s+\w+.*\b(unique|primary\s+key)\b/i.exec(line);
          if (col && !/default|serial|identity|auto_?increment|generated/i.test(line)) add(m[1]!, col[1]!);
          const constraint = /\bunique\s*\(([^)]*)\)/i.exec(line);
          if (constraint) add(m[1]!, joinColumns(constraint[1]!.split(',')));
        }
      }
      for (const m of text.matchAll(/create\s+unique\s+index\s+(?:if\s+not\s+exists\s+)?\S*\s+on\s+([\w."`]+)\s*(?:using\s+\w+\s*)?\(([^)]*)\)/gi)) {
        add(m[1]!, joinColumns(m[2]!.split(',').map((c) => c.trim().split(/\s/)[0]!)));
      }
      // `createTable('users', (table) => { … })`, and `alterTable`/`table` that add a unique key later.
      for (const m of text.matchAll(/(?:createTable|alterTable|schema\.table)\(\s*['"](\w+)['"]([\s\S]*?)\n\s*\}\s*\)/g)) {
        // One column per statement of the builder callback, however its chain is broken over lines:
        // `table\n  .string('email')\n  .unique()`.
        const builder = /^\s*,\s*(?:async\s+)?(?:function\s*\(\s*(\w+)|\(?\s*(\w+)\s*\)?\s*=>)/.exec(m[2]!);
        const name = builder?.[1] ?? builder?.[2];
        const statements = name ? m[2]!.split(new RegExp(`(?<![\\w.])${name}\\s*\\.`)) : m[2]!.split('\n');
        for (const statement of statements) {
          const col = /^\s*\w+\(\s*['"](\w+)['"]/.exec(statement) ?? /\.\w+\(\s*['"](\w+)['"]/.exec(statement);
          if (col && /\.unique\(\)/.test(statement)) add(m[1]!, col[1]!);
        }
        for (const col of m[2]!.matchAll(/\.unique\(\s*\[([^\]]*)\]/g)) add(m[1]!, joinColumns([...col[1]!.matchAll(/['"](\w+)['"]/g)].map((c) => c[1]!)));
        // `table.unique('name')`: one column named as a string.
        for (const col of m[2]!.matchAll(/\.unique\(\s*['"](\w+)['"]/g)) add(m[1]!, col[1]!.toLowerCase());
      }
      // `renameTable('app_auth_clients', 'oauth_clients')`: the keys move with the table.
      for (const m of text.matchAll(/renameTable\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]/g)) renames.push([m[1]!.toLowerCase(), m[2]!.toLowerCase()]);
      // Kysely: `db.schema.createTable('users').addColumn('email', 'text', (c) => c.notNull().unique())…execute()`.
      for (const m of text.matchAll(/createTable\(\s*['"](\w+)['"]\s*\)([\s\S]*?)\.execute\(\)/g)) {
        for (const segment of m[2]!.split(/\.addColumn\(/).slice(1)) {
          const column = /^\s*['"](\w+)['"]/.exec(segment);
          if (column && /\.(unique|primaryKey)\(\)/.test(segment) && !/default/i.test(segment)) add(m[1]!, column[1]!);
        }
        for (const c of m[2]!.matchAll(/\.addUniqueConstraint\(\s*['"][^'"]*['"]\s*,\s*\[([^\]]*)\]/g)) add(m[1]!, joinColumns([...c[1]!.matchAll(/['"](\w+)['"]/g)].map((x) => x[1]!)));
      }
      for (const m of text.matchAll(/createIndex\([^)]*\)([\s\S]*?)\.execute\(\)/g)) {
        const chain = m[1]!;
        const table = /\.on\(\s*['"](\w+)['"]/.exec(chain);
        if (!table || !/\.unique\(\)/.test(chain)) continue;
        const columns = /\.columns?\(\s*(\[[^\]]*\]|['"]\w+['"])/.exec(chain);
        if (columns) add(table[1]!, joinColumns([...columns[1]!.matchAll(/['"](\w+)['"]/g)].map((x) => x[1]!)));
      }
    }
    for (const [from, to] of renames) for (const key of tables.get(from) ?? []) add(to, key);
    this.sqlByDir.set(root, tables);
    return tables;
  }
}

/** The table names a model class may map to: its `static tableName`, else forms of its own name. */
function tableNamesOf(t: TS, cls: ts.ClassLikeDeclaration): string[] {
  for (const member of cls.members) {
    if (!member.name || propertyNameText(t, member.name) !== 'tableName') continue;
    const value = t.isPropertyDeclaration(member) ? member.initializer : t.isGetAccessorDeclaration(member) && member.body ? member.body.statements.find(t.isReturnStatement)?.expression : undefined;
    if (value && t.isStringLiteralLike(value)) return [value.text.toLowerCase()];
  }
  const name = cls.name?.text;
  if (!name) return [];
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const plural = (w: string): string => (/[^aeiou]y$/.test(w) ? `${w.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(w) ? `${w}es` : `${w}s`);
  return [...new Set([snake, plural(snake), name.toLowerCase(), plural(name.toLowerCase())])];
}

/**
 * A column as code and schema both spell it: `paddleSubscriptionId` in a record mapped (Objection's
 * snake-case mappers, Sequelize `underscored`) to the migration's `paddle_subscription_id`.
 */
function columnKey(column: string): string {
  return column.toLowerCase().replace(/_/g, '');
}

/** One unique key: its columns, trimmed, unquoted, lower-cased and comma-joined. */
function joinColumns(columns: readonly string[]): string {
  return columns.map((c) => c.trim().replace(/["`]/g, '').toLowerCase()).filter(Boolean).join(',');
}

function decoratorsOf(t: TS, node: ts.Node): readonly ts.Decorator[] {
  return t.canHaveDecorators(node) ? t.getDecorators(node) ?? [] : [];
}

function decoratorName(decorator: ts.Decorator): string {
  const text = decorator.expression.getText();
  return /^(\w+)/.exec(text)?.[1] ?? '';
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', '.next', 'coverage', 'out']);

function findFiles(root: string, wanted: (file: string) => boolean, depth: number, listings?: FolderListings): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    if (level > depth) return;
    let entries = listings?.get(dir);
    try {
      entries ??= fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full, level + 1);
      else if (entry.isFile() && wanted(full)) found.push(full);
    }
  };
  walk(root, 0);
  return found;
}

/**
 * The `schema` a Prisma config names: a string literal, or `path.join`/`path.resolve` of literals (a
 * leading `__dirname`/`import.meta.dirname` is the config's folder, where the path is resolved anyway).
 */
export function configuredSchemaPath(text: string): string | undefined {
  const literal = /\bschema\s*:\s*(['"`])([^'"`$]+)\1/.exec(text);
  if (literal) return literal[2];
  const joined = /\bschema\s*:\s*path\.(?:join|resolve)\(([^)]*)\)/.exec(text);
  if (!joined) return undefined;
  const parts = joined[1]!.split(',').map((p) => p.trim()).filter((p) => !/^(__dirname|import\.meta\.dirname)$/.test(p));
  if (parts.some((p) => !/^(['"`])[^'"`$]*\1$/.test(p))) return undefined;
  return path.join(...parts.map((p) => p.slice(1, -1)));
}

/** A schema or migration file's text; empty when missing or too large to be one. */
export function readSmallText(file: string): string {
  try {
    const stat = fs.statSync(file);
    return stat.size > 2 * 1024 * 1024 ? '' : fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
