// A fixture project as the benchmarks use it: copied to a temporary directory and
// scaffolded by the generator from source, as the integration suite does
// (test/helpers/project.ts), with flags only.
import type { FixtureApp } from '../../test/helpers/fixture-apps.js';
import { makeProject, runGenerator } from '../../test/helpers/project.js';

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
 * {@link copyFixture}, then the app generator in the copy, as
 * `yo wsgi-apache --yes --skip-build --name NAME` plus `flags`.
 * @param flags - generator flags as yeoman-test options, e.g. `{ ...app.flags, base: 'trixie' }`
 * @returns the project's absolute path; the caller removes it
 * @throws the generator's error (an invalid flag, a conflict)
 */
export async function scaffold(
  app: Pick<FixtureApp, 'fixture' | 'prepare'>,
  name: string,
  flags: Record<string, unknown>,
): Promise<string> {
  const dir = copyFixture(app);
  // yeoman-test changes into the project and leaves the process there; the benchmark
  // resolves its own paths against where it was started, and removes the project later.
  const cwd = process.cwd();
  try {
    await runGenerator(dir, { yes: true, name, ...flags });
  } finally {
    process.chdir(cwd);
  }
  return dir;
}
