// Docker plumbing for the benchmark: builds through the CLI (what users time), containers
// and their cgroup counters through the engine API (dockerode). Containers are started by
// the tests' startPublished (test/helpers/docker-run.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { pollUntil } from '../../test/helpers/net.js';
import { type MemoryStats, memoryInUse } from '../../generators/lib/container-stats.js';

const run = promisify(execFile);

/** The engine the benchmark talks to (DOCKER_HOST or the local socket). */
export const docker = new Docker();

/** Every container and image the benchmark makes carries this prefix, for cleanup. */
export const PREFIX = 'wsgi-apache-bench';

/** What {@link buildImage} builds. */
export interface BuildSpec {
  tag: string;
  /** the build context, a directory */
  context: string;
  /** the Dockerfile's path (default: the context's Dockerfile) */
  dockerfile?: string;
  /** `--build-arg KEY=VALUE` each */
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** `--target STAGE`: build up to that stage only */
  target?: string;
}

/**
 * Builds an image with `docker build` and times it.
 * @returns seconds, wall clock
 * @throws when the build fails (the error carries docker's stderr)
 */
export async function buildImage({
  tag,
  context,
  dockerfile,
  buildArgs = {},
  noCache = false,
  target,
}: BuildSpec): Promise<number> {
  const args = ['build', '-q', '-t', tag];
  if (dockerfile) args.push('-f', dockerfile);
  if (noCache) args.push('--no-cache');
  if (target) args.push('--target', target);
  for (const [key, value] of Object.entries(buildArgs)) args.push('--build-arg', `${key}=${value}`);
  args.push(context);
  const start = performance.now();
  await run('docker', args, { maxBuffer: 16 << 20 });
  return (performance.now() - start) / 1000;
}

/** @returns the image's size in bytes, as `docker image ls` reports it; undefined when there is no such image */
export async function imageSize(tag: string): Promise<number | undefined> {
  const info = await docker
    .getImage(tag)
    .inspect()
    .catch(() => undefined);
  return info?.Size;
}

/** One reading of a container's cgroup counters. */
export interface Counters {
  /** CPU time used since the container started, nanoseconds, all cores */
  cpuNanos: number;
  /** memory in use without the page cache, bytes */
  memoryBytes: number;
}

/**
 * The parts of a Docker stats sample (`GET /containers/{id}/stats`) that
 * {@link countersFromStats} reads. The engine fills `memory_stats.stats` from the cgroup's
 * memory.stat: cgroup v1 keys (`total_inactive_file`, `cache`) or v2 ones
 * (`inactive_file`), so each may be missing.
 */
export interface StatsSample {
  cpu_stats: { cpu_usage: { total_usage: number } };
  memory_stats?: MemoryStats;
}

/**
 * Reads the counters out of one stats sample, the memory without the page cache
 * ({@link memoryInUse}, as `docker stats` counts it).
 * A sample without memory figures (a stopped container) reads as 0 bytes.
 */
export function countersFromStats(stats: StatsSample): Counters {
  return { cpuNanos: stats.cpu_stats.cpu_usage.total_usage, memoryBytes: memoryInUse(stats.memory_stats) };
}

/**
 * One reading of a container's cgroup counters, without the engine's 1 s averaging wait.
 * @throws when the engine cannot read the container's stats (it is gone)
 */
export async function readCounters(container: Docker.Container): Promise<Counters> {
  const stats = await container.stats({ stream: false, 'one-shot': true });
  return countersFromStats(stats);
}

/** Removes a container, running or not, and its anonymous volumes; never throws. */
export async function removeContainer(container: Docker.Container): Promise<void> {
  await container.remove({ force: true, v: true }).catch(() => {});
}

/** Removes every container whose name starts with PREFIX (left by an interrupted run). */
export async function removeLeftovers(): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { name: [PREFIX] } });
  await Promise.all(containers.map(info => removeContainer(docker.getContainer(info.Id))));
}

/**
 * Polls `url` until it answers 200: the tests' pollUntil, polling faster (every
 * `intervalMs`, default 20 ms) because the wait is what is measured, and giving up on one
 * request after 2 s (a connection docker-proxy accepted before the server listened).
 * @returns the body of the first 200
 * @throws Error with the last status or error after `timeoutMs` (default 60 s)
 */
export async function waitFor200(url: string, { timeoutMs = 60_000, intervalMs = 20 } = {}): Promise<string> {
  const { body } = await pollUntil(url, status => status === 200, timeoutMs, { intervalMs, requestTimeoutMs: 2_000 });
  return body;
}
