/**
 * `yo wsgi-apache:check`: proves a scaffolded project's own stack under concurrent load.
 * Builds the image with `docker compose build`, starts the production shape (or `--dev`)
 * with Testcontainers, waits for the healthcheck, warms up, runs a bounded load and
 * reports; thresholds make it fail with a non-zero exit, so it can gate CI.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment, Wait } from 'testcontainers';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { followStats } from '../lib/container-stats.js';
import { composeBuild, DockerUnavailableError } from '../lib/docker-build.js';
import { demuxDockerStream } from '../lib/docker-streams.js';
import { InputError } from '../lib/input-error.js';
import { freePort } from '../lib/net.js';
import { ensureRyuk } from '../lib/ryuk.js';
import { runLoad } from '../lib/stack-checks.js';
import { parseInteger, toList } from '../app/validators.js';
import { PROCESS_GROUP } from '../app/view-model.js';
import { type CheckReport, formatTable, judge } from './report.js';

export type CheckOptions = BaseOptions & {
  path?: string[];
  duration?: string;
  connections?: string;
  rate?: string;
  warmup?: string;
  'max-error-rate'?: string;
  'max-p99'?: string;
  port?: string;
  json?: boolean;
  dev?: boolean;
};

interface Settings {
  name: string;
  paths: string[];
  /** false when `paths` is the default, the project's health path */
  pathsGiven: boolean;
  durationSeconds: number;
  connections: number;
  rate?: number;
  warmupSeconds: number;
  maxErrorRatePercent: number;
  maxP99Ms?: number;
  port?: number;
  shape: 'production' | 'development';
}

export default class CheckGenerator extends Generator<Record<string, unknown>, CheckOptions> {
  #settings!: Settings;
  /** the last report, also for callers that run the generator in-process */
  report?: CheckReport;

  constructor(args?: string[], options?: CheckOptions) {
    super(args, options as CheckOptions);
    this.option('path', { type: toList as unknown as StringConstructor, description: 'Path to load, repeatable (default: the project\'s --health-path, else /)' });
    this.option('duration', { type: String, description: 'Seconds of load (1-600, default 10)' });
    this.option('connections', { type: String, description: 'Concurrent connections (1-1024, default 64)' });
    this.option('rate', { type: String, description: 'Cap on requests per second, all connections together (default: no cap)' });
    this.option('warmup', { type: String, description: 'Seconds of warm-up load before measuring (0-60, default 2)' });
    this.option('max-error-rate', { type: String, description: 'Fail above this percent of transport errors + 5xx (default 0)' });
    this.option('max-p99', { type: String, description: 'Fail when p99 latency exceeds this many milliseconds (default: no limit)' });
    this.option('port', { type: String, description: 'Host port to publish on 127.0.0.1 (default: a free one)' });
    this.option('dev', { type: Boolean, description: 'Check the development shape (compose.override.yaml) instead of production' });
    this.option('json', { type: Boolean, description: 'Print the report as JSON on stdout' });
  }

  async initializing(): Promise<void> {
    const root = this.destinationRoot();
    const stored = this.config.getAll() as { name?: string; healthPath?: string };
    if (!stored.name || !existsSync(join(root, 'compose.yaml'))) {
      throw new InputError(
        'the current directory',
        `${root} is not a project scaffolded by yo wsgi-apache (no generator-wsgi-apache answers in .yo-rc.json, or no compose.yaml)`,
        'run yo wsgi-apache there first, or cd into the scaffolded project',
      );
    }
    const paths = toList(this.options.path);
    for (const path of paths) {
      if (!path.startsWith('/')) throw new InputError('--path', `"${path}" is not a URL path`, 'start it with /, e.g. --path /health');
    }
    const optional = (flag: string, raw: unknown, min: number, max: number) =>
      raw === undefined || raw === '' ? undefined : parseInteger(flag, raw, min, max);
    const maxErrorRate = this.options['max-error-rate'] ?? '0';
    if (!/^\d+(\.\d+)?$/.test(String(maxErrorRate)) || Number(maxErrorRate) > 100) {
      throw new InputError('--max-error-rate', `"${maxErrorRate}" is not a percentage`, 'pass a number from 0 to 100, e.g. --max-error-rate 0.1');
    }
    this.#settings = {
      name: stored.name,
      paths: paths.length > 0 ? paths : [stored.healthPath ?? '/'],
      pathsGiven: paths.length > 0,
      durationSeconds: parseInteger('--duration', this.options.duration ?? '10', 1, 600),
      connections: parseInteger('--connections', this.options.connections ?? '64', 1, 1024),
      rate: optional('--rate', this.options.rate, 1, 1_000_000),
      warmupSeconds: parseInteger('--warmup', this.options.warmup ?? '2', 0, 60),
      maxErrorRatePercent: Number(maxErrorRate),
      maxP99Ms: optional('--max-p99', this.options['max-p99'], 1, 600_000),
      port: optional('--port', this.options.port, 1, 65535),
      shape: this.options.dev ? 'development' : 'production',
    };
    if (this.#settings.port !== undefined && !(await portIsFree(this.#settings.port))) {
      throw new InputError('--port', `port ${this.#settings.port} on 127.0.0.1 is already in use`, 'pass a free port or leave --port out');
    }
  }

  async default(): Promise<void> {
    const settings = this.#settings;
    const root = this.destinationRoot();
    const say = (line: string) => this.#say(line);
    say(`Building ${settings.name}:latest...`);
    try {
      await composeBuild({ context: root, onLine: line => say(`  ${line}`) });
    } catch (error) {
      if (error instanceof DockerUnavailableError) {
        throw new InputError('Docker', error.message, 'start Docker (or set DOCKER_HOST to a reachable engine) and run the check again');
      }
      throw error;
    }
    // Testcontainers starts its Ryuk reaper first and fails without a registry to pull it from.
    await ensureRyuk({ say });
    const port = settings.port ?? (await freePort());
    const files = settings.shape === 'production' ? ['compose.yaml'] : ['compose.yaml', 'compose.override.yaml'];
    say(`Starting the ${settings.shape} shape on 127.0.0.1:${port} and waiting for its healthcheck...`);
    let stack: StartedDockerComposeEnvironment | undefined;
    const interrupted = async () => {
      await stack?.down({ removeVolumes: true, timeout: 30_000 }).catch(() => undefined);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    try {
      stack = await new DockerComposeEnvironment(root, files)
        .withEnvironment({ PUBLISH_PORT: String(port) })
        .withWaitStrategy(`${settings.name}-1`, Wait.forHealthCheck())
        .withStartupTimeout(120_000)
        .up();
      const container = new Docker().getContainer(stack.getContainer(`${settings.name}-1`).getId());
      const baseUrl = `http://127.0.0.1:${port}`;
      await this.#warmUp(baseUrl);
      this.report = await this.#measure(baseUrl, container);
      if (this.options.json) process.stdout.write(`${JSON.stringify(this.report, null, 2)}\n`);
      else this.log(`\n${formatTable(this.report)}\n`);
      if (!this.report.passed) {
        const logs = await containerErrorLogTail(container, 30);
        throw new Error(`check failed: ${this.report.failures.join('; ')}\n--- last container error log lines (stderr) ---\n${logs}`);
      }
    } finally {
      process.removeListener('SIGINT', interrupted);
      await stack?.down({ removeVolumes: true, timeout: 30_000 });
    }
  }

  /** A progress line: on stderr with --json, so stdout stays the report alone. */
  #say(line: string): void {
    if (this.options.json) process.stderr.write(`${line}\n`);
    else this.log(line);
  }

  async #warmUp(baseUrl: string): Promise<void> {
    for (const path of this.#settings.paths) {
      const response = await fetch(baseUrl + path);
      await response.arrayBuffer();
      if (response.status === 404) {
        // A path the user named must exist; the default (the health path) only has to be
        // answered by the app, which a 404 from the framework's router proves.
        if (this.#settings.pathsGiven) {
          throw new InputError('--path', `${path} answered 404 during warm-up`, 'pass a path the app serves, e.g. --path /');
        }
        this.#say(`${path} (the health path) answered 404: loading it anyway; pass --path for a page your app serves.`);
      }
    }
    if (this.#settings.warmupSeconds > 0) {
      await runLoad({
        baseUrl,
        path: this.#settings.paths[0],
        morePaths: this.#settings.paths.slice(1),
        connections: Math.min(8, this.#settings.connections),
        durationSeconds: this.#settings.warmupSeconds,
      });
    }
  }

  async #measure(baseUrl: string, container: Docker.Container): Promise<CheckReport> {
    const settings = this.#settings;
    const config = await containerConfig(container);
    const stats = await followStats(container);
    let daemonProcesses = 0;
    const sampler = setInterval(() => {
      void countDaemonProcesses(container).then(count => (daemonProcesses = Math.max(daemonProcesses, count)));
    }, 1000);
    const load = await runLoad({
      baseUrl,
      path: settings.paths[0],
      morePaths: settings.paths.slice(1),
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      rate: settings.rate,
    });
    clearInterval(sampler);
    daemonProcesses = Math.max(daemonProcesses, await countDaemonProcesses(container));
    const peaks = stats.stop();
    const { errorRatePercent, failures } = judge(load, { maxErrorRatePercent: settings.maxErrorRatePercent, maxP99Ms: settings.maxP99Ms });
    return {
      project: settings.name,
      shape: settings.shape,
      config,
      load: { paths: settings.paths, durationSeconds: settings.durationSeconds, connections: settings.connections, rate: settings.rate ?? null },
      requests: load.requests,
      requestsPerSecond: load.requestsPerSecond,
      latency: { p50: load.p50, p95: load.p95, p99: load.p99, max: load.max },
      statusCodes: load.statusCodes,
      transportErrors: load.errors,
      timeouts: load.timeouts,
      errorRatePercent,
      daemonProcesses,
      peakMemoryBytes: peaks.peakMemoryBytes,
      peakCpuPercent: peaks.peakCpuPercent,
      thresholds: { maxErrorRatePercent: settings.maxErrorRatePercent, maxP99Ms: settings.maxP99Ms ?? null },
      passed: failures.length === 0,
      failures,
    };
  }
}

async function exec(container: Docker.Container, command: string[]): Promise<string> {
  const execution = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await execution.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return demuxDockerStream(Buffer.concat(chunks));
}

/** The processes x threads in force: the container's WSGI_PROCESSES / WSGI_THREADS. */
async function containerConfig(container: Docker.Container): Promise<{ processes: number; threads: number }> {
  const [processes, threads] = (await exec(container, ['sh', '-c', 'echo "$WSGI_PROCESSES $WSGI_THREADS"'])).trim().split(/\s+/).map(Number);
  return { processes, threads };
}

/** Daemon processes named by display-name=%{GROUP}: "(wsgi:app)" (see PROCESS_GROUP). */
async function countDaemonProcesses(container: Docker.Container): Promise<number> {
  const listing = await exec(container, ['sh', '-c', 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f" 2>/dev/null; echo; done']).catch(() => '');
  return listing.split('\n').filter(line => line.startsWith(`(wsgi:${PROCESS_GROUP})`)).length;
}

/**
 * The last `lines` lines of the container's stderr: Apache's error log, where tracebacks
 * and start-up failures go. stdout is left out: it holds the access log, whose batches
 * (docker/access-log.py) would push the traceback out of a short tail.
 */
async function containerErrorLogTail(container: Docker.Container, lines: number): Promise<string> {
  // No `tail` in the request: Docker applies it before leaving out stdout, so the last
  // lines of a busy access log would leave no stderr at all.
  const logs = (await container.logs({ stdout: false, stderr: true })) as unknown as Buffer;
  return demuxDockerStream(logs).split('\n').filter(Boolean).slice(-lines).join('\n') + '\n';
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
