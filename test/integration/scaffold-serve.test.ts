/**
 * End to end, as a newcomer does it: scaffold a plain WSGI app with flags only, then
 * `docker compose up` the generated files (production shape, then with the development
 * override), and talk to the app on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APACHE_CONFIG_TEST, removeStack, serveStack, type ServedStack } from '../helpers/compose.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { withDockerLock } from '../helpers/docker-lock.js';
import { recordLog, scaffoldFixture, scaffoldOnBase } from '../helpers/project.js';
import { offlineBuildEnv } from '../helpers/test-base.js';
import { freePort, pollUntil, rawRequest } from '../helpers/net.js';

const NAME = 'wsgi-apache-e2e-plain';
const CONTAINER = `${NAME}-1`;

/** The project's stack from `files`, waiting on `container` (the app's by default). */
const serve = (dir: string, files: string[], container = CONTAINER) => serveStack(dir, files, container);

/** `--setenv` with what YAML and Compose would otherwise read as syntax: a comma, `$`, quotes, a `#`. */
const GREETING = 'hello, $HOME "quoted" #not-a-comment';
/** A --secret's value, as the user replaced the random one. */
const TOKEN = 'tok$en with spaces\nand a second line';
/** The app's environment as it sees it (os.environ), for `--setenv APP_GREETING`, `.env`'s FROM_DOTENV and `--secret APP_TOKEN`. */
async function appEnvironment(url: string): Promise<Record<string, string | null>> {
  const read = async (name: string) =>
    ((await (await fetch(`${url}/env?name=${name}`)).json()) as Record<string, string | null>)[name];
  const names = ['APP_GREETING', 'FROM_DOTENV', 'APP_TOKEN', 'APP_TOKEN_FILE'];
  return Object.fromEntries(await Promise.all(names.map(async name => [name, await read(name)])));
}
const EXPECTED_ENVIRONMENT = {
  APP_GREETING: GREETING,
  FROM_DOTENV: 'from .env',
  APP_TOKEN: TOKEN,
  APP_TOKEN_FILE: '/run/secrets/APP_TOKEN',
};

describe('scaffold a plain WSGI app and serve it with docker compose', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scaffoldFixture(FIXTURE_APPS.plain.fixture, NAME, {
      ...FIXTURE_APPS.plain.flags,
      setenv: [`APP_GREETING=${GREETING}`],
      secret: ['APP_TOKEN'],
    });
    writeFileSync(join(dir, '.env'), 'FROM_DOTENV=from .env\n');
    writeFileSync(join(dir, '.secrets/APP_TOKEN'), `${TOKEN}\n`);
  });

  describe('production shape: compose.yaml alone', () => {
    let served: ServedStack | undefined;
    beforeAll(async () => {
      served = await serve(dir, ['compose.yaml']);
    });
    afterAll(() => removeStack(served?.stack));

    it("yo wsgi-apache's own build is docker compose build's, on its cache: after up --build, a re-run runs no step (issue 29, point 1)", async () => {
      // The generator reads pip's settings from the shell, as compose.yaml does.
      const offline = offlineBuildEnv(dir);
      const saved = Object.fromEntries(Object.keys(offline).map(name => [name, process.env[name]]));
      Object.assign(process.env, offline);
      const lines: string[] = [];
      try {
        await withDockerLock(() =>
          scaffoldOnBase(dir, {
            ...FIXTURE_APPS.plain.flags,
            name: NAME,
            setenv: [`APP_GREETING=${GREETING}`],
            secret: ['APP_TOKEN'],
            'skip-build': false,
          }).onGenerator(recordLog(lines)),
        );
      } finally {
        for (const [name, value] of Object.entries(saved))
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
      }
      expect(lines).toContain(`Building image ${NAME}:latest with docker compose build (BuildKit)...`);
      // BuildKit's plain progress: each step's header `#N [stage i/n] RUN ...`, then `#N CACHED`
      // when its layer came from the cache.
      const output = lines.map(line => line.trim());
      const runSteps = output.flatMap(line => /^(#\d+) \[[^\]]+\] RUN /.exec(line)?.[1] ?? []);
      expect(runSteps.length).toBeGreaterThan(2);
      expect(runSteps.filter(step => !output.includes(`${step} CACHED`))).toEqual([]);
    });

    it('answers 200 with the app body on 127.0.0.1', async () => {
      const response = await fetch(`${served!.url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('Hello from plain WSGI\n');
      expect(response.headers.get('server')).toBe('Apache');
    });

    it("gives the app --setenv's variables, .env's and --secret's (issue 26, finding 1)", async () => {
      expect(await appEnvironment(served!.url)).toEqual(EXPECTED_ENVIRONMENT);
    });

    it('serves static files through Apache with their content type', async () => {
      const response = await fetch(`${served!.url}/static/site.css`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/css');
      expect(await response.text()).toBe(readFileSync(join(dir, 'static/site.css'), 'utf8'));
    });

    it("sends nosniff and a same-origin frame policy, on the app's pages and Apache's own errors", async () => {
      for (const path of ['/', '/static/nowhere.css']) {
        const response = await fetch(`${served!.url}${path}`);
        expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(response.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      }
    });

    it('refuses HTTP/0.9 (a request line without a version) with a 400', async () => {
      expect(await rawRequest(served!.url, 'GET /\r\n')).toBe('HTTP/1.1 400 Bad Request');
      expect(await rawRequest(served!.url, 'GET / HTTP/1.0\r\n\r\n')).toBe('HTTP/1.1 200 OK');
    });

    it('has no setuid or setgid file', () => {
      // As root with Docker's default capabilities (a plain `docker run`), so every directory is read.
      const found = spawnSync(
        'docker',
        [
          'run',
          '--rm',
          '--user',
          '0',
          '--entrypoint',
          'find',
          `${NAME}:latest`,
          '/',
          '-xdev',
          '-type',
          'f',
          '-perm',
          '/6000',
        ],
        { encoding: 'utf8' },
      );
      expect(found.stderr).toBe('');
      expect(found.status).toBe(0);
      expect(found.stdout).toBe('');
    });

    it('passes apache2 -t inside the image', async () => {
      const result = await served!.stack.getContainer(CONTAINER).exec(APACHE_CONFIG_TEST);
      expect(result.output).toContain('Syntax OK');
      expect(result.exitCode).toBe(0);
    });

    it('runs the app as the unprivileged app user in daemon processes, Apache as PID 1', async () => {
      const whoami = (await (await fetch(`${served!.url}/whoami`)).json()) as { uid: number; pid: number };
      expect(whoami.uid).toBe(10001);
      expect(whoami.pid).not.toBe(1);
      const ps = await served!.stack.getContainer(CONTAINER).exec(['cat', '/proc/1/cmdline']);
      expect(ps.output.replaceAll('\0', ' ')).toMatch(/^\/usr\/sbin\/apache2 -DFOREGROUND/);
    });

    it('starts with reload and debug off: no bind mount, daemon mode, no MOD_WSGI_DEBUG_MODE', async () => {
      const env = await served!.stack
        .getContainer(CONTAINER)
        .exec([
          'sh',
          '-c',
          'echo "reload=$WSGI_RELOAD_ON_CHANGES debug=${WSGI_DEBUG_MODE:-unset} debugger=${WSGI_DEBUGGER:-unset}"; mount | grep -c " /srv/app " || true',
        ]);
      expect(env.output.trim().split('\n')).toEqual(['reload=0 debug=unset debugger=unset', '0']);
      const whoami = (await (await fetch(`${served!.url}/whoami`)).json()) as {
        pid: number;
        debug_mode: string | null;
      };
      expect(whoami.debug_mode).toBeNull();
      expect(whoami.pid).not.toBe(1);
    });
  });

  describe('development shape: compose.yaml + compose.override.yaml', () => {
    let served: ServedStack | undefined;
    beforeAll(async () => {
      // As a user turns a tunable off in Compose: the service's environment.
      writeFileSync(
        join(dir, 'compose.headers.yaml'),
        `services:\n  ${NAME}:\n    environment:\n      APACHE_SECURITY_HEADERS: "off"\n`,
      );
      served = await serve(dir, ['compose.yaml', 'compose.override.yaml', 'compose.headers.yaml']);
    });
    afterAll(async () => {
      writeFileSync(
        join(dir, 'hello.py'),
        readFileSync(join(dir, 'hello.py'), 'utf8').replace('Hello, edited', 'Hello from plain WSGI'),
      );
      await removeStack(served?.stack);
    });

    it('leaves X-Content-Type-Options and X-Frame-Options to the app with APACHE_SECURITY_HEADERS=off', async () => {
      const response = await fetch(`${served!.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBeNull();
      expect(response.headers.get('x-frame-options')).toBeNull();
    });

    it("gives the app --setenv's variables, .env's and --secret's, as in production", async () => {
      expect(await appEnvironment(served!.url)).toEqual(EXPECTED_ENVIRONMENT);
    });

    it('serves the bind-mounted source and shows an edit on a later request', async () => {
      const first = await fetch(`${served!.url}/`);
      expect(await first.text()).toBe('Hello from plain WSGI\n');
      const source = join(dir, 'hello.py');
      writeFileSync(source, readFileSync(source, 'utf8').replace('Hello from plain WSGI', 'Hello, edited'));
      const edited = await pollUntil(
        `${served!.url}/`,
        (status, body) => status === 200 && body === 'Hello, edited\n',
        15_000,
      );
      expect(edited.body).toBe('Hello, edited\n');
    });
  });
});

describe('the bookworm alternative (Python 3.11, mod_wsgi 4.9)', () => {
  const name = 'wsgi-apache-e2e-bookworm';
  let served: ServedStack | undefined;
  beforeAll(async () => {
    const dir = await scaffoldFixture('plain-wsgi', name, { base: 'bookworm' });
    served = await serve(dir, ['compose.yaml'], `${name}-1`);
  });
  afterAll(() => removeStack(served?.stack));

  it('builds FROM debian:bookworm-slim and serves the app with mod_wsgi 4.9', async () => {
    const response = await fetch(`${served!.url}/`);
    expect(await response.text()).toBe('Hello from plain WSGI\n');
    const container = served!.stack.getContainer(`${name}-1`);
    const check = await container.exec(APACHE_CONFIG_TEST);
    expect(check.exitCode).toBe(0);
    const version = await container.exec([
      'sh',
      '-c',
      'python3 --version; ls /usr/lib/apache2/modules/ | grep mod_wsgi.so-',
    ]);
    expect(version.output).toMatch(/Python 3\.11\.\d+\s+mod_wsgi\.so-3\.11/);
  });
});

describe('a failing init command', () => {
  it('stops docker compose up with its output, and the app never starts', async () => {
    const name = 'wsgi-apache-it-initfail';
    const dir = await scaffoldFixture('plain-wsgi', name, { 'init-command': ['echo init-canary-41 >&2', 'exit 3'] });
    const env = { ...process.env, PUBLISH_PORT: String(await freePort()) };
    const up = spawnSync('docker', ['compose', '-f', 'compose.yaml', 'up', '-d', '--build'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    try {
      expect(up.status).not.toBe(0);
      expect(up.stderr).toMatch(/service "init" didn't complete successfully: exit 3/);
      const logs = spawnSync('docker', ['compose', '-f', 'compose.yaml', 'logs', 'init'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(logs.stdout).toContain('init: echo init-canary-41 >&2');
      expect(logs.stdout).toContain('init-canary-41');
      const running = spawnSync('docker', ['compose', '-f', 'compose.yaml', 'ps', '-q', name], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(running.stdout.trim()).toBe('');
    } finally {
      spawnSync('docker', ['compose', '-f', 'compose.yaml', 'down', '-v', '--rmi', 'local', '-t', '5'], {
        cwd: dir,
        env,
      });
      spawnSync('docker', ['rmi', '-f', `${name}:latest`]);
    }
  });
});
