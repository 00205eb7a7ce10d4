// The ceiling (issue 30): each app's own Python cost per request, measured by bench/ceiling.py
// calling the WSGI callable in a loop in one process and one thread, with no server around it.
// No server can pass `cores / that cost` requests per second on this machine, so every
// server's rate is also reported as a share of it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchApp } from './apps.js';

const run = promisify(execFile);

/** One app's Python cost, as measured. */
export interface Ceiling {
  app: string;
  /**
   * the round it was measured at the start of, so each round's rates are set against the
   * machine's speed in that round (a shared 2-core host drifts: Django's ceiling was 2,068–2,406 µs
   * over the 3 rounds of 2026-12-05-optimized-and-embedded);
   * absent: measured once, before every round (runs before that change)
   */
  round?: number;
  /** the image it ran in: the app with its libraries on the interpreter the servers compared use */
  image: string;
  /** calls timed (after the warm-up) */
  calls: number;
  /** the process's CPU time (user + system) per call, microseconds */
  cpuMicrosPerCall: number;
  wallMicrosPerCall: number;
  /** the cores servers may use: {@link requestsPerSecond} is cores × 10⁶ / cpuMicrosPerCall */
  cores: number;
  requestsPerSecond: number;
}

/**
 * Runs bench/ceiling.py in `image` (its working directory the app's, `/srv/app`) for `seconds`
 * on the app's page under load, and checks that the page it rendered is the right one.
 * @param image - an image holding the app and its libraries, with `python` on PATH (the gunicorn-python image)
 * @param cores - the cores the servers get (the machine's)
 * @throws Error naming the app when the call fails or renders another page than the load's
 */
export async function measureCeiling(options: {
  root: string;
  app: BenchApp;
  image: string;
  seconds: number;
  cores: number;
  round?: number;
}): Promise<Ceiling> {
  const { root, app, image, seconds, cores, round } = options;
  const { stdout } = await run(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${join(root, 'bench/ceiling.py')}:/tmp/ceiling.py:ro`,
      '-w',
      '/srv/app',
      image,
      'python',
      '/tmp/ceiling.py',
      app.gunicornApp,
      app.fixture.loadPath,
      String(seconds),
    ],
    { maxBuffer: 16 << 20 },
  );
  const measured = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    calls: number;
    cpuMicrosPerCall: number;
    wallMicrosPerCall: number;
    status: string;
    body: string;
  };
  if (!measured.status?.startsWith('200') || !app.fixture.verifyBody(measured.body))
    throw new Error(`ceiling of ${app.id}: ${app.fixture.loadPath} gave ${measured.status}, not the page under load`);
  return {
    app: app.id,
    ...(round === undefined ? {} : { round }),
    image,
    calls: measured.calls,
    cpuMicrosPerCall: measured.cpuMicrosPerCall,
    wallMicrosPerCall: measured.wallMicrosPerCall,
    cores,
    requestsPerSecond: ceilingRate(measured.cpuMicrosPerCall, cores),
  };
}

/** cores × 10⁶ / µs per request: the requests per second `cores` fully busy running the app alone would serve. */
export function ceilingRate(cpuMicrosPerCall: number, cores: number): number {
  return (cores * 1e6) / cpuMicrosPerCall;
}

/**
 * The ceiling a load run of `app` in `round` is set against: the one measured at that round's
 * start, else the app's only one (a run measured once); undefined when the app has neither.
 */
export function ceilingOf(ceilings: readonly Ceiling[], app: string, round: number): Ceiling | undefined {
  return (
    ceilings.find(c => c.app === app && c.round === round) ?? ceilings.find(c => c.app === app && c.round === undefined)
  );
}
