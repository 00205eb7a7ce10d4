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
  return startPublished(image, env, { HostConfig: hostConfig }, async () => undefined);
}

/**
 * Creates and starts a container publishing 8080 on 127.0.0.1, runs `beforeStart` on it
 * (e.g. to attach), and waits for Apache to answer. Removes the container on failure.
 */
async function startPublished<T>(
  image: string,
  env: Record<string, string>,
  extra: Partial<Docker.ContainerCreateOptions>,
  beforeStart: (container: Docker.Container) => Promise<T>,
): Promise<RunningContainer & { attached: T }> {
  const docker = new Docker();
  const port = await freePort();
  const container = await docker.createContainer({
    Image: image,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: { '8080/tcp': {} },
    ...extra,
    HostConfig: { ...extra.HostConfig, PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  const remove = async () => {
    await container.remove({ force: true }).catch(() => undefined);
  };
  try {
    const attached = await beforeStart(container);
    await container.start();
    const baseUrl = `http://127.0.0.1:${port}`;
    await pollUntil(`${baseUrl}/`, () => true, 30_000);
    return { id: container.id, baseUrl, remove, attached };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Runs the image to completion with `env` and returns its exit code and combined output. */
export async function runToExit(image: string, env: Record<string, string>): Promise<{ exitCode: number; output: string }> {
  const docker = new Docker();
  const container = await docker.createContainer({ Image: image, Env: Object.entries(env).map(([k, v]) => `${k}=${v}`) });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: demuxDockerStream(logs) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Removes images by tag, ignoring ones that are already gone. */
export async function removeImages(...tags: string[]): Promise<void> {
  const docker = new Docker();
  for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
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
 */
export async function runInteractive(image: string, env: Record<string, string> = {}): Promise<InteractiveContainer> {
  let text = '';
  const started = await startPublished(
    image,
    env,
    { OpenStdin: true, StdinOnce: false, AttachStdin: true, AttachStdout: true, AttachStderr: true },
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

  async run(image: string, env: Record<string, string> = {}, hostConfig: Docker.HostConfig = {}): Promise<RunningContainer> {
    return this.track(await runImage(image, env, hostConfig));
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.#started.splice(0).map(container => container.remove()));
  }
}
