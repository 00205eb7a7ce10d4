/**
 * Which integration test files run on which base. `npm test` runs the suite once per base
 * (WSGI_APACHE_TEST_BASE); the default base runs every file. The other bases run the files
 * whose outcome depends on the base: what the image build installs (Python, Apache, mod_wsgi,
 * the app's libraries as Debian packages or wheels), and how the result serves under load, in
 * development and with the development tools. The rest exercise files and behaviour that are
 * the same text on every base (the Apache configuration, the runtime scripts, the manifests,
 * the check command), so one base proves them; each says why below.
 *
 * Kept apart from vitest.config.ts so global-setup.ts can print what a run leaves out.
 */
import { type BaseName, DEFAULT_BASE } from '../../generators/app/bases.js';

/** Files run on every base: what differs between bases. */
export const EVERY_BASE = [
  'corpus.test.ts',
  'fixtures-under-load.test.ts',
  'dev-loop.test.ts',
  'dev-tools.test.ts',
] as const;

/** Files run on the default base only, each with the reason the other bases add nothing. */
export const DEFAULT_BASE_ONLY: Record<string, string> = {
  'apache-front.test.ts':
    'the user-directive and --proxy routing are Apache configuration, the same on every base; the build is covered by the corpus and fixtures',
  'check.test.ts': 'yo wsgi-apache:check is Node code that drives whichever stack it is given',
  'detection.test.ts':
    'detection is the generator reading the project; the builds it leads to are covered by the corpus (a package, a src/ Django project)',
  'kubernetes-podman.test.ts': 'the manifests are the same text on every base',
  'mounts.test.ts':
    'process groups and routing are Apache configuration and the runtime scripts, the same on every base; a mount with its own virtualenv is built on the default base',
  'optimized-python.test.ts':
    '--python-build optimized exists on the python base only (the generator refuses it on the others)',
  'production.test.ts':
    'stop, recycle, read-only and capability behaviour are the runtime scripts and Apache, the same files on every base',
  'runtime-and-broken-stacks.test.ts':
    'tuning by environment and the broken-stack messages are the runtime scripts, the same files on every base',
  'scaffold-serve.test.ts': 'the plain app in both shapes is served on every base by fixtures-under-load.test.ts',
};

/**
 * Files run on trixie only, each with the reason: their projects' libraries come from trixie's
 * packages, of which the python base's offline wheelhouse has no wheels yet (and bookworm's
 * Celery, 5.2, is older than the one the test was made with).
 */
export const TRIXIE_ONLY: Record<string, string> = {
  'services.test.ts':
    "its Django + Celery project takes psycopg2, redis and celery from trixie's packages; the offline wheelhouse of the python base has none of them yet",
  'radicale.test.ts':
    "Radicale's libraries (defusedxml, passlib, vobject, pika) come from trixie's packages; the offline wheelhouse of the python base has none of them",
  'trac.test.ts': "Trac is trixie's `trac` package; no wheel of it or its libraries is in the offline wheelhouse",
};

/** Parts of the files in {@link EVERY_BASE} that run on the default base only, with the reason. */
export const DEFAULT_BASE_ONLY_PARTS: Record<string, string> = {
  'corpus.test.ts, yo wsgi-apache:check on the Django and the Flask tutorial apps':
    'the check is Node code that drives whichever stack it is given; on every base each app is still built and answers its own requests in both shapes, and fixtures-under-load.test.ts loads the Flask and Django fixtures',
  'fixtures-under-load.test.ts, the plain and wheelhouse fixtures':
    "the plain fixture is a hello world every corpus app goes beyond on each base, and the wheelhouse fixture is pip's offline route, the python base's own; the Flask and Django fixtures still run under load on every base",
};

/** The fixtures fixtures-under-load.test.ts loads on every base; the default base loads them all. */
export const FIXTURES_ON_EVERY_BASE: readonly string[] = ['flask', 'django'];

/** Whether fixtures-under-load.test.ts loads fixture `id` on `base` ({@link DEFAULT_BASE_ONLY_PARTS}). */
export function loadsFixture(base: BaseName, id: string): boolean {
  return base === DEFAULT_BASE || FIXTURES_ON_EVERY_BASE.includes(id);
}

/**
 * The corpus apps `yo wsgi-apache:check` runs on: Django's and Flask's tutorial apps, each with
 * an init service and data. The check drives whichever stack it is given, so the other three
 * Flask and Werkzeug examples added about 17 s each and no proof; they still build and answer
 * their own scenario in both shapes.
 */
export const CHECKED_CORPUS_APPS: readonly string[] = ['django-polls', 'flaskr'];

/** Whether corpus.test.ts runs `yo wsgi-apache:check` on corpus app `app` on `base` ({@link DEFAULT_BASE_ONLY_PARTS}). */
export function checksCorpus(base: BaseName, app: string): boolean {
  return base === DEFAULT_BASE && CHECKED_CORPUS_APPS.includes(app);
}

/**
 * The integration test files to run on `base`, as globs for vitest's `include`.
 * @returns every file on the default base, {@link EVERY_BASE} on the others
 */
export function integrationInclude(base: BaseName): string[] {
  if (base === DEFAULT_BASE) return ['test/integration/**/*.test.ts'];
  const files = base === 'trixie' ? [...EVERY_BASE, ...Object.keys(TRIXIE_ONLY)] : [...EVERY_BASE];
  return files.map(file => `test/integration/${file}`);
}

/** The integration test files the default base leaves out ({@link TRIXIE_ONLY}), for vitest's `exclude`. */
export function integrationExclude(base: BaseName): string[] {
  return base === DEFAULT_BASE ? Object.keys(TRIXIE_ONLY).map(file => `test/integration/${file}`) : [];
}

/**
 * What a run on `base` leaves out, one line per file or part with its reason, for the run's log.
 * @returns [] on the default base
 */
export function leftOut(base: BaseName): string[] {
  const trixieOnly = Object.entries(TRIXIE_ONLY).map(([what, why]) => `${what}: run on trixie only, because ${why}`);
  if (base === DEFAULT_BASE) return trixieOnly;
  return [
    ...Object.entries({ ...DEFAULT_BASE_ONLY, ...DEFAULT_BASE_ONLY_PARTS }).map(
      ([what, why]) => `${what}: run on ${DEFAULT_BASE} only, because ${why}`,
    ),
    ...(base === 'trixie' ? [] : trixieOnly),
  ];
}
