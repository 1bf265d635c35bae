// Functions whose first parameter's type comes from their context rather than an annotation on the
// parameter: plugin types on the variable, plugin wrappers around the function. Data, so another
// framework's plugin shape is one more row.

export interface ContextualType {
  /** The variable's type annotation, e.g. `FastifyPluginAsyncTypebox`. */
  type: RegExp;
  module: string;
  chain: readonly string[];
}

export const CONTEXTUAL_TYPES: readonly ContextualType[] = [
  { type: /^(\w+\.)?FastifyPlugin(Async|Callback)\w*$/, module: 'fastify', chain: ['FastifyInstance'] },
];

export interface ContextualCallback {
  /** The package whose default export wraps the function (`fp(async (app) => …)`). */
  module: string;
  firstParameter: { module: string; chain: readonly string[] };
}

export const CONTEXTUAL_CALLBACKS: readonly ContextualCallback[] = [
  { module: 'fastify-plugin', firstParameter: { module: 'fastify', chain: ['FastifyInstance'] } },
];

/**
 * Methods that call the function they are given with their receiver as its first argument:
 * `app.register(plugin)` runs `plugin(app, opts)` on a Fastify instance. A plugin module
 * (`module.exports = async function (fastify) { … }`) learns what its parameter is from here.
 */
export interface ReceiverPassingMethod {
  method: string;
  /** The package the receiver must come from. */
  module: string;
}

export const RECEIVER_PASSING_METHODS: readonly ReceiverPassingMethod[] = [
  { method: 'register', module: 'fastify' },
];

/**
 * Methods a package lets the project add to its objects through a schema: Mongoose documents and models
 * get `schema.methods.x` / `schema.statics.x` (or `schema.method('x', fn)`), so `article.addComment()`
 * runs project code in which `this` is the document.
 */
export interface SchemaMethodHost {
  module: RegExp;
  /** The module `this` comes from inside such a method (its chain is `chain`). */
  thisModule: string;
  /** The first member of the package value's chain the methods apply to (`model`: documents and models). */
  chain: string;
  /** Properties of the schema that hold the methods, and the methods that register one. */
  holders: readonly string[];
  registrars: readonly string[];
}

export const SCHEMA_METHOD_HOSTS: readonly SchemaMethodHost[] = [
  { module: /^(mongoose|@nestjs\/mongoose)$/, thisModule: 'mongoose', chain: 'model', holders: ['methods', 'statics'], registrars: ['method', 'static'] },
];

/**
 * Members a framework's official plugins add to its instance: `fastify.mongo` is @fastify/mongodb's
 * client wrapper, `fastify.pg` @fastify/postgres' pool. With this, `fastify.mongo.db.collection('x')
 * .insertOne(…)` is the MongoDB driver's insert. A decoration of the same name made in the project
 * (`fastify.decorate('mongo', …)`) wins.
 */
export interface PluginDecoration {
  /** The package whose objects carry the member (`fastify`: instances, and `request.server`). */
  host: string;
  member: string;
  /** The plugin package the member's value comes from (matched by the write catalogue). */
  module: string;
}

export const PLUGIN_DECORATIONS: readonly PluginDecoration[] = [
  { host: 'fastify', member: 'mongo', module: '@fastify/mongodb' },
  { host: 'fastify', member: 'pg', module: '@fastify/postgres' },
  { host: 'fastify', member: 'mysql', module: '@fastify/mysql' },
  { host: 'fastify', member: 'redis', module: '@fastify/redis' },
  { host: 'fastify', member: 'elastic', module: '@fastify/elasticsearch' },
];
