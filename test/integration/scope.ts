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
export const EVERY_BASE = ['corpus.test.ts', 'fixtures-under-load.test.ts'] as const;

/**
 * Files run on the default base and bookworm, not on trixie, each with the reason: trixie has the
 * default base's Python (3.13), mod_wsgi (5.0.2) and Apache (Debian trixie's apache2-bin), so what
 * these files prove depends on nothing that differs between the two; bookworm has Python 3.11,
 * mod_wsgi 4.9.4 and Apache 2.4.62.
 */
export const NOT_ON_TRIXIE: Record<string, string> = {
  'dev-loop.test.ts':
    "the reload on a saved file is docker/reloader.py and mod_wsgi's daemon restart, the same Python and mod_wsgi versions on the default base",
  'dev-tools.test.ts':
    'the debugger, profiler and recorder are the runtime files on the same Python version as on the default base',
};

/** Files run on the default base only, each with the reason the other bases add nothing. */
export const DEFAULT_BASE_ONLY: Record<string, string> = {
  'apache-front.test.ts':
    'the user-directive and --proxy routing are Apache configuration, the same on every base; the build is covered by the corpus and fixtures',
  'check.test.ts': 'yo wsgi-apache:check is Node code that drives whichever stack it is given',
  'detection.test.ts':
    'detection is the generator reading the project; the builds it leads to are covered by the corpus (a package, a src/ Django project)',
  'embedded-mode.test.ts':
    "WSGI_MODE=embedded is the runtime files (envvars, embedded.wsgi) and Apache's mpm_event configuration, the same text on every base; it is measured on the default base's pip-built mod_wsgi 5.0.2, the one the benchmark compares with gunicorn",
  'kubernetes-podman.test.ts':
    'the manifests, and the entry point under rootless Podman, are the same text on every base',
  'lock-files.test.ts':
    "the lock's export runs on Debian trixie's Poetry and PDM whatever the base, and pip installs its pins as it installs a requirements.txt; the wheelhouse that serves them is the python base's",
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
 * Files run on the default base and trixie, not on bookworm, each with the reason. The libraries
 * come from trixie's packages on trixie, and from the wheelhouse built from trixie's sources
 * (images/build-wheelhouse.sh) on the python base.
 */
export const NOT_ON_BOOKWORM: Record<string, string> = {
  'services.test.ts':
    "its Django + Celery project was made with trixie's Celery 5.5 and psycopg2 2.9.10; bookworm packages Celery 5.2",
  'radicale.test.ts':
    "the corpus's Radicale tree is trixie's 3.5.3, whose pyproject.toml asks for libraries newer than bookworm's (which packages Radicale 3.1)",
  'trac.test.ts': 'bookworm has no trac package (Trac 1.6, for Python 3, came with trixie)',
};

/** Parts of the files in {@link EVERY_BASE} that run on the default base only, with the reason. */
export const DEFAULT_BASE_ONLY_PARTS: Record<string, string> = {
  'corpus.test.ts, yo wsgi-apache:check on the Django and the Flask tutorial apps':
    'the check is Node code that drives whichever stack it is given; on every base each app is still built and answers its own requests in both shapes, and fixtures-under-load.test.ts loads the Flask and Django fixtures',
  'fixtures-under-load.test.ts, the plain and wheelhouse fixtures':
    "the plain fixture is a hello world every corpus app goes beyond on each base, and the wheelhouse fixture is pip's offline route, the python base's own; the Flask and Django fixtures still run under load on every base",
};

/** Parts of the files in {@link NOT_ON_BOOKWORM} that run on the default base only, with the reason. */
export const DEFAULT_BASE_ONLY_SERVICE_PARTS: Record<string, string> = {
  'services.test.ts, yo wsgi-apache:check against PostgreSQL, the warm shutdown, the data kept across down and up, and --service mysql,memcached':
    "the check is Node code that drives whichever stack it is given; the worker's stop is docker/worker.py and the same Celery, the data's survival Compose's named volumes, and MariaDB's and memcached's wiring compose.yaml and docker/entrypoint, the same text on every base; trixie still runs the Django + Celery project on PostgreSQL and Redis in both shapes: migrations, an admin login, a task's round trip, 64 connections writing, the worker's reload",
  'trac.test.ts, yo wsgi-apache:check on the report of active tickets':
    'the check is Node code that drives whichever stack it is given; trixie still builds Trac and creates a ticket through its form in both shapes',
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
 * @returns every file on the default base; {@link EVERY_BASE} on the others, on trixie {@link NOT_ON_BOOKWORM} too,
 *   on bookworm {@link NOT_ON_TRIXIE}
 */
export function integrationInclude(base: BaseName): string[] {
  if (base === DEFAULT_BASE) return ['test/integration/**/*.test.ts'];
  const files =
    base === 'bookworm'
      ? [...EVERY_BASE, ...Object.keys(NOT_ON_TRIXIE)]
      : [...EVERY_BASE, ...Object.keys(NOT_ON_BOOKWORM)];
  return files.map(file => `test/integration/${file}`);
}

/**
 * What a run on `base` leaves out, one line per file or part with its reason, for the run's log.
 * @returns [] on the default base
 */
export function leftOut(base: BaseName): string[] {
  if (base === DEFAULT_BASE) return [];
  const parts =
    base === 'bookworm' ? DEFAULT_BASE_ONLY_PARTS : { ...DEFAULT_BASE_ONLY_PARTS, ...DEFAULT_BASE_ONLY_SERVICE_PARTS };
  return [
    ...Object.entries({ ...DEFAULT_BASE_ONLY, ...parts }).map(
      ([what, why]) => `${what}: run on ${DEFAULT_BASE} only, because ${why}`,
    ),
    ...(base === 'bookworm'
      ? Object.entries(NOT_ON_BOOKWORM).map(([what, why]) => `${what}: not run on bookworm, because ${why}`)
      : Object.entries(NOT_ON_TRIXIE).map(([what, why]) => `${what}: not run on trixie, because ${why}`)),
  ];
}
