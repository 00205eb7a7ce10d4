#!/usr/bin/env node
// Development loop numbers for the generated stack (development shape, bind mount):
//  - save -> first response with the new code, over N edits (p50 / p95 / max)
//  - idle CPU of the reload monitor on an app with 2,000 Python files: the container's
//    CPU with WSGI_RELOAD_ON_CHANGES=1 minus with 0, over the same idle window
// Prints numbers; asserts nothing. Usage: npm run build && node bench/reload-latency.mjs [edits] [idleSeconds]
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { createEnv } from 'yeoman-environment';

const root = fileURLToPath(new URL('..', import.meta.url));
const edits = Number(process.argv[2] ?? 20);
const idleSeconds = Number(process.argv[3] ?? 30);
const name = 'wsgi-apache-bench-reload';
const port = 18766;
const devUid = 1000;

const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-bench-reload-'));
chmodSync(dir, 0o755);
cpSync(join(root, 'test/fixtures/plain-wsgi'), dir, { recursive: true });
// 2,000 Python files the app never imports: the monitor scans them all the same.
for (let d = 0; d < 40; d++) {
  mkdirSync(join(dir, 'lib', `pkg${d}`), { recursive: true });
  for (let f = 0; f < 50; f++) writeFileSync(join(dir, 'lib', `pkg${d}`, `mod${f}.py`), `VALUE = ${f}\n`);
}
const env = createEnv({ cwd: dir });
env.register(join(root, 'dist/generators/app/index.js'), { namespace: 'wsgi-apache:app' });
await env.run(['wsgi-apache:app', '--yes', '--skip-build', '--name', name]);
const chownTree = path => {
  chownSync(path, devUid, devUid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry));
};
if (process.getuid() === 0) chownTree(dir);

const compose = (reload, ...args) =>
  execFileSync('docker', ['compose', ...args], {
    cwd: dir,
    env: { ...process.env, PUBLISH_PORT: String(port), UID: String(devUid), GID: String(devUid) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const get = async () => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
    return await response.text();
  } catch {
    return '';
  }
};
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const docker = new Docker();
const cpuNanos = async id => (await docker.getContainer(id).stats({ stream: false })).cpu_stats.cpu_usage.total_usage;
const containerId = () => execFileSync('docker', ['compose', 'ps', '-q', name], { cwd: dir }).toString().trim();

async function measureEdits() {
  const latencies = [];
  const source = join(dir, 'hello.py');
  const original = readFileSync(source, 'utf8');
  for (let i = 1; i <= edits; i++) {
    const marker = `Hello edit ${i} ${Math.random()}`;
    writeFileSync(source, original.replace('Hello from plain WSGI', marker));
    const start = performance.now();
    while ((await get()) !== `${marker}\n`) {
      if (performance.now() - start > 20_000) throw new Error(`edit ${i} not served within 20 s`);
      await sleep(20);
    }
    latencies.push((performance.now() - start) / 1000);
    // A random pause, so edits land at every phase of the 1 s poll.
    await sleep(1500 + Math.random() * 1000);
  }
  writeFileSync(source, original);
  return latencies;
}

async function idleCpu(reload, inotify = 1) {
  writeFileSync(
    join(dir, 'compose.bench.yaml'),
    `services:\n  ${name}:\n    environment:\n      WSGI_RELOAD_ON_CHANGES: "${reload}"\n      WSGI_RELOAD_INOTIFY: "${inotify}"\n`,
  );
  compose(reload, '-f', 'compose.yaml', '-f', 'compose.override.yaml', '-f', 'compose.bench.yaml', 'up', '-d', '--wait');
  await get();
  await sleep(3000);
  const id = containerId();
  const before = await cpuNanos(id);
  await sleep(idleSeconds * 1000);
  const after = await cpuNanos(id);
  return (after - before) / 1e9 / idleSeconds;
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
    const latencies = await measureEdits();
    console.log(`reload on save, ${label}; 2 processes x 5 threads, ${edits} edits of hello.py:`);
    console.log(`  save -> first response with new code: p50 ${fmt(percentile(latencies, 50))} s, p95 ${fmt(percentile(latencies, 95))} s, max ${fmt(Math.max(...latencies))} s`);
  }
} finally {
  compose(0, '-f', 'compose.yaml', '-f', 'compose.override.yaml', 'down', '-t', '5');
  execFileSync('docker', ['image', 'rm', '-f', `${name}:latest`], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
