import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../generators/lib/net.js';
import { underDockerLock } from './docker-lock.js';
import { offlineBuildEnv } from './test-base.js';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment, Wait } from 'testcontainers';
import { afterAll, beforeAll } from 'vitest';

/** The two shapes a generated project runs in. */
export const SHAPES = {
  production: ['compose.yaml'],
  development: ['compose.yaml', 'compose.override.yaml'],
} as const;
export type Shape = keyof typeof SHAPES;

/**
 * `docker compose ARGS` in `dir`, with `env` on top of this process's environment (what
 * the generated compose files read: PUBLISH_PORT, build args), to completion.
 * Shared by the tests and the benchmarks.
 * @returns its standard output (e.g. the ids `ps -q` prints)
 * @throws Error naming the command and ending with its last 40 lines of output
 */
export function compose(dir: string, args: string[], env: Record<string, string> = {}): string {
  return run(dir, ['docker', 'compose', ...args], env);
}

/**
 * {@link compose} without blocking the event loop. Use it for a long command between HTTP
 * requests: while a synchronous call runs, undici cannot see Apache close an idle keep-alive
 * connection (`KeepAliveTimeout`), and the next fetch reuses the dead socket ("other side closed").
 * @throws Error as {@link compose}
 */
export async function composeAsync(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('docker', ['compose', ...args], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    throw commandError(['docker', 'compose', ...args], dir, error);
  }
}

/** {@link compose}, holding the machine's Docker build lock (docker-lock.ts) for its whole run. */
function composeLocked(dir: string, args: string[], env: Record<string, string>): string {
  return run(dir, underDockerLock(['docker', 'compose', ...args]), env);
}

function run(dir: string, argv: string[], env: Record<string, string>): string {
  const [command, ...args] = argv;
  try {
    return execFileSync(command!, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw commandError(argv, dir, error);
  }
}

function commandError(argv: string[], dir: string, error: unknown): Error {
  const output =
    String((error as { stderr?: Buffer }).stderr ?? '') + String((error as { stdout?: Buffer }).stdout ?? '');
  return new Error(`${argv.join(' ')} failed in ${dir}:\n${output.split('\n').slice(-40).join('\n')}`);
}

/**
 * `docker compose build` of the generated files (BuildKit) under the Docker build lock, timed
 * (the wait for the lock included). A project with a `wheelhouse/` builds from it alone
 * (test-base.ts); `env` overrides that.
 * @param files - the Compose files, `compose.yaml` alone by default
 * @returns seconds
 * @throws Error ending with the build's last 40 lines of output
 */
export function composeBuild(dir: string, env: Record<string, string> = {}, files = ['compose.yaml']): number {
  const start = performance.now();
  composeLocked(dir, ['--progress', 'plain', ...files.flatMap(file => ['-f', file]), 'build'], {
    ...offlineBuildEnv(dir),
    ...env,
  });
  return (performance.now() - start) / 1000;
}

/**
 * Seconds between the HEALTHCHECK probes of the stacks the tests start (the image says 5 s).
 * Every start waits for the first healthy probe, so a 5 s interval cost about 3 s a start,
 * some 70 starts a run; the probe itself, its timeout, start period and retries stay the image's.
 */
export const TEST_HEALTH_INTERVAL_SECONDS = 1;

let healthFiles: string | undefined;

/**
 * A Compose file, outside the project, that probes `service`'s HEALTHCHECK every
 * {@link TEST_HEALTH_INTERVAL_SECONDS}. It names the interval alone: Docker keeps the image's
 * test, timeout, start period and retries for what a container's healthcheck leaves unset, as
 * `docker run --health-interval` does (Docker's run reference, "Healthcheck").
 * @returns its absolute path, for `-f` after the project's own files
 */
export function fastHealthcheckFile(service: string): string {
  healthFiles ??= mkdtempSync(join(tmpdir(), 'wsgi-apache-health-'));
  const dir = join(healthFiles, service);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'compose.health.yaml');
  writeFileSync(file, `services:\n  ${service}:\n    healthcheck:\n      interval: ${TEST_HEALTH_INTERVAL_SECONDS}s\n`);
  return file;
}

/**
 * The Compose files {@link composeUp} starts `service` from in `shape`: the project's, then
 * {@link fastHealthcheckFile}. A later `docker compose -p PROJECT ... run` on that stack must
 * name the same files, or Compose sees another configuration for the running service.
 */
export function upFiles(shape: Shape, service: string): string[] {
  return [...SHAPES[shape], fastHealthcheckFile(service)];
}

/**
 * Starts the generated stack with Testcontainers' Compose support and waits on the
 * image's HEALTHCHECK (not a sleep). The image must be built already.
 * @param project - a running stack's Compose project, to bring it up again (`up` recreates
 *   what changed); Testcontainers names a new one otherwise
 */
export async function composeUp(
  dir: string,
  service: string,
  shape: Shape,
  env: Record<string, string>,
  project?: string,
): Promise<StartedDockerComposeEnvironment> {
  const environment = new DockerComposeEnvironment(dir, upFiles(shape, service));
  if (project !== undefined) environment.withProjectName(project);
  return environment
    .withEnvironment(env)
    .withWaitStrategy(`${service}-1`, Wait.forHealthCheck())
    .withStartupTimeout(120_000)
    .up();
}

/** A stack started by {@link serveStack}, and where it answers on 127.0.0.1. */
export interface ServedStack {
  stack: StartedDockerComposeEnvironment;
  url: string;
}

/**
 * Builds (Compose's own build, under the Docker build lock) and starts the project's stack from
 * the Compose `files` on a free 127.0.0.1 port, waiting on `container`'s HEALTHCHECK.
 * @param container - the container to wait on, `SERVICE-1`
 */
export async function serveStack(dir: string, files: string[], container: string): Promise<ServedStack> {
  const port = await freePort();
  composeBuild(dir, {}, files);
  const service = container.replace(/-1$/, '');
  const stack = await new DockerComposeEnvironment(dir, [...files, fastHealthcheckFile(service)])
    .withEnvironment({ ...offlineBuildEnv(dir), PUBLISH_PORT: String(port) })
    .withWaitStrategy(container, Wait.forHealthCheck())
    .withStartupTimeout(120_000)
    .up();
  return { stack, url: `http://127.0.0.1:${port}` };
}

/** The stack {@link stackPerShape} keeps for a describe's tests: set once its beforeAll ran. */
export interface ShapeStack {
  stack?: StartedDockerComposeEnvironment;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
}

/**
 * In a describe, for its tests: starts the project's stack in `shape` before them (on a free
 * 127.0.0.1 port, waiting on the service's HEALTHCHECK) and removes it after them.
 * @param project - read when the stack starts (the file's beforeAll makes the project)
 * @param options.env - more Compose environment (e.g. pip build arguments), read when it starts
 * @param options.start - wraps the start (e.g. to time it); runs it as is by default
 * @returns the stack and its URL, filled in when the describe's beforeAll ran
 */
export function stackPerShape(
  project: () => string,
  service: string,
  shape: Shape,
  options: {
    env?: () => Record<string, string>;
    start?: (up: () => Promise<StartedDockerComposeEnvironment>) => Promise<StartedDockerComposeEnvironment>;
  } = {},
): ShapeStack {
  const started: ShapeStack = { baseUrl: '' };
  beforeAll(async () => {
    const port = await freePort();
    started.baseUrl = `http://127.0.0.1:${port}`;
    const up = () => composeUp(project(), service, shape, { ...options.env?.(), PUBLISH_PORT: String(port) });
    started.stack = await (options.start ? options.start(up) : up());
  }, 300_000);
  afterAll(() => removeStack(started.stack));
  return started;
}

/** The Compose project a container belongs to (Testcontainers picks its own project names). */
export function composeProject(containerId: string): string {
  return execFileSync(
    'docker',
    ['inspect', '-f', '{{index .Config.Labels "com.docker.compose.project"}}', containerId],
    { encoding: 'utf8' },
  ).trim();
}

/** Stops and removes a started stack with its volumes, 30 s grace per container; nothing when it never started. */
export async function removeStack(stack: StartedDockerComposeEnvironment | undefined): Promise<void> {
  await stack?.down({ removeVolumes: true, timeout: 30_000 });
}

/** The last `lines` lines of a container's stdout and stderr, interleaved as `docker logs` shows them. */
export function containerLogs(containerId: string, lines = 200): string {
  return execFileSync('sh', ['-c', `docker logs --tail ${lines} ${containerId} 2>&1`], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
}

/**
 * `apache2 -t` in a running generated container, as start-apache would run Apache (its
 * envvars sourced) but without start-apache's clean-up, which the exec's user (the image's,
 * not the development shape's) may not be allowed to do. Works on every base: Debian's
 * `apache2ctl` is not in the python base's apache2-bin.
 */
export const APACHE_CONFIG_TEST = ['/bin/sh', '-c', '. /etc/apache2/envvars && exec /usr/sbin/apache2 -t'];
