/**
 * The same image, started with plain `docker run`, is tuned by its environment (no
 * rebuild), and deliberately broken stacks make the checks fail with a message that
 * says what is wrong.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerLogs } from '../helpers/compose.js';
import { ContainerTracker, runInteractive, runToExit } from '../helpers/docker-run.js';
import { buildPlainImage } from '../helpers/project.js';
import { assertCleanLoad, checkConcurrency, runLoad } from '../../generators/lib/stack-checks.js';

const IMAGE = 'wsgi-apache-it-runtime:latest';
const UNREADABLE_IMAGE = 'wsgi-apache-it-unreadable:latest';
const containers = new ContainerTracker();
const start = (image: string, env: Record<string, string> = {}) => containers.run(image, env);

beforeAll(() => buildPlainImage(IMAGE, { name: 'wsgi-apache-it-runtime', processes: '2', threads: '5' }));
afterAll(() => containers.removeAll(IMAGE, UNREADABLE_IMAGE));

describe('one image, tuned at run time', () => {
  it('runs the generated 2 processes x 5 threads by default', async () => {
    const { baseUrl } = await start(IMAGE);
    const report = await checkConcurrency(baseUrl, '/whoami', 2, 5);
    expect(report.pids).toHaveLength(2);
  });

  it('runs 3 processes x 4 threads when WSGI_PROCESSES / WSGI_THREADS say so', async () => {
    const { baseUrl } = await start(IMAGE, { WSGI_PROCESSES: '3', WSGI_THREADS: '4' });
    const report = await checkConcurrency(baseUrl, '/whoami', 3, 4);
    expect(report.pids).toHaveLength(3);
  });

  it('refuses an invalid tunable at start with one clear line', async () => {
    const zero = await runToExit(IMAGE, { WSGI_THREADS: '0' });
    expect(zero.exitCode).toBe(1);
    expect(zero.output.trim()).toBe(
      'wsgi-apache: invalid configuration: WSGI_THREADS=0 is out of range; set WSGI_THREADS to a number from 1 to 256',
    );
    const word = await runToExit(IMAGE, { WSGI_PROCESSES: 'two' });
    expect(word.exitCode).toBe(1);
    expect(word.output.trim()).toBe(
      'wsgi-apache: invalid configuration: WSGI_PROCESSES="two" is not a whole number; set WSGI_PROCESSES to a number from 1 to 64',
    );
  });
});

describe('broken stacks fail the checks, saying why', () => {
  it('one process with one thread: the concurrency check reports serialised requests', async () => {
    const { baseUrl } = await start(IMAGE, { WSGI_PROCESSES: '1', WSGI_THREADS: '1' });
    await expect(checkConcurrency(baseUrl, '/whoami', 2, 5)).rejects.toThrow(
      /concurrency: 20 requests sleeping 300 ms took \d+ ms \(limit 900 ms\); expected 2 processes x 5 threads in parallel, saw 1 processes and 1 threads/,
    );
  });

  it('a daemon user that cannot read the app: the load check reports 5xx, the log says why', async () => {
    await buildPlainImage(UNREADABLE_IMAGE, { name: 'wsgi-apache-it-unreadable' }, dir =>
      chmodSync(join(dir, 'hello.py'), 0o600),
    );
    const { baseUrl, id } = await start(UNREADABLE_IMAGE);
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
    await waitFor(
      () => container.output().includes('(Pdb)'),
      15_000,
      () => container.output(),
    );
    expect(container.output()).toContain('RuntimeError: boom, the answer was 42');
    container.type('p answer * 10\n');
    await waitFor(
      () => container.output().includes('420'),
      10_000,
      () => container.output(),
    );
    container.type('c\n');
    expect((await response).status).toBe(500);
  });

  it('the production image runs daemon mode, reload and debug off, when nothing is set', async () => {
    const { baseUrl } = await start(IMAGE);
    const whoami = (await (await fetch(`${baseUrl}/whoami`)).json()) as { pid: number; debug_mode: string | null };
    expect(whoami.pid).not.toBe(1);
    expect(whoami.debug_mode).toBeNull();
  });

  it('in production, development features are ignored with a warning unless forced', async () => {
    const ignored = await start(IMAGE, { WSGI_DEBUG_MODE: '1', WSGI_RELOAD_ON_CHANGES: '1' });
    const whoami = (await (await fetch(`${ignored.baseUrl}/whoami`)).json()) as {
      pid: number;
      debug_mode: string | null;
    };
    expect(whoami.pid).not.toBe(1);
    expect(whoami.debug_mode).toBeNull();
    const log = containerLogs(ignored.id, 100);
    expect(log).toContain(
      'wsgi-apache: WSGI_RELOAD_ON_CHANGES=1 ignored: WSGI_ENVIRONMENT=production (set WSGI_FORCE_DEVELOPMENT_FEATURES=1 to force it)',
    );
    expect(log).toContain('wsgi-apache: WSGI_DEBUG_MODE=1 ignored: WSGI_ENVIRONMENT=production');
    expect(log).not.toContain('Starting change monitor');

    const forced = await start(IMAGE, { WSGI_DEBUG_MODE: '1', WSGI_FORCE_DEVELOPMENT_FEATURES: '1' });
    const debug = (await (await fetch(`${forced.baseUrl}/whoami`)).json()) as {
      pid: number;
      debug_mode: string | null;
    };
    expect(debug).toMatchObject({ pid: 1, debug_mode: 'true' });
    expect(containerLogs(forced.id, 100)).toContain(
      'wsgi-apache: WARNING: WSGI_DEBUG_MODE=1 is forced on in production (WSGI_FORCE_DEVELOPMENT_FEATURES=1)',
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; output:\n${describe().slice(-2000)}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
