// The contract between the core and a framework plugin. A plugin turns source files into route
// handlers: method, route, where it is registered, the code that handles it, and what runs before it
// (middleware, hooks, interceptors) so the core can tell whether something already protects it.
// Adding a framework (Koa, Hono) is one new file that implements FrameworkDetector.
import type { TS, tsTypes as ts } from './ts.js';
import type { Project } from './project.js';
import type { Resolver } from './resolver.js';
import type { FrameworkId, HttpMethod } from './types.js';

export interface DetectorContext {
  ts: TS;
  project: Project;
  resolver: Resolver;
}

/** Something that runs before the handler and may provide idempotency handling. */
export interface Prelude {
  expr: ts.Node;
  /** Where it comes from, for the reason text: `route chain`, `app.use('/api')`, `preHandler hook`. */
  via: string;
}

export interface RouteHandler {
  framework: FrameworkId;
  method: HttpMethod;
  route: string | null;
  /** The node the route is registered at (its line and column are reported). */
  anchor: ts.Node;
  /** The handler as written: a function, a reference to one, or a wrapper call around one. */
  handler: ts.Node;
  /** Middleware, hooks and interceptors that run before the handler, outermost first. */
  preludes: Prelude[];
  /**
   * Set by detectors that know a mitigation applies whatever the handler does (a Nest interceptor
   * registered globally, a Next middleware matcher). The text is the reason.
   */
  handledBy?: string;
}

export interface FrameworkDetector {
  id: string;
  /** Packages whose presence (import, or the nearest package.json) enables the detector. */
  packages: readonly string[];
  /** Cheap test on a file's text before it is parsed: can it declare routes for this framework? */
  mightDeclareRoutes(text: string, file: string): boolean;
  /** Finds the routes the candidate files declare; may follow imports into other files. */
  detect(files: readonly ts.SourceFile[], ctx: DetectorContext): RouteHandler[];
}
