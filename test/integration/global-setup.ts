import { execFileSync } from 'node:child_process';

/**
 * The integration suite builds FROM debian:<suite>-slim. Here no registry is reachable,
 * so the image must already exist locally (.ci/run makes it with
 * images/build-offline-base.sh); say so plainly instead of failing inside a build.
 */
export default function setup(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error('integration tests need a Docker engine: run `sudo bash .ci/provision-docker.sh` (or start Docker)');
  }
  try {
    execFileSync('docker', ['image', 'inspect', 'debian:trixie-slim'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'debian:trixie-slim is not available locally: `docker pull debian:trixie-slim`, or without a registry `sudo images/build-offline-base.sh trixie`',
    );
  }
}
