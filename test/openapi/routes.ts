/** Every route of an express 5 app: walks app.router.stack, into nested routers, joining mount paths. */
export type LiveRoute = { method: string; path: string };

type Layer = { rawPath?: string; route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

function join(prefix: string, path: string): string {
  const p = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function walk(stack: Layer[], prefix: string, out: LiveRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method, path: join(prefix, layer.route.path) });
      }
    } else if (layer.handle?.stack) {
      walk(layer.handle.stack, join(prefix, layer.rawPath ?? '/'), out);
    }
  }
}

export function liveRoutes(app: unknown): LiveRoute[] {
  const router = (app as { router?: { stack?: Layer[] } }).router;
  if (!router?.stack) throw new Error('not an express 5 app (no app.router.stack)');
  const out: LiveRoute[] = [];
  walk(router.stack, '/', out);
  return out;
}

/** express `:id` -> OpenAPI `{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every (method, path) an OpenAPI document describes. */
export function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): LiveRoute[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((k) => METHODS.includes(k))
      .map((method) => ({ method, path })),
  );
}

export const key = (r: LiveRoute) => `${r.method.toUpperCase()} ${r.path}`;
