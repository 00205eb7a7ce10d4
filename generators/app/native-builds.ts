/**
 * Python packages pip can only build from source on Linux, or that load a system library at
 * run time, and the Debian packages each needs: headers and a compiler in the image's
 * dependency stage (which the image does not ship), the shared library in the image itself.
 * Without them `pip install psycopg2` stops with "pg_config executable not found" and a
 * `psycopg` (3) app without a libpq fails its first query with "no pq wrapper available".
 */
import type { DeclaredPackage } from './python-deps.js';

/** What one package needs from Debian (trixie and bookworm names alike). */
export interface NativeNeeds {
  /** installed where pip builds it: headers and build tools beside gcc and libc6-dev */
  build: readonly string[];
  /** installed in the image: the shared library the built extension or the package loads */
  run: readonly string[];
  /** an extra that brings its own build of the library instead (`psycopg[binary]`) */
  unlessExtra?: string;
}

/**
 * The table, by PEP 503 name (with an extra as `name[extra]`). Sources:
 * - psycopg2: PyPI ships no Linux wheels; its install docs ask for a C compiler, the Python
 *   headers and libpq's (`pg_config`, Debian's libpq-dev), and libpq at run time
 *   (https://www.psycopg.org/docs/install.html#build-prerequisites);
 * - psycopg (3): pure Python over the system libpq, `psycopg[c]` builds against it
 *   (https://www.psycopg.org/psycopg3/docs/basic/install.html); `psycopg[binary]` brings its own;
 * - mysqlclient: no Linux wheels; its README asks for `default-libmysqlclient-dev` and
 *   `pkg-config` (https://github.com/PyMySQL/mysqlclient#linux).
 */
export const NATIVE_NEEDS: Readonly<Record<string, NativeNeeds>> = {
  psycopg2: { build: ['libpq-dev'], run: ['libpq5'] },
  psycopg: { build: [], run: ['libpq5'], unlessExtra: 'binary' },
  'psycopg[c]': { build: ['libpq-dev'], run: ['libpq5'] },
  mysqlclient: { build: ['default-libmysqlclient-dev', 'pkg-config'], run: ['libmariadb3'] },
};

/**
 * What the declared packages need from Debian, by {@link NATIVE_NEEDS}.
 * @returns build and run packages, each sorted and once; both empty when nothing needs any
 */
export function nativeNeeds(packages: readonly DeclaredPackage[]): { build: string[]; run: string[] } {
  const build = new Set<string>();
  const run = new Set<string>();
  for (const { name, extras } of packages)
    for (const key of [name, ...extras.map(extra => `${name}[${extra}]`)]) {
      const needs = NATIVE_NEEDS[key];
      if (needs?.unlessExtra && extras.includes(needs.unlessExtra)) continue;
      needs?.build.forEach(item => build.add(item));
      needs?.run.forEach(item => run.add(item));
    }
  return { build: [...build].sort(), run: [...run].sort() };
}
