// Measures what a newcomer waits for: build time of the generated image (cold and
// cached), image size, and time from `docker compose up -d` to the first 200.
// Prints numbers; it asserts nothing. Usage: npm run bench:scaffold [-- runs]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spread } from './lib/statistics.js';
import { compose } from '../test/helpers/compose.js';
import { FIXTURE_APPS } from '../test/helpers/fixture-apps.js';
import { waitFor200 } from './lib/docker.js';
import { scaffold } from './lib/project.js';

const NAME = 'wsgi-apache-bench';
const PORT = 18765;

/** Seconds `fn` takes, wall clock. */
function seconds(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

async function main(runs: number): Promise<void> {
  const dir = await scaffold(FIXTURE_APPS.plain, NAME, FIXTURE_APPS.plain.flags, 'trixie');
  const env = { PUBLISH_PORT: String(PORT) };
  const composeProduction = (...args: string[]) => compose(dir, ['-f', 'compose.yaml', ...args], env);
  try {
    const cold = seconds(() => composeProduction('build', '--no-cache'));
    const unchanged = seconds(() => composeProduction('build'));
    const source = join(dir, 'hello.py');
    writeFileSync(source, readFileSync(source, 'utf8') + '\n# edit\n');
    const codeEdit = seconds(() => composeProduction('build'));
    const size = Number(execFileSync('docker', ['image', 'inspect', '-f', '{{.Size}}', `${NAME}:latest`]).toString());

    const firstOk: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      composeProduction('up', '-d');
      await waitFor200(`http://127.0.0.1:${PORT}/`, { intervalMs: 25 });
      firstOk.push((performance.now() - start) / 1000);
      composeProduction('down', '-t', '20');
    }

    const fmt = (s: number) => s.toFixed(2);
    const up = spread(firstOk);
    console.log(`generated image (plain WSGI fixture, FROM debian:trixie-slim):`);
    console.log(`  build, no cache:           ${fmt(cold)} s`);
    console.log(`  build, cached, no change:  ${fmt(unchanged)} s`);
    console.log(`  build, cached, code edit:  ${fmt(codeEdit)} s`);
    console.log(`  image size:                ${(size / 1e6).toFixed(1)} MB`);
    console.log(
      `  compose up -d -> first 200: median ${fmt(up.median)} s, min ${fmt(up.min)}, max ${fmt(up.max)} (n=${runs})`,
    );
  } finally {
    // Also after a failure: a stack left up would hold the port for the next run.
    composeProduction('down', '-t', '5');
    execFileSync('docker', ['image', 'rm', '-f', `${NAME}:latest`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(Number(process.argv[2] ?? 5));
