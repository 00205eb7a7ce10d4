import { chmodSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import WsgiApacheGenerator from '../../generators/app/index.js';
import { buildImage, pipBuildEnv } from './image-build.js';
import { withDockerLock } from './docker-lock.js';
import { type Library, offlineBuildEnv, provideLibraries } from './test-base.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const GENERATOR_PATH = join(REPO_ROOT, 'generators', 'app', 'index.ts');

/**
 * A throw-away project on disk (detection reads the real disk, as it does for users).
 * @param source - a fixture name under test/fixtures, and/or files to write (path -> content)
 * @returns the project's absolute path
 */
export function makeProject(source: { fixture?: string; files?: Record<string, string> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-project-'));
  // mkdtemp makes 0700; a real project is 0755, readable by the dev container's host uid.
  chmodSync(dir, 0o755);
  if (source.fixture) cpSync(join(FIXTURES, source.fixture), dir, { recursive: true });
  for (const [path, content] of Object.entries(source.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * A throw-away project holding just `files` (path -> content): the common case of {@link makeProject}.
 * @returns the project's absolute path
 */
export function projectWith(files: Record<string, string>): string {
  return makeProject({ files });
}

/** Files whose presence alone matters to a test, as {@link projectWith} takes them: each path -> ''. */
export function emptyFiles(...paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map(path => [path, '']));
}

/**
 * Runs the app generator (the TypeScript class, through yeoman-test) inside `projectDir`, never building.
 * yeoman-test forces every overwrite by default; `askOnConflict` restores yo's real behaviour, the
 * conflict prompt (`action`: write / skip / ...).
 */
export function runGenerator(projectDir: string, options: Record<string, unknown> = {}, askOnConflict = false) {
  const conflicts = askOnConflict ? { force: false } : {};
  return (
    helpers
      .run(WsgiApacheGenerator, { namespace: 'wsgi-apache:app', resolved: GENERATOR_PATH }, conflicts)
      .cd(projectDir)
      // yeoman-test types options as the base generator's; ours are the flags of FIELDS.
      .withOptions({ 'skip-build': true, ...conflicts, ...options } as unknown as Record<string, never>)
  );
}

/**
 * A copy of test/fixtures/`fixture` scaffolded by the app generator with `--yes`, `--name NAME`
 * and `flags` (yeoman-test options, e.g. `{ static: ['/static=static'] }`) on the suite's base,
 * its `libraries` provided as that base installs them offline (test-base.ts).
 * @returns the project directory
 * @throws the generator's error (an invalid flag)
 */
export async function scaffoldFixture(
  fixture: string,
  name: string,
  flags: Record<string, unknown> = {},
  libraries: readonly Library[] = [],
): Promise<string> {
  const dir = makeProject({ fixture });
  await scaffoldOnBase(dir, { name, ...flags }, libraries);
  return dir;
}

/**
 * The plain-wsgi fixture scaffolded as {@link scaffoldFixture} does, optionally changed by
 * `prepare`, then built as `tag` with BuildKit (as `yo wsgi-apache` builds at its end, with
 * the same pip settings from the environment).
 * @returns the project directory
 */
export async function buildPlainImage(
  tag: string,
  name: string,
  flags: Record<string, unknown>,
  prepare?: (dir: string) => void,
): Promise<string> {
  const dir = await scaffoldFixture('plain-wsgi', name, flags);
  prepare?.(dir);
  await withDockerLock(() => buildImage({ context: dir, tag, pip: { ...pipBuildEnv(), ...offlineBuildEnv(dir) } }));
  return dir;
}

/**
 * The app generator with `--yes` and `flags` in `dir`, after {@link provideLibraries} gave the
 * project `libraries` the way the suite's base installs them offline (flags win over the base's).
 * @returns the generator run (yeoman-test's result)
 */
export function scaffoldOnBase(dir: string, flags: Record<string, unknown>, libraries: readonly Library[] = []) {
  return runGenerator(dir, { yes: true, ...provideLibraries(dir, libraries), ...flags });
}

/** For yeoman-test's onGenerator: what the generator logs is pushed to `lines` too. */
export function recordLog(lines: string[]) {
  return (generator: { log: (message?: string) => void }) => {
    const log = generator.log;
    const recording = Object.assign(
      (message?: string) => (lines.push(String(message)), log.call(generator, message)),
      log,
    );
    Object.defineProperty(generator, 'log', { value: recording });
  };
}
