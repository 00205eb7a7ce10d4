import { execFileSync } from 'node:child_process';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment, Wait } from 'testcontainers';

/** The two shapes a generated project runs in. */
export const SHAPES = {
  production: ['compose.yaml'],
  development: ['compose.yaml', 'compose.override.yaml'],
} as const;
export type Shape = keyof typeof SHAPES;

/**
 * `docker compose build` of the generated files (BuildKit), timed.
 * @returns seconds
 * @throws Error ending with the build's last 40 lines of output
 */
export function composeBuild(dir: string, env: Record<string, string> = {}): number {
  const start = performance.now();
  try {
    execFileSync('docker', ['compose', '-f', 'compose.yaml', 'build', '--progress', 'plain'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const output = String((error as { stderr?: Buffer }).stderr ?? '') + String((error as { stdout?: Buffer }).stdout ?? '');
    throw new Error(`docker compose build failed in ${dir}:\n${output.split('\n').slice(-40).join('\n')}`);
  }
  return (performance.now() - start) / 1000;
}

/**
 * Starts the generated stack with Testcontainers' Compose support and waits on the
 * image's HEALTHCHECK (not a sleep). The image must be built already.
 */
export async function composeUp(
  dir: string,
  service: string,
  shape: Shape,
  env: Record<string, string>,
): Promise<StartedDockerComposeEnvironment> {
  return new DockerComposeEnvironment(dir, [...SHAPES[shape]])
    .withEnvironment(env)
    .withWaitStrategy(`${service}-1`, Wait.forHealthCheck())
    .withStartupTimeout(120_000)
    .up();
}

/** The last `lines` lines of a container's stdout and stderr, interleaved as `docker logs` shows them. */
export function containerLogs(containerId: string, lines = 200): string {
  return execFileSync('sh', ['-c', `docker logs --tail ${lines} ${containerId} 2>&1`], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}
