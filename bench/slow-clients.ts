// Slow clients (issue 25, finding 5): the Flask fixture in the production shape (compose.yaml
// alone), with 0, 200 and 600 slowloris connections held open (a header line a second, opened
// again when Apache drops them), while 4 visitors request / one after another on new
// connections for `seconds`. Each Apache sizing in turn: the image's default and the earlier
// default of 128 workers (set through .env, with the container's pids limit as is). Prints the visitors' latency percentiles, failures, the connections
// Apache dropped and the container's memory; asserts nothing.
// Usage: npm run bench:slow-clients [-- base [seconds]]
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBase } from '../generators/app/bases.js';
import { percentile } from '../generators/lib/stack-checks.js';
import { compose } from '../test/helpers/compose.js';
import { FIXTURE_APPS } from '../test/helpers/fixture-apps.js';
import { waitFor200 } from './lib/docker.js';
import { pipBuildArgs, scaffold } from './lib/project.js';
import { holdSlowClients, visit } from './lib/slow-clients.js';

const NAME = 'wsgi-apache-bench-slow';
const PORT = 18768;
const SLOW_COUNTS = [0, 200, 600];
const SIZINGS: [string, Record<string, string>][] = [
  ['default', {}],
  ['APACHE_MAX_REQUEST_WORKERS=128', { APACHE_MAX_REQUEST_WORKERS: '128' }],
];

/** The container's memory in use (cgroup usage less inactive file cache), MiB, from docker stats. */
function memoryMiB(dir: string): string {
  const id = compose(dir, ['-f', 'compose.yaml', 'ps', '-q', NAME], { PUBLISH_PORT: String(PORT) }).trim();
  return execFileSync('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', id], { encoding: 'utf8' })
    .split('/')[0]
    .trim();
}

async function main(base: string, seconds: number): Promise<void> {
  const app = FIXTURE_APPS.flask;
  const dir = await scaffold(app, NAME, app.flags, parseBase(base));
  try {
    compose(dir, ['-f', 'compose.yaml', 'build'], pipBuildArgs());
    console.log(`Flask fixture, production shape on ${base}; 4 visitors on new connections for ${seconds} s each:`);
    for (const [label, env] of SIZINGS) {
      // Through .env (env_file): compose.yaml passes only the WSGI_* daemon tunables from the shell.
      writeFileSync(
        join(dir, '.env'),
        Object.entries(env)
          .map(([name, value]) => `${name}=${value}\n`)
          .join(''),
      );
      compose(dir, ['-f', 'compose.yaml', 'up', '-d', '--wait', '--force-recreate'], { PUBLISH_PORT: String(PORT) });
      await waitFor200(`http://127.0.0.1:${PORT}/`);
      console.log(`  ${label}: idle memory ${memoryMiB(dir)}`);
      for (const count of SLOW_COUNTS) {
        const slow = holdSlowClients(PORT, count);
        await new Promise(resolve => setTimeout(resolve, 3000));
        const visits = await visit(PORT, '/', 4, seconds);
        const memory = memoryMiB(dir);
        slow.stop();
        const ms = (q: number) => (visits.latencies.length ? percentile(visits.latencies, q).toFixed(0) : '-');
        console.log(
          `    ${String(count).padStart(4)} slow: ${String(visits.latencies.length).padStart(5)} answered, ` +
            `p50 ${ms(50)} ms, p99 ${ms(99)} ms, max ${ms(100)} ms, ${visits.failed} failed; ` +
            `${slow.dropped} slow connections dropped by Apache; memory ${memory}`,
        );
        await new Promise(resolve => setTimeout(resolve, 2000));
      }
      compose(dir, ['-f', 'compose.yaml', 'stop', '-t', '20'], { PUBLISH_PORT: String(PORT) });
    }
  } finally {
    compose(dir, ['-f', 'compose.yaml', 'down', '-v', '-t', '5'], { PUBLISH_PORT: String(PORT) });
    execFileSync('docker', ['image', 'rm', '-f', `${NAME}:latest`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv[2] ?? 'python', Number(process.argv[3] ?? 20));
