// What an expression evaluates to, as far as syntax and imports can tell. Every face of the analysis
// asks this one question: "is this receiver a Prisma client?", "is this callee a function of the
// project?", "is this object an Express router, and which one?".
import type { tsTypes as ts } from './ts.js';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration;

export type Value =
  /** A function of the project. `owner` is the class for methods. */
  | {
      kind: 'function';
      node: FunctionLike;
      name: string;
      owner?: ts.ClassLikeDeclaration;
      /** Reached through a higher-order wrapper (`catchAsync(fn)`): the wrapper call, for mitigation checks. */
      wrappedBy?: ts.CallExpression;
    }
  | { kind: 'class'; node: ts.ClassLikeDeclaration }
  | { kind: 'instance'; cls: ts.ClassLikeDeclaration }
  | { kind: 'object'; node: ts.ObjectLiteralExpression }
  /** The namespace of a project module (`import * as m`, `require('./m')` without module.exports). */
  | { kind: 'module'; file: ts.SourceFile }
  /**
   * Something derived from a package: `module` is the specifier (node: prefix dropped), `chain` the
   * member names from the import to here; calls and `new` are not recorded, so `new Stripe(k).charges`
   * is `stripe` + `charges`. `origin` identifies one object (the declaration that created it), so
   * two routers can be told apart. `args` are the arguments of the last call, when it matters.
   */
  | {
      kind: 'external';
      module: string;
      chain: string[];
      origin?: ts.Node | undefined;
      /** Type arguments of the annotation or call that made it (`Repository<Order>`). */
      typeArgs?: readonly ts.TypeNode[] | undefined;
      /** The call or `new` that made it (`mongoose.model('Order', schema)`). */
      madeBy?: ts.CallExpression | ts.NewExpression | undefined;
      /**
       * The project class whose inherited package member this came from (`User.query().findById(id)` of
       * an Objection model, `User.findByPk(id)` of a Sequelize one): the records it yields are that
       * class's, so their own methods (`user.createEmptyFlow()`) are the class's methods.
       */
      modelClass?: ts.ClassLikeDeclaration | undefined;
      /**
       * One object of several a project function makes, one per call (`const app = createExpressApp()`
       * where the helper returns a new `express()`): that call. `origin` stays the declaration inside the
       * function, which every object it makes shares (what the function does to it, each one gets).
       */
      instance?: ts.CallExpression | undefined;
    };

export function displayName(value: Value): string {
  switch (value.kind) {
    case 'function':
      return value.name;
    case 'class':
      return value.node.name?.text ?? '<class>';
    case 'instance':
      return value.cls.name?.text ?? '<class>';
    case 'object':
      return '<object>';
    case 'module':
      return value.file.fileName;
    case 'external':
      return [value.module, ...value.chain].join('.');
  }
}
