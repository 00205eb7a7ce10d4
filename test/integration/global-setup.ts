import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BASES } from '../../generators/app/bases.js';
import { CHECK_PROJECT_PREFIX } from '../../generators/lib/compose-project.js';
import { OFFLINE_WHEELHOUSE, TEST_BASE } from '../helpers/test-base.js';
import { leftOut } from './scope.js';

/**
 * The integration suite builds FROM debian:trixie-slim and debian:bookworm-slim, and on the
 * python base (WSGI_APACHE_TEST_BASE, test-base.ts) FROM python:3.13-slim-trixie with the
 * offline wheelhouse. Here no registry is reachable, so these must already exist locally
 * (.ci/run makes them with images/build-offline-base.sh, build-python-slim.sh and
 * build-wheelhouse.sh); say so plainly instead of failing inside a build. No package index is
 * reachable either: PIP_NO_INDEX=1 tells every build so (compose.yaml and the engine-API
 * builds pass it through) instead of pip retrying PyPI.
 */
export default function setup(): () => void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.PIP_NO_INDEX ??= '1';
  // Where the generated Dockerfile copies a project's wheelhouse/ (its own default); a
  // PIP_FIND_LINKS the host exports names a host directory no build can see.
  process.env.PIP_FIND_LINKS = '/tmp/wheelhouse';
  console.log(`[integration] base under test: ${TEST_BASE}`);
  for (const line of leftOut(TEST_BASE)) console.log(`[integration] left out: ${line}`);
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'integration tests need a Docker engine: run `sudo bash .ci/provision-docker.sh` (or start Docker)',
    );
  }
  const images = ['debian:trixie-slim', 'debian:bookworm-slim'];
  if (BASES[TEST_BASE].pypiModWsgi) {
    images.push(BASES[TEST_BASE].image('3.13'));
    if (!existsSync(OFFLINE_WHEELHOUSE)) {
      throw new Error(`${OFFLINE_WHEELHOUSE} is missing: run \`bash images/build-wheelhouse.sh\``);
    }
  }
  for (const base of images) {
    try {
      execFileSync('docker', ['image', 'inspect', base], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `${base} is not available locally: \`docker pull ${base}\`, or without a registry \`sudo images/build-offline-base.sh trixie bookworm\` and \`images/build-python-slim.sh\``,
      );
    }
  }
  return teardown;
}

/** A Compose project of Testcontainers' naming or of the check's own (or a volume of one). */
const isOurs = (name: string) => name.startsWith('testcontainers-') || name.startsWith(CHECK_PROJECT_PREFIX);

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
      .filter(isOurs),
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
    .filter(isOurs);
  if (volumes.length > 0) docker('volume', 'rm', '-f', ...volumes);
  const images = docker('images', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter(tag => /^wsgi-apache-(it|e2e)-/.test(tag));
  // --no-prune: untagged parents stay (docker-run.ts, removeImages).
  if (images.length > 0) docker('rmi', '-f', '--no-prune', ...images);
}
