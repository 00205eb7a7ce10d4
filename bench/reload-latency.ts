// Development loop numbers for the generated stack (development shape, bind mount):
//  - save -> first response with the new code, over N edits (p50 / p95 / max)
//  - idle CPU of the reload monitor on an app with 2,000 Python files: the container's
//    CPU with WSGI_RELOAD_ON_CHANGES=1 minus with 0, over the same idle window
// Prints numbers; asserts nothing. Usage: npm run bench:reload [-- edits [idleSeconds]]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../generators/lib/stack-checks.js';
import { compose } from '../test/helpers/compose.js';
import { FIXTURE_APPS, ownProjectAsDeveloper } from '../test/helpers/fixture-apps.js';
import { docker, readCounters, waitFor200 } from './lib/docker.js';
import { scaffold } from './lib/project.js';
import { editAndWait } from './lib/reload.js';

const NAME = 'wsgi-apache-bench-reload';
const PORT = 18766;
const PAGE_URL = `http://127.0.0.1:${PORT}/`;
const DEVELOPMENT = ['-f', 'compose.yaml', '-f', 'compose.override.yaml'];

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Starts (or restarts) the development shape with the reload monitor on or off, waits for
 * it, then measures its container's CPU over `idleSeconds` with nothing requested.
 * @returns CPU used, as a fraction of one core (the healthcheck included)
 */
async function idleCpu(dir: string, idleSeconds: number, reload: 0 | 1, inotify: 0 | 1 = 1): Promise<number> {
  writeFileSync(
    join(dir, 'compose.bench.yaml'),
    `services:\n  ${NAME}:\n    environment:\n      WSGI_RELOAD_ON_CHANGES: "${reload}"\n      WSGI_RELOAD_INOTIFY: "${inotify}"\n`,
  );
  compose(dir, [...DEVELOPMENT, '-f', 'compose.bench.yaml', 'up', '-d', '--wait'], { PUBLISH_PORT: String(PORT) });
  await waitFor200(PAGE_URL);
  await sleep(3000);
  const container = docker.getContainer(compose(dir, ['ps', '-q', NAME]).trim());
  const before = await readCounters(container);
  await sleep(idleSeconds * 1000);
  const after = await readCounters(container);
  return (after.cpuNanos - before.cpuNanos) / 1e9 / idleSeconds;
}

async function main(edits: number, idleSeconds: number): Promise<void> {
  const dir = await scaffold(FIXTURE_APPS.plain, NAME, {}, 'trixie');
  // 2,000 Python files the app never imports: the monitor scans them all the same.
  for (let d = 0; d < 40; d++) {
    mkdirSync(join(dir, 'lib', `pkg${d}`), { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(join(dir, 'lib', `pkg${d}`, `mod${f}.py`), `VALUE = ${f}\n`);
  }
  ownProjectAsDeveloper(dir);
  try {
    compose(dir, ['-f', 'compose.yaml', 'build']);
    const idleOn = await idleCpu(dir, idleSeconds, 1);
    const idleOff = await idleCpu(dir, idleSeconds, 0);
    const fmt = (s: number) => s.toFixed(2);
    console.log(`idle container CPU over ${idleSeconds} s, 2,000-file app (healthcheck included in both):`);
    console.log(
      `  reload monitor on: ${(idleOn * 100).toFixed(2)} % of one core; off: ${(idleOff * 100).toFixed(2)} %; monitor: ${((idleOn - idleOff) * 100).toFixed(2)} %`,
    );
    const modes: [string, 0 | 1][] = [
      ['inotify wake-up + 1 s poll (Linux hosts)', 1],
      ['1 s poll only (macOS / Windows bind mounts)', 0],
    ];
    for (const [label, inotify] of modes) {
      await idleCpu(dir, idleSeconds, 1, inotify);
      // In place, as most editors save; a random pause, so edits land at every phase of the 1 s poll.
      const { seconds: latencies } = await editAndWait(dir, PAGE_URL, edits, {
        inPlace: true,
        pauseMs: () => 1500 + Math.random() * 1000,
      });
      console.log(`reload on save, ${label}; 2 processes x 5 threads, ${edits} edits of hello.py:`);
      console.log(
        `  save -> first response with new code: p50 ${fmt(percentile(latencies, 50))} s, p95 ${fmt(percentile(latencies, 95))} s, max ${fmt(Math.max(...latencies))} s`,
      );
    }
  } finally {
    compose(dir, [...DEVELOPMENT, 'down', '-t', '5']);
    execFileSync('docker', ['image', 'rm', '-f', `${NAME}:latest`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 30));
