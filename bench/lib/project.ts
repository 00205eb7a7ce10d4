// A fixture project as the benchmarks use it: copied to a temporary directory and
// scaffolded by the generator from source, as the integration suite does
// (test/helpers/project.ts), with flags only; and where its Python libraries come from.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FixtureApp } from '../../test/helpers/fixture-apps.js';
import { BASES, type BaseName } from '../../generators/app/bases.js';
import { makeProject, runGenerator } from '../../test/helpers/project.js';
import {
  type Library,
  listRequirements,
  OFFLINE_WHEELHOUSE,
  provideLibraries,
  providePythonSource,
  WHEELHOUSE_ONLY,
} from '../../test/helpers/test-base.js';

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
  if (pythonSource !== undefined) providePythonSource(dirname(wheelhouse), pythonSource);
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
