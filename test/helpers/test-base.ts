/**
 * Which base the integration suite builds on (`WSGI_APACHE_TEST_BASE`, default the
 * generator's default; `npm test` runs the suite once per base), and how a test app gets its
 * Python libraries on that base here, where PyPI is unreachable:
 * - on a Debian base, as Debian packages (`--apt-packages python3-flask`), which the
 *   virtualenv sees through `--system-site-packages`;
 * - on the python base, as wheels built from Debian's sources (images/build-wheelhouse.sh)
 *   copied into the project's `wheelhouse/`, which the generated Dockerfile uses with
 *   `PIP_NO_INDEX=1`: the route DOCKER.md gives users without an index. The same
 *   wheelhouse holds mod_wsgi's sdist and setuptools for the build stage.
 */
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BASES, type BaseName, DEFAULT_BASE, parseBase } from '../../generators/app/bases.js';

/** The base this run of the suite builds on. */
export const TEST_BASE: BaseName = parseBase(process.env.WSGI_APACHE_TEST_BASE ?? DEFAULT_BASE);

/** A library a test app imports: its Debian packages (trixie names) and its name on PyPI. */
export interface Library {
  apt: string[];
  pip?: string;
}

/** The libraries the test apps use, each declared once. */
export const LIBRARIES = {
  flask: { apt: ['python3-flask'], pip: 'flask' },
  // Debian's Django links the admin's jQuery from libjs-jquery: the generator adds it (apt-recommends.ts).
  django: { apt: ['python3-django'], pip: 'django' },
  flaskRestful: { apt: ['python3-flask-restful'], pip: 'flask-restful' },
  flaskHttpauth: { apt: ['python3-flask-httpauth'], pip: 'flask-httpauth' },
  werkzeug: { apt: ['python3-werkzeug'], pip: 'werkzeug' },
  // A build backend for a pyproject.toml project: PyPI's comes from the wheelhouse with build isolation.
  // Without isolation, bookworm's setuptools 66 builds the editable wheel with python3-wheel's
  // bdist_wheel (setuptools has its own only from 70.1).
  setuptools: { apt: ['python3-setuptools', 'python3-wheel'] },
  // psycopg2 is an sdist in the wheelhouse, as on PyPI: the generated Dockerfile builds it against libpq-dev.
  psycopg2: { apt: ['python3-psycopg2'], pip: 'psycopg2' },
  redis: { apt: ['python3-redis'], pip: 'redis' },
  celery: { apt: ['python3-celery'], pip: 'celery' },
  // Debian's trac is the application with its trac-admin; on the python base, PyPI's Trac.
  trac: { apt: ['trac'], pip: 'trac' },
} satisfies Record<string, Library>;

/** Where images/build-wheelhouse.sh leaves the offline wheels (`WSGI_APACHE_WHEELHOUSE` overrides). */
export const OFFLINE_WHEELHOUSE =
  process.env.WSGI_APACHE_WHEELHOUSE ?? join(homedir(), '.cache', 'generator-wsgi-apache', 'wheelhouse-py3.13');

/** Build args for a project whose `wheelhouse/` must be the only package source (set explicitly: a host may export its own). */
export const WHEELHOUSE_ONLY = { PIP_NO_INDEX: '1', PIP_INDEX_URL: '', PIP_FIND_LINKS: '/tmp/wheelhouse' };

/**
 * Gives the project in `dir` what it needs on `base` to build offline, before it is scaffolded:
 * on the python base the offline wheelhouse in `wheelhouse/` (beside any wheels already there)
 * and the libraries' PyPI names in requirements.txt.
 * @returns the generator flags for the base (`base`, and `apt-packages` on a Debian base)
 * @throws Error naming images/build-wheelhouse.sh when the offline wheelhouse is missing
 */
export function provideLibraries(
  dir: string,
  libraries: readonly Library[] = [],
  base: BaseName = TEST_BASE,
): Record<string, unknown> {
  if (!BASES[base].pypiModWsgi) {
    const apt = libraries.flatMap(library => library.apt);
    return apt.length > 0 ? { base, 'apt-packages': apt.join(',') } : { base };
  }
  if (!existsSync(join(OFFLINE_WHEELHOUSE, `mod_wsgi-${BASES[base].modWsgi}.tar.gz`))) {
    throw new Error(
      `${OFFLINE_WHEELHOUSE} has no mod_wsgi sdist: run \`bash images/build-wheelhouse.sh\` (or set WSGI_APACHE_WHEELHOUSE)`,
    );
  }
  mkdirSync(join(dir, 'wheelhouse'), { recursive: true });
  cpSync(OFFLINE_WHEELHOUSE, join(dir, 'wheelhouse'), { recursive: true });
  listRequirements(join(dir, 'requirements.txt'), libraries);
  return { base };
}

/**
 * Appends the libraries' PyPI names that `requirements` (a requirements.txt) does not list yet
 * (case-insensitively). Creates the file when there is something to list.
 */
export function listRequirements(requirements: string, libraries: readonly Library[]): void {
  const listed = existsSync(requirements) ? readFileSync(requirements, 'utf8') : '';
  const missing = libraries
    .map(library => library.pip)
    .filter((name): name is string => name !== undefined && !new RegExp(`^${name}\\b`, 'im').test(listed));
  if (missing.length > 0)
    appendFileSync(requirements, `${listed && !listed.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
}

/**
 * Where images/build-python-slim.sh leaves the CPython source tarball under python.org's
 * name (`WSGI_APACHE_PYTHON_SOURCE` overrides): `--python-build optimized` builds offline
 * with it in the project's wheelhouse/.
 */
export const PYTHON_SOURCE_DIR =
  process.env.WSGI_APACHE_PYTHON_SOURCE ?? join(homedir(), '.cache', 'generator-wsgi-apache', 'python-source');

/**
 * Copies `Python-<version>.tar.xz` into `dir`/wheelhouse (created when missing), where the
 * generator finds it for `--python-build optimized` without python.org.
 * @param version - the full CPython version, e.g. `3.13.5` (the base image's PYTHON_VERSION)
 * @throws Error naming images/build-python-slim.sh when neither {@link PYTHON_SOURCE_DIR} nor
 *   the offline wheelhouse has the tarball
 */
export function providePythonSource(dir: string, version: string): void {
  const name = `Python-${version}.tar.xz`;
  const found = [PYTHON_SOURCE_DIR, OFFLINE_WHEELHOUSE].map(d => join(d, name)).find(file => existsSync(file));
  if (!found)
    throw new Error(
      `${name} is in neither ${PYTHON_SOURCE_DIR} nor ${OFFLINE_WHEELHOUSE}: run \`bash images/build-python-slim.sh\` (or set WSGI_APACHE_PYTHON_SOURCE)`,
    );
  mkdirSync(join(dir, 'wheelhouse'), { recursive: true });
  copyFileSync(found, join(dir, 'wheelhouse', name));
}

/** The build args `composeBuild` needs for `dir` on the python base: its wheelhouse, no index. */
export function offlineBuildEnv(dir: string): Record<string, string> {
  return existsSync(join(dir, 'wheelhouse')) ? WHEELHOUSE_ONLY : {};
}
