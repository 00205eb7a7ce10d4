import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { demuxDockerStream } from '../../generators/lib/docker-streams.js';
import { freePort, pollUntil } from './net.js';

export interface RunningContainer {
  id: string;
  baseUrl: string;
  remove(): Promise<void>;
}

/**
 * `docker run -d -p 127.0.0.1:<free port>:8080 -e ... image`, through dockerode, then waits
 * until Apache answers anything (any status: a broken app still answers 500).
 * @throws Error when nothing answers within 30 s (the container is removed first)
 */
export async function runImage(
  image: string,
  env: Record<string, string> = {},
  hostConfig: Docker.HostConfig = {},
): Promise<RunningContainer> {
  return startPublished({ image, env, extra: { HostConfig: hostConfig } });
}

/** What {@link startPublished} starts, and how. */
export interface PublishedSpec {
  image: string;
  env?: Record<string, string>;
  /** the container's name (default: one Docker makes up) */
  name?: string;
  /** the CMD (default: the image's) */
  command?: string[];
  /** the port the server listens on inside the container (default 8080, the generated image's) */
  containerPort?: number;
  /** the port published on 127.0.0.1 (default: a free one) */
  hostPort?: number;
  /** more create options; their HostConfig is kept, its PortBindings replaced by the one above */
  extra?: Partial<Docker.ContainerCreateOptions>;
  /**
   * how long to wait for the server to answer anything (any status: a broken app still
   * answers 500), milliseconds; 0 does not wait, for callers that time their own wait.
   * Default 30 000.
   */
  answerWithinMs?: number;
}

/** A container {@link startPublished} started. */
export interface PublishedContainer<T> extends RunningContainer {
  /** what `beforeStart` gave */
  attached: T;
  container: Docker.Container;
}

/**
 * Creates and starts a container publishing one port on 127.0.0.1 only, runs
 * `beforeStart` on it first (e.g. to attach), and waits for the server to answer.
 * Shared by the tests and the benchmark (bench/lib/images.ts).
 * @throws Error from Docker (no such image, port taken) or when nothing answers within
 *   `answerWithinMs`; the container is removed first
 */
export async function startPublished<T = undefined>(
  spec: PublishedSpec,
  beforeStart: (container: Docker.Container) => Promise<T> = async () => undefined as T,
): Promise<PublishedContainer<T>> {
  const { image, env = {}, name, command, containerPort = 8080, extra = {}, answerWithinMs = 30_000 } = spec;
  const docker = new Docker();
  const port = spec.hostPort ?? (await freePort());
  const exposed = `${containerPort}/tcp`;
  const container = await docker.createContainer({
    ...(name ? { name } : {}),
    Image: image,
    ...(command ? { Cmd: command } : {}),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: { [exposed]: {} },
    ...extra,
    HostConfig: { ...extra.HostConfig, PortBindings: { [exposed]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  const remove = async () => {
    // v: anonymous volumes go too, or every run would leave one behind.
    await container.remove({ force: true, v: true }).catch(() => undefined);
  };
  try {
    const attached = await beforeStart(container);
    await container.start();
    const baseUrl = `http://127.0.0.1:${port}`;
    if (answerWithinMs > 0) await pollUntil(`${baseUrl}/`, () => true, answerWithinMs);
    return { id: container.id, baseUrl, remove, attached, container };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Runs the image to completion with `env` and returns its exit code and combined output. */
export async function runToExit(
  image: string,
  env: Record<string, string>,
): Promise<{ exitCode: number; output: string }> {
  const docker = new Docker();
  const container = await docker.createContainer({
    Image: image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: demuxDockerStream(logs) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Removes images by tag, ignoring ones that are already gone. BuildKit's cache, which the next
 * build of the same project reuses, is kept apart from images and stays; so do untagged
 * parents (`noprune`, `docker rmi --no-prune`).
 */
export async function removeImages(...tags: string[]): Promise<void> {
  const docker = new Docker();
  for (const tag of tags)
    await docker
      .getImage(tag)
      .remove({ force: true, noprune: true })
      .catch(() => undefined);
}

export interface InteractiveContainer extends RunningContainer {
  /** writes to the container's stdin (as a terminal user would type) */
  type(text: string): void;
  /** everything the container printed so far, stdout and stderr */
  output(): string;
}

/**
 * Like {@link runImage}, with stdin open and attached (`docker run -i`), for tools that
 * talk to a terminal, such as pdb.
 * @param answerWithinMs - as {@link PublishedSpec}; 0 returns at once, for a server that waits on the terminal first
 */
export async function runInteractive(
  image: string,
  env: Record<string, string> = {},
  answerWithinMs?: number,
): Promise<InteractiveContainer> {
  let text = '';
  const started = await startPublished(
    {
      image,
      env,
      answerWithinMs,
      extra: { OpenStdin: true, StdinOnce: false, AttachStdin: true, AttachStdout: true, AttachStderr: true },
    },
    async container => {
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      const sink = new Writable({
        write(chunk, _encoding, done) {
          text += chunk.toString();
          done();
        },
      });
      container.modem.demuxStream(stream, sink, sink);
      return stream;
    },
  );
  return { ...started, type: input => started.attached.write(input), output: () => text };
}

/**
 * Starts containers with {@link runImage} / {@link runInteractive} and remembers them, so
 * one `removeAll()` in `afterAll` cleans up whatever a test file started, even after a
 * failed assertion.
 */
export class ContainerTracker {
  readonly #started: RunningContainer[] = [];

  track<T extends RunningContainer>(container: T): T {
    this.#started.push(container);
    return container;
  }

  /** {@link runImage}, tracked. */
  async run(...args: Parameters<typeof runImage>): Promise<RunningContainer> {
    return this.track(await runImage(...args));
  }

  /** Removes every container started so far, then `images` (tags). */
  async removeAll(...images: string[]): Promise<void> {
    await Promise.all(this.#started.splice(0).map(container => container.remove()));
    if (images.length > 0) await removeImages(...images);
  }
}

/**
 * The CPython version an image's Python is (its `PYTHON_VERSION`, as the official images set it).
 * @throws Error naming images/build-python-slim.sh when the image does not say
 */
export async function imagePythonVersion(image: string): Promise<string> {
  const info = await new Docker()
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  const version = info?.Config.Env?.find(entry => entry.startsWith('PYTHON_VERSION='))?.slice('PYTHON_VERSION='.length);
  if (!version)
    throw new Error(
      `${image} ${info ? 'has no PYTHON_VERSION' : 'is missing'}: --python-build optimized needs it (images/build-python-slim.sh)`,
    );
  return version;
}
