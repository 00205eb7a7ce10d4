// How long a leaking or a hung daemon process lives, and what it costs (issue 25, findings 6
// and 7): the plain fixture in the production shape (compose.yaml alone: its memory limit,
// 2 processes x 5 threads, every other default), under a light load of 4 connections
// throughout. Prints, for each case, the seconds until the process is replaced and the
// requests that failed; asserts nothing.
//   leak: /leak?mb=STEP every second until the process is replaced (WSGI_MAXIMUM_MEMORY's
//         default, or the OOM killer without it);
//   hang: one request that sleeps past request-timeout (60 s), then the same with all 10 threads.
// Usage: npm run bench:recycling [-- base [leakStepMiB]]
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { parseBase } from '../generators/app/bases.js';
import { runLoad } from '../generators/lib/stack-checks.js';
import { compose } from '../test/helpers/compose.js';
import { FIXTURE_APPS } from '../test/helpers/fixture-apps.js';
import { waitFor200 } from './lib/docker.js';
import { pipBuildArgs, scaffold } from './lib/project.js';

const NAME = 'wsgi-apache-bench-recycling';
const PORT = 18769;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const PRODUCTION = ['-f', 'compose.yaml'];
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function pid(): Promise<number> {
  return ((await (await fetch(`${BASE_URL}/whoami`)).json()) as { pid: number }).pid;
}

/** The daemon processes' pids, from /proc in the container (mod_wsgi names them "(wsgi:app)"; slim images have no ps). */
function daemonPids(dir: string): number[] {
  const script =
    'for f in /proc/[0-9]*/cmdline; do grep -qa "^(wsgi:app)" "$f" 2>/dev/null && echo "${f%/cmdline}"; done; true';
  const out = compose(dir, [...PRODUCTION, 'exec', '-T', NAME, 'sh', '-c', script], { PUBLISH_PORT: String(PORT) });
  return out
    .split('\n')
    .filter(line => line.startsWith('/proc/'))
    .map(line => Number(line.slice('/proc/'.length)));
}

/** Runs `work` beside 4 connections of load to /; returns what `work` returned and the load's failures. */
async function underLoad<T>(seconds: number, work: () => Promise<T>): Promise<[T, number, number]> {
  const load = runLoad({ baseUrl: BASE_URL, path: '/', connections: 4, durationSeconds: seconds, rate: 50 });
  const result = await work();
  const report = await load;
  return [result, report.requests, report.errors + report.non2xx];
}

/** Seconds until one of `victims` is no longer a daemon process; NaN after `timeoutMs`. */
async function waitUntilOneGone(dir: string, victims: number[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const now = daemonPids(dir);
    if (victims.some(victim => !now.includes(victim))) return (Date.now() - started) / 1000;
    await sleep(500);
  }
  return NaN;
}

async function main(base: string, stepMiB: number): Promise<void> {
  const app = FIXTURE_APPS.plain;
  const dir = await scaffold(app, NAME, app.flags, parseBase(base));
  const up = () => {
    compose(dir, [...PRODUCTION, 'up', '-d', '--wait', '--force-recreate'], { PUBLISH_PORT: String(PORT) });
    return waitFor200(`${BASE_URL}/`);
  };
  try {
    compose(dir, [...PRODUCTION, 'build'], pipBuildArgs());
    console.log(`plain fixture, production shape on ${base}, 4 connections of load at 50 requests/s throughout:`);

    await up();
    const limit = ((await (await fetch(`${BASE_URL}/env?name=WSGI_MAXIMUM_MEMORY`)).json()) as Record<string, string>)
      .WSGI_MAXIMUM_MEMORY;
    const victim = await pid();
    const [leak, requests, failed] = await underLoad(90, async () => {
      const started = Date.now();
      let leaked = 0;
      while (daemonPids(dir).includes(victim) && Date.now() - started < 80_000) {
        const answer = await fetch(`${BASE_URL}/leak?mb=${stepMiB}`).then(r => r.json() as Promise<{ pid: number }>);
        if (answer.pid === victim) leaked += stepMiB;
        await sleep(1000);
      }
      return { seconds: (Date.now() - started) / 1000, leaked };
    });
    console.log(
      `  leak, ${stepMiB} MiB a second, WSGI_MAXIMUM_MEMORY=${limit} MiB: replaced after ${leak.seconds.toFixed(1)} s ` +
        `and ${leak.leaked} MiB leaked; load: ${requests} requests, ${failed} failed`,
    );

    for (const hung of [1, 10]) {
      await up();
      const victims = daemonPids(dir);
      const [seconds, total, lost] = await underLoad(hung === 1 ? 330 : 120, async () => {
        const hangs = Array.from({ length: hung }, () =>
          fetch(`${BASE_URL}/whoami?sleep=600000`).catch(() => undefined),
        );
        const gone = await waitUntilOneGone(dir, victims, 320_000);
        void Promise.all(hangs);
        return gone;
      });
      console.log(
        `  ${hung} hung request(s): a daemon process replaced after ${seconds.toFixed(1)} s; ` +
          `load: ${total} requests, ${lost} failed`,
      );
    }
  } finally {
    compose(dir, [...PRODUCTION, 'down', '-v', '-t', '5'], { PUBLISH_PORT: String(PORT) });
    execFileSync('docker', ['image', 'rm', '-f', `${NAME}:latest`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv[2] ?? 'python', Number(process.argv[3] ?? 50));
