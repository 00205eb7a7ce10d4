import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { parseEntry } from '../../generators/app/entry.js';
import {
  defaultAppEnvironment,
  defaultDataDirs,
  defaultHealthPath,
  defaultInitCommands,
  defaultSecrets,
  djangoRuntime,
  flaskInstanceDir,
} from '../../generators/app/runtime-needs.js';
import { projectWith } from '../helpers/project.js';
import { FLASK_APP } from '../helpers/python-sources.js';

const settings = (lines: string[]) =>
  ['from pathlib import Path', 'BASE_DIR = Path(__file__).resolve().parent.parent', ...lines, ''].join('\n');
const django = (files: Record<string, string>, prefix = '') =>
  projectWith({
    [`${prefix}manage.py`]: "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
    [`${prefix}site1/__init__.py`]: '',
    [`${prefix}site1/wsgi.py`]: 'application = None\n',
    ...files,
  });

describe('djangoRuntime', () => {
  it('reads the SQLite file, the admin login URL and STATIC_URL of a startproject site', () => {
    const root = django({
      'site1/settings.py': settings([
        "ROOT_URLCONF = 'site1.urls'",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
        "STATIC_URL = 'static/'",
      ]),
      'site1/urls.py': "urlpatterns = [\n    path('admin/', admin.site.urls),\n]\n",
    });
    expect(djangoRuntime(detectProject(root), root)).toEqual({
      manage: 'python manage.py',
      compressOffline: false,
      sqliteFile: 'db.sqlite3',
      adminLogin: '/admin/login/',
      staticUrl: '/static',
      readsDatabaseUrl: false,
    });
  });

  it('follows manage.py under src/, os.path.join, re_path and another admin prefix; a CDN STATIC_URL is not aliased', () => {
    const root = django(
      {
        'src/site1/settings.py': settings([
          'ROOT_URLCONF = "site1.urls"',
          'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "data.db")}}',
          'STATIC_URL = "https://cdn.example.com/static/"',
        ]),
        'src/site1/urls.py': 'urlpatterns = [re_path(r"^backoffice/", admin.site.urls)]\n',
      },
      'src/',
    );
    const runtime = djangoRuntime(detectProject(root), root);
    expect(runtime).toEqual({
      manage: 'python src/manage.py',
      compressOffline: false,
      sqliteFile: 'src/data.db',
      adminLogin: '/backoffice/login/',
      readsDatabaseUrl: false,
    });
    expect(defaultInitCommands(parseEntry('site1.wsgi:application', root, ['src']), detectProject(root), root)).toEqual(
      ['python src/manage.py migrate --noinput'],
    );
  });

  it('PostgreSQL and no admin: no data directory, health path /', () => {
    const root = django({
      'site1/settings.py': settings(["DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}"]),
    });
    const facts = detectProject(root);
    expect(defaultDataDirs(parseEntry('site1.wsgi:application', root), facts, root)).toEqual([]);
    expect(defaultHealthPath(facts, root)).toBe('/');
  });
});

describe('Django without manage.py (issue 27.9)', () => {
  const script = (settingsModule: string, assign = true) =>
    [
      'import os, sys',
      assign
        ? `os.environ["DJANGO_SETTINGS_MODULE"] = "${settingsModule}"`
        : `os.environ.setdefault('DJANGO_SETTINGS_MODULE', '${settingsModule}')`,
      'from django.core.wsgi import get_wsgi_application',
      'application = get_wsgi_application()',
      '',
    ].join('\n');

  it('a .wsgi script below the root that names settings in the project: Django, migrate through python -m django', () => {
    const root = projectWith({
      'deploy/site.wsgi': script('site1.settings'),
      'site1/__init__.py': '',
      'site1/settings.py': settings([
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
        "STATIC_ROOT = BASE_DIR / 'staticfiles'",
      ]),
    });
    const facts = detectProject(root);
    expect(facts).toMatchObject({
      framework: 'django',
      entryCandidates: ['deploy/site.wsgi'],
      djangoSettingsModule: 'site1.settings',
      djangoSettingsDir: '.',
      djangoManage: 'python -m django',
      djangoStatic: { url: '/static', root: 'staticfiles' },
    });
    expect(facts.djangoManagePy).toBeUndefined();
    const entry = parseEntry('deploy/site.wsgi', root);
    expect(defaultInitCommands(entry, facts, root)).toEqual(['python -m django migrate --noinput']);
    expect(defaultDataDirs(entry, facts, root)).toEqual(['var']);
  });

  it('settings of an installed package (setdefault): the migrate default, every settings-derived default off', () => {
    const root = projectWith({ 'www/cgi-bin/graphite.wsgi': script('graphite.settings', false) });
    const facts = detectProject(root);
    expect(facts).toMatchObject({ framework: 'django', djangoSettingsModule: 'graphite.settings' });
    expect(facts.djangoSettingsDir).toBeUndefined();
    const entry = parseEntry('www/cgi-bin/graphite.wsgi', root);
    expect(defaultInitCommands(entry, facts, root)).toEqual(['python -m django migrate --noinput']);
    expect(defaultHealthPath(facts, root)).toBe('/');
  });

  it("a *-manage console script in pyproject.toml's [project.scripts] runs the migrations", () => {
    const root = projectWith({
      'app.wsgi': script('tracker.settings'),
      'pyproject.toml': [
        '[build-system]',
        'requires = ["setuptools"]',
        'build-backend = "setuptools.build_meta"',
        '[project]',
        'name = "tracker"',
        'version = "1.0"',
        '[project.scripts]',
        'tracker-manage = "tracker.manage:main"',
        '',
      ].join('\n'),
      'tracker/__init__.py': '',
      'tracker/settings.py': settings([]),
    });
    const facts = detectProject(root);
    expect(facts.djangoManage).toBe('tracker-manage');
    expect(defaultInitCommands(parseEntry('app.wsgi', root), facts, root)).toEqual([
      'tracker-manage migrate --noinput',
    ]);
  });

  it('a .wsgi script that does not load Django is no Django project', () => {
    const root = projectWith({
      'app.wsgi': 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "x.settings"\napplication = None\n',
    });
    expect(detectProject(root).framework).toBe('generic');
  });
});

describe('django-compressor (issue 27.12)', () => {
  const compressor = (lines: string[]) =>
    django({
      'site1/settings.py': settings(["INSTALLED_APPS = ['django.contrib.staticfiles', 'compressor']", ...lines]),
    });

  it("compressing while serving: STATIC_ROOT's CACHE/ (or COMPRESS_OUTPUT_DIR) is a data directory", () => {
    const root = compressor(["STATIC_ROOT = BASE_DIR / 'staticfiles'"]);
    const entry = parseEntry('site1.wsgi:application', root);
    expect(defaultDataDirs(entry, detectProject(root), root)).toEqual(['staticfiles/CACHE']);
    const renamed = compressor(["STATIC_ROOT = BASE_DIR / 'staticfiles'", "COMPRESS_OUTPUT_DIR = 'min'"]);
    expect(defaultDataDirs(entry, detectProject(renamed), renamed)).toEqual(['staticfiles/min']);
  });

  it('COMPRESS_OFFLINE = True: no volume, the build compresses', () => {
    const root = compressor(["STATIC_ROOT = BASE_DIR / 'staticfiles'", 'COMPRESS_OFFLINE = True']);
    const facts = detectProject(root);
    expect(defaultDataDirs(parseEntry('site1.wsgi:application', root), facts, root)).toEqual([]);
    expect(djangoRuntime(facts, root)?.compressOffline).toBe(true);
  });

  it('without a STATIC_ROOT in the project: refused in one line naming the settings file and both fixes', () => {
    expect(() => detectProject(compressor([]))).toThrow(
      /^site1\/settings\.py: django-compressor writes into STATIC_ROOT while serving.*Fix: set STATIC_ROOT inside the project .*or COMPRESS_OFFLINE = True/,
    );
  });
});

describe('data directories the project names (issue 27.8)', () => {
  const flaskless = (files: Record<string, string>) =>
    projectWith({ 'app.py': 'def application(environ, start_response):\n    pass\n', ...files });
  const dirs = (root: string, setenv: string[] = []) =>
    defaultDataDirs(parseEntry('app:application', root), detectProject(root), root, setenv);

  it('a path inside the project that --setenv names: its first missing or empty folder', () => {
    const root = flaskless({ 'code/x.py': '' });
    expect(dirs(root, ['TRAC_ENV=/srv/app/tracenv', 'DEBUG=1'])).toEqual(['tracenv']);
    expect(dirs(root, ['DB=/srv/app/data/app.db'])).toEqual(['data']);
    expect(dirs(root, ['UPLOADS=/srv/app/code/uploads'])).toEqual(['code/uploads']);
    // The project root, a folder holding code and paths outside the project are no data directories.
    expect(dirs(root, ['DB=/srv/app/app.db', 'CODE=/srv/app/code', 'TMP=/tmp/x', 'UP=/srv/app/../etc'])).toEqual([]);
  });

  it('folders named in a config file that --setenv points at (Radicale)', () => {
    const root = flaskless({
      'radicale.conf':
        '[auth]\nhtpasswd_filename = /srv/app/users\n[storage]\nfilesystem_folder = /srv/app/collections\n',
      users: 'alice:pw\n',
    });
    expect(dirs(root, ['RADICALE_CONFIG=/srv/app/radicale.conf'])).toEqual(['collections']);
  });

  it('empty folders and folders holding only a placeholder; not static/, hidden or non-empty ones', () => {
    const root = flaskless({
      'media/.gitkeep': '',
      'logs/.keep': '',
      'static/.gitkeep': '',
      '.cache/.gitkeep': '',
      'docs/index.md': '',
    });
    expect(dirs(root)).toEqual(['logs', 'media']);
  });

  it('a folder inside another data directory is left to the outer one', () => {
    const root = flaskless({ 'var/.gitkeep': '' });
    expect(dirs(root, ['DB=/srv/app/var/db/app.sqlite'])).toEqual(['var']);
  });
});

describe('Django settings read from the environment', () => {
  it.each([
    ['SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'DJANGO_SECRET_KEY'],
    ["SECRET_KEY = os.environ.get('SECRET_KEY', 'dev')", 'SECRET_KEY'],
    ['SECRET_KEY = os.getenv("APP_SECRET")', 'APP_SECRET'],
    ['SECRET_KEY = env("DJANGO_SECRET_KEY")', 'DJANGO_SECRET_KEY'],
    ["SECRET_KEY = 'django-insecure-abc'", undefined],
  ])('%s: SECRET_KEY from %s, a secret by default', (line, variable) => {
    const root = django({ 'site1/settings.py': settings([line]) });
    expect(djangoRuntime(detectProject(root), root)?.secretKeyVariable).toBe(variable);
    expect(defaultSecrets(detectProject(root), root)).toEqual(variable ? [variable] : []);
  });

  it.each([
    [
      'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")',
      'DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1',
    ],
    ["ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split()", 'ALLOWED_HOSTS=localhost 127.0.0.1'],
    ['ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])', 'ALLOWED_HOSTS=localhost,127.0.0.1'],
    ["ALLOWED_HOSTS = ['example.com']", undefined],
  ])('%s: --setenv %s by default, the hosts the stack is reached at', (line, setenv) => {
    const root = django({ 'site1/settings.py': settings([line]) });
    expect(defaultAppEnvironment(detectProject(root), root)).toEqual(setenv ? [setenv] : []);
  });

  it('knows settings that read DATABASE_URL themselves (dj-database-url, django-environ)', () => {
    const reads = django({
      'site1/settings.py': settings(["DATABASES = {'default': dj_database_url.config(env='DATABASE_URL')}"]),
    });
    expect(djangoRuntime(detectProject(reads), reads)?.readsDatabaseUrl).toBe(true);
  });
});

describe('Flask', () => {
  it('instance/ sits beside the top-level package or module, also in a src/ layout', () => {
    const root = projectWith({
      'app.py': FLASK_APP,
      'src/pkg/__init__.py': '',
      'src/pkg/web.py': 'from flask import Flask\ndef create_app():\n    return Flask(__name__)\n',
      'plain.py': 'def application(e, s):\n    pass\n',
    });
    const instanceDirOf = (entry: string) => flaskInstanceDir(parseEntry(entry, root), root);
    expect(['app:app', 'pkg.web:create_app()', 'plain:application'].map(instanceDirOf)).toEqual([
      'instance',
      'src/instance',
      undefined,
    ]);
  });

  it('init-db runs only while the instance folder is empty; an app without one gets no init command', () => {
    const root = projectWith({
      'shop/__init__.py': FLASK_APP,
      'shop/cli.py': "@app.cli.command('initdb')\ndef initdb():\n    pass\n",
      'other.py': FLASK_APP,
    });
    const facts = detectProject(root);
    expect(defaultInitCommands(parseEntry('shop:app', root), facts, root)).toEqual([
      '[ -n "$(ls -A instance 2>/dev/null)" ] || python -m flask --app shop:app initdb',
    ]);
    expect(defaultInitCommands(parseEntry('other:app', root), facts, root)).toEqual([]);
  });
});
