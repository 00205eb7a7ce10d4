/**
 * `--proxy URL=UPSTREAM`: a path prefix Apache hands to another HTTP service through
 * mod_proxy (a front end, another API, a Compose service) instead of the WSGI app.
 */
import { InputError } from '../lib/input-error.js';
import { parseUrlMappings } from './validators.js';

/** One `ProxyPass` route. */
export interface ProxyRoute {
  /** URL prefix on this server, no trailing slash, e.g. `/svc` */
  url: string;
  /** where it goes: `http(s)://host[:port][/path]`, no trailing slash, e.g. `http://other:8000` */
  upstream: string;
}

/**
 * `--proxy /svc=http://other:8000` (repeatable). `/svc/x?q` reaches the upstream as `/x?q`
 * (its path prefix, if any, in front), as `ProxyPass /svc http://other:8000` maps it.
 * `/` is the catch-all of a front end (with the WSGI app moved by `--mount-point`).
 * @throws InputError for a mapping that is not `/prefix=http(s)://host[:port][/path]` or a prefix given twice
 */
export function parseProxyRoutes(raw: unknown): ProxyRoute[] {
  const form = {
    what: 'URL=UPSTREAM route',
    example: '/prefix=http://service:port (a URL path, then "=", then an http:// or https:// URL)',
    twice: 'routed',
    root: true,
  };
  return parseUrlMappings('--proxy', raw, form).map(({ item, url, value }) => {
    const upstream = value.replace(/\/+$/, '');
    if (!isHttpUrl(upstream)) {
      throw new InputError('--proxy', `"${item}" is not a ${form.what}`, `write it as ${form.example}`);
    }
    return { url, upstream };
  });
}

/** The routes as `.yo-rc.json` keeps them and a user types them. */
export function formatProxyRoutes(routes: readonly ProxyRoute[]): string[] {
  return routes.map(route => `${route.url}=${route.upstream}`);
}

/** An absolute http(s) URL with a host, and without query, fragment or credentials, which `ProxyPass` cannot use. */
function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/[A-Za-z0-9.[\]:_-]+(\/[A-Za-z0-9._~/-]*)?$/.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}
