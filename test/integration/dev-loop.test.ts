/**
 * The development loop on the generated development shape: edits reload, a reload
 * under load fails no request, a broken file gives a 500 and recovers, what the app
 * writes into the bind mount belongs to the developer, and a rebuild refreshes Django's
 * collected static files.
 */
import { type ChildProcess, type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, chownTree } from '../helpers/commands.js';
import { composeBuild, composeUp, containerLogs } from '../helpers/compose.js';
import { developmentStack } from '../helpers/development-stack.js';
import { freePort, pollUntil } from '../helpers/net.js';
import { scaffoldFixture } from '../helpers/project.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { DEV_UID } from './fixtures.js';

/** Rewrites a file as editors do (new content, new mtime). */
function edit(path: string, from: string | RegExp, to: string): void {
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(path, after);
}

describe('plain WSGI app in the development shape', () => {
  const dev = developmentStack('plain-wsgi', 'wsgi-apache-it-devloop', { https: true });

  it("--https: serves HTTPS with HTTP/2 and no HSTS, its certificate verified by the project's CA as the developer got it (issue 29, point 10)", () => {
    const ca = join(dev.dir, '.wsgi/tls-ca.crt');
    expect(statSync(ca).uid).toBe(DEV_UID);
    expect(statSync(ca).mode & 0o777).toBe(0o644);
    // curl verifies against this CA alone (--cacert), the name localhost included.
    const curl = (path: string) =>
      execFileSync(
        'curl',
        ['-sS', '--cacert', ca, '--http2', '-D', '-', '-o', '-', '-w', '\n%{http_version}', `${dev.httpsUrl}${path}`],
        { encoding: 'utf8', timeout: 20_000 },
      );
    const answer = curl('/whoami');
    expect(answer.split('\n').at(-1)).toBe('2');
    expect(answer).not.toMatch(/^strict-transport-security:/im);
    expect(JSON.parse(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1))).toMatchObject({
      scheme: 'https',
      uid: DEV_UID,
    });
    // Without the CA, the certificate is no public CA's: curl refuses it.
    expect(() =>
      execFileSync('curl', ['-sS', '-o', '/dev/null', `${dev.httpsUrl}/`], { stdio: 'pipe', timeout: 20_000 }),
    ).toThrow(/certificate/);
  });

  it('fails no request while edits restart the daemon processes under load', async () => {
    const source = join(dev.dir, 'hello.py');
    const versions = ['Hello from plain WSGI\n', 'Hello v1\n', 'Hello v2\n', 'Hello v3\n'];
    const load = runLoad({
      baseUrl: dev.baseUrl,
      path: '/',
      connections: 64,
      durationSeconds: 9,
      verifyBody: body => versions.includes(body),
    });
    for (let i = 1; i < versions.length; i++) {
      await new Promise(resolve => setTimeout(resolve, 2_000));
      edit(source, versions[i - 1].trim(), versions[i].trim());
    }
    const report = await load;
    console.log(
      `[reload under load] ${report.requests} requests in ${report.durationSeconds.toFixed(1)} s over 64 connections, 3 reloads: ` +
        `${report.errors} errors, ${report.non2xx} non-2xx, ${report.mismatches} wrong bodies, p99 ${report.p99} ms, max ${report.max} ms`,
    );
    expect(report.requests).toBeGreaterThan(2_000);
    expect({ errors: report.errors, non2xx: report.non2xx, wrongBodies: report.mismatches }).toEqual({
      errors: 0,
      non2xx: 0,
      wrongBodies: 0,
    });
    // Three reloads happened, and every daemon process was restarted, not only the watcher:
    // once the rolling restart has finished, 40 requests at once all get the last version.
    await pollUntil(`${dev.baseUrl}/`, (status, body) => body === versions.at(-1), 10_000);
    await new Promise(resolve => setTimeout(resolve, 3_000));
    const bodies = await Promise.all(Array.from({ length: 40 }, async () => (await fetch(`${dev.baseUrl}/`)).text()));
    expect(new Set(bodies)).toEqual(new Set([versions.at(-1)]));
    expect(containerLogs(dev.containerId, 1_000_000).match(/Change detected to "\/srv\/app\/hello\.py"/g)?.length).toBe(
      3,
    );
  });

  it('a syntax error gives a 500 with the traceback in the log, and fixing the file recovers', async () => {
    const source = join(dev.dir, 'hello.py');
    const good = readFileSync(source, 'utf8');
    writeFileSync(source, `${good}\ndef broken(:\n`);
    await pollUntil(`${dev.baseUrl}/`, status => status === 500, 15_000);
    expect(containerLogs(dev.containerId, 200)).toMatch(/File "\/srv\/app\/hello\.py", line \d+[\s\S]*SyntaxError: /);
    writeFileSync(source, good.replace(/Hello v\d/, 'Hello, fixed'));
    const fixed = await pollUntil(
      `${dev.baseUrl}/`,
      (status, body) => status === 200 && body === 'Hello, fixed\n',
      15_000,
    );
    expect(fixed.status).toBe(200);
  });

  it('touching the WSGI script restarts the daemon processes, as mod_wsgi documents', async () => {
    const before = (await (await fetch(`${dev.baseUrl}/whoami`)).json()) as { pid: number };
    const script = join(dev.dir, 'docker/app.wsgi');
    writeFileSync(script, readFileSync(script, 'utf8'));
    await pollUntil(`${dev.baseUrl}/whoami`, (_, body) => !body.includes(`"pid": ${before.pid},`), 15_000);
  });
});

describe('Flask app in the development shape', () => {
  const { fixture, flags, libraries } = FIXTURE_APPS.flask;
  const dev = developmentStack(
    fixture,
    'wsgi-apache-it-devflask',
    flags,
    { WSGI_RELOAD_EXTRA_FILES: 'shop/templates/*.html' },
    libraries,
  );

  it('reloads an edited module and an edited template listed in WSGI_RELOAD_EXTRA_FILES', async () => {
    edit(join(dev.dir, 'shop/__init__.py'), '"kettle", ', '"kettle", "jug", ');
    await pollUntil(`${dev.baseUrl}/`, (_, body) => body.includes('<li>jug</li>'), 15_000);
    edit(join(dev.dir, 'shop/templates/index.html'), '<h1>Shop</h1>', '<h1>Tea shop</h1>');
    await pollUntil(`${dev.baseUrl}/`, (_, body) => body.includes('<h1>Tea shop</h1>'), 15_000);
    // The new page alone can come from a process that had not cached the template yet: the
    // monitor saw the edit only if the variable reached the container from the shell.
    expect(containerLogs(dev.containerId, 1_000_000)).toContain(
      'Change detected to "/srv/app/shop/templates/index.html"',
    );
  });

  it('files the app writes into the bind mount belong to the developer, not root', () => {
    const database = statSync(join(dev.dir, 'instance/shop.sqlite3'));
    expect({ uid: database.uid, gid: database.gid }).toEqual({ uid: DEV_UID, gid: DEV_UID });
  });

  it('writes nothing of the development tools while their switches are off', () => {
    // Requests were served above; WSGI_PROFILER, WSGI_RECORDER and WSGI_COVERAGE were never set.
    expect(existsSync(join(dev.dir, '.wsgi'))).toBe(false);
    expect(containerLogs(dev.containerId, 100_000)).not.toMatch(/devtools \(pid=|WSGI_DEV_TOOLS/);
  });
});

describe('Compose Watch instead of the bind mount', () => {
  const name = 'wsgi-apache-it-watch';
  let dir: string;
  let watcher: ChildProcess | undefined;
  let baseUrl: string;
  const composeArgs = ['compose', '-f', 'compose.yaml', '-f', 'compose.watch.yaml'];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await scaffoldFixture('plain-wsgi', name);
    // Built under the build lock with watch's own files, so its up --build finds the cache.
    composeBuild(dir, {}, ['compose.yaml', 'compose.watch.yaml']);
    const port = await freePort();
    env = { ...process.env, PUBLISH_PORT: String(port) };
    baseUrl = `http://127.0.0.1:${port}`;
    watcher = spawn('docker', [...composeArgs, 'watch'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = capture(watcher as ChildProcessByStdio<null, Readable, Readable>);
    await pollUntil(`${baseUrl}/`, status => status === 200, 150_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- docker compose watch ---\n${output.stdout()}${output.stderr()}`);
    });
  });
  afterAll(() => {
    watcher?.kill('SIGINT');
    execFileSync('docker', [...composeArgs, 'down', '-v', '-t', '10'], { cwd: dir, env, stdio: 'ignore' });
  });

  it('syncs a saved file into the container and the reload monitor serves the new code', async () => {
    edit(join(dir, 'hello.py'), 'Hello from plain WSGI', 'Hello through Compose Watch');
    const reloaded = await pollUntil(`${baseUrl}/`, (_, body) => body === 'Hello through Compose Watch\n', 20_000);
    expect(reloaded.status).toBe(200);
    // The sync copied into the image's own /srv/app: no bind mount is involved.
    const mounts = execFileSync('docker', ['inspect', '-f', '{{len .Mounts}}', `${name}-${name}-1`], {
      encoding: 'utf8',
    });
    expect(mounts.trim()).toBe('0');
  });
});

describe("Django's collected static files in the development shape (issue 29, point 6)", () => {
  const name = 'wsgi-apache-it-static';
  const django = FIXTURE_APPS.django;
  const dev = developmentStack(django.fixture, name, django.flags, {}, django.libraries);

  it("after a rebuild, the next up serves the new image's files, with no up -V", async () => {
    expect((await fetch(`${dev.baseUrl}/static/admin/css/base.css`)).status).toBe(200);
    // A static folder of the developer's own, which only collectstatic (the build) serves.
    mkdirSync(join(dev.dir, 'assets'));
    writeFileSync(join(dev.dir, 'assets/marker.css'), 'rebuilt\n');
    appendFileSync(join(dev.dir, 'mysite/settings.py'), "STATICFILES_DIRS = [BASE_DIR / 'assets']\n");
    chownTree(dev.dir, { uid: DEV_UID, gid: DEV_UID });
    const marker = `${dev.baseUrl}/static/marker.css`;
    expect((await fetch(marker)).status).toBe(404);
    composeBuild(dev.dir);
    const project = execFileSync(
      'docker',
      ['inspect', '-f', '{{index .Config.Labels "com.docker.compose.project"}}', dev.containerId],
      { encoding: 'utf8' },
    ).trim();
    dev.stack = await composeUp(dev.dir, name, 'development', { PUBLISH_PORT: new URL(dev.baseUrl).port }, project);
    expect(dev.stack.getContainer(`${name}-1`).getId()).not.toBe(dev.containerId);
    const served = await fetch(marker);
    expect({ status: served.status, body: await served.text() }).toEqual({ status: 200, body: 'rebuilt\n' });
  });
});
