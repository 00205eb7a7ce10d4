#!/usr/bin/env node
// Measures what a newcomer waits for: build time of the generated image (cold and
// cached), image size, and time from `docker compose up -d` to the first 200.
// Prints numbers; it asserts nothing. Usage: npm run build && node bench/scaffold-timings.mjs [runs]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor200 } from './lib/docker.mjs';
import { copyFixture, scaffold } from './lib/project.mjs';
import { spread } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const name = 'wsgi-apache-bench';
const port = 18765;
const dir = copyFixture(root, 'plain-wsgi');
await scaffold(root, dir, name, ['--static', '/static=static']);

const compose = (...args) =>
  execFileSync('docker', ['compose', '-f', 'compose.yaml', ...args], {
    cwd: dir,
    env: { ...process.env, PUBLISH_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
const seconds = fn => {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
};

const cold = seconds(() => compose('build', '--no-cache'));
const unchanged = seconds(() => compose('build'));
const source = join(dir, 'hello.py');
writeFileSync(source, readFileSync(source, 'utf8') + '\n# edit\n');
const codeEdit = seconds(() => compose('build'));
const size = Number(execFileSync('docker', ['image', 'inspect', '-f', '{{.Size}}', `${name}:latest`]).toString());

const firstOk = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  compose('up', '-d');
  await waitFor200(`http://127.0.0.1:${port}/`, 60_000, 25);
  firstOk.push((performance.now() - start) / 1000);
  compose('down', '-t', '20');
}
execFileSync('docker', ['image', 'rm', `${name}:latest`], { stdio: 'ignore' });
rmSync(dir, { recursive: true, force: true });

const fmt = s => s.toFixed(2);
console.log(`generated image (plain WSGI fixture, FROM debian:trixie-slim):`);
console.log(`  build, no cache:           ${fmt(cold)} s`);
console.log(`  build, cached, no change:  ${fmt(unchanged)} s`);
console.log(`  build, cached, code edit:  ${fmt(codeEdit)} s`);
console.log(`  image size:                ${(size / 1e6).toFixed(1)} MB`);
const firstOkSpread = spread(firstOk);
console.log(`  compose up -d -> first 200: median ${fmt(firstOkSpread.median)} s, min ${fmt(firstOkSpread.min)}, max ${fmt(firstOkSpread.max)} (n=${runs})`);
