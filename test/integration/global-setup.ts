import { execFileSync } from 'node:child_process';

/**
 * The integration suite builds FROM debian:trixie-slim and debian:bookworm-slim. Here no registry is reachable,
 * so the image must already exist locally (.ci/run makes it with
 * images/build-offline-base.sh); say so plainly instead of failing inside a build.
 */
export default function setup(): () => void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'integration tests need a Docker engine: run `sudo bash .ci/provision-docker.sh` (or start Docker)',
    );
  }
  for (const base of ['debian:trixie-slim', 'debian:bookworm-slim']) {
    try {
      execFileSync('docker', ['image', 'inspect', base], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${base} is not available locally: \`docker pull ${base}\`, or without a registry \`sudo images/build-offline-base.sh trixie bookworm\``,
      );
    }
  }
  return teardown;
}

/**
 * Removes what a failed start may have left behind: containers, networks and volumes of
 * Testcontainers' compose projects, and the images the suite tagged. (Build cache stays,
 * so the next run is warm.)
 */
function teardown(): void {
  const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
  const projects = new Set(
    docker(
      'ps',
      '-a',
      '--filter',
      'label=com.docker.compose.project',
      '--format',
      '{{.Label "com.docker.compose.project"}}',
    )
      .split('\n')
      .filter(name => name.startsWith('testcontainers-')),
  );
  for (const project of projects) {
    const containers = docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)
      .split('\n')
      .filter(Boolean);
    if (containers.length > 0) docker('rm', '-f', '-v', ...containers);
    const networks = docker('network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`)
      .split('\n')
      .filter(Boolean);
    if (networks.length > 0) docker('network', 'rm', ...networks);
  }
  const volumes = docker('volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project')
    .split('\n')
    .filter(name => name.startsWith('testcontainers-'));
  if (volumes.length > 0) docker('volume', 'rm', '-f', ...volumes);
  const images = docker('images', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter(tag => /^wsgi-apache-(it|e2e)-/.test(tag));
  if (images.length > 0) docker('rmi', '-f', ...images);
}
