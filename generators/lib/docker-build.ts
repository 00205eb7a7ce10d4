/**
 * Builds an image from a project directory through the Docker engine API (dockerode),
 * with the classic builder, streaming the build's output as it comes.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import Docker from 'dockerode';
import tar from 'tar-fs';

// The package is CommonJS (`module.exports = factory`) but its types declare a default export.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

/** No Docker engine answered (no socket, daemon stopped, wrong DOCKER_HOST). */
export class DockerUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`no Docker engine answered (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'DockerUnavailableError';
  }
}

export interface BuildOptions {
  /** the build context, a directory holding a `Dockerfile` */
  context: string;
  /** image tag, e.g. `myapp:latest` */
  tag: string;
  /** Dockerfile `ARG` values */
  buildArgs?: Record<string, string>;
  /** called with each line of build output, without the trailing newline */
  onLine?: (line: string) => void;
  /** defaults to a client configured from DOCKER_HOST or /var/run/docker.sock */
  docker?: Docker;
}

/**
 * Builds `tag` from `context`, honouring the context's `.dockerignore`.
 * @returns the image id (`sha256:...`)
 * @throws DockerUnavailableError when the engine does not answer a ping
 * @throws Error with the builder's message when the build fails
 */
export async function buildImage(options: BuildOptions): Promise<string> {
  const docker = options.docker ?? new Docker();
  try {
    await docker.ping();
  } catch (error) {
    throw new DockerUnavailableError(error);
  }
  // tar-fs packs with streamx streams; docker-modem only pipes them, which streamx supports.
  const context = packContext(options.context) as unknown as NodeJS.ReadableStream;
  const stream = await docker.buildImage(context, {
    t: options.tag,
    buildargs: options.buildArgs ?? {},
    rm: true,
    forcerm: true,
  });
  let imageId = '';
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { stream?: string; error?: string; aux?: { ID?: string } }) => {
        if (event.error) {
          reject(new Error(`docker build failed: ${event.error.trim()}`));
          return;
        }
        if (event.aux?.ID) imageId = event.aux.ID;
        for (const line of event.stream?.split('\n') ?? []) if (line.trim() !== '') options.onLine?.(line);
      },
    );
  });
  return imageId;
}

/**
 * A tar stream of `context`, leaving out what its `.dockerignore` names. Dockerfile and
 * .dockerignore are always sent, as the docker CLI does: the engine needs both, and
 * removes them from what COPY sees when .dockerignore lists them.
 */
export function packContext(context: string): ReturnType<typeof tar.pack> {
  let rules = '';
  try {
    rules = readFileSync(join(context, '.dockerignore'), 'utf8');
  } catch {
    // no .dockerignore: send everything
  }
  const ignore = dockerignore().add(rules);
  return tar.pack(context, {
    ignore: (name: string) => {
      const rel = relative(context, name).split(sep).join('/');
      return rel !== '' && rel !== 'Dockerfile' && rel !== '.dockerignore' && ignore.ignores(rel);
    },
  });
}

/**
 * The build arguments the generated compose.yaml passes from the shell (`${NAME:-default}`),
 * taken from `env` where set, so a build through the engine's API (yo wsgi-apache:check)
 * builds what `docker compose build` would: the same base image, package index, wheelhouse
 * and offline pip settings.
 * @returns name -> value for each of them that `env` sets (possibly to '')
 */
export function buildArgsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = ['BASE_IMAGE', 'PIP_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_NO_BUILD_ISOLATION'];
  return Object.fromEntries(names.filter(name => env[name] !== undefined).map(name => [name, env[name] as string]));
}
