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
import {
  DockerComposeEnvironment,
  type StartedDockerComposeEnvironment,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { followStats } from '../lib/container-stats.js';
import { composeBuild, DockerUnavailableError } from '../lib/docker-build.js';
import { demuxDockerStream } from '../lib/docker-streams.js';
import { InputError } from '../lib/input-error.js';
import { freePort } from '../lib/net.js';
import { ensureRyuk } from '../lib/ryuk.js';
import { runLoad } from '../lib/stack-checks.js';
import { PROCESS_GROUP } from '../lib/image-layout.js';
import { toList } from '../lib/parse.js';
import { type OptionSpec, PASSED_THROUGH, parseCommandLine, yoCommandLine } from '../lib/argv.js';
import { CHECK_FIELDS, type CheckSettings, resolveCheckSettings } from './options.js';
import { type CheckReport, formatTable, judge } from './report.js';

/** Parsed options: one entry per flag of {@link CHECK_FIELDS}, by flag name. */
export type CheckOptions = BaseOptions & Record<string, unknown>;

export default class CheckGenerator extends Generator<Record<string, unknown>, CheckOptions> {
  #name!: string;
  #settings!: CheckSettings;
  /** the last report, also for callers that run the generator in-process */
  report?: CheckReport;

  constructor(args?: string[], options?: CheckOptions) {
    super(args, options as CheckOptions);
    for (const field of CHECK_FIELDS) {
      // Lists keep every repetition of the flag; yeoman would otherwise String() the array.
      const type = field.kind === 'boolean' ? Boolean : field.kind === 'list' ? toList : String;
      this.option(field.flag, { type, description: field.description });
    }
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
    this.#name = stored.name;
    this.#settings = resolveCheckSettings(this.#commandLine(), stored);
    if (this.#settings.port !== undefined && !(await portIsFree(this.#settings.port))) {
      throw new InputError(
        '--port',
        `port ${this.#settings.port} on 127.0.0.1 is already in use`,
        'pass a free port or leave --port out',
      );
    }
  }

  /**
   * The options by flag name. Under `yo`, read again from the raw command line with each
   * option's kind (yo's own parse lets `--json` take the next word and ignores typos; see
   * `../lib/argv.ts`); through yeoman-environment's API, as passed.
   */
  #commandLine(): Record<string, unknown> {
    const specs: OptionSpec[] = [
      ...CHECK_FIELDS.map(field => ({ name: field.flag, kind: field.kind, description: field.description })),
      ...PASSED_THROUGH,
    ];
    const fromYo = yoCommandLine(process.argv, ['wsgi-apache:check', 'generator-wsgi-apache:check']);
    if (fromYo === undefined) return this.options;
    const line = parseCommandLine(fromYo, specs, 'yo wsgi-apache:check');
    if (line.positionals.length > 0) {
      throw new InputError(
        `"${line.positionals[0]}"`,
        'is not an option of yo wsgi-apache:check',
        'run it inside the scaffolded project, with --flag VALUE options only',
      );
    }
    return Object.fromEntries(line.given);
  }

  async default(): Promise<void> {
    const settings = this.#settings;
    const root = this.destinationRoot();
    const say = (line: string) => this.#say(line);
    say(`Building ${this.#name}:latest...`);
    try {
      await composeBuild({ context: root, onLine: line => say(`  ${line}`) });
    } catch (error) {
      if (error instanceof DockerUnavailableError) {
        throw new InputError(
          'Docker',
          error.message,
          'start Docker (or set DOCKER_HOST to a reachable engine) and run the check again',
        );
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
        .withWaitStrategy(`${this.#name}-1`, Wait.forHealthCheck())
        .withStartupTimeout(120_000)
        .up();
      const started = stack.getContainer(`${this.#name}-1`);
      // Docker's stats and logs APIs (not wrapped by Testcontainers) through dockerode.
      const container = new Docker().getContainer(started.getId());
      const baseUrl = `http://127.0.0.1:${port}`;
      await this.#warmUp(baseUrl);
      this.report = await this.#measure(baseUrl, started, container);
      if (this.#settings.json) process.stdout.write(`${JSON.stringify(this.report, null, 2)}\n`);
      else this.log(`\n${formatTable(this.report)}\n`);
      if (!this.report.passed) {
        const logs = await containerErrorLogTail(container, 30);
        throw new Error(
          `check failed: ${this.report.failures.join('; ')}\n--- last container error log lines (stderr) ---\n${logs}`,
        );
      }
    } finally {
      process.removeListener('SIGINT', interrupted);
      await stack?.down({ removeVolumes: true, timeout: 30_000 });
    }
  }

  /** A progress line: on stderr with --json, so stdout stays the report alone. */
  #say(line: string): void {
    if (this.#settings.json) process.stderr.write(`${line}\n`);
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
          throw new InputError(
            '--path',
            `${path} answered 404 during warm-up`,
            'pass a path the app serves, e.g. --path /',
          );
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

  async #measure(baseUrl: string, started: StartedTestContainer, container: Docker.Container): Promise<CheckReport> {
    const settings = this.#settings;
    const config = await containerConfig(started);
    const stats = await followStats(container);
    let daemonProcesses = 0;
    const sampler = setInterval(() => {
      void countDaemonProcesses(started).then(count => (daemonProcesses = Math.max(daemonProcesses, count)));
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
    daemonProcesses = Math.max(daemonProcesses, await countDaemonProcesses(started));
    const peaks = stats.stop();
    const { errorRatePercent, failures } = judge(load, {
      maxErrorRatePercent: settings.maxErrorRatePercent,
      maxP99Ms: settings.maxP99Ms,
    });
    return {
      project: this.#name,
      shape: settings.shape,
      config,
      load: {
        paths: settings.paths,
        durationSeconds: settings.durationSeconds,
        connections: settings.connections,
        rate: settings.rate ?? null,
      },
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

/** The processes x threads in force: the container's WSGI_PROCESSES / WSGI_THREADS. */
async function containerConfig(container: StartedTestContainer): Promise<{ processes: number; threads: number }> {
  const { stdout } = await container.exec(['sh', '-c', 'echo "$WSGI_PROCESSES $WSGI_THREADS"']);
  const [processes, threads] = stdout.trim().split(/\s+/).map(Number);
  return { processes, threads };
}

/** Daemon processes named by display-name=%{GROUP}: "(wsgi:app)" (see PROCESS_GROUP). */
async function countDaemonProcesses(container: StartedTestContainer): Promise<number> {
  const listing = await container
    .exec(['sh', '-c', 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f" 2>/dev/null; echo; done'])
    .then(result => result.stdout)
    .catch(() => '');
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
  const logs = await container.logs({ stdout: false, stderr: true, follow: false });
  return demuxDockerStream(logs).split('\n').filter(Boolean).slice(-lines).join('\n') + '\n';
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
