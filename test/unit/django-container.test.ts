/**
 * runtime/django/wsgi_apache_container.py on its own (what the image's Django settings change,
 * and what they leave alone), and the generated docker/django/wsgi_apache_settings.py imported
 * the way the image imports it, over a `django-admin startproject` layout.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { makeProject, runGenerator } from '../helpers/project.js';
import { djangoProject } from '../helpers/python-sources.js';
import { runWithModule } from '../helpers/runtime-module.js';

const MODULE = join(packageRoot(), 'runtime/django/wsgi_apache_container.py');

/** `container_settings(settings, **options)` as JSON (paths as strings). */
function changed(settings: string, options = '', env: Record<string, string> = {}): unknown {
  const code = [
    `sys.path.insert(0, ${JSON.stringify(join(packageRoot(), 'runtime/django'))})`,
    `result = c.container_settings(${settings}${options ? `, ${options}` : ''}, environ=os.environ)`,
    'print(json.dumps(result, default=str, sort_keys=True))',
  ].join('\n');
  const run = runWithModule(MODULE, 'c', code, env);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

const SQLITE = "{'DATABASES': {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '/srv/app/db.sqlite3'}}}";

describe('runtime/django/wsgi_apache_container.py', () => {
  it('sets STATIC_ROOT only where the settings have none', () => {
    expect(changed('{}', 'static_root="/srv/static"')).toEqual({ STATIC_ROOT: '/srv/static' });
    expect(changed("{'STATIC_ROOT': '/x'}", 'static_root="/srv/static"')).toEqual({});
    expect(changed('{}')).toEqual({});
  });

  it('takes DATABASES["default"] from DATABASE_URL with persistent, checked connections, keeping the other aliases', () => {
    const settings = "{'DATABASES': {'default': {'ENGINE': 'x'}, 'other': {'ENGINE': 'y'}}}";
    expect(changed(settings, '', { DATABASE_URL: 'postgres://u:p%40ss@db:5432/app' })).toEqual({
      DATABASES: {
        default: {
          ENGINE: 'django.db.backends.postgresql',
          NAME: 'app',
          USER: 'u',
          PASSWORD: 'p@ss',
          HOST: 'db',
          PORT: '5432',
          OPTIONS: {},
          CONN_MAX_AGE: 60,
          CONN_HEALTH_CHECKS: true,
        },
        other: { ENGINE: 'y' },
      },
    });
    // Settings that read DATABASE_URL themselves, or no DATABASE_URL: nothing changes.
    expect(changed(settings, 'database_url=False', { DATABASE_URL: 'postgres://db/app' })).toEqual({});
    expect(changed(settings)).toEqual({});
  });

  it('moves a SQLite file in a read-only project to the data directory, and nothing else', () => {
    const move = 'sqlite_data_dir="/srv/app/var", writable=lambda path: False';
    expect(changed(SQLITE, move)).toEqual({
      DATABASES: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: '/srv/app/var/db.sqlite3' } },
    });
    // Writable (the development bind mount), no data directory, outside the project, in memory, another engine.
    expect(changed(SQLITE, 'sqlite_data_dir="/srv/app/var", writable=lambda path: True')).toEqual({});
    expect(changed(SQLITE, 'writable=lambda path: False')).toEqual({});
    expect(changed(SQLITE.replace('/srv/app/', '/data/'), move)).toEqual({});
    expect(changed(SQLITE.replace('/srv/app/db.sqlite3', ':memory:'), move)).toEqual({});
    expect(changed(SQLITE.replace('sqlite3', 'postgresql'), move)).toEqual({});
  });
});

describe('docker/django/wsgi_apache_settings.py as generated', () => {
  it('imports the project settings and applies the container settings, as the image imports it', async () => {
    const settings = [
      'from pathlib import Path',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      'DEBUG = True',
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
      "STATIC_URL = 'static/'",
      '',
    ].join('\n');
    const dir = makeProject({ files: djangoProject(settings) });
    await runGenerator(dir, { yes: true, name: 'mysite', 'skip-build': true });
    const run = spawnSync(
      'python3',
      [
        '-I',
        '-B',
        '-c',
        [
          'import json, sys',
          `sys.path[:0] = [${JSON.stringify(dir)}, ${JSON.stringify(join(dir, 'docker/django'))}]`,
          'import wsgi_apache_settings as s',
          'print(json.dumps({"static": s.STATIC_ROOT, "db": s.DATABASES["default"], "debug": s.DEBUG}, default=str))',
        ].join('\n'),
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATABASE_URL: 'postgres://u:p@db/app' } },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      static: '/srv/static',
      db: expect.objectContaining({
        ENGINE: 'django.db.backends.postgresql',
        HOST: 'db',
        NAME: 'app',
        CONN_MAX_AGE: 60,
      }),
      // The project's own settings are all there.
      debug: true,
    });
  });
});
