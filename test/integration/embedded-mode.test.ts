/**
 * `--wsgi-mode embedded` (issue 30): the app inside Apache's own children. It serves a keep-alive
 * load with no error, runs at most WSGI_THREADS requests in Python per child, survives a child
 * that crashes under load (measured: what the crash costs the others), stops gracefully with
 * requests in flight, and ends a hung child after WSGI_REQUEST_TIMEOUT. The same image still runs
 * in daemon mode with WSGI_MODE=daemon.
 */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { containerLogs } from '../helpers/compose.js';
import { ContainerTracker, type RunningContainer } from '../helpers/docker-run.js';
import { assertCleanLoad } from '../helpers/load-checks.js';
import { buildPlainImage } from '../helpers/project.js';
import { checkJson } from '../helpers/check-process.js';

const IMAGE = 'wsgi-apache-it-embedded:latest';
const docker = new Docker();
const containers = new ContainerTracker();
const hello = (body: string) => body === 'Hello from plain WSGI\n';

function start(env: Record<string, string> = {}): Promise<RunningContainer> {
  return containers.run(IMAGE, env);
}

/** Host pids of Apache's children in the container (its apache2 processes whose parent is apache2). */
async function apacheChildren(id: string): Promise<number[]> {
  const top = await docker.getContainer(id).top({ ps_args: '-eo pid,ppid,args' });
  const rows = (top.Processes ?? []).filter((row: string[]) => /apache2/.test(row[2]));
  const apache = new Set(rows.map((row: string[]) => row[0]));
  return rows
    .filter((row: string[]) => apache.has(row[1]))
    .map((row: string[]) => Number(row[0]))
    .sort((a: number, b: number) => a - b);
}

/** Polls {@link apacheChildren} until `done` holds of them (20 s at most), then returns them. */
async function childrenOnceThey(id: string, done: (pids: number[]) => boolean): Promise<number[]> {
  let pids = await apacheChildren(id);
  for (let tries = 0; !done(pids) && tries < 40; tries++) {
    await new Promise(resolve => setTimeout(resolve, 500));
    pids = await apacheChildren(id);
  }
  return pids;
}

let dir: string;
beforeAll(async () => {
  dir = await buildPlainImage(IMAGE, 'wsgi-apache-it-embedded', { 'wsgi-mode': 'embedded' });
});
afterAll(() => containers.removeAll(IMAGE));

describe('--wsgi-mode embedded', () => {
  it("serves 64 keep-alive connections with no error from WSGI_PROCESSES of Apache's own children, no daemon", async () => {
    const { baseUrl, id } = await start();
    const report = await runLoad({ baseUrl, path: '/', connections: 64, amount: 4_000, verifyBody: hello });
    console.log(
      `[embedded under load] ${report.requests} requests, ${report.errors} errors, ${report.non2xx} non-2xx, ` +
        `${report.serverClosed} keep-alive connections closed by the server, p99 ${report.p99} ms`,
    );
    assertCleanLoad(report, 4_000);
    expect(report.serverClosed).toBe(0);
    // WSGI_PROCESSES (2) children answer, and no (wsgi:app) daemon process exists.
    expect(await apacheChildren(id)).toHaveLength(2);
    const top = await docker.getContainer(id).top({ ps_args: '-eo pid,args' });
    expect(top.Processes!.map((row: string[]) => row[1]).join('\n')).not.toContain('wsgi:app');
    expect(containerLogs(id, 20_000)).not.toMatch(/AH00484|MaxRequestWorkers/);
  });

  it('runs at most WSGI_THREADS requests in Python at once per child, and a request waiting past WSGI_QUEUE_TIMEOUT gets a 504', async () => {
    const { baseUrl } = await start({ WSGI_PROCESSES: '1', WSGI_THREADS: '2', WSGI_QUEUE_TIMEOUT: '2' });
    // 6 requests of 400 ms through 2 slots: three rounds, at least 1.2 s (in parallel: 0.4 s).
    const begin = performance.now();
    const six = await Promise.all(
      Array.from({ length: 6 }, async () => (await fetch(`${baseUrl}/whoami?sleep=400`)).status),
    );
    const elapsed = performance.now() - begin;
    console.log(`[embedded WSGI_THREADS=2] 6 requests of 400 ms took ${Math.round(elapsed)} ms`);
    expect(six).toEqual([200, 200, 200, 200, 200, 200]);
    expect(elapsed).toBeGreaterThanOrEqual(1_150);
    // Both slots held for 5 s: a third request waits 2 s, then 504.
    const holders = [0, 1].map(() => fetch(`${baseUrl}/whoami?sleep=5000`).then(r => r.status));
    await new Promise(resolve => setTimeout(resolve, 300));
    const queued = await fetch(`${baseUrl}/`);
    expect(queued.status).toBe(504);
    expect(await queued.text()).toContain('WSGI_QUEUE_TIMEOUT');
    expect(await Promise.all(holders)).toEqual([200, 200]);
  });

  it('a child that crashes under load is replaced at once; the crash costs at most the requests that child was serving', async () => {
    const { baseUrl, id } = await start();
    const before = await apacheChildren(id);
    const load = runLoad({ baseUrl, path: '/', connections: 64, amount: 4_000, verifyBody: hello });
    await new Promise(resolve => setTimeout(resolve, 300));
    const crash = await fetch(`${baseUrl}/crash`).then(
      response => `HTTP ${response.status}`,
      (error: Error) => String(error.cause ?? error),
    );
    const report = await load;
    console.log(
      `[embedded child crash under load] the crashing request: ${crash}; the load: ${report.requests} requests, ` +
        `${report.errors} errors, ${report.non2xx} non-2xx, ${report.serverClosed} reissued`,
    );
    // Each of the 64 connections could have had one request in that child: no more may fail.
    expect(report.errors + report.non2xx).toBeLessThanOrEqual(64);
    expect(report.requests).toBeGreaterThanOrEqual(4_000 - 64);
    // The crashed child's place is taken: two children again, not the same two.
    const after = await childrenOnceThey(id, pids => pids.length === 2 && pids.join() !== before.join());
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
    expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    const clean = await runLoad({ baseUrl, path: '/', connections: 64, amount: 2_000, verifyBody: hello });
    assertCleanLoad(clean, 2_000);
  });

  it('docker stop with requests in flight: each is answered, and Apache exits 0', async () => {
    const { baseUrl, id } = await start();
    const inFlight = Array.from({ length: 8 }, () => fetch(`${baseUrl}/whoami?sleep=3000`).then(r => r.status));
    await new Promise(resolve => setTimeout(resolve, 500));
    const stopped = performance.now();
    await docker.getContainer(id).stop({ t: 30 });
    const seconds = (performance.now() - stopped) / 1000;
    console.log(`[embedded graceful stop] 8 requests of 3 s in flight; the stop took ${seconds.toFixed(1)} s`);
    expect(await Promise.all(inFlight)).toEqual(Array(8).fill(200));
    expect((await docker.getContainer(id).inspect()).State.ExitCode).toBe(0);
    expect(seconds).toBeLessThan(15);
  });

  it('a hung request: after WSGI_REQUEST_TIMEOUT its child logs the stacks and is killed, the hung client gets an error, the container serves on', async () => {
    const { baseUrl, id } = await start({ WSGI_THREADS: '1', WSGI_REQUEST_TIMEOUT: '2' });
    const before = await apacheChildren(id);
    const begin = performance.now();
    const hung = await fetch(`${baseUrl}/whoami?sleep=120000`, { signal: AbortSignal.timeout(60_000) }).then(
      response => `HTTP ${response.status}`,
      (error: Error) => String(error.cause ?? error),
    );
    const seconds = (performance.now() - begin) / 1000;
    console.log(`[embedded hang] the hung request ended after ${seconds.toFixed(1)} s: ${hung}`);
    expect(hung).not.toBe('HTTP 200');
    expect(seconds).toBeLessThan(10);
    const logs = containerLogs(id, 50_000);
    expect(logs).toMatch(/request-timeout: 1 request\(s\) running for \d+ s reached WSGI_REQUEST_TIMEOUT=2 s/);
    expect(logs).toContain('time.sleep(');
    const after = await childrenOnceThey(id, pids => pids.length === 2 && pids.join() !== before.join());
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
    assertCleanLoad(await runLoad({ baseUrl, path: '/', connections: 16, amount: 500, verifyBody: hello }), 500);
  });

  it("yo wsgi-apache:check passes it, counting Apache's children as the app's processes", async () => {
    const { report, error } = await checkJson(dir, { path: ['/', '/whoami'] });
    expect(error).toBeUndefined();
    expect(report).toMatchObject({
      shape: 'production',
      config: { processes: 2, threads: 5, wsgiMode: 'embedded' },
      transportErrors: 0,
      daemonProcesses: 2,
      passed: true,
    });
  });

  it('the same image in daemon mode with WSGI_MODE=daemon', async () => {
    const { baseUrl, id } = await start({ WSGI_MODE: 'daemon' });
    assertCleanLoad(await runLoad({ baseUrl, path: '/', connections: 16, amount: 500, verifyBody: hello }), 500);
    const top = await docker.getContainer(id).top({ ps_args: '-o pid,args' });
    expect(top.Processes!.filter((row: string[]) => row[1].includes('(wsgi:app)'))).toHaveLength(2);
  });
});
