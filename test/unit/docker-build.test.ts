/**
 * generators/lib/docker-build.ts without an engine: what the generator and the check say when
 * the docker CLI or its Compose v2 plugin is missing (a fake `docker` first on PATH).
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { composeBuild, DockerUnavailableError } from '../../generators/lib/docker-build.js';

const answering = { ping: async () => 'OK' } as unknown as Docker;
const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

/** A `docker` that prints `output` and exits with `code`, alone on PATH. */
function fakeDocker(output: string, code: number): void {
  const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho '${output}' >&2\nexit ${code}\n`);
  chmodSync(join(bin, 'docker'), 0o755);
  process.env.PATH = `${bin}:/usr/bin:/bin`;
}

describe('composeBuild', () => {
  it('without Compose v2, refuses as unavailable, naming the plugin and where to install it', async () => {
    fakeDocker("docker: 'compose' is not a docker command.", 1);
    const error = await composeBuild({ context: tmpdir(), docker: answering }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(error).toMatchObject({
      message: 'docker compose (Compose v2) is not installed',
      fix: 'install docker compose (Compose v2) (https://docs.docker.com/compose/install/)',
    });
  });

  it('without the docker command, says that instead', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    await expect(composeBuild({ context: tmpdir(), docker: answering })).rejects.toMatchObject({
      message: 'the docker command is not installed',
      fix: 'install the docker command (https://docs.docker.com/engine/install/)',
    });
  });

  it('a failing build throws its last lines', async () => {
    fakeDocker('failed to solve: unknown instruction', 0);
    const bin = process.env.PATH!.split(':')[0]!;
    writeFileSync(
      join(bin, 'docker'),
      '#!/bin/sh\n[ "$2" = version ] && exit 0\necho "#1 step" >&2\necho "failed to solve: unknown instruction" >&2\nexit 17\n',
    );
    await expect(composeBuild({ context: tmpdir(), docker: answering })).rejects.toThrow(
      'docker compose build failed (exit 17):\n#1 step\nfailed to solve: unknown instruction',
    );
  });
});
