/**
 * One Docker build at a time on a small machine: the test phases that run beside each other
 * (`npm test` runs the package tests beside the integration suite), the benchmarks and the
 * set-up scripts all wrap their builds in `flock` on the same file. Where flock is missing
 * (not Linux), builds simply run unlocked.
 */
import { spawn, spawnSync } from 'node:child_process';

/** The machine-wide lock file every Docker build takes (DEVELOPERS.md: never two builds at once). */
export const DOCKER_LOCK = '/tmp/docker.lock';

const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * `argv` prefixed so that it runs holding {@link DOCKER_LOCK}: `['flock', DOCKER_LOCK, ...argv]`,
 * or `argv` unchanged where flock is missing.
 */
export function underDockerLock(argv: readonly string[]): string[] {
  return hasFlock ? ['flock', DOCKER_LOCK, ...argv] : [...argv];
}

/**
 * Runs `work` (e.g. an image build) while holding {@link DOCKER_LOCK}. The
 * lock is held by a `flock` child that waits on its standard input, so it is released when
 * `work` settles, or when this process dies.
 * @returns what `work` returns
 * @throws what `work` throws; Error when flock exits before taking the lock
 */
export async function withDockerLock<T>(work: () => Promise<T>): Promise<T> {
  if (!hasFlock) return work();
  const holder = spawn('flock', [DOCKER_LOCK, 'sh', '-c', 'echo held && exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', code => reject(new Error(`flock ${DOCKER_LOCK} exited (${code}) before taking the lock`)));
  });
  try {
    return await work();
  } finally {
    holder.stdin.end();
  }
}
