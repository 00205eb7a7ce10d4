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
import { checkProjectName, removeComposeProject } from '../lib/compose-project.js';
import { composeBuild, DockerUnavailableError } from '../lib/docker-build.js';
import { demuxDockerStream } from '../lib/docker-streams.js';
import { InputError } from '../lib/input-error.js';
import { freePort } from '../lib/net.js';
import { ensureRyuk } from '../lib/ryuk.js';
import { runLoad } from '../lib/stack-checks.js';
import {
  appContainerName,
  ENVVARS_PATH,
  groupEnvPrefix,
  groupOfCommandLine,
  PUBLISH_PORT_VARIABLE,
  WRITE_WATCH_PREFIX,
} from '../lib/image-layout.js';
import { toList } from '../lib/parse.js';
import { type OptionSpec, PASSED_THROUGH, parseCommandLine, yoCommandLine } from '../lib/argv.js';
import { CHECK_FIELDS, type CheckSettings, resolveCheckSettings } from './options.js';
import { countConnections, type DatabaseConnections, judgeConnections } from './database-connections.js';
import {
  type AppReport,
  type CheckAbort,
  type CheckReport,
  type CheckStage,
  type GroupConfig,
  formatTable,
  judge,
  totals,
} from './report.js';

/** Parsed options: one entry per flag of {@link CHECK_FIELDS}, by flag name. */
export type CheckOptions = BaseOptions & Record<string, unknown>;

export default class CheckGenerator extends Generator<Record<string, unknown>, CheckOptions> {
  #name!: string;
  #settings!: CheckSettings;
  /** `--service postgres` in `.yo-rc.json`: the check counts the app's connections on it */
  #postgres = false;
  /** what the check is doing, for the document `--json` prints if it stops there */
  #stage: CheckStage = 'build';
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
    const stored = this.config.getAll() as { name?: string; healthPath?: string; services?: string[] };
    if (!stored.name || !existsSync(join(root, 'compose.yaml'))) {
      throw new InputError(
        'the current directory',
        `${root} is not a project scaffolded by yo wsgi-apache (no generator-wsgi-apache answers in .yo-rc.json, or no compose.yaml)`,
        'run yo wsgi-apache there first, or cd into the scaffolded project',
      );
    }
    this.#name = stored.name;
    this.#postgres = stored.services?.includes('postgres') ?? false;
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
    try {
      await this.#check();
    } catch (error) {
      // A report printed means the load ran: its failures are in it already.
      if (this.#settings.json && !this.report) {
        const abort: CheckAbort = {
          project: this.#name,
          shape: this.#settings.shape,
          passed: false,
          stage: this.#stage,
          failures: [(error as Error).message],
        };
        process.stdout.write(`${JSON.stringify(abort, null, 2)}\n`);
      }
      throw error;
    }
  }

  /**
   * `--skip-build`: the image the production shape runs must be there already.
   * @throws InputError naming `--skip-build` when it is not
   * @throws DockerUnavailableError when no engine answers
   */
  async #builtImage(): Promise<void> {
    const image = `${this.#name}:latest`;
    try {
      await new Docker().getImage(image).inspect();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 404) throw new DockerUnavailableError((error as Error).message);
      throw new InputError(
        '--skip-build',
        `there is no image ${image} to check`,
        'build it first (docker compose build), or leave --skip-build out',
      );
    }
    this.#say(`Checking the image ${image} as built (--skip-build)`);
  }

  async #check(): Promise<void> {
    const settings = this.#settings;
    const root = this.destinationRoot();
    const say = (line: string) => this.#say(line);
    this.#stage = 'build';
    try {
      if (settings.skipBuild) await this.#builtImage();
      else {
        say(`Building ${this.#name}:latest...`);
        await composeBuild({ context: root, onLine: line => say(`  ${line}`) });
      }
    } catch (error) {
      if (error instanceof DockerUnavailableError) {
        throw new InputError('Docker', error.message, `${error.fix} and run the check again`);
      }
      throw error;
    }
    this.#stage = 'start';
    // Testcontainers starts its Ryuk reaper first and fails without a registry to pull it from.
    await ensureRyuk({ say });
    const port = settings.port ?? (await freePort());
    const files = settings.shape === 'production' ? ['compose.yaml'] : ['compose.yaml', 'compose.override.yaml'];
    say(`Starting the ${settings.shape} shape on 127.0.0.1:${port} and waiting for its healthcheck...`);
    let stack: StartedDockerComposeEnvironment | undefined;
    const project = checkProjectName();
    let interruption: Promise<never> | undefined;
    const interrupted = () => {
      interruption = (async () => {
        // Ctrl-C before up() returned leaves no handle to call down() on: remove by project name.
        await stack?.down({ removeVolumes: true, timeout: 10_000 }).catch(() => undefined);
        if (!(await removeComposeProject(project).catch(() => false))) {
          process.stderr.write(
            `wsgi-apache: the Compose project ${project} may be left over: remove it with docker compose -p ${project} down -v\n`,
          );
        }
        process.exit(130);
      })();
    };
    process.once('SIGINT', interrupted);
    try {
      stack = await new DockerComposeEnvironment(root, files)
        .withProjectName(project)
        .withEnvironment({ [PUBLISH_PORT_VARIABLE]: String(port) })
        .withWaitStrategy(appContainerName(this.#name), Wait.forHealthCheck())
        .withStartupTimeout(120_000)
        .up();
      const started = stack.getContainer(appContainerName(this.#name));
      // Docker's stats and logs APIs (not wrapped by Testcontainers) through dockerode.
      const container = new Docker().getContainer(started.getId());
      const baseUrl = `http://127.0.0.1:${port}`;
      this.#stage = 'warm-up';
      await this.#warmUp(baseUrl);
      this.#stage = 'load';
      say(`Loading for ${settings.durationSeconds} s over ${settings.connections} connections...`);
      const database = this.#postgres ? stack.getContainer('postgres-1') : undefined;
      this.report = await this.#measure(baseUrl, started, container, database);
      const errorLog = await containerErrorLog(container);
      const writes = writeWatchLines(errorLog);
      if (writes.length > 0) this.report.writesIntoProject = writes;
      if (this.#settings.json) process.stdout.write(`${JSON.stringify(this.report, null, 2)}\n`);
      else this.log(`\n${formatTable(this.report)}\n`);
      if (!this.#settings.json) for (const line of writes) this.log(line);
      if (!this.report.passed) {
        const logs = errorLog.slice(-30).join('\n') + '\n';
        const cause = writes.length > 0 ? `\n--- writes into the read-only project ---\n${writes.join('\n')}` : '';
        throw new Error(
          `check failed: ${this.report.failures.join('; ')}${cause}\n--- last container error log lines (stderr) ---\n${logs}`,
        );
      }
    } catch (error) {
      // The removal pulls containers from under up() and the load: their errors are not the outcome.
      if (interruption) await interruption;
      throw error;
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
    for (const target of this.#settings.targets) {
      for (const path of target.paths) {
        const response = await fetch(baseUrl + path);
        await response.arrayBuffer();
        if (response.status !== 404) continue;
        // A path the user named must exist; a default (the health path, a mount's prefix) only
        // has to be answered by the app, which a 404 from the framework's router proves.
        if (target.pathsGiven) {
          throw new InputError(
            '--path',
            `${path} answered 404 during warm-up`,
            'pass a path the app serves, e.g. --path /',
          );
        }
        this.#say(`${path} (a default path) answered 404: loading it anyway; pass --path for a page your app serves.`);
      }
    }
    if (this.#settings.warmupSeconds > 0) {
      await runLoad({
        baseUrl,
        path: this.#settings.targets[0].paths[0],
        morePaths: this.#settings.targets.flatMap(target => target.paths).slice(1),
        connections: Math.min(8, this.#settings.connections),
        durationSeconds: this.#settings.warmupSeconds,
      });
    }
  }

  async #measure(
    baseUrl: string,
    started: StartedTestContainer,
    container: Docker.Container,
    database: StartedTestContainer | undefined,
  ): Promise<CheckReport> {
    const settings = this.#settings;
    const targets = settings.targets;
    const stats = await followStats(container);
    const seen = new Map<string, number>();
    // Embedded mode (WSGI_MODE=embedded) has no daemon: the app's processes are Apache's children.
    let apacheChildren = 0;
    const addresses = Object.values((await container.inspect()).NetworkSettings.Networks)
      .map(network => network.IPAddress)
      .filter(Boolean);
    let peakConnections = 0;
    const sample = async () => {
      const counts = await countProcesses(started);
      for (const [group, count] of Object.entries(counts.daemons))
        seen.set(group, Math.max(seen.get(group) ?? 0, count));
      apacheChildren = Math.max(apacheChildren, counts.apacheChildren);
      if (database) peakConnections = Math.max(peakConnections, (await countConnections(database, addresses)) ?? 0);
    };
    const sampler = setInterval(() => void sample(), 1000);
    // Every app at once, each with its share of the connections: what one does to the other shows.
    const connections = Math.max(1, Math.floor(settings.connections / targets.length));
    const loads = await Promise.all(
      targets.map(target =>
        runLoad({
          baseUrl,
          path: target.paths[0],
          morePaths: target.paths.slice(1),
          connections,
          durationSeconds: settings.durationSeconds,
          rate: settings.rate === undefined ? undefined : Math.max(1, Math.floor(settings.rate / targets.length)),
        }),
      ),
    );
    clearInterval(sampler);
    await sample();
    const peaks = stats.stop();
    const thresholds = { maxErrorRatePercent: settings.maxErrorRatePercent, maxP99Ms: settings.maxP99Ms };
    const apps: AppReport[] = [];
    for (const [i, target] of targets.entries()) {
      const load = loads[i];
      const { errorRatePercent, failures } = judge(load, thresholds);
      const config = await groupConfig(started, target.group);
      apps.push({
        url: target.url,
        group: target.group,
        paths: target.paths,
        connections,
        config,
        requests: load.requests,
        requestsPerSecond: load.requestsPerSecond,
        latency: { p50: load.p50, p95: load.p95, p99: load.p99, max: load.max },
        statusCodes: load.statusCodes,
        transportErrors: load.errors,
        timeouts: load.timeouts,
        errorRatePercent,
        daemonProcesses: config.wsgiMode === 'embedded' ? apacheChildren : (seen.get(target.group) ?? 0),
        failures: targets.length > 1 ? failures.map(failure => `${target.url}: ${failure}`) : failures,
      });
    }
    const total = totals(apps);
    const sent = total.requests + total.transportErrors;
    const status5xx = Object.entries(total.statusCodes)
      .filter(([code]) => code.startsWith('5'))
      .reduce((sum, [, count]) => sum + count, 0);
    const config = apps[0].config;
    const databaseFigures: DatabaseConnections | null = database
      ? { service: 'postgres', peak: peakConnections, limit: config.processes * config.threads }
      : null;
    const failures = [
      ...apps.flatMap(app => app.failures),
      ...(databaseFigures ? judgeConnections(databaseFigures) : []),
    ];
    return {
      project: this.#name,
      shape: settings.shape,
      config: apps[0].config,
      load: {
        paths: targets.flatMap(target => target.paths),
        durationSeconds: settings.durationSeconds,
        connections: connections * targets.length,
        rate: settings.rate ?? null,
      },
      ...total,
      errorRatePercent: sent === 0 ? 100 : ((total.transportErrors + status5xx) / sent) * 100,
      peakMemoryBytes: peaks.peakMemoryBytes,
      peakCpuPercent: peaks.peakCpuPercent,
      thresholds: { maxErrorRatePercent: settings.maxErrorRatePercent, maxP99Ms: settings.maxP99Ms ?? null },
      passed: failures.length === 0,
      failures,
      apps,
      database: databaseFigures,
    };
  }
}

/**
 * The processes x threads in force for a process group: what the image's envvars makes of the
 * container's environment (a mounted app's WSGI_<GROUP>_* default to the global WSGI_* values).
 */
async function groupConfig(container: StartedTestContainer, group: string): Promise<GroupConfig> {
  const prefix = groupEnvPrefix(group);
  const { stdout } = await container.exec([
    'sh',
    '-c',
    `. ${ENVVARS_PATH} >/dev/null 2>&1; echo "$${prefix}PROCESSES $${prefix}THREADS $WSGI_MODE"`,
  ]);
  const [processes, threads, mode] = stdout.trim().split(/\s+/);
  return {
    processes: Number(processes),
    threads: Number(threads),
    wsgiMode: mode === 'embedded' ? 'embedded' : 'daemon',
  };
}

/**
 * The container's processes: daemon processes per process group, named by display-name=%{GROUP}:
 * "(wsgi:GROUP)" (see PROCESS_GROUP), and Apache's children (its processes but the parent), which
 * run the app in embedded mode.
 */
async function countProcesses(
  container: StartedTestContainer,
): Promise<{ daemons: Record<string, number>; apacheChildren: number }> {
  const listing = await container
    .exec(['sh', '-c', 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f" 2>/dev/null; echo; done'])
    .then(result => result.stdout)
    .catch(() => '');
  const daemons: Record<string, number> = {};
  let apache = 0;
  for (const line of listing.split('\n')) {
    const group = groupOfCommandLine(line);
    if (group !== undefined) daemons[group] = (daemons[group] ?? 0) + 1;
    if (/^\S*apache2 /.test(line)) apache += 1;
  }
  return { daemons, apacheChildren: Math.max(0, apache - 1) };
}

/**
 * The lines of the container's stderr: Apache's error log, where tracebacks, start-up failures
 * and docker/write-watch.py's lines go. stdout is left out: it holds the access log, whose
 * batches (docker/access-log.py) would push the traceback out of a short tail.
 */
async function containerErrorLog(container: Docker.Container): Promise<string[]> {
  // No `tail` in the request: Docker applies it before leaving out stdout, so the last
  // lines of a busy access log would leave no stderr at all.
  const logs = await container.logs({ stdout: false, stderr: true, follow: false });
  return demuxDockerStream(logs).split('\n').filter(Boolean);
}

/**
 * docker/write-watch.py's lines in an error log, each once, from where they begin
 * ({@link WRITE_WATCH_PREFIX}: Apache puts its own timestamp and pid before them).
 */
export function writeWatchLines(errorLog: readonly string[]): string[] {
  const lines = errorLog.filter(line => line.includes(WRITE_WATCH_PREFIX));
  return [...new Set(lines.map(line => line.slice(line.indexOf(WRITE_WATCH_PREFIX))))];
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
