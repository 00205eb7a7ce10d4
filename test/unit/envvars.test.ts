/**
 * runtime/envvars, the image's /etc/apache2/envvars, sourced in `sh` as start-apache and
 * apache2ctl source it, with the docker/wsgi-apache.env the generator writes for a project with
 * a --mount group: defaults from the answers, range checks from generators/lib/tunables.ts,
 * Apache's sizing derived from every group.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { ENVVARS_PATH, RUNTIME_ENV_PATH } from '../../generators/lib/image-layout.js';
import { TUNABLES } from '../../generators/lib/tunables.js';
import { makeProject, runGenerator } from '../helpers/project.js';

const SCRIPT = join(packageRoot(), 'runtime/envvars');

let data: string;

beforeAll(async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, { yes: true, processes: '3', threads: '4', mount: '/api=hello:application' });
  data = join(dir, 'docker/wsgi-apache.env');
});

/** Sources envvars with only `env` (and PATH), then prints `names`' values, one `NAME=value` line each. */
function source(env: Record<string, string>, names: string[]) {
  const print = [':', ...names.map(name => `echo "${name}=$${name}"`)].join('; ');
  const result = spawnSync('sh', ['-c', `. "${SCRIPT}" && ${print}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_APACHE_ENV_FILE: data, ...env },
    encoding: 'utf8',
  });
  return {
    status: result.status,
    values: Object.fromEntries(
      result.stdout
        .trim()
        .split('\n')
        .filter(line => line.includes('='))
        .map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ),
    stderr: result.stderr.trim(),
  };
}

/** A cgroup (v2) directory whose memory.max says `limit` (bytes, or `max`), and pids.max `pids`. */
function cgroup(limit: string, pids = 'max'): string {
  const dir = mkdtempSync(join(tmpdir(), 'cgroup-'));
  writeFileSync(join(dir, 'memory.max'), `${limit}\n`);
  writeFileSync(join(dir, 'pids.max'), `${pids}\n`);
  return dir;
}

describe('runtime/envvars', () => {
  it("defaults to the answers, the mount's group to the global values, and sizes Apache for both groups", () => {
    const { status, values, stderr } = source({ WSGI_APACHE_CGROUP: cgroup('max') }, [
      'WSGI_PROCESSES',
      'WSGI_THREADS',
      'WSGI_API_PROCESSES',
      'WSGI_API_THREADS',
      'WSGI_ENVIRONMENT',
      'APACHE_LOG_LEVEL',
      'APACHE_ACCESS_LOG_FORMAT',
      'APACHE_MAX_REQUEST_WORKERS',
      'APACHE_SERVER_LIMIT',
      'WSGI_MAXIMUM_MEMORY',
    ]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(values).toEqual({
      WSGI_PROCESSES: '3',
      WSGI_THREADS: '4',
      WSGI_API_PROCESSES: '3',
      WSGI_API_THREADS: '4',
      WSGI_ENVIRONMENT: 'production',
      APACHE_LOG_LEVEL: 'warn',
      APACHE_ACCESS_LOG_FORMAT: 'combined',
      // 4 x (3 x 4 + 3 x 4) = 96, under the minimum of 1,024, in children of 64 threads: 16 x 64.
      APACHE_MAX_REQUEST_WORKERS: '1024',
      APACHE_SERVER_LIMIT: '16',
      WSGI_MAXIMUM_MEMORY: '0',
    });
  });

  it("a group's own value and big groups: Apache gets 4 workers per daemon thread, rounded up to whole children", () => {
    const { status, values } = source(
      { WSGI_THREADS: '100', WSGI_API_PROCESSES: '1', WSGI_APACHE_CGROUP: cgroup('max') },
      ['WSGI_API_PROCESSES', 'WSGI_API_THREADS', 'APACHE_MAX_REQUEST_WORKERS'],
    );
    expect(status).toBe(0);
    // 4 x (3 x 100 + 1 x 100) = 1,600 -> 25 children of 64.
    expect(values).toEqual({ WSGI_API_PROCESSES: '1', WSGI_API_THREADS: '100', APACHE_MAX_REQUEST_WORKERS: '1600' });
  });

  it("under a pids limit: Apache's derived workers are the whole children that fit beside the daemons; a set count that does not fit is warned of", () => {
    const workers = ['APACHE_MAX_REQUEST_WORKERS', 'APACHE_SERVER_LIMIT'];
    // (600 - 64 reserved - 24 daemon threads - 6 processes x 8) / (64 + 2) = 7 children of 64.
    expect(source({ WSGI_APACHE_CGROUP: cgroup('max', '600') }, workers)).toEqual({
      status: 0,
      values: { APACHE_MAX_REQUEST_WORKERS: '448', APACHE_SERVER_LIMIT: '7' },
      stderr: '',
    });
    // Too few for one child: one all the same.
    expect(source({ WSGI_APACHE_CGROUP: cgroup('max', '100') }, workers).values).toEqual({
      APACHE_MAX_REQUEST_WORKERS: '64',
      APACHE_SERVER_LIMIT: '1',
    });
    // The compose.yaml default (container-limits.ts) leaves the derived 1,024 as it is.
    expect(source({ WSGI_APACHE_CGROUP: cgroup('max', '4096') }, workers).values).toEqual({
      APACHE_MAX_REQUEST_WORKERS: '1024',
      APACHE_SERVER_LIMIT: '16',
    });
    // cgroup v1's pids/pids.max, and a count of one's own: kept, with one line saying why it may fail.
    const v1 = mkdtempSync(join(tmpdir(), 'cgroup-v1-'));
    mkdirSync(join(v1, 'pids'));
    writeFileSync(join(v1, 'pids/pids.max'), '600\n');
    expect(source({ WSGI_APACHE_CGROUP: v1, APACHE_MAX_REQUEST_WORKERS: '1024' }, workers)).toEqual({
      status: 0,
      values: { APACHE_MAX_REQUEST_WORKERS: '1024', APACHE_SERVER_LIMIT: '16' },
      stderr:
        'wsgi-apache: WARNING: APACHE_MAX_REQUEST_WORKERS=1024 does not fit the pids limit of 600 beside the daemon processes (at most 448): a restarted daemon process may find no threads left; raise CONTAINER_PIDS_LIMIT or unset APACHE_MAX_REQUEST_WORKERS',
    });
  });

  it('WSGI_MAXIMUM_MEMORY: 3/4 of the memory limit shared by all daemon processes', () => {
    // 1,200 MiB x 3/4 / (3 + 3 processes) = 150 MiB.
    const { values } = source({ WSGI_APACHE_CGROUP: cgroup(String(1200 * 1048576)) }, ['WSGI_MAXIMUM_MEMORY']);
    expect(values).toEqual({ WSGI_MAXIMUM_MEMORY: '150' });
    const v1 = mkdtempSync(join(tmpdir(), 'cgroup-v1-'));
    mkdirSync(join(v1, 'memory'));
    writeFileSync(join(v1, 'memory/memory.limit_in_bytes'), '9223372036854771712\n');
    expect(source({ WSGI_APACHE_CGROUP: v1 }, ['WSGI_MAXIMUM_MEMORY']).values).toEqual({ WSGI_MAXIMUM_MEMORY: '0' });
  });

  it.each(TUNABLES.map(t => [t.env, t.min, t.max] as const))(
    '%s outside %i..%i, or not a number, stops with one line naming it and its range',
    (env, min, max) => {
      for (const [value, problem] of [
        [String(max + 1), `${env}=${max + 1} is out of range`],
        ['12abc', `${env}="12abc" is not a whole number`],
        ...(min > 0 ? [[String(min - 1), `${env}=${min - 1} is out of range`]] : []),
      ]) {
        expect(source({ [env]: value! }, [])).toEqual({
          status: 1,
          values: {},
          stderr: `wsgi-apache: invalid configuration: ${problem}; set ${env} to a number from ${min} to ${max}`,
        });
      }
    },
  );

  it("checks a mount group's variables with the global ranges", () => {
    expect(source({ WSGI_API_THREADS: '0' }, []).stderr).toBe(
      'wsgi-apache: invalid configuration: WSGI_API_THREADS=0 is out of range; set WSGI_API_THREADS to a number from 1 to 256',
    );
  });

  it.each([
    [{ APACHE_LOG_LEVEL: 'loud' }, 'APACHE_LOG_LEVEL="loud" is not an Apache log level'],
    [{ APACHE_ACCESS_LOG_FORMAT: 'xml' }, 'APACHE_ACCESS_LOG_FORMAT="xml" is not one of combined, common, json, off'],
    [{ WSGI_ENVIRONMENT: 'staging' }, 'WSGI_ENVIRONMENT="staging" is neither production nor development'],
    [{ APACHE_MAX_REQUEST_WORKERS: '20001' }, 'APACHE_MAX_REQUEST_WORKERS=20001 is out of range'],
    [{ APACHE_LOG_HEALTHCHECKS: 'yes' }, 'APACHE_LOG_HEALTHCHECKS="yes" is not 0 or 1'],
  ])('refuses %j: %s', (env, message) => {
    const { status, stderr } = source(env, []);
    expect(status).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^wsgi-apache: invalid configuration: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('exports APACHE_LOG_HEALTHCHECKS, 0 by default, for the access log condition in apache2.conf', () => {
    expect(source({}, ['APACHE_LOG_HEALTHCHECKS']).values).toEqual({ APACHE_LOG_HEALTHCHECKS: '0' });
    expect(source({ APACHE_LOG_HEALTHCHECKS: '1' }, ['APACHE_LOG_HEALTHCHECKS']).values).toEqual({
      APACHE_LOG_HEALTHCHECKS: '1',
    });
  });

  it('APACHE_HTTPS_PORT (--https): off by default; in development Apache gets -DAPACHE_HTTPS and the certificate folder; production refuses it in one line', () => {
    const off = source({}, ['APACHE_HTTPS_PORT', 'APACHE_ARGUMENTS']);
    expect(off.values).toEqual({ APACHE_HTTPS_PORT: '0', APACHE_ARGUMENTS: '' });
    const development = source({ APACHE_HTTPS_PORT: '8443', WSGI_ENVIRONMENT: 'development' }, [
      'APACHE_ARGUMENTS',
      'WSGI_APACHE_TLS_DIR',
    ]);
    expect(development).toMatchObject({ status: 0, stderr: '' });
    expect(development.values.APACHE_ARGUMENTS).toContain('-DAPACHE_HTTPS');
    expect(development.values.WSGI_APACHE_TLS_DIR).toBe('/var/lib/wsgi-apache/tls');
    expect(source({ APACHE_HTTPS_PORT: '8443' }, [])).toMatchObject({
      status: 1,
      stderr:
        'wsgi-apache: invalid configuration: APACHE_HTTPS_PORT=8443 is for the development shape only (WSGI_ENVIRONMENT=development, compose.override.yaml); in production end TLS at your proxy, load balancer or Ingress and set APACHE_HTTPS_PORT to 0 (off)',
    });
    expect(source({ APACHE_HTTPS_PORT: '70000', WSGI_ENVIRONMENT: 'development' }, []).stderr).toBe(
      'wsgi-apache: invalid configuration: APACHE_HTTPS_PORT=70000 is out of range; set APACHE_HTTPS_PORT to a number from 0 to 65535',
    );
  });

  it('WSGI_MODE=embedded: a project with --mount groups refuses it in one line; a mistyped mode is named', () => {
    expect(source({ WSGI_MODE: 'embedded' }, [])).toMatchObject({
      status: 1,
      stderr:
        "wsgi-apache: invalid configuration: WSGI_MODE=embedded runs one app in Apache's children, and this image's --mount apps each need a daemon process group; set WSGI_MODE to daemon",
    });
    expect(source({ WSGI_MODE: 'embeded' }, []).stderr).toBe(
      'wsgi-apache: invalid configuration: WSGI_MODE="embeded" is not a WSGI mode; set it to daemon or embedded',
    );
    expect(source({}, ['WSGI_MODE', 'APACHE_ARGUMENTS']).values).toEqual({ WSGI_MODE: 'daemon', APACHE_ARGUMENTS: '' });
  });

  it('names a missing data file and the fix', () => {
    expect(source({ WSGI_APACHE_ENV_FILE: '/nonexistent/wsgi-apache.env' }, [])).toEqual({
      status: 1,
      values: {},
      stderr: 'wsgi-apache: invalid configuration: /nonexistent/wsgi-apache.env cannot be read; rebuild the image',
    });
  });

  it('the shell programs find the data and envvars where the Dockerfile puts them (image-layout.ts)', () => {
    for (const program of ['envvars', 'start-apache', 'entrypoint']) {
      const text = readFileSync(join(packageRoot(), 'runtime', program), 'utf8');
      expect(text, program).toContain(`\${WSGI_APACHE_ENV_FILE:-${RUNTIME_ENV_PATH}}`);
    }
    expect(readFileSync(join(packageRoot(), 'runtime/start-apache'), 'utf8')).toContain(`\n. ${ENVVARS_PATH}\n`);
  });

  it('passes shellcheck as POSIX sh, with start-apache and the data file', () => {
    const result = spawnSync('shellcheck', ['-s', 'sh', SCRIPT, join(packageRoot(), 'runtime/start-apache'), data], {
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('runtime/envvars, WSGI_MODE=embedded (--wsgi-mode embedded, no --mount)', () => {
  let embeddedData: string;
  beforeAll(async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, processes: '3', threads: '4', 'wsgi-mode': 'embedded' });
    embeddedData = join(dir, 'docker/wsgi-apache.env');
  });
  const sizing = [
    'WSGI_MODE',
    'APACHE_ARGUMENTS',
    'APACHE_THREADS_PER_CHILD',
    'APACHE_MAX_REQUEST_WORKERS',
    'APACHE_SERVER_LIMIT',
    'APACHE_START_SERVERS',
    'APACHE_MIN_SPARE_THREADS',
  ];

  it("is the image's default: WSGI_PROCESSES children share the workers, one more slot, a lost child replaced at once", () => {
    const { status, values, stderr } = source(
      { WSGI_APACHE_ENV_FILE: embeddedData, WSGI_APACHE_CGROUP: cgroup('max') },
      sizing,
    );
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    // 1,024 workers (the minimum) in 3 children: 342 threads each, 1,026 in all.
    expect(values).toEqual({
      WSGI_MODE: 'embedded',
      APACHE_ARGUMENTS: ' -DWSGI_EMBEDDED_MODE',
      APACHE_THREADS_PER_CHILD: '342',
      APACHE_MAX_REQUEST_WORKERS: '1026',
      APACHE_SERVER_LIMIT: '4',
      APACHE_START_SERVERS: '3',
      // Idle threads below all but one child's: mpm_event starts a child (event.c, perform_idle_server_maintenance).
      APACHE_MIN_SPARE_THREADS: '685',
    });
    const one = source(
      { WSGI_APACHE_ENV_FILE: embeddedData, WSGI_PROCESSES: '1', APACHE_MAX_REQUEST_WORKERS: '100' },
      sizing,
    );
    expect(one.values).toMatchObject({
      APACHE_THREADS_PER_CHILD: '100',
      APACHE_MAX_REQUEST_WORKERS: '100',
      APACHE_SERVER_LIMIT: '2',
      APACHE_START_SERVERS: '1',
      APACHE_MIN_SPARE_THREADS: '1',
    });
  });

  it('daemon mode is still a variable away, and the development shape keeps daemon mode with one line', () => {
    const daemon = source({ WSGI_APACHE_ENV_FILE: embeddedData, WSGI_MODE: 'daemon' }, sizing);
    expect(daemon.values).toMatchObject({ WSGI_MODE: 'daemon', APACHE_ARGUMENTS: '', APACHE_THREADS_PER_CHILD: '64' });
    expect(daemon.values.APACHE_START_SERVERS).toBe(daemon.values.APACHE_SERVER_LIMIT);
    const development = source({ WSGI_APACHE_ENV_FILE: embeddedData, WSGI_ENVIRONMENT: 'development' }, sizing);
    expect(development).toMatchObject({
      status: 0,
      stderr:
        "wsgi-apache: WSGI_MODE=embedded ignored: the development shape keeps daemon mode (reload on change, request tools, debug mode); embedded mode is production's",
    });
    expect(development.values).toMatchObject({ WSGI_MODE: 'daemon', APACHE_ARGUMENTS: '' });
  });
});
