// A fixture project as the benchmarks use it: copied to a temporary directory and
// scaffolded by the generator from source, as the integration suite does
// (test/helpers/project.ts), with flags only; and where its Python libraries come from.
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FixtureApp } from '../../test/helpers/fixture-apps.js';
import { BASES, type BaseName } from '../../generators/app/bases.js';
import { makeProject, runGenerator } from '../../test/helpers/project.js';
import { type Library, OFFLINE_WHEELHOUSE, provideLibraries, WHEELHOUSE_ONLY } from '../../test/helpers/test-base.js';

/**
 * Where images/build-python-slim.sh leaves the CPython source tarball under python.org's
 * name (`WSGI_APACHE_PYTHON_SOURCE` overrides): `--python-build optimized` builds offline
 * with it in the project's wheelhouse/.
 */
export const PYTHON_SOURCE_DIR =
  process.env.WSGI_APACHE_PYTHON_SOURCE ?? join(homedir(), '.cache', 'generator-wsgi-apache', 'python-source');

/**
 * Whether builds on the python base use the offline wheelhouse (images/build-wheelhouse.sh):
 * when it holds mod_wsgi's sdist. Otherwise pip uses its index (PyPI, or the host's PIP_*).
 */
export function offlineWheelhouse(): boolean {
  return existsSync(join(OFFLINE_WHEELHOUSE, `mod_wsgi-${BASES.python.modWsgi}.tar.gz`));
}

/** The build args pip needs for a project built with {@link provideForBase}: the wheelhouse only, when offline. */
export function pipBuildArgs(): Record<string, string> {
  return offlineWheelhouse() ? WHEELHOUSE_ONLY : {};
}

/**
 * Copies the fixture's directory (test/fixtures/<fixture>) to a new temporary directory
 * (0755, as a checkout is) and runs its `prepare` there.
 * @returns the copy's absolute path; the caller removes it
 */
export function copyFixture(app: Pick<FixtureApp, 'fixture' | 'prepare'>): string {
  const dir = makeProject({ fixture: app.fixture });
  app.prepare?.(dir);
  return dir;
}

/**
 * Appends the libraries' PyPI names that `requirements` (a requirements.txt) does not list yet.
 * Creates the file when there is something to list.
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
 * Gives the project in `dir` its libraries on `base`: as test/helpers/test-base.ts does
 * (Debian packages; or on the python base the offline wheelhouse in wheelhouse/ and
 * requirements.txt), except that without the offline wheelhouse the python base lists them
 * in requirements.txt for pip's index.
 * @returns the generator flags for the base
 */
export function provideForBase(
  dir: string,
  libraries: readonly Library[] = [],
  base: BaseName,
): Record<string, unknown> {
  if (!BASES[base].pypiModWsgi || offlineWheelhouse()) return provideLibraries(dir, libraries, base);
  listRequirements(join(dir, 'requirements.txt'), libraries);
  return { base };
}

/**
 * Fills `wheelhouse` (created when missing) with the offline wheelhouse's files when there
 * is one, and with the CPython source tarball `Python-<version>.tar.xz` when asked for.
 * @throws Error naming images/build-python-slim.sh when the tarball is asked for, offline, and missing
 */
export function fillWheelhouse(wheelhouse: string, { pythonSource }: { pythonSource?: string } = {}): void {
  mkdirSync(wheelhouse, { recursive: true });
  if (!offlineWheelhouse()) return;
  cpSync(OFFLINE_WHEELHOUSE, wheelhouse, { recursive: true });
  if (pythonSource === undefined) return;
  const name = `Python-${pythonSource}.tar.xz`;
  const found = [PYTHON_SOURCE_DIR, OFFLINE_WHEELHOUSE].map(d => join(d, name)).find(file => existsSync(file));
  if (!found)
    throw new Error(
      `${name} is in neither ${PYTHON_SOURCE_DIR} nor ${OFFLINE_WHEELHOUSE}: run \`bash images/build-python-slim.sh\` (or set WSGI_APACHE_PYTHON_SOURCE)`,
    );
  copyFileSync(found, join(wheelhouse, name));
}

/**
 * {@link copyFixture}, the app's libraries provided for `base` ({@link provideForBase}), then
 * the app generator in the copy, as `yo wsgi-apache --yes --skip-build --name NAME` plus
 * `flags`.
 * @param flags - generator flags as yeoman-test options, e.g. `app.flags`
 * @param pythonSource - offline, the CPython version whose source tarball goes into
 *   wheelhouse/ (`--python-build optimized` compiles it)
 * @returns the project's absolute path; the caller removes it
 * @throws the generator's error (an invalid flag, a conflict)
 */
export async function scaffold(
  app: Pick<FixtureApp, 'fixture' | 'prepare' | 'libraries'>,
  name: string,
  flags: Record<string, unknown>,
  base: BaseName,
  { pythonSource }: { pythonSource?: string } = {},
): Promise<string> {
  const dir = copyFixture(app);
  const baseFlags = provideForBase(dir, app.libraries, base);
  if (pythonSource !== undefined) fillWheelhouse(join(dir, 'wheelhouse'), { pythonSource });
  // yeoman-test changes into the project and leaves the process there; the benchmark
  // resolves its own paths against where it was started, and removes the project later.
  const cwd = process.cwd();
  try {
    await runGenerator(dir, { yes: true, name, ...baseFlags, ...flags });
  } finally {
    process.chdir(cwd);
  }
  return dir;
}
