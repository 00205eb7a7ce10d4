/**
 * runtime/entrypoint, the image's entry point, run in `sh` with a docker/wsgi-apache.env of the
 * generator's format: service URLs built from their password variable, and, started as root, the
 * command run as the app directory's owner with a root-owned empty data directory handed over.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';

const SCRIPT = join(packageRoot(), 'runtime/entrypoint');
const OWNER = 43_210;

/**
 * An app directory owned by {@link OWNER} with an empty root-owned data directory, and the data file.
 * @param parent - where; the suite's own temporary folder (mode 0700) unless another user must reach it
 */
function project(appOwner = OWNER, parent = tmpdir()) {
  const root = mkdtempSync(join(parent, 'entrypoint-'));
  const app = join(root, 'app');
  mkdirSync(join(app, 'instance'), { recursive: true });
  chownSync(app, appOwner, appOwner);
  const data = join(root, 'wsgi-apache.env');
  writeFileSync(
    data,
    [
      `WSGI_APACHE_APP_DIR='${app}'`,
      'WSGI_APACHE_APP_UID=10001',
      "WSGI_APACHE_SECRETS=''",
      `WSGI_APACHE_DATA_DIRS='${join(app, 'instance')}'`,
      "WSGI_APACHE_PASSWORD_URLS='",
      'DATABASE_URL POSTGRES_PASSWORD postgres://app: @postgres:5432/app',
      "'",
      '',
    ].join('\n'),
  );
  return { app, data };
}

function entrypoint(data: string, env: Record<string, string>, ...command: string[]) {
  return spawnSync('sh', [SCRIPT, ...command], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_APACHE_ENV_FILE: data, ...env },
    encoding: 'utf8',
  });
}

describe('runtime/entrypoint', () => {
  it('builds DATABASE_URL from the password variable, unless the environment has one', () => {
    const { data } = project();
    const print = ['sh', '-c', 'echo "$DATABASE_URL"'];
    expect(entrypoint(data, { POSTGRES_PASSWORD: 's3cr-t_' }, ...print).stdout).toBe(
      'postgres://app:s3cr-t_@postgres:5432/app\n',
    );
    expect(entrypoint(data, { POSTGRES_PASSWORD: 'x', DATABASE_URL: 'sqlite:///mine' }, ...print).stdout).toBe(
      'sqlite:///mine\n',
    );
    expect(entrypoint(data, {}, ...print).stdout).toBe('\n');
  });

  it.runIf(process.getuid?.() === 0)(
    "started as root: runs the command as the app directory's owner, handing it the empty data directory",
    () => {
      const { app, data } = project();
      const result = entrypoint(data, {}, 'sh', '-c', 'id -u; echo "$HOME"');
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${OWNER}\n/tmp\n`);
      expect(statSync(join(app, 'instance')).uid).toBe(OWNER);
    },
  );

  it.runIf(process.getuid?.() === 0)("started as root with root's app directory: runs as the image's app user", () => {
    const { data } = project(0);
    expect(entrypoint(data, {}, 'id', '-u').stdout).toBe('10001\n');
  });

  it.runIf(process.getuid?.() === 0)(
    "fills a tmpfs over a built folder from the image's copy, and leaves a folder that is no mount point alone",
    () => {
      const { app, data } = project();
      const copy = join(app, '..', 'built/staticfiles');
      mkdirSync(join(copy, 'admin/css'), { recursive: true });
      writeFileSync(join(copy, 'admin/css/base.css'), 'built\n');
      for (const dir of ['staticfiles', 'plain']) mkdirSync(join(app, dir));
      appendFileSync(
        data,
        `WSGI_APACHE_BUILT_COPIES='${copy}:${join(app, 'staticfiles')} ${copy}:${join(app, 'plain')}'\n`,
      );
      // A mount namespace of its own, as a container has: the tmpfs is the development shape's.
      const result = spawnSync(
        'unshare',
        ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs "$1" && sh "$2" true && cat "$1/admin/css/base.css"', 'sh'].concat([
          join(app, 'staticfiles'),
          SCRIPT,
        ]),
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_APACHE_ENV_FILE: data }, encoding: 'utf8' },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('built\n');
      expect(readdirSync(join(app, 'plain'))).toEqual([]);
    },
  );

  it.runIf(process.getuid?.() === 0)(
    "in a user namespace whose root is the project's owner outside (rootless Podman without keep-id): one line says why the app cannot write it, and how to run as its owner",
    () => {
      const reachable = mkdtempSync('/tmp/entrypoint-userns-');
      try {
        chmodSync(reachable, 0o755);
        const { app, data } = project(OWNER, reachable);
        chmodSync(join(app, '..'), 0o755);
        // A copy OWNER can read: a fresh clone may sit in a mode-0700 folder (mktemp -d) it cannot enter.
        const script = join(reachable, 'entrypoint');
        copyFileSync(SCRIPT, script);
        chmodSync(script, 0o644);
        // As rootless Podman starts it: OWNER's own user namespace, OWNER as its root.
        const result = spawnSync(
          'setpriv',
          [`--reuid=${OWNER}`, `--regid=${OWNER}`, '--clear-groups', 'unshare', '--user', '--map-root-user'].concat([
            'sh',
            script,
            'true',
          ]),
          { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_APACHE_ENV_FILE: data }, encoding: 'utf8' },
        );
        // Then it hands over to the app user, who is not mapped in this namespace of one uid.
        expect(result.stderr.split('\n')[0]).toBe(
          `wsgi-apache: ${app} shows as root's in a user namespace (rootless Podman or Docker): the app runs as the image's app user and cannot write it; under Podman run with PODMAN_USERNS=keep-id (or podman run --userns keep-id) so it runs as you`,
        );
      } finally {
        rmSync(reachable, { recursive: true, force: true });
      }
    },
  );

  it('passes shellcheck as POSIX sh', () => {
    const result = spawnSync('shellcheck', ['-s', 'sh', SCRIPT], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
