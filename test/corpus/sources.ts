/**
 * A corpus of real third-party WSGI apps that nobody on this project wrote, as users'
 * project trees, with what each needs and the requests that exercise its own code.
 *
 * The sources come from Debian trixie packages only (no PyPI, no Docker Hub): one image,
 * `wsgi-apache-corpus-sources:<recipe hash>`, FROM debian:trixie-slim, installs the packages
 * that carry the apps and lays each out under /corpus/<id>/ (test/corpus/Dockerfile and
 * assemble.py). {@link materialize} copies one tree out into a fresh directory.
 *
 * Every app here was served with Python's wsgiref in a trixie container holding only its
 * {@link CorpusApp.libraries}' Debian packages (and build packages), after the same offline pip steps the
 * generated Dockerfile runs, and answered each of its requests as described:
 * test/corpus/smoke.test.ts does that (`npx vitest run --config test/corpus/vitest.config.ts`).
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { underDockerLock } from '../helpers/docker-lock.js';
import { BASES } from '../../generators/app/bases.js';
import { type Library, LIBRARIES, TEST_BASE } from '../helpers/test-base.js';

/** This directory: the recipe files live here. */
export const CORPUS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The files the image is built from; their content is the tag's hash. */
const RECIPE_FILES = ['Dockerfile', 'assemble.py'] as const;

/** Repository of the sources image; the tag is the recipe hash. */
export const SOURCES_IMAGE_REPOSITORY = 'wsgi-apache-corpus-sources';

/** Where the trees are inside the sources image. */
const CORPUS_ROOT_IN_IMAGE = '/corpus';

/** One HTTP request of an app's scenario, and what its response must be. */
export interface CorpusRequest {
  /** what the step shows, for test names and failure messages */
  name: string;
  /** HTTP method (WebDAV's PROPFIND too) */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'PROPFIND';
  /** path and query from the site root, e.g. `/auth/login` */
  path: string;
  /** request headers; a body's Content-Type is among them */
  headers?: Record<string, string>;
  /** the body as sent: form-encoded, JSON, XML or multipart text (CRLFs included) */
  body?: string;
  expect: {
    /** the status of this very response: redirects are never followed */
    status: number;
    /** a substring the body must contain */
    bodyIncludes?: string;
    /** substrings that response headers must contain, by lower-case header name */
    headerIncludes?: Record<string, string>;
  };
}

/** Where an app's tree comes from. */
export interface CorpusSource {
  /** the Debian package (trixie) the files come from; `(source)` for a source package */
  debianPackage: string;
  /** path of the files inside that package, or how the tree was made */
  debianPath: string;
  /** the same files in the upstream project, e.g. `pallets/flask examples/tutorial` */
  upstream: string;
}

/** One app of the corpus: a real project tree, what it needs, and how to exercise it. */
export interface CorpusApp {
  /** short id: the directory under /corpus in the image, and the argument of {@link materialize} */
  id: string;
  /** one paragraph: what the app is and where its files come from */
  description: string;
  source: CorpusSource;
  /** the framework the generator should report */
  framework: 'django' | 'flask' | 'generic';
  /** the WSGI entry, in `--entry` syntax, that serves the app */
  entry: string;
  /**
   * Whether generators/app/detect.ts finds {@link entry} as the first candidate in the tree
   * as it is, so the generator needs no `--entry` (checked by smoke.test.ts).
   */
  entryDetected: boolean;
  /** libraries the app imports at run time: Debian packages on a Debian base (`--apt-packages`), PyPI names on the python base */
  libraries: Library[];
  /**
   * Debian packages pip needs to install the project itself offline (`pip install -e`, which the
   * generated Dockerfile runs for a pyproject.toml with a `[build-system]`): its build backend.
   * They only help with {@link pipBuildArgs}; [] when the project is not a package.
   */
  buildAptPackages: string[];
  /**
   * Build args (compose environment) for the generated Dockerfile's pip steps without PyPI:
   * dependencies come from the apt packages, the backend from {@link buildAptPackages}.
   * {} when pip has nothing to install.
   */
  pipBuildArgs: Record<string, string>;
  /** project-relative directories the app writes at run time: `--data-dir` */
  dataDirs: string[];
  /** absolute paths outside the project the app writes (and creates) at run time */
  outsideWrites: string[];
  /** shell commands run once in the project root before serving, e.g. creating the database: `--init-command` */
  initCommands: string[];
  /** the requests need cookies kept across them, in order (a login session) */
  cookieJar: boolean;
  /** the scenario, in order; each response is checked before the next request */
  requests: CorpusRequest[];
  /** surprises: what the defaults get wrong, where the app writes, what it assumes */
  notes: string[];
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_BODY = { 'Content-Type': 'application/json' };
const basicAuth = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

const UPLOAD_BOUNDARY = 'corpus-upload-boundary';
const UPLOADED_TEXT = 'Round trip through a WSGI file_wrapper';
/** One file field, as a browser sends werkzeug's upload form. */
const UPLOAD_BODY = [
  `--${UPLOAD_BOUNDARY}`,
  'Content-Disposition: form-data; name="uploaded_file"; filename="note.txt"',
  'Content-Type: text/plain',
  '',
  UPLOADED_TEXT,
  `--${UPLOAD_BOUNDARY}--`,
  '',
].join('\r\n');

/** An app that needs nothing beyond its `libraries`: no build backend, data, init or cookies. */
function selfContained(...libraries: Library[]) {
  return {
    libraries,
    buildAptPackages: [],
    pipBuildArgs: {},
    dataDirs: [],
    outsideWrites: [],
    initCommands: [],
    cookieJar: false,
  } satisfies Partial<CorpusApp>;
}

/** One file of the examples a Debian documentation package installs under /usr/share/doc. */
function docExample(debianPackage: string, file: string, upstream: string): CorpusSource {
  return { debianPackage, debianPath: `/usr/share/doc/${debianPackage}/examples/${file}`, upstream };
}

/** A GET request and what it must answer. */
function get(
  name: string,
  path: string,
  expect: CorpusRequest['expect'],
  headers?: Record<string, string>,
): CorpusRequest {
  return { name, method: 'GET', path, expect, ...(headers ? { headers } : {}) };
}

/** Without PyPI: pip takes what Debian installed, and builds the project with the installed backend. */
const OFFLINE_PIP = { PIP_NO_INDEX: '1', PIP_NO_BUILD_ISOLATION: '0' };

/** The corpus. Sources: the Debian packages named in each entry, as installed in the sources image. */
export const CORPUS_APPS: readonly CorpusApp[] = [
  {
    id: 'django-polls',
    description:
      "Django 4.2's tutorial site, made with python3-django's own django-admin as the tutorial " +
      '(python-django-doc intro/tutorial01-02) tells a user: `django-admin startproject mysite`, ' +
      '`manage.py startapp polls`, the Question model in polls/models.py, `admin.site.register(Question)` ' +
      'in polls/admin.py, polls.apps.PollsConfig in INSTALLED_APPS, `manage.py makemigrations polls`. ' +
      'Those lines are the only ones we wrote; settings are otherwise as startproject wrote them ' +
      '(DEBUG = True, ALLOWED_HOSTS = [], SQLite db.sqlite3 in BASE_DIR, no STATIC_ROOT).',
    source: {
      debianPackage: 'python3-django',
      debianPath:
        '/usr/bin/django-admin startproject + manage.py startapp (templates in django/conf/{project,app}_template)',
      upstream: 'django/django docs/intro/tutorial01.txt, tutorial02.txt (4.2)',
    },
    framework: 'django',
    entry: 'mysite.wsgi:application',
    entryDetected: true,
    // Debian's Django links the admin's jQuery to libjs-jquery, only a Recommends: without it
    // collectstatic fails on the dangling symlink. --apt-packages python3-django alone: the
    // generator adds it (apt-recommends.ts), which the jquery.js request below proves.
    ...selfContained(LIBRARIES.django),
    requests: [
      get("the admin's login page", '/admin/login/', { status: 200, bodyIncludes: 'Django administration' }),
      get('the admin redirects anonymous users to its login page', '/admin/', {
        status: 302,
        headerIncludes: { location: '/admin/login/?next=/admin/' },
      }),
      get("the admin's stylesheet (a static file)", '/static/admin/css/base.css', {
        status: 200,
        bodyIncludes: 'DJANGO Admin styles',
        headerIncludes: { 'content-type': 'text/css' },
      }),
      get(
        "the admin's jQuery (a static file that is a symlink into libjs-jquery)",
        '/static/admin/js/vendor/jquery/jquery.js',
        { status: 200, bodyIncludes: 'jQuery' },
      ),
    ],
    notes: [
      'No STATIC_ROOT: /static/ answers only when the stack collects the static files (DEBUG = True, but the WSGI handler serves none).',
      'DEBUG = True with ALLOWED_HOSTS = [] accepts only the Host names localhost (and *.localhost), 127.0.0.1 and [::1], any port: requests through another host name get a 400.',
      'SQLite database BASE_DIR / "db.sqlite3" in the project root, not created: none of the requests needs it (a GET of the login page does not touch the database); `manage.py migrate` writes it.',
      "makemigrations leaves an empty db.sqlite3 behind (Django's migration history check opens the database); assemble.py removes it, as a checkout has none.",
    ],
  },
  {
    id: 'flaskr',
    description:
      "Flask's tutorial app, flaskr: the `create_app()` factory, SQLite in its instance folder, " +
      'auth and blog blueprints, an `init-db` click command, and its tests. python3-flask installs ' +
      "upstream's examples/tutorial/* as /usr/share/doc/python3-flask/examples (python-flask-doc has " +
      'only the tutorial text); the tree is that directory: flaskr/, tests/, pyproject.toml, README.rst, LICENSE.txt.',
    source: {
      debianPackage: 'python3-flask',
      debianPath: '/usr/share/doc/python3-flask/examples',
      upstream: 'pallets/flask examples/tutorial (3.1.1)',
    },
    framework: 'flask',
    entry: 'flaskr:create_app()',
    entryDetected: true,
    libraries: [LIBRARIES.flask],
    // pyproject.toml: [build-system] requires flit_core<4 (trixie's flit package has flit_core 3.12).
    buildAptPackages: ['flit'],
    pipBuildArgs: OFFLINE_PIP,
    dataDirs: ['instance'],
    outsideWrites: [],
    initCommands: ['python -m flask --app flaskr init-db'],
    cookieJar: true,
    requests: [
      get('the blog index, empty', '/', { status: 200, bodyIncludes: '<h1>Posts</h1>' }),
      get("the factory's hello route", '/hello', { status: 200, bodyIncludes: 'Hello, World!' }),
      {
        name: 'registers a user',
        method: 'POST',
        path: '/auth/register',
        headers: FORM,
        body: 'username=corpus-user&password=corpus-pass',
        expect: { status: 302, headerIncludes: { location: '/auth/login' } },
      },
      {
        name: 'logs in (sets the session cookie)',
        method: 'POST',
        path: '/auth/login',
        headers: FORM,
        body: 'username=corpus-user&password=corpus-pass',
        expect: { status: 302, headerIncludes: { 'set-cookie': 'session=' } },
      },
      {
        name: 'creates a post (needs the session)',
        method: 'POST',
        path: '/create',
        headers: FORM,
        body: 'title=Served+through+mod_wsgi&body=A+post+from+the+corpus',
        expect: { status: 302 },
      },
      get('the index shows the post, by its author', '/', {
        status: 200,
        bodyIncludes: '<h1>Served through mod_wsgi</h1>',
      }),
      get('the stylesheet (a static file)', '/static/style.css', {
        status: 200,
        bodyIncludes: 'font-family',
        headerIncludes: { 'content-type': 'text/css' },
      }),
    ],
    notes: [
      'Cookie jar needed: the login sets a signed session cookie that /create and the second index need.',
      'The database is instance/flaskr.sqlite (instance_relative_config, instance folder beside the flaskr package since the project is not installed into site-packages): run `flask --app flaskr init-db` first, or every page that queries (/, /auth/register, ...) is a 500 (no such table). init-db drops and recreates the tables.',
      'create_app() does os.makedirs(app.instance_path) and ignores the error, so a read-only project without instance/ fails only at the first query.',
      'The registration step answers 200 "User corpus-user is already registered." instead of 302 when the database survived an earlier run: start from a fresh instance folder.',
      "SECRET_KEY is 'dev' unless instance/config.py sets one.",
      'pyproject.toml has [project] dependencies ["flask"] and a flit_core [build-system]: without PyPI, pip needs PIP_NO_INDEX=1 (deps already satisfied by python3-flask) and PIP_NO_BUILD_ISOLATION=0 with flit installed for `pip install -e`.',
      "Debian's examples glob skips dotfiles: upstream's examples/tutorial/.gitignore is not in the tree.",
    ],
  },
  {
    id: 'flask-restful-todo',
    description:
      "Flask-RESTful's TODO API example (its README's full example): a module-level `app = Flask(__name__)` " +
      'with Api resources over an in-memory dict. The project is that one file, todo.py.',
    source: docExample('python-flask-restful-doc', 'todo.py', 'flask-restful/flask-restful examples/todo.py (0.3.10)'),
    framework: 'flask',
    entry: 'todo:app',
    entryDetected: true,
    ...selfContained(LIBRARIES.flaskRestful),
    requests: [
      get('lists the todos', '/todos', { status: 200, bodyIncludes: '"task": "build an API"' }),
      get('one todo', '/todos/todo3', { status: 200, bodyIncludes: '"task": "profit!"' }),
      get("a missing todo is the API's JSON 404", '/todos/nope', {
        status: 404,
        bodyIncludes: "Todo nope doesn't exist",
      }),
      {
        name: 'adds a todo (JSON body)',
        method: 'POST',
        path: '/todos',
        headers: JSON_BODY,
        body: '{"task": "serve it with mod_wsgi"}',
        expect: { status: 201, bodyIncludes: '"task": "serve it with mod_wsgi"' },
      },
    ],
    notes: [
      "State is a module-level dict: each daemon process has its own, so a POST or DELETE followed by a GET may hit another process and not see it. The requests only check the changing request's own response.",
      'The upstream README\'s form-encoded `curl -d "task=..."` gets a 415 with Werkzeug 3 (reqparse reads JSON first); the scenario sends JSON.',
    ],
  },
  {
    id: 'flask-httpauth-basic',
    description:
      "Flask-HTTPAuth's basic-auth example: module-level `app = Flask(__name__)`, users john/hello and " +
      'susan/bye with hashed passwords, one protected route. The project is that one file, basic_auth.py.',
    source: docExample(
      'python-flask-httpauth-doc',
      'basic_auth.py',
      'miguelgrinberg/Flask-HTTPAuth examples/basic_auth.py (4.8.0)',
    ),
    framework: 'flask',
    entry: 'basic_auth:app',
    entryDetected: true,
    ...selfContained(LIBRARIES.flaskHttpauth),
    requests: [
      get('no credentials: a Basic challenge', '/', {
        status: 401,
        bodyIncludes: 'Unauthorized Access',
        headerIncludes: { 'www-authenticate': 'Basic realm="Authentication Required"' },
      }),
      get("john's credentials", '/', { status: 200, bodyIncludes: 'Hello, john!' }, basicAuth('john', 'hello')),
      get("susan's credentials", '/', { status: 200, bodyIncludes: 'Hello, susan!' }, basicAuth('susan', 'bye')),
      get('a wrong password', '/', { status: 401, bodyIncludes: 'Unauthorized Access' }, basicAuth('john', 'bye')),
    ],
    notes: [
      'The app reads the Authorization header: mod_wsgi passes it only with WSGIPassAuthorization On (its default is Off, which makes every request a 401).',
    ],
  },
  {
    id: 'werkzeug-upload',
    description:
      "Werkzeug's upload example: a module-level `def application(environ, start_response)` that shows " +
      "a file form on GET and streams the uploaded file back on POST through the server's wsgi.file_wrapper " +
      '(werkzeug.wsgi.wrap_file). The project is that one file, upload.py.',
    source: docExample('python-werkzeug-doc', 'upload.py', 'pallets/werkzeug examples/upload.py (3.1.3)'),
    framework: 'generic',
    entry: 'upload:application',
    entryDetected: true,
    ...selfContained(LIBRARIES.werkzeug),
    requests: [
      get('the upload form', '/', { status: 200, bodyIncludes: '<h1>Upload File</h1>' }),
      {
        name: 'a multipart upload comes back through wsgi.file_wrapper',
        method: 'POST',
        path: '/',
        headers: { 'Content-Type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` },
        body: UPLOAD_BODY,
        expect: { status: 200, bodyIncludes: UPLOADED_TEXT, headerIncludes: { 'content-type': 'text/plain' } },
      },
      {
        name: 'a POST without a file',
        method: 'POST',
        path: '/',
        headers: FORM,
        body: 'comment=no+file',
        expect: { status: 200, bodyIncludes: 'no file uploaded' },
      },
    ],
    notes: [
      "The POST response is the uploaded part, a SpooledTemporaryFile (in memory up to 500 kB; fileno() rolls it over to a real temporary file), handed to the server's wsgi.file_wrapper with direct_passthrough: under mod_wsgi that is mod_wsgi's own file wrapper.",
    ],
  },
  {
    id: 'radicale',
    description:
      'Radicale 3.5.3, a CalDAV/CardDAV server: a real application whose package exposes ' +
      '`radicale.application` (a module-level WSGI function) and ships radicale.wsgi for mod_wsgi. ' +
      "The binary packages have the module only; the tree is upstream's, from the orig tarball that " +
      '`apt-get source radicale` fetches (Debian patches not applied): radicale/, pyproject.toml, ' +
      'radicale.wsgi, config, DOCUMENTATION.md, contrib/, its own Dockerfile and .github/.',
    source: {
      debianPackage: 'radicale (source)',
      debianPath: 'radicale_3.5.3.orig.tar.gz (apt-get source --download-only radicale)',
      upstream: 'Kozea/Radicale v3.5.3 (repository root)',
    },
    framework: 'generic',
    entry: 'radicale:application',
    entryDetected: true,
    // pyproject.toml [project] dependencies, by their Debian names (python3-radicale's Depends).
    libraries: [
      { apt: ['python3-defusedxml', 'python3-passlib', 'python3-vobject', 'python3-pika', 'python3-requests'] },
    ],
    // [build-system] requires setuptools>=61.2 (trixie: 78).
    buildAptPackages: ['python3-setuptools'],
    pipBuildArgs: OFFLINE_PIP,
    dataDirs: [],
    outsideWrites: ['/var/lib/radicale/collections'],
    initCommands: [],
    cookieJar: false,
    requests: [
      get('the root redirects to the web interface', '/', {
        status: 302,
        bodyIncludes: 'Redirected to /.web',
        headerIncludes: { location: '/.web' },
      }),
      get('the web interface', '/.web/', { status: 200, bodyIncludes: '<title>Radicale Web Interface</title>' }),
      {
        name: 'OPTIONS lists the DAV classes',
        method: 'OPTIONS',
        path: '/',
        expect: { status: 200, headerIncludes: { dav: 'calendar-access', allow: 'PROPFIND' } },
      },
      {
        name: 'PROPFIND without credentials is refused (default auth type denyall)',
        method: 'PROPFIND',
        path: '/',
        headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
        body: '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>',
        expect: {
          status: 401,
          bodyIncludes: 'Access to the requested resource forbidden',
          headerIncludes: { 'www-authenticate': 'Basic realm="Radicale' },
        },
      },
    ],
    notes: [
      'Writes outside the project: the default [storage] filesystem_folder is /var/lib/radicale/collections, created on the first request. As an unprivileged user that cannot create it, every request is a 500 (PermissionError). Make it writable, or set RADICALE_CONFIG (environment) to a config file whose [storage] filesystem_folder is a writable directory (DOCUMENTATION.md, "WSGI Server").',
      "radicale/__init__.py reads its own version from the installed package's metadata at import (importlib.metadata.version('radicale')): from a tree that is not installed, the import fails (PackageNotFoundError) and every request is a 500. `pip install -e` of the project (its setuptools [build-system]) fixes that; so would python3-radicale's metadata (same version), at the cost of a second copy of the module.",
      "Config files read: /etc/radicale/config and ~/.config/radicale/config when they exist, then RADICALE_CONFIG's; the `config` at the project root is upstream's commented template and is not read. Defaults: auth type denyall (every request that needs a user, PROPFIND, REPORT, PUT..., is a 401), the internal web interface on.",
      "The tree has upstream's own Dockerfile and Dockerfile.dev (python:3-alpine, pip install from GitHub / PyPI): the generator's Dockerfile collides with the first (an overwrite conflict; --yes alone must decide).",
      'Also radicale.wsgi at the root (imports radicale.application): a WSGI-script candidate for --entry.',
      'Upstream file modes are 0664 / 0775 (group-writable), as in the tarball.',
    ],
  },
];

/**
 * The corpus app with this id.
 * @throws Error naming the known ids when there is none
 */
export function corpusApp(appId: string): CorpusApp {
  const app = CORPUS_APPS.find(candidate => candidate.id === appId);
  if (!app) throw new Error(`no corpus app "${appId}"; known: ${CORPUS_APPS.map(known => known.id).join(', ')}`);
  return app;
}

/** `wsgi-apache-corpus-sources:<first 16 hex digits of the SHA-256 of the recipe files>`. */
export function sourcesImageTag(): string {
  const hash = createHash('sha256');
  for (const file of RECIPE_FILES) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(CORPUS_DIR, file)));
    hash.update('\0');
  }
  return `${SOURCES_IMAGE_REPOSITORY}:${hash.digest('hex').slice(0, 16)}`;
}

/** What {@link ensureSourcesImage} did. */
export interface SourcesImage {
  tag: string;
  /** false when the tag already existed (nothing was built) */
  built: boolean;
  /** wall-clock seconds of `docker build` alone; 0 when nothing was built */
  buildSeconds: number;
  /** wall-clock seconds in all, waiting for the Docker lock included */
  seconds: number;
}

/**
 * Builds the sources image unless its tag exists: once per machine and recipe. The check
 * is repeated inside the lock, so two test processes never build it twice.
 * Needs Docker and debian:trixie-slim locally, and Debian's archive (packages and sources).
 * @throws Error with the build's last output lines when the build fails
 */
export function ensureSourcesImage(): SourcesImage {
  const tag = sourcesImageTag();
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  if (imageExists(tag)) return { tag, built: false, buildSeconds: 0, seconds: seconds() };
  // Only the recipe goes into the build context, so nothing else in this directory can change the image.
  const context = mkdtempSync(join(tmpdir(), 'wsgi-apache-corpus-context-'));
  try {
    for (const file of RECIPE_FILES) copyFileSync(join(CORPUS_DIR, file), join(context, file));
    // Another process may have built it while we waited for the lock. The last line says
    // what happened, timed inside the lock so that the wait is not counted as build time.
    const script =
      'if docker image inspect "$1" >/dev/null 2>&1; then echo "corpus-build: exists"; ' +
      'else start=$(date +%s); docker build --tag "$1" "$2" && echo "corpus-build: $(( $(date +%s) - start ))"; fi';
    const output = runUnderDockerLock(['sh', '-c', script, 'sh', tag, context], 'building the corpus sources image');
    const built = /corpus-build: (\d+)\s*$/.exec(output);
    return { tag, built: built !== null, buildSeconds: built ? Number(built[1]) : 0, seconds: seconds() };
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/**
 * Copies one app's project tree out of the sources image (building it first if needed):
 * `docker create` + `docker cp` of /corpus/<id>/. into a fresh directory under the OS temp
 * directory, mode 0755 like a checkout (mkdtemp makes 0700), files owned by the caller.
 * The caller removes it.
 * @returns the project directory's absolute path
 * @throws Error for an unknown id, or when Docker fails
 */
export function materialize(appId: string): string {
  corpusApp(appId);
  const { tag } = ensureSourcesImage();
  const dir = mkdtempSync(join(tmpdir(), `wsgi-apache-corpus-${appId}-`));
  chmodSync(dir, 0o755);
  const container = docker(['create', tag], 'creating a container of the sources image').trim();
  try {
    docker(['cp', `${container}:${CORPUS_ROOT_IN_IMAGE}/${appId}/.`, dir], `copying ${appId} out of ${tag}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    docker(['rm', '--force', container], 'removing the copy container');
  }
  return dir;
}

function imageExists(tag: string): boolean {
  return spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs a command (a docker build, or a script around one) under the Docker build lock (docker-lock.ts); plainly
 * where flock is missing.
 * @param what - for the error message, e.g. `building the corpus sources image`
 * @param input - the command's standard input (e.g. a Dockerfile for `docker build -`)
 * @returns its standard output
 * @throws Error with the last 40 output lines when it exits non-zero
 */
export function runUnderDockerLock(argv: string[], what: string, input?: string): string {
  const [command, ...args] = underDockerLock(argv);
  return runChecked(command!, args, what, input);
}

function docker(args: string[], what: string): string {
  return runChecked('docker', args, what);
}

function runChecked(command: string, args: string[], what: string, input?: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${what}: ${command} ${args.join(' ')} exited ${result.status}:\n${tail}`);
  }
  return result.stdout;
}

/**
 * On a Debian base, pip installs a project offline with Debian's build backend and no build
 * isolation (the app's buildAptPackages and pipBuildArgs); on the python base, the isolated
 * build takes its backend from the wheelhouse, so neither applies.
 */
const ON_DEBIAN = !BASES[TEST_BASE].pypiModWsgi;

/** What app `app` needs on this run's base: its libraries, and on a Debian base the build backend its pyproject.toml names. */
export function corpusLibraries(app: CorpusApp): Library[] {
  return [...app.libraries, ...(ON_DEBIAN ? [{ apt: app.buildAptPackages }] : [])];
}

/** The pip build arguments app `app` builds with on this run's base: none on the python base, whose wheelhouse has its backend. */
export function corpusPipEnv(app: CorpusApp): Record<string, string> {
  return ON_DEBIAN ? app.pipBuildArgs : {};
}
