// What the Next.js detectors share: routes from the file system (https://nextjs.org/docs/app/building-your-application/routing),
// the per-workspace `next` dependency, and `middleware.ts` (`proxy.ts` since Next 16) with its `config.matcher`.
import fs from 'node:fs';
import path from 'node:path';
import type { tsTypes as ts } from '../core/ts.js';
import type { DetectorContext, Prelude } from '../core/plugin.js';
import { propertyValue, strip } from '../core/refine.js';

/** The folder of the nearest package.json when it depends on `next`. */
export function nextRoot(ctx: DetectorContext, file: string): string | undefined {
  const pkg = ctx.project.packageOf(file);
  return pkg?.deps.has('next') ? pkg.dir : undefined;
}

/** `app/orders/[id]/route.ts` → `/orders/[id]`; route groups `(x)`, slots `@x` and private `_x` folders drop out. */
export function appRoute(root: string, file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const match = /^(?:src\/)?app\/(?:(.*)\/)?route\.[cm]?[jt]sx?$/.exec(rel);
  if (!match) return undefined;
  const segments = (match[1] ?? '').split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  if (segments.some((s) => s.startsWith('_'))) return undefined;
  return `/${segments.join('/')}`;
}

/** `pages/api/orders/[id].ts` → `/api/orders/[id]`; `index` names its folder. */
export function pagesApiRoute(root: string, file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const match = /^(?:src\/)?pages\/(api(?:\/.*)?)\.[cm]?[jt]sx?$/.exec(rel);
  if (!match) return undefined;
  return `/${match[1]!.replace(/\/index$/, '')}`;
}

interface Middleware {
  fn: ts.Node;
  matchers: RegExp[] | 'all';
  via: string;
}

const middlewareCache = new WeakMap<DetectorContext['project'], Map<string, Middleware | null>>();

/** The workspace's middleware as a prelude for `route`, when its matcher covers the route. */
export function middlewarePreludes(ctx: DetectorContext, root: string, route: string | null): Prelude[] {
  const mw = middlewareOf(ctx, root);
  if (!mw) return [];
  const covers = mw.matchers === 'all' || (route !== null && mw.matchers.some((m) => m.test(route)));
  return covers ? [{ expr: mw.fn, via: mw.via }] : [];
}

function middlewareOf(ctx: DetectorContext, root: string): Middleware | undefined {
  let cache = middlewareCache.get(ctx.project);
  if (!cache) middlewareCache.set(ctx.project, (cache = new Map<string, Middleware | null>()));
  const hit = cache.get(root);
  if (hit !== undefined) return hit ?? undefined;
  let found: Middleware | undefined;
  for (const dir of [root, path.join(root, 'src')]) {
    for (const name of ['middleware', 'proxy']) {
      for (const ext of ['.ts', '.js', '.mjs', '.tsx']) {
        const file = path.join(dir, name + ext);
        if (found || !fs.existsSync(file)) continue;
        const sf = ctx.project.sourceFile(file);
        if (sf) found = readMiddleware(ctx, sf, name);
      }
    }
  }
  cache.set(root, found ?? null);
  return found;
}

function readMiddleware(ctx: DetectorContext, sf: ts.SourceFile, name: string): Middleware | undefined {
  const t = ctx.ts;
  const exported = ctx.resolver.exportValue(sf, name) ?? ctx.resolver.exportValue(sf, 'default');
  if (exported?.kind !== 'function') return undefined;
  const config = ctx.resolver.exportValue(sf, 'config');
  let matchers: RegExp[] | 'all' = 'all';
  if (config?.kind === 'object') {
    const matcher = propertyValue(t, config.node, 'matcher');
    if (matcher) {
      const m = strip(t, matcher);
      const items = t.isArrayLiteralExpression(m) ? m.elements : [m];
      matchers = items.flatMap((item) => {
        const source = t.isStringLiteralLike(item) ? item.text : t.isObjectLiteralExpression(item) ? literal(t, propertyValue(t, item, 'source')) : undefined;
        const regex = source === undefined ? undefined : matcherRegex(source);
        return regex ? [regex] : [];
      });
    }
  }
  return { fn: exported.node, matchers, via: `${path.basename(sf.fileName)} matcher` };
}

function literal(t: DetectorContext['ts'], node: ts.Expression | undefined): string | undefined {
  return node && t.isStringLiteralLike(node) ? node.text : undefined;
}

/** path-to-regexp style matcher → RegExp: `/api/:path*`, `/orders/:id`, `/((?!_next).*)`. */
export function matcherRegex(source: string): RegExp | undefined {
  const pattern = source
    .replace(/\/:(\w+)\*/g, '(?:/.*)?')
    .replace(/\/:(\w+)\+/g, '(?:/.+)')
    .replace(/\/:(\w+)\?/g, '(?:/[^/]+)?')
    .replace(/:(\w+)/g, '[^/]+');
  try {
    return new RegExp(`^${pattern}$`);
  } catch {
    return undefined;
  }
}
