/**
 * The development switches and request tools (issue 17) as the generator writes them: one table
 * (generators/lib/development-switches.ts) behind envvars, `start-apache --help`, the development
 * override and DOCKER.md; the generated shell scripts run here with `sh`, as the image runs them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEV_TOOL_SETTINGS, DEVELOPMENT_SWITCHES } from '../../generators/lib/development-switches.js';
import { makeProject, runGenerator } from '../helpers/project.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

/** Sources the generated envvars in `sh` with `env` (and nothing else of this process but PATH). */
function sourceEnvvars(dir: string, env: Record<string, string>) {
  const result = spawnSync(
    'sh',
    ['-c', '. ./docker/envvars && echo "args=[$APACHE_ARGUMENTS] debug=$WSGI_DEBUG_MODE debugger=$WSGI_DEBUGGER"'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, WSGI_APACHE_ENV_FILE: './docker/wsgi-apache.env', ...env },
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout.trim().replace(/\[\s+/, '['), stderr: result.stderr.trim() };
}

describe('development switches and request tools', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, { yes: true, mount: '/api=hello:application' });

  it.each([
    [{ WSGI_ENVIRONMENT: 'development' }, 'args=[] debug=0 debugger=0'],
    [{ WSGI_ENVIRONMENT: 'development', WSGI_PROFILER: '1' }, 'args=[-DWSGI_DEV_TOOLS] debug=0 debugger=0'],
    [{ WSGI_ENVIRONMENT: 'development', WSGI_RECORDER: 'yes' }, 'args=[-DWSGI_DEV_TOOLS] debug=0 debugger=0'],
    [{ WSGI_ENVIRONMENT: 'development', WSGI_COVERAGE: 'on' }, 'args=[-DWSGI_DEV_TOOLS] debug=0 debugger=0'],
    [
      { WSGI_ENVIRONMENT: 'development', WSGI_DEBUGGER_STARTUP: 'true' },
      'args=[-X -DWSGI_DEBUG_MODE -DWSGI_DEBUGGER_STARTUP] debug=1 debugger=1',
    ],
    [
      { WSGI_ENVIRONMENT: 'development', WSGI_DEBUG_MODE: '1', WSGI_PROFILER: '1' },
      'args=[-X -DWSGI_DEBUG_MODE -DWSGI_DEV_TOOLS] debug=1 debugger=0',
    ],
  ])('envvars with %j gives Apache %s', (env, expected) => {
    expect(sourceEnvvars(dir, env)).toEqual({ status: 0, stdout: expected, stderr: '' });
  });

  it('envvars in production switches every one of them off, one line each', () => {
    const on = Object.fromEntries(DEVELOPMENT_SWITCHES.map(s => [s.env, '1']));
    const { status, stdout, stderr } = sourceEnvvars(dir, on);
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'args=[] debug=0 debugger=0' });
    expect(stderr.split('\n')).toEqual(
      DEVELOPMENT_SWITCHES.map(
        s =>
          `wsgi-apache: ${s.env}=1 ignored: WSGI_ENVIRONMENT=production (set WSGI_FORCE_DEVELOPMENT_FEATURES=1 to force it)`,
      ),
    );
  });

  it('envvars refuses a switch that is not one, naming it and the fix', () => {
    expect(sourceEnvvars(dir, { WSGI_PROFILER: 'maybe' })).toEqual({
      status: 1,
      stdout: '',
      stderr: 'wsgi-apache: invalid configuration: WSGI_PROFILER="maybe" is not a switch; set it to 1 or 0',
    });
  });

  it("start-apache --help lists every switch with the mod_wsgi-express option it mirrors, and the tools' settings", () => {
    const help = spawnSync('sh', ['docker/start-apache', '--help'], {
      cwd: dir,
      env: { PATH: process.env.PATH, WSGI_APACHE_ENV_FILE: './docker/wsgi-apache.env' },
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    for (const s of DEVELOPMENT_SWITCHES)
      expect(help.stdout).toContain(`  ${s.env}  (mod_wsgi-express ${s.express})\n      ${s.summary}\n`);
    for (const setting of DEV_TOOL_SETTINGS) expect(help.stdout).toContain(`      ${setting.summary}\n`);
    expect(help.stdout).toContain('  WSGI_RECORDER_BODY_LIMIT (default 65536)\n');
    expect(help.stdout).toContain('  WSGI_RELOAD_INTERVAL (default 1.0)\n');
  });

  it('the development override takes the request tools and their settings from the shell; production never sets them', () => {
    const environment = parseYaml(read(dir, 'compose.override.yaml'))['x-app-development'].environment;
    expect(environment).toMatchObject({
      WSGI_PROFILER: '${WSGI_PROFILER:-0}',
      WSGI_RECORDER: '${WSGI_RECORDER:-0}',
      WSGI_COVERAGE: '${WSGI_COVERAGE:-0}',
      WSGI_RECORDER_MAX_BYTES: '${WSGI_RECORDER_MAX_BYTES:-}',
      WSGI_RECORDER_MASK: '${WSGI_RECORDER_MASK:-}',
      // `WSGI_RELOAD_EXTRA_FILES=... docker compose up`, as DOCKER.md says (issue 27, finding 7).
      WSGI_RELOAD_EXTRA_FILES: '${WSGI_RELOAD_EXTRA_FILES:-}',
      WSGI_RELOAD_INTERVAL: '${WSGI_RELOAD_INTERVAL:-}',
    });
    expect(read(dir, 'compose.yaml')).not.toMatch(/WSGI_PROFILER|WSGI_RECORDER|WSGI_COVERAGE/);
  });

  it("devtools.wsgi loads each process group's own script, and apache2.conf grants it", () => {
    expect(JSON.parse(read(dir, 'docker/wsgi-apache.json')).devTools.apps).toEqual({
      app: ['/srv/app/docker/app.wsgi', '/srv/app'],
      '': ['/srv/app/docker/debug.wsgi', '/srv/app'],
      api: ['/srv/app/docker/mount.wsgi', '/srv/app'],
    });
    expect(read(dir, 'docker/apache2.conf')).toMatch(/<Files devtools\.wsgi>\n\s+Require all granted\n/);
  });

  it("leaves the tools' output out of the image, and DOCKER.md documents each switch", () => {
    expect(read(dir, '.dockerignore').split('\n')).toContain('.wsgi');
    const doc = read(dir, 'DOCKER.md');
    for (const s of DEVELOPMENT_SWITCHES) expect(doc).toContain(`| \`${s.env}\` | 0 | 1 = ${s.summary}`);
    expect(doc).toContain('WSGI_PROFILER=1 docker compose up');
  });
});
