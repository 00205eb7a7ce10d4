/**
 * Builds an image from a project directory through the Docker engine API (dockerode),
 * with the classic builder, streaming the build's output as it comes.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Docker from 'dockerode';
import tar from 'tar-fs';
import { dockerignore } from './dockerignore.js';
import { followProgress } from './docker-streams.js';

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

/** The pip settings the generated Dockerfile takes as build args, passed through by compose.yaml too. */
export const PIP_BUILD_ARGS = ['PIP_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_NO_BUILD_ISOLATION'] as const;

/**
 * The {@link PIP_BUILD_ARGS} set in `env`, as build args: so an image built through the engine
 * API sees a mirror or `PIP_NO_INDEX=1` exactly as `docker compose build` does.
 * @returns name -> value, only for the variables `env` sets
 */
export function pipBuildArgs(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(PIP_BUILD_ARGS.flatMap(name => (env[name] === undefined ? [] : [[name, env[name]]])));
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
  await followProgress<{ stream?: string; error?: string; aux?: { ID?: string } }>(docker, stream, {
    failure: message => `docker build failed: ${message.trim()}`,
    onEvent: event => {
      if (event.aux?.ID) imageId = event.aux.ID;
      for (const line of event.stream?.split('\n') ?? []) if (line.trim() !== '') options.onLine?.(line);
    },
  });
  return imageId;
}

/**
 * `docker compose -f compose.yaml build` in `context`: the very build `docker compose up
 * --build` runs (BuildKit, its cache, the build arguments compose.yaml takes from the
 * environment), so a check right after `up` rebuilds nothing. The Docker CLI with Compose
 * v2 is what Testcontainers' Compose support runs anyway.
 * @param options.env - environment for compose (build arguments), over this process's
 * @throws DockerUnavailableError when the engine does not answer a ping or `docker` is not installed
 * @throws Error with the last 30 lines of output when the build fails
 */
export async function composeBuild(options: {
  context: string;
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  docker?: Docker;
}): Promise<void> {
  try {
    await (options.docker ?? new Docker()).ping();
  } catch (error) {
    throw new DockerUnavailableError(error);
  }
  const child = spawn('docker', ['compose', '-f', 'compose.yaml', 'build', '--progress', 'plain'], {
    cwd: options.context,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      options.onLine?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new DockerUnavailableError(new Error('the docker command is not installed'))
      : error;
  });
  if (code !== 0)
    throw new Error(`docker compose build failed (exit ${code}):\n${[...tail, partial].filter(Boolean).join('\n')}`);
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
