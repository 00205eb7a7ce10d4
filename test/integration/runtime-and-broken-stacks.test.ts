/**
 * The same image, started with plain `docker run`, is tuned by its environment (no
 * rebuild), and deliberately broken stacks make the checks fail with a message that
 * says what is wrong.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerLogs } from '../helpers/compose.js';
import { ContainerTracker, type InteractiveContainer, runInteractive, runToExit } from '../helpers/docker-run.js';
import { pollUntil } from '../helpers/net.js';
import { buildPlainImage } from '../helpers/project.js';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad, checkConcurrency } from '../helpers/load-checks.js';

const IMAGE = 'wsgi-apache-it-runtime:latest';
const containers = new ContainerTracker();
const start = (image: string, env: Record<string, string> = {}) => containers.run(image, env);

beforeAll(() => buildPlainImage(IMAGE, 'wsgi-apache-it-runtime', { processes: '2', threads: '5' }));
afterAll(() => containers.removeAll(IMAGE));

describe('one image, tuned at run time', () => {
  it.each([
    ['the generated 2 processes x 5 threads by default', {}, 2, 5],
    [
      '3 processes x 4 threads when WSGI_PROCESSES / WSGI_THREADS say so',
      { WSGI_PROCESSES: '3', WSGI_THREADS: '4' },
      3,
      4,
    ],
  ])('runs %s', async (_shape, env, processes, threads) => {
    const { baseUrl } = await start(IMAGE, env);
    const report = await checkConcurrency(baseUrl, '/whoami', processes, threads);
    expect(report.pids).toHaveLength(processes);
  });

  it.each([
    [{ WSGI_THREADS: '0' }, 'WSGI_THREADS=0 is out of range; set WSGI_THREADS to a number from 1 to 256'],
    [
      { WSGI_PROCESSES: 'two' },
      'WSGI_PROCESSES="two" is not a whole number; set WSGI_PROCESSES to a number from 1 to 64',
    ],
  ])('refuses an invalid tunable at start with one clear line: %j', async (env, problem) => {
    const { exitCode, output } = await runToExit(IMAGE, env);
    expect(exitCode).toBe(1);
    expect(output.trim()).toBe(`wsgi-apache: invalid configuration: ${problem}`);
  });
});

describe('broken stacks fail the checks, saying why', () => {
  it('one process with one thread: the concurrency check reports serialised requests', async () => {
    const { baseUrl } = await start(IMAGE, { WSGI_PROCESSES: '1', WSGI_THREADS: '1' });
    // 300 ms sleeps, not the default 1 s: serialised, the 20 requests take 6 s instead of 20.
    await expect(checkConcurrency(baseUrl, '/whoami', 2, 5, 300)).rejects.toThrow(
      /concurrency: 20 requests sleeping 300 ms took \d+ ms \(limit 1050 ms\); expected 2 processes x 5 threads in parallel, saw 1 processes and 1 threads/,
    );
  });

  it('a daemon user that cannot read the app: the load check reports 5xx, the log says why', async () => {
    // The image makes its own copy of the app readable (issue 27, finding 1), so the unreadable
    // module is bind-mounted over it: root's, mode 0600, as a mount with the wrong owner is.
    const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-unreadable-'));
    const module = join(dir, 'hello.py');
    writeFileSync(module, 'def application(environ, start_response):\n    pass\n');
    chmodSync(module, 0o600);
    const { baseUrl, id } = await containers.run(IMAGE, {}, { Binds: [`${module}:/srv/app/hello.py:ro`] });
    const report = await runLoad({
      baseUrl,
      path: '/',
      connections: 8,
      amount: 200,
      verifyBody: body => body === 'Hello from plain WSGI\n',
    });
    expect(() => assertCleanLoad(report, 200)).toThrow(
      /load on \/ with 8 connections failed: \d+ responses with a 5xx status; \d+ responses with a wrong body/,
    );
    expect(containerLogs(id, 100)).toMatch(/PermissionError: \[Errno 13\] Permission denied: '\/srv\/app\/hello\.py'/);
  });
});

describe('debug mode (development only)', () => {
  it('WSGI_DEBUG_MODE=1 serves from exactly one process and one thread, and tells the app', async () => {
    const { baseUrl } = await start(IMAGE, { WSGI_ENVIRONMENT: 'development', WSGI_DEBUG_MODE: '1' });
    const startedAt = performance.now();
    const answers = (await Promise.all(
      [0, 1, 2].map(async () => (await fetch(`${baseUrl}/whoami?sleep=300`)).json()),
    )) as { pid: number; thread: number; debug_mode: string | null }[];
    const elapsed = performance.now() - startedAt;
    // Embedded in Apache's only process (-X), which is PID 1; one thread, so one at a time.
    expect(new Set(answers.map(a => a.pid))).toEqual(new Set([1]));
    expect(new Set(answers.map(a => a.thread)).size).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(answers[0].debug_mode).toBe('true');
  });

  it('WSGI_DEBUGGER=1 opens pdb post-mortem on the terminal attached to the container', async () => {
    const container = containers.track(
      await runInteractive(IMAGE, { WSGI_ENVIRONMENT: 'development', WSGI_DEBUGGER: '1' }),
    );
    const response = fetch(`${container.baseUrl}/boom`);
    await waitForOutput(container, '(Pdb)', 15_000);
    expect(container.output()).toContain('RuntimeError: boom, the answer was 42');
    container.type('p answer * 10\n');
    await waitForOutput(container, '420', 10_000);
    container.type('c\n');
    expect((await response).status).toBe(500);
  });

  it('WSGI_DEBUGGER_STARTUP=1 stops in pdb as the process starts, before the app is imported', async () => {
    const container = containers.track(
      await runInteractive(IMAGE, { WSGI_ENVIRONMENT: 'development', WSGI_DEBUGGER_STARTUP: '1' }, 0),
    );
    await waitForOutput(container, '(Pdb)', 15_000);
    expect(container.output()).toContain('debugger at startup (WSGI_DEBUGGER_STARTUP=1)');
    container.type("p ('app imported', 'hello' in sys.modules)\n");
    await waitForOutput(container, "('app imported', False)", 10_000);
    container.type('c\n');
    const served = await pollUntil(`${container.baseUrl}/`, status => status === 200, 15_000);
    expect(served.body).toBe('Hello from plain WSGI\n');
    // Debug mode (implied): embedded in Apache's only process.
    expect(await whoami(container.baseUrl)).toMatchObject({ pid: 1, debug_mode: 'true' });
  });

  it('the production image runs daemon mode, reload and debug off, when nothing is set', async () => {
    const { baseUrl } = await start(IMAGE);
    const answer = await whoami(baseUrl);
    expect(answer.pid).not.toBe(1);
    expect(answer.debug_mode).toBeNull();
  });

  it('in production, development features are ignored with a warning unless forced', async () => {
    const ignored = await start(IMAGE, { WSGI_DEBUG_MODE: '1', WSGI_RELOAD_ON_CHANGES: '1' });
    const answer = await whoami(ignored.baseUrl);
    expect(answer.pid).not.toBe(1);
    expect(answer.debug_mode).toBeNull();
    const log = containerLogs(ignored.id, 100);
    expect(log).toContain(
      'wsgi-apache: WSGI_RELOAD_ON_CHANGES=1 ignored: WSGI_ENVIRONMENT=production (set WSGI_FORCE_DEVELOPMENT_FEATURES=1 to force it)',
    );
    expect(log).toContain('wsgi-apache: WSGI_DEBUG_MODE=1 ignored: WSGI_ENVIRONMENT=production');
    expect(log).not.toContain('Starting change monitor');

    // The request tools and the startup debugger too: no wrapper, nothing written.
    const tools = ['WSGI_PROFILER', 'WSGI_RECORDER', 'WSGI_COVERAGE', 'WSGI_DEBUGGER_STARTUP'];
    const refused = await start(IMAGE, Object.fromEntries(tools.map(name => [name, '1'])));
    expect((await fetch(`${refused.baseUrl}/`)).status).toBe(200);
    expect(await whoami(refused.baseUrl)).toMatchObject({ debug_mode: null });
    const refusedLog = containerLogs(refused.id, 100);
    for (const name of tools)
      expect(refusedLog).toContain(`wsgi-apache: ${name}=1 ignored: WSGI_ENVIRONMENT=production`);
    const inside = execFileSync(
      'docker',
      ['exec', refused.id, 'sh', '-c', 'tr "\\0" " " < /proc/1/cmdline; ls -a /srv/app'],
      { encoding: 'utf8' },
    );
    expect(inside).toMatch(/^\/usr\/sbin\/apache2 -DFOREGROUND /);
    expect(inside).not.toContain('WSGI_DEV_TOOLS');
    expect(inside).not.toContain('.wsgi');

    const forced = await start(IMAGE, { WSGI_DEBUG_MODE: '1', WSGI_FORCE_DEVELOPMENT_FEATURES: '1' });
    expect(await whoami(forced.baseUrl)).toMatchObject({ pid: 1, debug_mode: 'true' });
    expect(containerLogs(forced.id, 100)).toContain(
      'wsgi-apache: WARNING: WSGI_DEBUG_MODE=1 is forced on in production (WSGI_FORCE_DEVELOPMENT_FEATURES=1)',
    );
  });
});

/** The fixture app's /whoami: the process that served it, and mod_wsgi's debug mode when it is on. */
async function whoami(baseUrl: string): Promise<{ pid: number; debug_mode: string | null }> {
  return (await (await fetch(`${baseUrl}/whoami`)).json()) as { pid: number; debug_mode: string | null };
}

/** Waits until the container has printed `text`; fails with the end of what it printed. */
async function waitForOutput(container: InteractiveContainer, text: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!container.output().includes(text)) {
    if (performance.now() > deadline)
      throw new Error(`${text} not printed within ${timeoutMs} ms; output:\n${container.output().slice(-2000)}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
