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
      managePy: 'manage.py',
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
      managePy: 'src/manage.py',
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
