/**
 * `--service` and `--worker` parsing and detection (generators/app/services.ts, workers.ts), and
 * the DATABASE_URL parser the Django settings fall back on (runtime/django/wsgi_apache_database_url.py).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { detectServices, parseServices } from '../../generators/app/services.js';
import { detectWorkers, parseWorkers, workerHealthcheck } from '../../generators/app/workers.js';
import { packageRoot } from '../../generators/lib/package-root.js';
import { makeProject } from '../helpers/project.js';

const detected = (files: Record<string, string>, apt: string[] = []) => {
  const root = makeProject({ fixture: 'django-project', files });
  return detectServices(root, detectProject(root), apt);
};

describe('--service', () => {
  it('takes names comma-separated or repeated, with the usual other names, each once', () => {
    expect(parseServices('postgresql, redis')).toEqual(['postgres', 'redis']);
    expect(parseServices(['mariadb', 'memcache', 'valkey', 'redis'])).toEqual(['mysql', 'memcached', 'redis']);
    expect(parseServices('')).toEqual([]);
  });

  it('refuses an unknown service, and two databases for one DATABASE_URL', () => {
    expect(() => parseServices('mongodb')).toThrow('--service: "mongodb" is not a service this generator runs');
    expect(() => parseServices('mysql,postgres')).toThrow("postgres and mysql would both be the app's DATABASE_URL");
  });

  it("detects the drivers in requirements, pyproject.toml and --apt-packages, and the settings' engines", () => {
    expect(detected({ 'requirements.txt': 'psycopg2-binary==2.9\nDjango\n' })).toEqual(['postgres']);
    expect(detected({ 'requirements.txt': '-r base.txt\n', 'base.txt': 'celery[redis]>=5\n' })).toEqual(['redis']);
    expect(
      detected({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = [\n  "PyMySQL>=1",\n  "pymemcache",\n]\n' }),
    ).toEqual(['mysql', 'memcached']);
    expect(detected({}, ['python3-psycopg2', 'python3-celery'])).toEqual(['postgres', 'redis']);
    expect(
      detected({
        'mysite/settings.py':
          "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache'}}\n",
      }),
    ).toEqual(['postgres', 'redis']);
  });

  it('detects nothing in a project that names no service (SQLite, no cache)', () => {
    expect(detected({ 'requirements.txt': 'Django\nredisearch-tools-not-redis\n' })).toEqual([]);
  });
});

describe('--worker', () => {
  it('takes NAME=COMMAND items, commas and = kept in the command', () => {
    expect(parseWorkers(['worker=celery -A proj worker -Q a,b', 'beat=celery -A proj beat -s /tmp/x=y'])).toEqual([
      { name: 'worker', command: 'celery -A proj worker -Q a,b' },
      { name: 'beat', command: 'celery -A proj beat -s /tmp/x=y' },
    ]);
  });

  it('refuses an item without a command, a name Compose or Kubernetes refuses, and a name twice', () => {
    expect(() => parseWorkers('worker')).toThrow('--worker: "worker" has no command');
    expect(() => parseWorkers('Worker=x')).toThrow('--worker: "Worker" is not a service name');
    expect(() => parseWorkers(['w=a', 'w=b'])).toThrow('--worker: w is given twice');
  });

  it("finds the Celery app beside Django's settings, as Celery's First steps with Django lays it out", () => {
    const root = makeProject({
      fixture: 'django-project',
      files: { 'mysite/celery.py': 'from celery import Celery\napp = Celery("mysite")\n' },
    });
    expect(detectWorkers(root, detectProject(root))).toEqual([
      { name: 'worker', command: 'python -m celery -A mysite worker --loglevel=INFO' },
    ]);
    const without = makeProject({ fixture: 'django-project' });
    expect(detectWorkers(without, detectProject(without))).toEqual([]);
  });

  it("checks a Celery worker with Celery's inspect ping of its own node, and other commands not at all", () => {
    expect(workerHealthcheck('celery -A mysite worker --loglevel=INFO')).toEqual([
      '/bin/sh',
      '-c',
      'exec celery -A mysite inspect ping --destination "celery@$HOSTNAME" --timeout 5',
    ]);
    expect(workerHealthcheck('celery -A mysite beat')).toEqual([]);
    expect(workerHealthcheck('rq worker')).toEqual([]);
  });
});

describe('runtime/django/wsgi_apache_database_url.py', () => {
  const parse = (url: string) => {
    const script = join(packageRoot(), 'runtime/django');
    const result = spawnSync(
      'python3',
      [
        '-I',
        '-B',
        '-c',
        `import sys, json; sys.path.insert(0, ${JSON.stringify(script)}); from wsgi_apache_database_url import parse; print(json.dumps(parse(sys.argv[1])))`,
        url,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(result.stderr.trim().split('\n').at(-1));
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it('reads the URLs the services produce, percent-decoding the password', () => {
    expect(parse('postgres://app:p%40ss@postgres:5432/app')).toEqual({
      ENGINE: 'django.db.backends.postgresql',
      NAME: 'app',
      USER: 'app',
      PASSWORD: 'p@ss',
      HOST: 'postgres',
      PORT: '5432',
      OPTIONS: {},
    });
    expect(parse('mysql://app:x@mariadb:3306/app?charset=utf8mb4')).toMatchObject({
      ENGINE: 'django.db.backends.mysql',
      OPTIONS: { charset: 'utf8mb4' },
    });
    expect(parse('sqlite:////srv/app/var/db.sqlite3')).toEqual({
      ENGINE: 'django.db.backends.sqlite3',
      NAME: '/srv/app/var/db.sqlite3',
    });
  });

  it('refuses a scheme with no Django backend, naming DATABASE_URL', () => {
    expect(() => parse('mongodb://x/y')).toThrow("DATABASE_URL: scheme 'mongodb' is not one of");
  });
});
