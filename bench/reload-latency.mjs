#!/usr/bin/env node
// Development loop numbers for the generated stack (development shape, bind mount):
//  - save -> first response with the new code, over N edits (p50 / p95 / max)
//  - idle CPU of the reload monitor on an app with 2,000 Python files: the container's
//    CPU with WSGI_RELOAD_ON_CHANGES=1 minus with 0, over the same idle window
// Prints numbers; asserts nothing. Usage: npm run build && node bench/reload-latency.mjs [edits] [idleSeconds]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { readCounters, waitFor200 } from './lib/docker.mjs';
import { copyFixture, DEV_UID, ownAsDeveloper, scaffold } from './lib/project.mjs';
import { editAndWait } from './lib/reload.mjs';
import { percentile } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const edits = Number(process.argv[2] ?? 20);
const idleSeconds = Number(process.argv[3] ?? 30);
const name = 'wsgi-apache-bench-reload';
const port = 18766;

const dir = copyFixture(root, 'plain-wsgi');
// 2,000 Python files the app never imports: the monitor scans them all the same.
for (let d = 0; d < 40; d++) {
  mkdirSync(join(dir, 'lib', `pkg${d}`), { recursive: true });
  for (let f = 0; f < 50; f++) writeFileSync(join(dir, 'lib', `pkg${d}`, `mod${f}.py`), `VALUE = ${f}\n`);
}
await scaffold(root, dir, name);
ownAsDeveloper(dir);

const compose = (reload, ...args) =>
  execFileSync('docker', ['compose', ...args], {
    cwd: dir,
    env: { ...process.env, PUBLISH_PORT: String(port), UID: String(DEV_UID), GID: String(DEV_UID) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const url = `http://127.0.0.1:${port}/`;
const docker = new Docker();
const containerId = () => execFileSync('docker', ['compose', 'ps', '-q', name], { cwd: dir }).toString().trim();

async function idleCpu(reload, inotify = 1) {
  writeFileSync(
    join(dir, 'compose.bench.yaml'),
    `services:\n  ${name}:\n    environment:\n      WSGI_RELOAD_ON_CHANGES: "${reload}"\n      WSGI_RELOAD_INOTIFY: "${inotify}"\n`,
  );
  compose(reload, '-f', 'compose.yaml', '-f', 'compose.override.yaml', '-f', 'compose.bench.yaml', 'up', '-d', '--wait');
  await waitFor200(url);
  await sleep(3000);
  const container = docker.getContainer(containerId());
  const before = await readCounters(container);
  await sleep(idleSeconds * 1000);
  const after = await readCounters(container);
  return (after.cpuNanos - before.cpuNanos) / 1e9 / idleSeconds;
}

try {
  compose(1, '-f', 'compose.yaml', 'build');
  const idleOn = await idleCpu(1);
  const idleOff = await idleCpu(0);
  const fmt = s => s.toFixed(2);
  console.log(`idle container CPU over ${idleSeconds} s, 2,000-file app (healthcheck included in both):`);
  console.log(`  reload monitor on: ${(idleOn * 100).toFixed(2)} % of one core; off: ${(idleOff * 100).toFixed(2)} %; monitor: ${((idleOn - idleOff) * 100).toFixed(2)} %`);
  for (const [label, inotify] of [['inotify wake-up + 1 s poll (Linux hosts)', 1], ['1 s poll only (macOS / Windows bind mounts)', 0]]) {
    await idleCpu(1, inotify);
    // In place, as most editors save; a random pause, so edits land at every phase of the 1 s poll.
    const { seconds: latencies } = await editAndWait(dir, url, edits, { inPlace: true, pauseMs: () => 1500 + Math.random() * 1000 });
    console.log(`reload on save, ${label}; 2 processes x 5 threads, ${edits} edits of hello.py:`);
    console.log(`  save -> first response with new code: p50 ${fmt(percentile(latencies, 50))} s, p95 ${fmt(percentile(latencies, 95))} s, max ${fmt(Math.max(...latencies))} s`);
  }
} finally {
  compose(0, '-f', 'compose.yaml', '-f', 'compose.override.yaml', 'down', '-t', '5');
  execFileSync('docker', ['image', 'rm', '-f', `${name}:latest`], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
