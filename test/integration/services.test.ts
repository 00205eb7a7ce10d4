/**
 * A Django project on a real PostgreSQL and Redis with a Celery worker, scaffolded with defaults
 * plus the two --setenv a Celery user gives (the broker and the result backend), owned by a
 * developer whose uid is not 1000. No mocks: the services are the official images, or here their
 * stand-ins built from Debian's packages (images/services/build.sh).
 *
 * The project is the corpus's Django tutorial site (test/corpus, made with Debian's django-admin)
 * with Celery added as Celery's "First steps with Django" tells (docs.celeryq.dev/en/stable/django/
 * first-steps-with-django.html): mysite/celery.py and mysite/__init__.py as the document has them,
 * its `add` shared task in polls/tasks.py. The three views in polls/views.py are ours: one writes a
 * Question, one enqueues `add`, one reads a task's result back.
 *
 * Proves, in the production shape: migrations ran against PostgreSQL (DATABASE_URL through the
 * generated settings), an admin login writes its session there, a view's task runs on the worker
 * and its result comes back, 64 connections on a page writing to the database give 0 errors, and
 * the data survives `down` and `up` without `-v`. The same image with WSGI_MODE=embedded: 64
 * connections on the writing page give 0 errors and leave no more PostgreSQL connections than
 * WSGI_PROCESSES x WSGI_THREADS (the app's own threads, not Apache's). In the development shape:
 * the worker runs as the developer and an edit of the task's code restarts it, so the next task
 * runs the new code. Then
 * `yo wsgi-apache:check` on the writing page, with the connections seen in `pg_stat_activity`.
 *
 * Last, `--service mysql,memcached` on the plain fixture in both shapes: MariaDB accepts the
 * DATABASE_URL docker/entrypoint builds from its password secret, memcached answers at CACHE_URL.
 *
 * On the python base the libraries come from the wheelhouse (psycopg2 as its sdist, built by the
 * generated Dockerfile against libpq-dev); on trixie from Debian's packages. The check and the
 * MariaDB stack run on the default base only (scope.ts).
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSourcesImage, materialize } from '../corpus/sources.js';
import { chownTree } from '../helpers/commands.js';
import { createSuperuserAndLogIn } from '../helpers/django-admin.js';
import {
  composeAsync,
  composeBuild,
  composeUp,
  containerLogs,
  removeStack,
  type Shape,
  SHAPES,
} from '../helpers/compose.js';
import { pollFor } from '../helpers/poll.js';
import { freePort, pollUntil } from '../helpers/net.js';
import { FIXTURES, scaffoldOnBase } from '../helpers/project.js';
import { IMAGE_ENTRYPOINT } from '../../generators/lib/image-layout.js';
import { LIBRARIES, TEST_BASE } from '../helpers/test-base.js';
import { DEFAULT_BASE } from '../../generators/app/bases.js';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad } from '../helpers/load-checks.js';
import { checkJson } from '../helpers/check-process.js';
import { DEV_UID } from './fixtures.js';
import { CELERY_FILES, CELERY_SETENV } from './support/celery-project.js';

const NAME = 'wsgi-apache-it-services';

/** Faster health probes for the tests (the app's every second, the worker's every 2 s), as compose.ts does. */
function fastHealthFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-services-health-')), 'compose.health.yaml');
  writeFileSync(
    file,
    `services:\n  ${NAME}:\n    healthcheck:\n      interval: 1s\n  worker:\n    healthcheck:\n      interval: 2s\n      start_period: 0s\n`,
  );
  return file;
}

let dir: string;
let health: string;

/** The same image in embedded mode: WSGI_MODE is the image's, not compose.yaml's, so a file sets it. */
function embeddedModeFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-services-embedded-')), 'compose.embedded.yaml');
  writeFileSync(file, `services:\n  ${NAME}:\n    environment:\n      WSGI_MODE: embedded\n`);
  return file;
}

async function up(
  shape: Shape,
  port: number,
  project: string,
  ...extraFiles: string[]
): Promise<StartedDockerComposeEnvironment> {
  return new DockerComposeEnvironment(dir, [...SHAPES[shape], health, ...extraFiles])
    .withProjectName(project)
    .withEnvironment({ PUBLISH_PORT: String(port) })
    .withWaitStrategy(`${NAME}-1`, Wait.forHealthCheck())
    .withWaitStrategy('worker-1', Wait.forHealthCheck())
    .withStartupTimeout(180_000)
    .up();
}

/** Runs `query` with psql in the PostgreSQL container of the production-shape stack `project`; its unaligned output. */
function psqlIn(project: string, query: string): Promise<string> {
  return composeAsync(dir, [
    '-p',
    project,
    ...SHAPES.production.flatMap(f => ['-f', f]),
    'exec',
    '-T',
    'postgres',
    'psql',
    '-U',
    'app',
    '-d',
    'app',
    '-tAc',
    query,
  ]);
}

/**
 * Brings the stack `project` up in `shape` (plus `extraFiles`) before the enclosing describe's
 * tests and down, volumes too, after them: what the tests read is the returned object's.
 */
function stackPerDescribe(shape: Shape, project: string, ...extraFiles: string[]) {
  const live: { stack?: StartedDockerComposeEnvironment; baseUrl: string; port: number } = { baseUrl: '', port: 0 };
  beforeAll(async () => {
    live.port = await freePort();
    live.baseUrl = `http://127.0.0.1:${live.port}`;
    live.stack = await up(shape, live.port, project, ...extraFiles);
  }, 300_000);
  afterAll(async () => {
    await live.stack?.down({ removeVolumes: true, timeout: 30_000 });
  });
  return live;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

/** Enqueues add(x, y) through the app and waits for the worker's result. */
async function addOnWorker(baseUrl: string, x: number, y: number, accept = (_value: number) => true): Promise<number> {
  const { task } = await json<{ task: string }>(`${baseUrl}/polls/add/?x=${x}&y=${y}`);
  const { body } = await pollUntil(
    `${baseUrl}/polls/result/${task}/`,
    (status, text) => status === 200 && (JSON.parse(text) as { ready: boolean }).ready,
    60_000,
    { intervalMs: 250 },
  );
  const value = (JSON.parse(body) as { value: number }).value;
  if (!accept(value)) throw new Error(`add(${x}, ${y}) gave ${value}`);
  return value;
}

beforeAll(async () => {
  ensureSourcesImage();
  const source = materialize('django-polls');
  dir = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-services-')), NAME);
  renameSync(source, dir);
  for (const [path, text] of Object.entries(CELERY_FILES)) writeFileSync(join(dir, path), text);
  await scaffoldOnBase(dir, { setenv: CELERY_SETENV }, [
    LIBRARIES.django,
    LIBRARIES.psycopg2,
    LIBRARIES.redis,
    LIBRARIES.celery,
  ]);
  chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
  composeBuild(dir);
  health = fastHealthFile();
}, 900_000);

afterAll(() => {
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

it('takes PostgreSQL, Redis and the Celery worker from the project, with no --service or --worker', () => {
  const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wsgi-apache'];
  expect(stored.services).toEqual(['postgres', 'redis']);
  expect(stored.workers).toEqual(['worker=python -m celery -A mysite worker --loglevel=INFO']);
});

describe('production shape', () => {
  const project = `${NAME}-production`;
  const live = stackPerDescribe('production', project);

  const psql = (query: string) => psqlIn(project, query);

  it('migrated PostgreSQL, and an admin login writes its session there', async () => {
    await createSuperuserAndLogIn(
      { dir, project, files: SHAPES.production, service: NAME, baseUrl: live.baseUrl },
      'services-admin',
      'services-pass-1',
    );
    expect(Number((await psql('SELECT count(*) FROM django_session')).trim())).toBeGreaterThanOrEqual(1);
    expect((await psql('SELECT username FROM auth_user')).trim()).toBe('services-admin');
  });

  it('runs a task a view enqueued on the worker, and reads its result back', async () => {
    expect(await addOnWorker(live.baseUrl, 2, 5)).toBe(7);
  });

  it('64 connections on a page writing to PostgreSQL: 0 errors', async () => {
    const before = (await json<{ questions: number }>(`${live.baseUrl}/polls/count/`)).questions;
    const report = await runLoad({
      baseUrl: live.baseUrl,
      path: '/polls/write/',
      connections: 64,
      amount: 320,
      timeoutSeconds: 30,
    });
    console.log(
      `[services] 64 connections, /polls/write/: ${report.requests} requests, p99 ${report.p99} ms, ${report.errors} errors, ${report.non2xx} non-2xx`,
    );
    assertCleanLoad(report, 320);
    const after = (await json<{ questions: number }>(`${live.baseUrl}/polls/count/`)).questions;
    expect(after - before).toBe(report.requests);
  });

  // On the default base only (scope.ts, DEFAULT_BASE_ONLY_SERVICE_PARTS): not registered elsewhere rather than skipped.
  if (TEST_BASE === DEFAULT_BASE) {
    it("docker stop lets the worker finish the task it runs (Celery's warm shutdown), within the grace period", async () => {
      const { task } = await json<{ task: string }>(`${live.baseUrl}/polls/slow-add/?x=20&y=22&seconds=4`);
      const worker = live.stack!.getContainer('worker-1');
      await pollFor(
        () => (containerLogs(worker.getId()).includes(`polls.tasks.slow_add[${task}] received`) ? true : false),
        20_000,
        () => `the worker never received ${task}`,
      );
      const start = performance.now();
      await composeAsync(dir, ['-p', project, ...SHAPES.production.flatMap(f => ['-f', f]), 'stop', 'worker']);
      const seconds = (performance.now() - start) / 1000;
      console.log(`[services] docker compose stop worker with a 4 s task running: ${seconds.toFixed(1)} s`);
      const { ready, value } = await json<{ ready: boolean; value: number }>(`${live.baseUrl}/polls/result/${task}/`);
      expect({ ready, value }).toEqual({ ready: true, value: 42 });
      expect(seconds).toBeLessThan(15);
      await composeAsync(dir, ['-p', project, ...SHAPES.production.flatMap(f => ['-f', f]), 'start', 'worker']);
    });

    it('keeps the data across docker compose down and up (without -v)', async () => {
      const before = (await json<{ questions: number }>(`${live.baseUrl}/polls/count/`)).questions;
      expect(before).toBeGreaterThan(0);
      await live.stack!.down({ removeVolumes: false, timeout: 30_000 });
      live.stack = await up('production', live.port, project);
      expect((await json<{ questions: number }>(`${live.baseUrl}/polls/count/`)).questions).toBe(before);
    }, 300_000);
  }
});

// On the default base only (scope.ts, DEFAULT_BASE_ONLY_SERVICE_PARTS): not registered elsewhere rather than skipped.
if (TEST_BASE === DEFAULT_BASE)
  describe('production shape, WSGI_MODE=embedded (the same image)', () => {
    const project = `${NAME}-embedded`;
    const live = stackPerDescribe('production', project, embeddedModeFile());

    // Django keeps a connection per thread (CONN_MAX_AGE, the generated settings' persistent
    // connections). Apache runs each request on any of its 2 x 512 threads, so the app must run on
    // WSGI_THREADS threads of its own per child for the connections to stay bounded, as in daemon mode.
    it('64 connections on a page writing to PostgreSQL: 0 errors, and at most WSGI_PROCESSES x WSGI_THREADS connections held', async () => {
      const amount = 1280;
      const report = await runLoad({
        baseUrl: live.baseUrl,
        path: '/polls/write/',
        connections: 64,
        amount,
        timeoutSeconds: 90,
      });
      console.log(
        `[services] embedded mode, 64 connections, /polls/write/: ${report.requests} requests, p99 ${report.p99} ms, ${report.errors} errors, ${report.non2xx} non-2xx`,
      );
      // psql itself is refused ("too many clients already") when the app holds every connection.
      const held = Number(
        (
          await psqlIn(
            project,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'app' AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
          )
        ).trim(),
      );
      console.log(`[services] embedded mode: ${held} PostgreSQL connections held after the load`);
      assertCleanLoad(report, amount);
      expect(held).toBeGreaterThan(0);
      // The image's defaults: WSGI_PROCESSES=2, WSGI_THREADS=5.
      expect(held).toBeLessThanOrEqual(2 * 5);
    });
  });

describe('development shape', () => {
  const project = `${NAME}-development`;
  const live = stackPerDescribe('development', project);

  it(`runs the worker as the developer (uid ${DEV_UID}), restarted by an edit of the task's code`, async () => {
    const worker = live.stack!.getContainer('worker-1');
    const { output } = await worker.exec(['stat', '-c', '%u', '/proc/1']);
    expect(output.trim()).toBe(String(DEV_UID));
    expect(await addOnWorker(live.baseUrl, 2, 5)).toBe(7);
    const tasks = join(dir, 'polls/tasks.py');
    writeFileSync(tasks, readFileSync(tasks, 'utf8').replace('return x + y', 'return x + y + 1000'));
    const start = performance.now();
    // The app enqueues either way; the restarted worker runs the new code.
    await pollUntil(`${live.baseUrl}/polls/count/`, status => status === 200, 10_000);
    let value = 0;
    // The edit reloads the web app too (its daemon imports polls.tasks). Once in 11 CI runs a
    // request meeting that reload got a 500 from /polls/add/ 7 s after the save (ci53, cause not
    // yet found): such failures are retried until the deadline, and listed.
    const failures: string[] = [];
    while (value !== 1007 && performance.now() - start < 60_000) {
      try {
        value = await addOnWorker(live.baseUrl, 2, 5);
      } catch (error) {
        failures.push(
          `${((performance.now() - start) / 1000).toFixed(1)} s: ${(error as Error).message.split('\n')[0]}`,
        );
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
    console.log(
      `[services] the worker ran the edited task ${((performance.now() - start) / 1000).toFixed(1)} s after the save; failed requests meanwhile: ${failures.length ? failures.join('; ') : 'none'}`,
    );
    expect(value).toBe(1007);
  }, 120_000);
});

// On the default base only (scope.ts, DEFAULT_BASE_ONLY_SERVICE_PARTS): not registered elsewhere rather than skipped.
if (TEST_BASE === DEFAULT_BASE) {
  it('yo wsgi-apache:check loads a page writing to PostgreSQL and counts the connections the app holds there', async () => {
    const { report, error } = await checkJson(dir, { path: '/polls/write/', connections: '32', duration: '5' });
    expect(error, error?.message).toBeUndefined();
    const { database, config } = report!;
    console.log(
      `[services] check: ${report!.requests} requests (${report!.requestsPerSecond.toFixed(1)} req/s), p99 ${report!.latency.p99} ms, errors ${report!.errorRatePercent.toFixed(2)} %, postgres connections peak ${database?.peak} of ${database?.limit}`,
    );
    expect(report!.passed).toBe(true);
    expect(database).toEqual({
      service: 'postgres',
      peak: expect.any(Number),
      limit: config.processes * config.threads,
    });
    // Persistent connections: some open during the load, never more than one per daemon thread.
    expect(database!.peak).toBeGreaterThan(0);
    expect(database!.peak).toBeLessThanOrEqual(database!.limit);
  }, 600_000);
}

// On the default base only (scope.ts, DEFAULT_BASE_ONLY_SERVICE_PARTS).
if (TEST_BASE === DEFAULT_BASE)
  describe.each(['production', 'development'] as Shape[])(
    '--service mysql,memcached, %s shape: healthy before the app, reached with the URLs it is given',
    shape => {
      const name = 'wsgi-apache-it-mariadb';
      let plain: string;
      let stack: StartedDockerComposeEnvironment | undefined;

      beforeAll(async () => {
        plain = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-mariadb-')), name);
        cpSync(join(FIXTURES, 'plain-wsgi'), plain, { recursive: true });
        await scaffoldOnBase(plain, { service: 'mysql,memcached' });
        chownTree(plain, { uid: DEV_UID, gid: DEV_UID });
        composeBuild(plain);
        stack = await composeUp(plain, name, shape, { PUBLISH_PORT: String(await freePort()) });
      }, 600_000);

      afterAll(async () => {
        await removeStack(stack);
        if (plain) rmSync(join(plain, '..'), { recursive: true, force: true });
      });

      it('MariaDB takes the DATABASE_URL docker/entrypoint builds; memcached answers at CACHE_URL', async () => {
        const app = stack!.getContainer(`${name}-1`);
        const env = await app.exec(['/bin/sh', IMAGE_ENTRYPOINT, 'sh', '-c', 'echo "$DATABASE_URL $CACHE_URL"']);
        const [database, cache] = env.output.trim().split(' ');
        const url = new URL(database!);
        expect({ protocol: url.protocol, host: url.host, user: url.username, path: url.pathname }).toEqual({
          protocol: 'mysql:',
          host: 'mariadb:3306',
          user: 'app',
          path: '/app',
        });
        const query = await stack!
          .getContainer('mariadb-1')
          .exec([
            'mariadb',
            '-h',
            '127.0.0.1',
            '-u',
            url.username,
            `-p${url.password}`,
            'app',
            '-N',
            '-e',
            'SELECT 6 * 7',
          ]);
        expect(query.output.trim()).toBe('42');
        expect(cache).toBe('pymemcache://memcached:11211');
        const version = await app.exec([
          'python3',
          '-c',
          'import socket; s = socket.create_connection(("memcached", 11211), 5); s.sendall(b"version\\r\\n"); print(s.recv(64).decode())',
        ]);
        expect(version.output).toMatch(/^VERSION \d/);
      });
    },
  );
