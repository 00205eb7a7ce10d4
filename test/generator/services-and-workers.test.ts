/**
 * `--service` and `--worker` as written: the services detected from a Django + Celery project's
 * requirements and settings, their Compose services (image, health check, volume, password
 * secret), the app's URLs, the start order, the workers in both shapes and in Kubernetes. The
 * stacks run in test/integration/services.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { checkKustomization, KUBERNETES_MODELS, podSecurityRestrictedViolations } from '../helpers/kubernetes.js';
import { makeProject, runGenerator } from '../helpers/project.js';

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
type Compose = {
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
};
const compose = (dir: string, file = 'compose.yaml') => parse(read(dir, file), { merge: true }) as Compose;

/** A Django project set up as Celery's "First steps with Django" tells: proj/celery.py beside the settings. */
function celeryProject(extra: Record<string, string> = {}) {
  return makeProject({
    fixture: 'django-project',
    files: {
      'requirements.txt': 'Django>=4.2\npsycopg2-binary==2.9.9\ncelery[redis]>=5.2\n',
      'mysite/celery.py':
        'import os\nfrom celery import Celery\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napp = Celery("mysite")\napp.config_from_object("django.conf:settings", namespace="CELERY")\napp.autodiscover_tasks()\n',
      ...extra,
    },
  });
}

describe('a Django + Celery project with defaults', async () => {
  const dir = celeryProject();
  await runGenerator(dir, { yes: true, kubernetes: true, name: 'mysite' });
  const production = compose(dir);
  const development = parse(read(dir, 'compose.override.yaml'), { merge: true }) as Compose;

  it('detects PostgreSQL and Redis from requirements.txt, and the Celery worker from mysite/celery.py', () => {
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(stored.services).toEqual(['postgres', 'redis']);
    expect(stored.workers).toEqual(['worker=python -m celery -A mysite worker --loglevel=INFO']);
  });

  it('runs each service from its official image with a health check and a named volume', () => {
    const { postgres, redis } = production.services;
    expect(postgres.image).toBe('docker.io/library/postgres:17');
    expect(postgres.healthcheck).toMatchObject({ test: ['CMD', 'pg_isready', '-U', 'app', '-d', 'app'] });
    expect(postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(postgres.environment).toMatchObject({ POSTGRES_PASSWORD_FILE: '/run/secrets/POSTGRES_PASSWORD' });
    expect(postgres.secrets).toEqual(['POSTGRES_PASSWORD']);
    expect(redis.image).toBe('docker.io/library/redis:7');
    expect(redis.healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
    expect(Object.keys(production.volumes ?? {})).toEqual(expect.arrayContaining(['postgres-data', 'redis-data']));
    expect(postgres.ports).toBeUndefined();
  });

  it('keeps the password in .secrets/, out of Git, shared by the database and the app', () => {
    expect(production.secrets?.POSTGRES_PASSWORD.file).toBe('./.secrets/POSTGRES_PASSWORD');
    const password = read(dir, '.secrets/POSTGRES_PASSWORD');
    expect(password).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(statSync(join(dir, '.secrets')).mode & 0o777).toBe(0o700);
    expect(read(dir, '.gitignore')).toMatch(/^\/\.secrets\/$/m);
    // DJANGO_SECRET_KEY: the variable mysite/settings.py reads SECRET_KEY from, a secret by default.
    expect(production.services.mysite.secrets).toEqual(['DJANGO_SECRET_KEY', 'POSTGRES_PASSWORD']);
    expect(read(dir, '.secrets/DJANGO_SECRET_KEY')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(JSON.stringify(JSON.parse(read(dir, '.yo-rc.json')))).not.toContain(password.trim());
  });

  it('rebuilds the app under `docker compose watch` when requirements.txt changes, with no -f flags', () => {
    expect(development.services.mysite.develop).toEqual({
      watch: [
        { action: 'rebuild', path: 'Dockerfile' },
        { action: 'rebuild', path: 'requirements.txt' },
      ],
    });
  });

  it('gives the app REDIS_URL in its environment and DATABASE_URL from the password, in docker/entrypoint', () => {
    expect(production.services.mysite.environment?.REDIS_URL).toBe('redis://redis:6379/0');
    expect(production.services.mysite.environment?.DATABASE_URL).toBeUndefined();
    expect(read(dir, 'docker/wsgi-apache.env')).toContain(
      '\nDATABASE_URL POSTGRES_PASSWORD postgres://app: @postgres:5432/app\n',
    );
  });

  it('starts the app, its init and its worker once the services are healthy, the app after init', () => {
    const healthy = { condition: 'service_healthy' };
    expect(production.services.init.depends_on).toEqual({ postgres: healthy, redis: healthy });
    const afterInit = { postgres: healthy, redis: healthy, init: { condition: 'service_completed_successfully' } };
    expect(production.services.mysite.depends_on).toEqual(afterInit);
    expect(production.services.worker.depends_on).toEqual(afterInit);
  });

  it("runs the worker from the app image, unpublished, exec-ed for a warm shutdown, with Celery's own health check", () => {
    const worker = production.services.worker;
    expect(worker.image).toBe('mysite:latest');
    expect(worker.build).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.command).toEqual([
      'python3',
      '/srv/app/docker/worker.py',
      '/bin/sh',
      '-c',
      'exec python -m celery -A mysite worker --loglevel=INFO',
    ]);
    expect(worker.environment).toEqual(production.services.mysite.environment);
    expect(worker.stop_grace_period).toBe(production.services.mysite.stop_grace_period);
    expect((worker.healthcheck as { test: string[] }).test).toEqual([
      'CMD',
      '/bin/sh',
      '/usr/local/bin/wsgi-apache-entrypoint',
      '/bin/sh',
      '-c',
      'exec python -m celery -A mysite inspect ping --destination "celery@$$HOSTNAME" --timeout 5',
    ]);
  });

  it('runs the worker under docker/worker.py, restarting it on code changes in development, as the host user', () => {
    const worker = development.services.worker;
    expect(worker.command).toBeUndefined();
    expect(worker.environment).toMatchObject({ WSGI_RELOAD_ON_CHANGES: '1' });
    expect(worker.volumes).toEqual(development.services.mysite.volumes);
    expect(worker.user).toBe('root');
    expect(existsSync(join(dir, 'docker/worker.py'))).toBe(true);
  });

  it("writes a Deployment per worker, reading the Secret that holds the services' URLs", () => {
    const docs = parseAllDocuments(read(dir, 'kubernetes/workers.yaml'))
      .map(doc => doc.toJS())
      .filter(Boolean);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'Deployment', metadata: { name: 'mysite-worker' } });
    const container = docs[0].spec.template.spec.containers[0];
    expect(container.args).toEqual(production.services.worker.command);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'mysite-config' } },
      { secretRef: { name: 'mysite-secrets' } },
    ]);
    expect(read(dir, 'kubernetes/kustomization.yaml')).toMatch(/^ {2}- workers\.yaml$/m);
    for (const doc of docs) expect(() => new KUBERNETES_MODELS.Deployment(doc as never).validate()).not.toThrow();
    expect(podSecurityRestrictedViolations(docs[0].spec.template.spec)).toEqual([]);
    const files = Object.fromEntries(
      readdirSync(join(dir, 'kubernetes')).map(file => [`kubernetes/${file}`, read(dir, `kubernetes/${file}`)]),
    );
    expect(() => checkKustomization(files)).not.toThrow();
    expect(read(dir, 'kubernetes/configmap.yaml')).not.toContain('REDIS_URL');
    expect(read(dir, 'kubernetes/deployment.yaml')).toContain('DATABASE_URL REDIS_URL');
  });
});

describe('--service and --worker given', () => {
  it('runs MariaDB and memcached as asked, with no worker for a project without Celery', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'hello', service: ['mariadb', 'memcached'] });
    const { services } = compose(dir);
    expect(services.mariadb).toMatchObject({
      image: 'docker.io/library/mariadb:11',
      healthcheck: { test: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'] },
      volumes: ['mariadb-data:/var/lib/mysql'],
    });
    expect(services.memcached.image).toBe('docker.io/library/memcached:1');
    expect(services.memcached.volumes).toBeUndefined();
    expect(services.hello.environment?.CACHE_URL).toBe('pymemcache://memcached:11211');
    expect(read(dir, 'docker/wsgi-apache.env')).toContain(
      '\nDATABASE_URL MARIADB_PASSWORD mysql://app: @mariadb:3306/app\n',
    );
    expect(Object.keys(services).sort()).toEqual(['hello', 'mariadb', 'memcached']);
  });

  it('runs any command as a worker, with the image health check turned off', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, worker: ['jobs=python -m jobs --queue default'] });
    const worker = compose(dir).services.jobs;
    expect(worker.command).toEqual([
      'python3',
      '/srv/app/docker/worker.py',
      '/bin/sh',
      '-c',
      'exec python -m jobs --queue default',
    ]);
    expect(worker.healthcheck).toEqual({ disable: true });
    expect(worker.depends_on).toBeUndefined();
  });

  it.each([
    [
      { service: 'oracle' },
      '--service: "oracle" is not a service this generator runs. Fix: use postgres, mysql, redis, memcached',
    ],
    [{ service: 'postgres,mysql' }, "--service: postgres and mysql would both be the app's DATABASE_URL"],
    [{ worker: 'celery -A proj worker' }, '--worker: "celery -A proj worker" has no command'],
    [{ worker: 'Celery_Worker=celery worker' }, '--worker: "Celery_Worker" is not a service name'],
    [{ worker: 'postgres=sleep 1', service: 'postgres' }, '--worker: postgres is also'],
    [{ worker: 'hello=sleep 1' }, '--worker: hello is also'],
  ])('refuses %j in one line, writing nothing', async (flags, message) => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(dir, { yes: true, name: 'hello', ...flags })).rejects.toThrow(message);
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
  });
});

describe('drivers PyPI has only the source of', () => {
  /** The Dockerfile's stage `name`, from its FROM line to the next. */
  const stage = (dockerfile: string, name: string) => {
    const from = dockerfile.indexOf(` AS ${name}\n`);
    const end = dockerfile.indexOf('\nFROM ', from);
    return dockerfile.slice(from, end < 0 ? undefined : end);
  };

  it('psycopg2: built in the dependency stage against libpq-dev, run with libpq5 in the image', async () => {
    const dir = celeryProject({ 'requirements.txt': 'Django>=4.2\npsycopg2==2.9.10\n' });
    await runGenerator(dir, { yes: true, name: 'mysite' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(stage(dockerfile, 'python-deps')).toMatch(
      /apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \\\n[^\n]*\n[^\n]*\n(?:.*\n)*.*pip-install .*-r all-requirements\.txt/,
    );
    expect(stage(dockerfile, 'system')).toContain('apt-get install -y --no-install-recommends libpq5 \\');
    // The image ships neither the compiler nor the headers.
    expect(stage(dockerfile, 'system')).not.toMatch(/gcc|libpq-dev/);
  });

  it('on a Debian base, with Python headers from python3-dev; psycopg2-binary needs neither', async () => {
    const dir = celeryProject({ 'requirements.txt': 'Django>=4.2\nmysqlclient\n' });
    await runGenerator(dir, { yes: true, name: 'mysite', base: 'trixie' });
    expect(read(dir, 'Dockerfile')).toContain('gcc libc6-dev python3-dev default-libmysqlclient-dev pkg-config \\');
    expect(read(dir, 'Dockerfile')).toContain('--no-install-recommends libmariadb3 \\');
    const binary = celeryProject();
    await runGenerator(binary, { yes: true, name: 'mysite' });
    expect(read(binary, 'Dockerfile')).not.toContain('libpq');
    expect(stage(read(binary, 'Dockerfile'), 'python-deps')).not.toContain('gcc');
  });
});
