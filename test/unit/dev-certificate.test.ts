/**
 * runtime/dev-certificate (--https): with the host's openssl, as start-apache runs it in the
 * image: a development CA once, a server certificate for localhost signed by it, kept across
 * starts and made again when it is not the CA's; the CA's certificate copied for the developer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { TLS_CA_EXPORT } from '../../generators/lib/image-layout.js';

const SCRIPT = join(packageRoot(), 'runtime/dev-certificate');

/** A TLS folder and a project's dev output folder, with the docker/wsgi-apache.env lines the script reads. */
function setUp() {
  const root = mkdtempSync(join(tmpdir(), 'dev-certificate-'));
  const tls = join(root, 'tls');
  mkdirSync(tls);
  const output = join(root, 'app', '.wsgi');
  const env = join(root, 'wsgi-apache.env');
  writeFileSync(
    env,
    [
      "WSGI_APACHE_NAME='shop'",
      `WSGI_APACHE_TLS_DIR='${tls}'`,
      `WSGI_APACHE_TLS_CA_EXPORT='${TLS_CA_EXPORT}'`,
      `WSGI_APACHE_DEV_OUTPUT_PATH='${output}'`,
      "WSGI_APACHE_DEV_OUTPUT_DIR='.wsgi'",
      '',
    ].join('\n'),
  );
  const run = () =>
    spawnSync('sh', [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_APACHE_ENV_FILE: env, APACHE_HTTPS_PORT: '8443' },
      encoding: 'utf8',
    });
  return { root, tls, output, run };
}

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('runtime/dev-certificate', () => {
  it("makes a CA and a certificate for localhost, 127.0.0.1, ::1 and the service that the CA verifies; keys are the owner's alone", () => {
    const { tls, output, run } = setUp();
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      'wsgi-apache: HTTPS on container port 8443 (HTTP/2) with a certificate for localhost from this project\'s development CA: trust .wsgi/tls-ca.crt in your project (DOCKER.md, "HTTPS in development")\n',
    );
    expect(openssl('verify', '-CAfile', join(tls, 'ca.crt'), join(tls, 'server.crt'))).toContain('OK');
    const server = openssl(
      'x509',
      '-in',
      join(tls, 'server.crt'),
      '-noout',
      '-ext',
      'subjectAltName,extendedKeyUsage,basicConstraints',
    );
    expect(server).toContain('DNS:localhost, DNS:shop, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server).toContain('TLS Web Server Authentication');
    expect(server).toContain('CA:FALSE');
    expect(openssl('x509', '-in', join(tls, 'ca.crt'), '-noout', '-subject')).toContain('CN = shop development CA');
    for (const key of ['ca.key', 'server.key']) expect(statSync(join(tls, key)).mode & 0o077).toBe(0);
    // The CA's certificate, never its key, for the developer to trust.
    expect(readFileSync(join(output, TLS_CA_EXPORT), 'utf8')).toBe(readFileSync(join(tls, 'ca.crt'), 'utf8'));
    expect(statSync(join(output, TLS_CA_EXPORT)).mode & 0o777).toBe(0o644);
  });

  it("keeps the CA and the certificate across starts, and signs a new certificate when the one there is not the CA's", () => {
    const { tls, run } = setUp();
    expect(run().status).toBe(0);
    const [ca, server] = ['ca.crt', 'server.crt'].map(file => readFileSync(join(tls, file), 'utf8'));
    expect(run().status).toBe(0);
    expect(readFileSync(join(tls, 'ca.crt'), 'utf8')).toBe(ca);
    expect(readFileSync(join(tls, 'server.crt'), 'utf8')).toBe(server);
    // A certificate from elsewhere (another CA): replaced by one the project's CA signed.
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=other',
      '-keyout',
      join(tls, 'server.key'),
      '-out',
      join(tls, 'server.crt'),
    );
    expect(run().status).toBe(0);
    expect(readFileSync(join(tls, 'ca.crt'), 'utf8')).toBe(ca);
    expect(openssl('verify', '-CAfile', join(tls, 'ca.crt'), join(tls, 'server.crt'))).toContain('OK');
  });

  it('a new CA (the volume emptied of its key) signs a new certificate', () => {
    const { tls, run } = setUp();
    expect(run().status).toBe(0);
    const ca = readFileSync(join(tls, 'ca.crt'), 'utf8');
    rmSync(join(tls, 'ca.key'));
    expect(run().status).toBe(0);
    expect(readFileSync(join(tls, 'ca.crt'), 'utf8')).not.toBe(ca);
    expect(openssl('verify', '-CAfile', join(tls, 'ca.crt'), join(tls, 'server.crt'))).toContain('OK');
  });

  it('still serves when the project is read-only, naming the container copy; stops in one line without its folder', () => {
    const { root, tls, output, run } = setUp();
    writeFileSync(join(root, 'app'), ''); // a file where the project folder would be: no copy
    expect(run().stderr).toContain(`trust ${tls}/ca.crt in the container`);
    expect(existsSync(output)).toBe(false);
    rmSync(tls, { recursive: true });
    const missing = run();
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(
      new RegExp(
        `^wsgi-apache: HTTPS: ${tls} is not a folder uid \\d+ can write: mount the development shape's volume there \\(compose.override.yaml\\), or set APACHE_HTTPS_PORT to 0 \\(off\\)\\n$`,
      ),
    );
  });

  it('passes shellcheck as POSIX sh', () => {
    expect(execFileSync('shellcheck', ['--shell=sh', '--severity=style', SCRIPT], { encoding: 'utf8' })).toBe('');
  });
});
