/**
 * runtime/pip-install, the one way the generated Dockerfile runs pip: the PIP_* build
 * arguments as pip can read them, a host path in PIP_FIND_LINKS left out with one line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';

const SCRIPT = join(packageRoot(), 'runtime/pip-install');

/** A stand-in for a virtualenv's pip that prints its arguments and the PIP_* environment it got. */
function fakePip(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pip-install-')), 'pip');
  writeFileSync(path, '#!/bin/sh\necho "args: $*"\nenv | grep "^PIP_" | sort\n');
  chmodSync(path, 0o755);
  return path;
}

/** Runs the script as a Dockerfile RUN does (`sh pip-install PIP ARG...`) with only `env` set. */
function run(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync('sh', [SCRIPT, fakePip(), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  expect(result.status).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe('runtime/pip-install', () => {
  it('runs PIP install with the image build flags and the arguments given', () => {
    expect(run({}, '-r', 'all-requirements.txt').stdout).toBe(
      'args: install --disable-pip-version-check -r all-requirements.txt\n',
    );
  });

  it("takes the index URL from the build secret's file, says so without the URL, and passes pip no PIP_INDEX_URL_FILE", () => {
    const secret = join(mkdtempSync(join(tmpdir(), 'pip-secret-')), 'pip_index_url');
    writeFileSync(secret, 'https://ci:TOKEN@pypi.example/simple\n');
    const { stdout, stderr } = run({ PIP_INDEX_URL_FILE: secret }, 'flask');
    expect(stdout.split('\n').filter(line => line.startsWith('PIP_'))).toEqual([
      'PIP_INDEX_URL=https://ci:TOKEN@pypi.example/simple',
    ]);
    expect(stderr).toBe(`pip-install: the index URL from the build secret (${secret})\n`);
  });

  it('keeps a PIP_INDEX_URL that is set over the secret, and with no secret mounted sets none', () => {
    const secret = join(mkdtempSync(join(tmpdir(), 'pip-secret-')), 'pip_index_url');
    writeFileSync(secret, 'https://from-secret.example/simple');
    expect(
      run({ PIP_INDEX_URL_FILE: secret, PIP_INDEX_URL: 'https://mirror.example/simple' }, 'flask').stdout,
    ).toContain('PIP_INDEX_URL=https://mirror.example/simple\n');
    const missing = run({ PIP_INDEX_URL_FILE: '/run/secrets/not-mounted' }, 'flask');
    expect(missing.stdout).not.toContain('PIP_');
    expect(missing.stderr).toBe('');
  });

  it('unsets an empty PIP_* build argument (pip refuses PIP_NO_INDEX="") and keeps the set ones', () => {
    const { stdout } = run(
      { PIP_INDEX_URL: '', PIP_NO_INDEX: '', PIP_NO_BUILD_ISOLATION: '0', PIP_FIND_LINKS: '' },
      'flask',
    );
    expect(stdout.split('\n').filter(line => line.startsWith('PIP_'))).toEqual(['PIP_NO_BUILD_ISOLATION=0']);
  });

  it('leaves out a PIP_FIND_LINKS path this build does not have, in one line, and keeps the rest (issue 26, finding 5)', () => {
    const wheelhouse = mkdtempSync(join(tmpdir(), 'wheelhouse-'));
    mkdirSync(join(wheelhouse, 'sub'));
    const links = [
      '/home/someone/.cache/wheels',
      wheelhouse,
      'https://example.org/wheels/',
      'file:///nowhere/wheels',
      `file://${join(wheelhouse, 'sub')}`,
    ].join(' ');
    const { stdout, stderr } = run({ PIP_FIND_LINKS: links }, 'flask');
    expect(stdout).toContain(
      `PIP_FIND_LINKS=${wheelhouse} https://example.org/wheels/ file://${join(wheelhouse, 'sub')}\n`,
    );
    expect(stderr.trim().split('\n')).toEqual([
      "pip-install: PIP_FIND_LINKS location /home/someone/.cache/wheels is not in this build (a path on the host?): left out; put wheels in the project's wheelhouse/ to use them",
      "pip-install: PIP_FIND_LINKS location file:///nowhere/wheels is not in this build (a path on the host?): left out; put wheels in the project's wheelhouse/ to use them",
    ]);
  });

  it('unsets PIP_FIND_LINKS when no location is left', () => {
    const { stdout } = run({ PIP_FIND_LINKS: '/home/someone/wheels' }, 'flask');
    expect(stdout).not.toContain('PIP_FIND_LINKS');
  });

  it('fails as pip fails', () => {
    const failing = join(mkdtempSync(join(tmpdir(), 'pip-install-')), 'pip');
    writeFileSync(failing, '#!/bin/sh\nexit 3\n');
    chmodSync(failing, 0o755);
    expect(spawnSync('sh', [SCRIPT, failing, 'flask']).status).toBe(3);
  });

  it('passes shellcheck as POSIX sh', () => {
    expect(execFileSync('shellcheck', ['--shell=sh', '--severity=style', SCRIPT], { encoding: 'utf8' })).toBe('');
  });
});
