/**
 * `yo wsgi-apache:check` on scaffolded fixtures: a healthy stack passes with a full
 * report, a slow or crashing one fails with the reason, bad input fails in one line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_PROJECT_PREFIX } from '../../generators/lib/compose-project.js';
import { check, checkJson, RUN_CHECK, startCheckWithoutRyuk } from '../helpers/check-process.js';
import { capture, chownTree } from '../helpers/commands.js';
import { removeImages } from '../helpers/docker-run.js';
import { DEV_UID } from './fixtures.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { makeProject, scaffoldFixture } from '../helpers/project.js';

const NAME = 'wsgi-apache-it-check';

/** The Compose projects of the check's app containers on the engine now (the check names them). */
function checkProjects(): string[] {
  return execFileSync(
    'docker',
    [
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.service=${NAME}`,
      '--format',
      '{{.Label "com.docker.compose.project"}}',
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
}

/** The ids of `project`'s containers, networks and volumes still there, each list '' when none. */
function leftOf(project: string) {
  const filter = ['-q', '--filter', `label=com.docker.compose.project=${project}`];
  const docker = (args: string[]) => execFileSync('docker', [...args, ...filter], { encoding: 'utf8' }).trim();
  return { containers: docker(['ps', '-a']), networks: docker(['network', 'ls']), volumes: docker(['volume', 'ls']) };
}

describe('yo wsgi-apache:check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scaffoldFixture(FIXTURE_APPS.plain.fixture, NAME, FIXTURE_APPS.plain.flags);
  });
  afterAll(async () => {
    await removeImages(`${NAME}:latest`);
  });

  it('passes a healthy stack and reports every field as JSON', async () => {
    const { report, error } = await checkJson(dir, { path: ['/', '/whoami'] });
    expect(error).toBeUndefined();
    expect(report).toMatchObject({
      project: NAME,
      shape: 'production',
      config: { processes: 2, threads: 5, wsgiMode: 'daemon' },
      load: { paths: ['/', '/whoami'], durationSeconds: 3, connections: 32, rate: null },
      transportErrors: 0,
      errorRatePercent: 0,
      daemonProcesses: 2,
      passed: true,
      failures: [],
    });
    expect(report!.requests).toBeGreaterThan(500);
    expect(report!.requestsPerSecond).toBeGreaterThan(100);
    expect(report!.statusCodes).toEqual({ 200: report!.requests });
    const { p50, p95, p99, max } = report!.latency;
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(report!.peakMemoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(report!.peakCpuPercent).toBeGreaterThan(0);
  });

  it('fails a slow app on --max-p99, saying so (on the image the test above built: --skip-build)', async () => {
    const { report, error } = await checkJson(dir, {
      path: ['/whoami?sleep=300'],
      'max-p99': '100',
      connections: '8',
      'skip-build': true,
    });
    expect(report!.passed).toBe(false);
    expect(report!.failures).toEqual([expect.stringMatching(/^p99 latency \d+(\.\d)? ms is above --max-p99 100 ms$/)]);
    expect(report!.latency.p99).toBeGreaterThanOrEqual(300);
    expect(error?.message).toMatch(
      /^check failed: p99 latency \d+(\.\d)? ms is above --max-p99 100 ms\n--- last container error log lines \(stderr\) ---\n/,
    );
  });

  it('--skip-build without the image refuses in one line, before starting anything', async () => {
    const unbuilt = await scaffoldFixture(FIXTURE_APPS.plain.fixture, `${NAME}-unbuilt`, FIXTURE_APPS.plain.flags);
    const { report, error } = await checkJson(unbuilt, { 'skip-build': true });
    expect(error?.message).toBe(
      `--skip-build: there is no image ${NAME}-unbuilt:latest to check. Fix: build it first (docker compose build), or leave --skip-build out.`,
    );
    expect(report).toMatchObject({ passed: false, stage: 'build' });
  });

  it('fails an app that raises on its error rate and shows the container log', async () => {
    const { report, error } = await checkJson(dir, { path: ['/boom'], connections: '8', duration: '2' });
    expect(report!.passed).toBe(false);
    expect(report!.statusCodes['500']).toBe(report!.requests);
    expect(report!.failures).toEqual([
      expect.stringMatching(
        /^error rate 100\.00 % \(0 transport errors, \d+ 5xx of \d+\) is above --max-error-rate 0 %$/,
      ),
    ]);
    expect(error?.message).toMatch(
      /--- last container error log lines \(stderr\) ---\n[\s\S]*RuntimeError: boom, the answer was 42/,
    );
    // The access log (stdout) stays out of it: its batches would crowd out the traceback.
    expect(error?.message).not.toContain('"GET /boom HTTP/1.1" 500');
  });

  it('an app writing into the project: production fails naming --data-dir uploads, development passes with the same warning (issue 27, finding 8)', async () => {
    const write = { path: ['/write'], connections: '4', duration: '1', warmup: '0' };
    const production = await checkJson(dir, write);
    expect(production.report!.passed).toBe(false);
    expect(production.report!.statusCodes['500']).toBe(production.report!.requests);
    const line = (path: string, event: string, where: string) =>
      `wsgi-apache: write-watch: the app writes /srv/app/${path} (${event}), which ${where}: give it a volume with --data-dir uploads (yo wsgi-apache --data-dir uploads)`;
    expect(production.report!.writesIntoProject).toEqual([
      line('uploads', 'os.mkdir', "production's read-only project refuses"),
    ]);
    expect(production.error?.message).toContain(
      `--- writes into the read-only project ---\n${line('uploads', 'os.mkdir', "production's read-only project refuses")}\n`,
    );
    // The developer's own project, as on a real machine: the entry point runs the app as its owner.
    chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
    const development = await checkJson(dir, { ...write, dev: true });
    expect(development.error).toBeUndefined();
    expect(development.report!.statusCodes).toEqual({ 200: development.report!.requests });
    expect(development.report!.writesIntoProject).toEqual([
      line('uploads', 'os.mkdir', "works here, but production's read-only project refuses"),
    ]);
  });

  // The start is the window a handle-based down() misses: up() has not returned yet.
  it.each([
    { stage: 'the start', reached: (_stderr: string, ours: string[]) => ours.length > 0 },
    { stage: 'the load', reached: (stderr: string) => stderr.includes('Loading for 60 s') },
  ])('Ctrl-C during $stage removes everything the check started', async ({ reached }) => {
    const child = spawn(process.execPath, [RUN_CHECK, dir, '--json', '--duration', '60', '--warmup', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = capture(child);
    const deadline = Date.now() + 180_000;
    let seen: string[] = [];
    while (!reached(run.stderr(), (seen = checkProjects()))) {
      if (Date.now() > deadline) throw new Error(`the check never got there; stderr:\n${run.stderr()}`);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^${CHECK_PROJECT_PREFIX}[0-9a-f]{8}$`));
    child.kill('SIGINT');
    expect(await run.closed, `stderr:\n${run.stderr()}`).toBe(130);
    expect(leftOf(seen[0]!)).toEqual({ containers: '', networks: '', volumes: '' });
  });

  it('without a registry for Ryuk: runs without it, says so in one line, removes what it started', async () => {
    const check = startCheckWithoutRyuk(dir, ['--duration', '2', '--warmup', '0', '--connections', '8']);
    // The check names its Compose project at random: learn it from the running container.
    const projects = new Set<string>();
    let running = true;
    void check.closed.then(() => (running = false));
    while (running) {
      for (const project of checkProjects()) projects.add(project);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(await check.closed, `stderr:\n${check.stderr()}`).toBe(0);
    expect(JSON.parse(check.stdout())).toMatchObject({ project: NAME, passed: true });
    expect(
      check
        .stderr()
        .split('\n')
        .filter(line => line.includes('Ryuk')),
    ).toEqual([
      expect.stringMatching(
        /^Ryuk \(registry\.invalid\/testcontainers\/ryuk:0\.14\.0\) is neither present nor pullable \(.+\): running without it; this check removes what it starts itself\.$/,
      ),
    ]);
    expect([...projects]).toEqual([expect.stringMatching(new RegExp(`^${CHECK_PROJECT_PREFIX}[0-9a-f]{8}$`))]);
    expect(leftOf([...projects][0]!)).toEqual({ containers: '', networks: '', volumes: '' });
  });

  it('a build that fails: --json still prints a document, with the stage and the build output', async () => {
    const broken = makeProject();
    cpSync(dir, broken, { recursive: true });
    appendFileSync(join(broken, 'Dockerfile'), 'RUN echo "broken-on-purpose" >&2; exit 3\n');
    const { report, error } = await checkJson(broken, {});
    expect(error?.message).toMatch(/^docker compose build failed \(exit \d+\)/);
    expect(report).toEqual({
      project: NAME,
      shape: 'production',
      passed: false,
      stage: 'build',
      failures: [error!.message],
    });
    expect(error!.message).toContain('broken-on-purpose');
  });

  describe('bad input: one line with the fix', () => {
    it('not a scaffolded project', async () => {
      await expect(check(makeProject({ fixture: 'plain-wsgi' }), {})).rejects.toThrow(
        /the current directory: .* is not a project scaffolded by yo wsgi-apache .*Fix: run yo wsgi-apache there first/,
      );
    });

    it('a path that 404s during warm-up', async () => {
      await expect(check(dir, { path: ['/static/missing.css'] })).rejects.toThrow(
        /--path: \/static\/missing\.css answered 404 during warm-up\. Fix: pass a path the app serves/,
      );
    });

    it('a busy port', async () => {
      const server: Server = await new Promise(resolve => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => resolve(s));
      });
      const port = (server.address() as { port: number }).port;
      try {
        await expect(check(dir, { port: String(port) })).rejects.toThrow(
          new RegExp(`--port: port ${port} on 127\\.0\\.0\\.1 is already in use\\. Fix: pass a free port`),
        );
      } finally {
        server.close();
      }
    });

    it('Docker unreachable', async () => {
      const previous = process.env.DOCKER_HOST;
      process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
      try {
        await expect(check(dir, {})).rejects.toThrow(
          /^Docker: no Docker engine answered \(.*\)\. Fix: start Docker \(or set DOCKER_HOST/,
        );
      } finally {
        if (previous === undefined) delete process.env.DOCKER_HOST;
        else process.env.DOCKER_HOST = previous;
      }
    });
  });
});
