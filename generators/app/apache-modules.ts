/**
 * `--apache-modules`: the Apache modules a project loads beyond the ones the generated
 * configuration needs, for the directives in its own `docker/apache/*.conf` (mod_rewrite
 * rules, headers, redirects, ...). Names are the ones Debian uses (`a2enmod rewrite`).
 */
import { toList } from '../lib/parse.js';
import { InputError } from '../lib/input-error.js';

/**
 * The modules of Debian's `apache2-bin` (2.4.68 in bookworm, 2.4.71 in trixie: the same
 * list), `/usr/lib/apache2/modules/mod_NAME.so`. Every base installs `apache2-bin`.
 * mod_wsgi is not in it: the image loads its own.
 */
export const APACHE_BIN_MODULES: readonly string[] = [
  'access_compat actions alias allowmethods asis auth_basic auth_digest auth_form authn_anon',
  'authn_core authn_dbd authn_dbm authn_file authn_socache authnz_fcgi authnz_ldap authz_core',
  'authz_dbd authz_dbm authz_groupfile authz_host authz_owner authz_user autoindex brotli bucketeer',
  'buffer cache cache_disk cache_socache case_filter case_filter_in cern_meta cgi cgid charset_lite',
  'data dav dav_fs dav_lock dbd deflate dialup dir dumpio echo env expires ext_filter file_cache',
  'filter headers heartbeat heartmonitor http2 ident imagemap include info lbmethod_bybusyness',
  'lbmethod_byrequests lbmethod_bytraffic lbmethod_heartbeat ldap log_debug log_forensic lua macro md',
  'mime mime_magic mpm_event mpm_prefork mpm_worker negotiation proxy proxy_ajp proxy_balancer',
  'proxy_connect proxy_express proxy_fcgi proxy_fdpass proxy_ftp proxy_hcheck proxy_html proxy_http',
  'proxy_http2 proxy_scgi proxy_uwsgi proxy_wstunnel ratelimit reflector remoteip reqtimeout request',
  'rewrite sed session session_cookie session_crypto session_dbd setenvif slotmem_plain slotmem_shm',
  'socache_dbm socache_memcache socache_redis socache_shmcb speling ssl status substitute suexec',
  'unique_id userdir usertrack vhost_alias xml2enc',
]
  .join(' ')
  .split(' ');

/** The modules `docker/apache2.conf` always loads (the MPM, access control, `Alias`, MIME types, request timeouts, response headers). */
export const ALWAYS_LOADED = ['mpm_event', 'authz_core', 'alias', 'mime', 'reqtimeout', 'headers'] as const;

/**
 * What each module needs loaded before it: the `# Depends:` lines of Debian's
 * `/etc/apache2/mods-available/*.load` (package apache2), so `--apache-modules X` works as
 * `a2enmod X` does.
 */
const DEPENDS: Readonly<Record<string, readonly string[]>> = {
  access_compat: ['authn_core'],
  asis: ['mime'],
  auth_basic: ['authn_core'],
  auth_digest: ['authn_core'],
  auth_form: ['session', 'authn_core'],
  authn_dbd: ['dbd'],
  authnz_ldap: ['ldap'],
  authz_dbd: ['dbd', 'authz_core'],
  authz_dbm: ['authz_core'],
  authz_groupfile: ['authz_core'],
  authz_host: ['authz_core'],
  authz_user: ['authz_core'],
  cache_disk: ['cache'],
  cache_socache: ['cache'],
  dav_fs: ['dav'],
  deflate: ['filter'],
  file_cache: ['cache'],
  include: ['mime'],
  lbmethod_bybusyness: ['proxy_balancer'],
  lbmethod_byrequests: ['proxy_balancer'],
  lbmethod_bytraffic: ['proxy_balancer'],
  lbmethod_heartbeat: ['proxy_balancer'],
  proxy_ajp: ['proxy'],
  proxy_balancer: ['proxy', 'alias', 'slotmem_shm'],
  proxy_connect: ['proxy'],
  proxy_express: ['proxy'],
  proxy_fcgi: ['proxy'],
  proxy_fdpass: ['proxy'],
  proxy_ftp: ['proxy'],
  proxy_hcheck: ['proxy'],
  proxy_html: ['proxy', 'xml2enc'],
  proxy_http: ['proxy'],
  proxy_http2: ['proxy', 'http2'],
  proxy_scgi: ['proxy'],
  proxy_uwsgi: ['proxy'],
  proxy_wstunnel: ['proxy'],
  ratelimit: ['env'],
  session_cookie: ['session'],
  session_crypto: ['session'],
  session_dbd: ['session'],
  ssl: ['setenvif', 'mime', 'socache_shmcb'],
};

/**
 * `--apache-modules rewrite,headers`: Debian module names, with or without a `mod_` prefix.
 * @returns the names, lower-cased, each once, in the order given
 * @throws InputError for a name `apache2-bin` does not ship, or another MPM (the image runs mpm_event)
 */
export function parseApacheModules(raw: unknown): string[] {
  const names: string[] = [];
  for (const item of toList(raw)) {
    const name = item.toLowerCase().replace(/^mod_/, '').replace(/\.so$/, '');
    if (name === 'mpm_prefork' || name === 'mpm_worker') {
      throw new InputError(
        '--apache-modules',
        `${item} is another MPM, and Apache loads exactly one: the image runs mpm_event`,
        `leave ${item} out`,
      );
    }
    if (!APACHE_BIN_MODULES.includes(name)) {
      const near = APACHE_BIN_MODULES.filter(known => known.startsWith(name.slice(0, 4)));
      throw new InputError(
        '--apache-modules',
        `"${item}" is not a module of Debian's apache2-bin`,
        near.length > 0 ? `pick one of ${near.join(', ')}` : 'use the name a2enmod takes, e.g. rewrite or headers',
      );
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The `LoadModule` list for `requested` modules: each one's dependencies before it, nothing
 * the configuration loads anyway ({@link ALWAYS_LOADED}), nothing twice.
 * @param requested - module names from {@link parseApacheModules} (and the ones `--proxy` needs)
 * @returns `{ name, symbol, file }` per module, e.g. `{ name: 'rewrite', symbol: 'rewrite_module', file: 'mod_rewrite.so' }`
 */
export function modulesToLoad(requested: readonly string[]): { name: string; symbol: string; file: string }[] {
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name) || (ALWAYS_LOADED as readonly string[]).includes(name)) return;
    for (const dependency of DEPENDS[name] ?? []) visit(dependency);
    order.push(name);
  };
  for (const name of requested) visit(name);
  return order.map(name => ({ name, symbol: `${name}_module`, file: `mod_${name}.so` }));
}
