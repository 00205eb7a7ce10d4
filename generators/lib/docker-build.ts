/**
 * Builds a generated project's image the way `docker compose up --build` does: `docker compose
 * build` (BuildKit), streaming the build's output as it comes. The generator's own end-of-run
 * build and `yo wsgi-apache:check` go through it, so one build cache serves both and `up`.
 */
import { spawn } from 'node:child_process';
import Docker from 'dockerode';

/** No Docker engine answered (no socket, daemon stopped, wrong DOCKER_HOST), or the docker CLI or its Compose v2 plugin is missing. */
export class DockerUnavailableError extends Error {
  /** what the user does about it, one clause for an {@link InputError}'s fix */
  readonly fix: string;
  /**
   * @param cause - why the engine did not answer (the ping's error)
   * @param missing - instead: the missing tool, e.g. `docker compose (Compose v2)`, and where Docker's docs say how to install it
   */
  constructor(cause: unknown, missing?: { tool: string; docs: string }) {
    super(
      missing === undefined
        ? `no Docker engine answered (${cause instanceof Error ? cause.message : String(cause)})`
        : `${missing.tool} is not installed`,
    );
    this.name = 'DockerUnavailableError';
    this.fix =
      missing === undefined
        ? 'start Docker (or set DOCKER_HOST to a reachable engine)'
        : `install ${missing.tool} (${missing.docs})`;
  }
}

/** What {@link runDockerCli} runs. */
export interface DockerCliRun {
  /** arguments after `docker` */
  args: string[];
  cwd: string;
  /** over this process's environment */
  env?: NodeJS.ProcessEnv;
  /** called with each non-empty line of stdout and stderr, without the newline */
  onLine?: (line: string) => void;
}

/**
 * Runs the docker CLI, streaming its output by line.
 * @returns its exit code and its last 30 non-empty lines
 * @throws DockerUnavailableError when the docker command is not installed
 */
export async function runDockerCli(run: DockerCliRun): Promise<{ code: number | null; tail: string[] }> {
  const child = spawn('docker', run.args, {
    cwd: run.cwd,
    env: { ...process.env, ...run.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (line: string) => {
    if (line.trim() === '') return;
    tail.push(line);
    if (tail.length > 30) tail.shift();
    run.onLine?.(line);
  };
  // stdout and stderr each keep their own partial line: BuildKit writes both at once.
  const follow = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(keep);
    });
    stream.on('end', () => keep(partial));
  };
  follow(child.stdout);
  follow(child.stderr);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new DockerUnavailableError(error, {
          tool: 'the docker command',
          docs: 'https://docs.docker.com/engine/install/',
        })
      : error;
  });
  return { code, tail };
}

/**
 * `docker compose -f compose.yaml build` in `context`: the very build `docker compose up
 * --build` runs (BuildKit, its cache, the build arguments and the index URL's build secret that
 * compose.yaml takes from the environment), so a check right after `up` rebuilds nothing.
 * @param options.env - environment for compose (build arguments, PIP_INDEX_URL), over this process's
 * @throws DockerUnavailableError when the engine does not answer a ping, or `docker` or its
 * Compose v2 plugin (`docker compose`) is not installed
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
  const version = await runDockerCli({ args: ['compose', 'version'], cwd: options.context });
  if (version.code !== 0)
    throw new DockerUnavailableError(version.tail.join(' '), {
      tool: 'docker compose (Compose v2)',
      docs: 'https://docs.docker.com/compose/install/',
    });
  const { code, tail } = await runDockerCli({
    args: ['compose', '-f', 'compose.yaml', 'build', '--progress', 'plain'],
    cwd: options.context,
    env: options.env,
    onLine: options.onLine,
  });
  if (code !== 0) throw new Error(`docker compose build failed (exit ${code}):\n${tail.join('\n')}`);
}
