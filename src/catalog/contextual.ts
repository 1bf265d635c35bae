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
