// Docker plumbing for the benchmark: builds through the CLI (what users time), containers
// and their cgroup counters through the engine API (dockerode).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);
export const docker = new Docker();

/** Every container and image the benchmark makes carries this prefix, for cleanup. */
export const PREFIX = 'wsgi-apache-bench';

/**
 * Builds an image with `docker build` and times it.
 * @param {{ tag: string, context: string, dockerfile?: string, buildArgs?: Record<string, string>, noCache?: boolean }} options
 * @returns {Promise<number>} seconds, wall clock
 * @throws when the build fails (the error carries docker's stderr)
 */
export async function buildImage({ tag, context, dockerfile, buildArgs = {}, noCache = false }) {
  const args = ['build', '-q', '-t', tag];
  if (dockerfile) args.push('-f', dockerfile);
  if (noCache) args.push('--no-cache');
  for (const [key, value] of Object.entries(buildArgs)) args.push('--build-arg', `${key}=${value}`);
  args.push(context);
  const start = performance.now();
  await run('docker', args, { maxBuffer: 16 << 20 });
  return (performance.now() - start) / 1000;
}

/** @returns {Promise<number>} the image's size in bytes, as `docker image ls` reports it */
export async function imageSize(tag) {
  return (await docker.getImage(tag).inspect()).Size;
}

/**
 * Starts a server container, its port published on 127.0.0.1 only.
 * @param {{ name: string, image: string, command?: string[], env?: Record<string, string>, containerPort: number, publishPort: number }} options
 * @returns {Promise<import('dockerode').Container>} the started container
 */
export async function startServer({ name, image, command, env = {}, containerPort, publishPort }) {
  const container = await docker.createContainer({
    name,
    Image: image,
    ...(command ? { Cmd: command } : {}),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: { [`${containerPort}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${containerPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(publishPort) }] } },
  });
  await container.start();
  return container;
}

/**
 * One reading of a container's cgroup counters, without the engine's 1 s averaging wait.
 * @returns {Promise<{ cpuNanos: number, memoryBytes: number }>} CPU time used since start
 *   (ns, all cores) and memory in use without the page cache (bytes; cgroup v1 `cache`,
 *   v2 `inactive_file`, as `docker stats` subtracts them)
 */
export async function readCounters(container) {
  const stats = await container.stats({ stream: false, 'one-shot': true });
  const memory = stats.memory_stats ?? {};
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? memory.stats?.cache ?? 0;
  return { cpuNanos: stats.cpu_stats.cpu_usage.total_usage, memoryBytes: (memory.usage ?? 0) - cache };
}

/** Removes a container, running or not; never throws. */
export async function removeContainer(container) {
  await container.remove({ force: true, v: true }).catch(() => {});
}

/** Removes every container whose name starts with PREFIX (left by an interrupted run). */
export async function removeLeftovers() {
  const containers = await docker.listContainers({ all: true, filters: { name: [PREFIX] } });
  await Promise.all(containers.map(info => removeContainer(docker.getContainer(info.Id))));
}

/**
 * Polls `url` until it answers 200.
 * @returns {Promise<string>} the body of the first 200
 * @throws after `timeoutMs` milliseconds without one
 */
export async function waitFor200(url, timeoutMs = 60_000, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    // A ref'd timer, not AbortSignal.timeout (unref'd): a fetch whose connection
    // docker-proxy accepts and drops while the server starts can stay pending with no
    // other handle alive, and Node would exit mid-await (code 13).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2000);
    try {
      const response = await fetch(url, { signal: controller.signal });
      const body = await response.text();
      if (response.status === 200) return body;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    } finally {
      clearTimeout(timer);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}
