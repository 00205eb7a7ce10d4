/**
 * Two apps of different frameworks behind one Apache (--mount): the Flask shop at / and a
 * Werkzeug service at /api, each in its own daemon process group, the service in a virtualenv
 * of its own. Both serve with their prefix; a crash or a request-timeout restart in one group
 * fails no request of the other under load; an edit reloads only the group it belongs to.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedDockerComposeEnvironment, StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad } from '../helpers/load-checks.js';
import { checkJson } from '../helpers/check-process.js';
import { composeBuild, composeUp, containerLogs, removeStack, type Shape } from '../helpers/compose.js';
import { removeImages } from '../helpers/docker-run.js';
import { FIXTURE_APPS, ownProjectAsDeveloper } from '../helpers/fixture-apps.js';
import { freePort, pollUntil } from '../helpers/net.js';
import { FIXTURES, makeProject, scaffoldOnBase } from '../helpers/project.js';
import { LIBRARIES } from '../helpers/test-base.js';

const NAME = 'wsgi-apache-it-mounts';
const SHOP = FIXTURE_APPS.flask;
const LOAD = { connections: 16, durationSeconds: 10 };

interface Served {
  stack?: StartedDockerComposeEnvironment;
  container: StartedTestContainer;
  url: string;
}

/** The daemon process ids of each group, by display-name `(wsgi:GROUP)`. */
async function daemonPids(container: StartedTestContainer): Promise<Record<string, number[]>> {
  const { stdout } = await container.exec([
    'sh',
    '-c',
    'for d in /proc/[0-9]*; do printf "%s " "${d#/proc/}"; tr "\\0" " " < "$d/cmdline" 2>/dev/null; echo; done',
  ]);
  const groups: Record<string, number[]> = {};
  for (const line of stdout.split('\n')) {
    const match = /^(\d+) \(wsgi:([a-z0-9-]+)\)/.exec(line);
    if (match) (groups[match[2]] ??= []).push(Number(match[1]));
  }
  for (const pids of Object.values(groups)) pids.sort((a, b) => a - b);
  return groups;
}

/** The service's answer at /api/ (its JSON). */
async function service(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** The shop's `--flags` plus the service mounted at /api from its own directory. */
async function scaffoldTwoApps(): Promise<string> {
  const dir = makeProject({ fixture: SHOP.fixture });
  cpSync(join(FIXTURES, 'werkzeug-api'), join(dir, 'api'), { recursive: true });
  await scaffoldOnBase(dir, { name: NAME, ...SHOP.flags, mount: ['/api=api/service:application'] }, [LIBRARIES.flask]);
  return dir;
}

/** For the enclosing suite: the two apps served in `shape` with `env`. */
function served(shape: Shape, env: Record<string, string> = {}): Served & { dir: string } {
  const it = {} as Served & { dir: string };
  beforeAll(async () => {
    it.dir = await scaffoldTwoApps();
    composeBuild(it.dir);
    if (shape === 'development') ownProjectAsDeveloper(it.dir);
    const port = await freePort();
    it.stack = await composeUp(it.dir, NAME, shape, { PUBLISH_PORT: String(port), ...env });
    it.container = it.stack.getContainer(`${NAME}-1`);
    it.url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => removeStack(it.stack));
  return it;
}

/** Loads the shop's page with {@link LOAD} while `disturb` runs against the service; the shop's load must be clean. */
async function shopUnharmedBy(url: string, disturb: () => Promise<void>): Promise<void> {
  // The load outlasts the disturbance: it starts first and runs on after it.
  const load = runLoad({ baseUrl: url, path: SHOP.loadPath, verifyBody: SHOP.verifyBody, ...LOAD });
  await disturb();
  const report = await load;
  console.log(
    `shop under ${LOAD.connections} connections for ${LOAD.durationSeconds} s: ${report.requests} requests, ${report.errors} errors, ${report.status5xx} 5xx, ${report.mismatches} wrong bodies`,
  );
  assertCleanLoad(report, 1);
  expect(report.requests).toBeGreaterThan(100);
}

describe('two apps behind one Apache, production shape', () => {
  // One thread per service process: mod_wsgi's request-timeout is then the request's own time
  // (with N threads, the sum over the active requests divided by N).
  const stack = served('production', { WSGI_API_REQUEST_TIMEOUT: '2', WSGI_API_THREADS: '1' });
  afterAll(() => removeImages(`${NAME}:latest`));

  it('serves both, each building its URLs with its own prefix, the service from its own virtualenv', async () => {
    const page = await fetch(`${stack.url}/`);
    expect(SHOP.verifyBody(await page.text())).toBe(true);
    expect(await service(stack.url)).toMatchObject({
      item_url: '/api/items/3',
      script_name: '/api',
      path_info: '/',
      prefix: '/opt/venvs/api',
    });
    const item = await fetch(`${stack.url}/api/items/7`);
    expect(await item.json()).toMatchObject({ item: 7, path_info: '/items/7' });
    // /apix is not under /api: the shop's router answers it.
    expect((await fetch(`${stack.url}/apix`)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('runs each group with its own tunables: WSGI_API_REQUEST_TIMEOUT=2 and WSGI_API_THREADS=1, the rest from WSGI_*', async () => {
    const { stdout } = await stack.container.exec(['sh', '-c', '. /etc/apache2/envvars && env']);
    expect(stdout).toMatch(/^WSGI_API_REQUEST_TIMEOUT=2$/m);
    expect(stdout).toMatch(/^WSGI_API_THREADS=1$/m);
    expect(stdout).toMatch(/^WSGI_API_PROCESSES=2$/m);
    expect(stdout).toMatch(/^APACHE_MAX_REQUEST_WORKERS=1024$/m);
    const pids = await daemonPids(stack.container);
    expect(pids.app).toHaveLength(2);
    expect(pids.api).toHaveLength(2);
  });

  it("fails no shop request while the service's daemon processes crash", async () => {
    const before = await daemonPids(stack.container);
    await shopUnharmedBy(stack.url, async () => {
      for (let i = 0; i < 4; i++) {
        await fetch(`${stack.url}/api/crash`).catch(() => undefined);
        await new Promise(resolve => setTimeout(resolve, 800));
      }
    });
    const after = await daemonPids(stack.container);
    expect(after.app).toEqual(before.app);
    expect(after.api.some(pid => !before.api.includes(pid))).toBe(true);
    expect((await service(stack.url)).script_name).toBe('/api');
  });

  it('fails no shop request while request-timeout restarts the service group', async () => {
    const before = await daemonPids(stack.container);
    let stuck: number[] = [];
    await shopUnharmedBy(stack.url, async () => {
      const started = performance.now();
      stuck = await Promise.all(
        [1, 2].map(() =>
          fetch(`${stack.url}/api/sleep?seconds=30`).then(
            r => r.status,
            () => 0,
          ),
        ),
      );
      console.log(`2 requests stuck in the service ended after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
    expect(stuck.every(status => status !== 200)).toBe(true);
    const after = await daemonPids(stack.container);
    expect(after.app).toEqual(before.app);
    expect((await service(stack.url)).script_name).toBe('/api');
    // At the default LogLevel warn, each replaced process says why (mod_wsgi itself: info only).
    const stopped = containerLogs(stack.container.getId(), 1_000_000)
      .split('\n')
      .filter(line => /daemon process \(pid=\d+\) of group 'api' stopping: request_timeout/.test(line));
    expect(stopped.length).toBeGreaterThanOrEqual(1);
  });
});

describe('two apps behind one Apache, development shape: an edit reloads its own group only', () => {
  const stack = served('development');

  /** The pids of both groups once each runs its 2 processes (a reload's last replacement may still be starting). */
  async function settled(container: StartedTestContainer): Promise<Record<string, number[]>> {
    for (let tries = 0; tries < 100; tries++) {
      const pids = await daemonPids(container);
      if (pids.app?.length === 2 && pids.api?.length === 2) return pids;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`the groups did not settle at 2 processes each: ${JSON.stringify(await daemonPids(container))}`);
  }

  /** True when `now` holds as many processes as `before`, none of them from `before`. */
  const replacedAll = (before: number[], now: number[] = []) =>
    now.length === before.length && now.every(pid => !before.includes(pid));

  /** Edits `file` (one project-relative path), then waits until `done` holds; @returns milliseconds */
  async function editAndWait(file: string, from: string, to: string, done: () => Promise<boolean>): Promise<number> {
    const path = join(stack.dir, file);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    const start = performance.now();
    writeFileSync(path, text.replace(from, to));
    while (!(await done())) {
      if (performance.now() - start > 30_000) throw new Error(`no reload within 30 s of editing ${file}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    return performance.now() - start;
  }

  it('an edit to the service restarts the api group and leaves the shop group alone', async () => {
    await pollUntil(`${stack.url}/api/`, status => status === 200, 30_000);
    const before = await settled(stack.container);
    const ms = await editAndWait('api/service.py', 'VERSION = "one"', 'VERSION = "two"', async () => {
      const now = await daemonPids(stack.container);
      return replacedAll(before.api, now.api) && (await service(stack.url)).version === 'two';
    });
    const after = await daemonPids(stack.container);
    console.log(`api group reloaded ${ms.toFixed(0)} ms after the edit; app group pids ${before.app} → ${after.app}`);
    expect(after.app).toEqual(before.app);
  });

  it('an edit to the shop restarts the app group and leaves the service group alone', async () => {
    const before = await settled(stack.container);
    const ms = await editAndWait('shop/__init__.py', '"teapot"]', '"teapot", "tray"]', async () =>
      replacedAll(before.app, (await daemonPids(stack.container)).app),
    );
    await pollUntil(`${stack.url}/`, (status, body) => status === 200 && body.includes('<li>tray</li>'), 30_000);
    const after = await daemonPids(stack.container);
    console.log(`app group reloaded ${ms.toFixed(0)} ms after the edit; api group pids ${before.api} → ${after.api}`);
    expect(after.api).toEqual(before.api);
  });
});

describe('yo wsgi-apache:check on the two apps', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scaffoldTwoApps();
  });
  afterAll(() => removeImages(`${NAME}:latest`));

  it('loads both at once and reports each: its prefix, paths, group, processes and load', async () => {
    const { report, error } = await checkJson(dir, { connections: '16', duration: '3' });
    expect(error).toBeUndefined();
    expect(report!.apps.map(app => [app.url, app.group, app.paths, app.connections, app.config])).toEqual([
      ['/', 'app', ['/'], 8, { processes: 2, threads: 5, wsgiMode: 'daemon' }],
      ['/api', 'api', ['/api/'], 8, { processes: 2, threads: 5, wsgiMode: 'daemon' }],
    ]);
    for (const app of report!.apps) {
      expect(app.daemonProcesses).toBe(2);
      expect(app.requests).toBeGreaterThan(50);
      expect(app.statusCodes).toEqual({ 200: app.requests });
    }
    expect(report!.requests).toBe(report!.apps[0].requests + report!.apps[1].requests);
    expect(report!.daemonProcesses).toBe(4);
  });

  it('gives a --path to the app whose prefix holds it, and names that app in a failure', async () => {
    const { report, error } = await checkJson(dir, { path: ['/', '/api/crash'], connections: '8', duration: '2' });
    expect(report!.apps.map(app => [app.url, app.paths])).toEqual([
      ['/', ['/']],
      ['/api', ['/api/crash']],
    ]);
    expect(report!.apps[0].failures).toEqual([]);
    // Crashing processes answer late or never: the failures are the service's, named by its prefix.
    expect(report!.failures.length).toBeGreaterThan(0);
    expect(report!.failures.every(failure => failure.startsWith('/api: '))).toBe(true);
    expect(error?.message).toMatch(/^check failed: \/api: /);
  });
});
