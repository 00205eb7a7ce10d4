/**
 * `docker build` of a generated project under a tag of the test's own, with BuildKit as
 * `docker compose build` and the generator use: the same cache, the same RUN mounts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDockerCli } from '../../generators/lib/docker-build.js';
import { PIP_INDEX_SECRET } from '../../generators/lib/image-layout.js';

/** The pip settings the generated Dockerfile takes as build args; PIP_INDEX_URL goes as the build secret {@link PIP_INDEX_SECRET}. */
const PIP_BUILD_ARGS = ['PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_NO_BUILD_ISOLATION'] as const;

/**
 * The PIP_* settings this process's environment has (a mirror, a wheelhouse), as
 * {@link buildImage}'s `pip`: a build sees them exactly as `docker compose build` does.
 */
export function pipBuildEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    [...PIP_BUILD_ARGS, 'PIP_INDEX_URL'].flatMap(name => (env[name] === undefined ? [] : [[name, env[name]]])),
  );
}

/**
 * Builds `tag` from `context` with `docker build` (BuildKit).
 * @param options.pip - PIP_* settings: PIP_INDEX_URL becomes the build secret, as compose.yaml
 * makes it; the others build args; other names are build args too (BASE_IMAGE)
 * @returns the image id (`sha256:...`)
 * @throws Error with the build's last 30 lines when it fails
 */
export async function buildImage(options: {
  context: string;
  tag: string;
  pip?: Record<string, string>;
  /** each line of the build's output */
  onLine?: (line: string) => void;
}): Promise<string> {
  const { PIP_INDEX_URL: indexUrl, ...args } = options.pip ?? {};
  const idFile = join(tmpdir(), `wsgi-apache-iid-${process.pid}-${Date.now()}`);
  const { code, tail } = await runDockerCli({
    args: [
      'build',
      '--progress',
      'plain',
      '--iidfile',
      idFile,
      '-t',
      options.tag,
      '--secret',
      `id=${PIP_INDEX_SECRET},env=PIP_INDEX_URL`,
      ...Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
      '.',
    ],
    cwd: options.context,
    onLine: options.onLine,
    // Unset, the secret is not mounted, as with compose.yaml.
    env: { DOCKER_BUILDKIT: '1', PIP_INDEX_URL: indexUrl ?? '' },
  });
  if (code !== 0) throw new Error(`docker build ${options.tag} failed (exit ${code}):\n${tail.join('\n')}`);
  const id = readFileSync(idFile, 'utf8').trim();
  rmSync(idFile, { force: true });
  return id;
}
