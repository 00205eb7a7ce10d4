// What the development tools cost (issue 17): the Flask fixture's page in the development shape
// (bind mount, 2 processes x 5 threads), loaded with 16 connections, with each request tool on in
// turn and with all off, in interleaved rounds; the spread of the "off" runs is the noise.
// Prints numbers; asserts nothing. Usage: npm run bench:dev-tools [-- base [seconds [rounds]]]
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseBase } from '../generators/app/bases.js';
import { percentile, runLoad } from '../generators/lib/stack-checks.js';
import { compose } from '../test/helpers/compose.js';
import { FIXTURE_APPS, ownProjectAsDeveloper } from '../test/helpers/fixture-apps.js';
import { waitFor200 } from './lib/docker.js';
import { pipBuildArgs, scaffold } from './lib/project.js';

const NAME = 'wsgi-apache-bench-devtools';
const PORT = 18767;
const DEVELOPMENT = ['-f', 'compose.yaml', '-f', 'compose.override.yaml'];
const MODES: [string, Record<string, string>][] = [
  ['off', {}],
  ['WSGI_PROFILER=1', { WSGI_PROFILER: '1' }],
  ['WSGI_RECORDER=1', { WSGI_RECORDER: '1' }],
  ['WSGI_COVERAGE=1', { WSGI_COVERAGE: '1' }],
  ['all three', { WSGI_PROFILER: '1', WSGI_RECORDER: '1', WSGI_COVERAGE: '1' }],
];

async function main(base: string, seconds: number, rounds: number): Promise<void> {
  const app = FIXTURE_APPS.flask;
  const dir = await scaffold(app, NAME, app.flags, parseBase(base));
  ownProjectAsDeveloper(dir);
  try {
    compose(dir, ['-f', 'compose.yaml', 'build'], pipBuildArgs());
    console.log(`Flask fixture, development shape on ${base}, 16 connections for ${seconds} s, ${rounds} rounds:`);
    const rates = new Map<string, number[]>(MODES.map(([label]) => [label, []]));
    for (let round = 1; round <= rounds; round++)
      for (const [label, env] of MODES) {
        compose(dir, [...DEVELOPMENT, 'up', '-d', '--wait', '--force-recreate'], {
          PUBLISH_PORT: String(PORT),
          ...env,
        });
        await waitFor200(`http://127.0.0.1:${PORT}/`);
        const report = await runLoad({
          baseUrl: `http://127.0.0.1:${PORT}`,
          path: '/',
          connections: 16,
          durationSeconds: seconds,
          verifyBody: app.verifyBody,
        });
        const perSecond = report.requests / report.durationSeconds;
        const failed = report.errors + report.non2xx + report.mismatches;
        console.log(
          `  round ${round} ${label.padEnd(16)} ${perSecond.toFixed(0).padStart(6)} requests/s, p99 ${report.p99} ms, ${failed} failed`,
        );
        rates.get(label)!.push(perSecond);
        compose(dir, [...DEVELOPMENT, 'stop', '-t', '20'], { PUBLISH_PORT: String(PORT) });
      }
    const off = percentile(rates.get('off')!, 50);
    console.log('median requests/s (min-max), relative to off:');
    for (const [label, values] of rates) {
      const median = percentile(values, 50);
      console.log(
        `  ${label.padEnd(16)} ${median.toFixed(0).padStart(6)} (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}) ${(median / off).toFixed(2)}x`,
      );
    }
  } finally {
    compose(dir, [...DEVELOPMENT, 'down', '-v', '-t', '5'], { PUBLISH_PORT: String(PORT) });
    execFileSync('docker', ['image', 'rm', '-f', `${NAME}:latest`], { stdio: 'ignore' });
    // The tools' files belong to the developer's uid; the project goes with them.
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv[2] ?? 'python', Number(process.argv[3] ?? 10), Number(process.argv[4] ?? 3));
