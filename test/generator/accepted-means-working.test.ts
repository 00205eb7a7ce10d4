/**
 * Issue 13, "accepted means working": the answers that used to be accepted and then failed at
 * build or start are refused up front, in one line naming the flag and the fix, with nothing written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runGenerator } from '../helpers/project.js';
import { djangoProject, FLASK_FACTORY as FACTORY_SOURCE } from '../helpers/python-sources.js';

const FLASK_FACTORY = { 'myapp.py': FACTORY_SOURCE };

describe('refused before anything is written', () => {
  const cases: [string, Record<string, string> | undefined, Record<string, unknown>, string | RegExp][] = [
    [
      'a callable the module does not define',
      undefined,
      { entry: 'hello:nosuchcallable' },
      /^--entry: hello\.py defines no "nosuchcallable" at module level \(it binds application, .*\)\. Fix: .*--entry hello:application\.$/,
    ],
    [
      'a factory without ()',
      FLASK_FACTORY,
      { entry: 'myapp:create_app' },
      '--entry: myapp:create_app is a function taking no arguments, an application factory, not a WSGI application (environ, start_response). Fix: did you mean myapp:create_app()? (then each daemon process calls it once).',
    ],
    [
      'the project root as static files',
      undefined,
      { static: '/files=.' },
      '--static: /files=. would serve the whole project (source, settings, database) to anyone. Fix: map /files to a directory holding only public files, e.g. --static /files=static.',
    ],
    [
      'docker/ as a data directory',
      undefined,
      { 'data-dir': 'docker' },
      /^--data-dir: "docker" is taken: docker\/ holds the generated Apache config/,
    ],
    [
      'an existing file as a data directory',
      undefined,
      { 'data-dir': 'hello.py' },
      /^--data-dir: "hello\.py" is a file, not a directory\. Fix: /,
    ],
    [
      'two data directories that are one volume',
      undefined,
      { 'data-dir': ['uploads', 'Uploads'] },
      /^--data-dir: "uploads" and "Uploads" would both be the volume data-uploads/,
    ],
    [
      "a daemon larger than Apache's worker bound",
      undefined,
      { processes: '64', threads: '256' },
      /^--threads: 64 processes x 256 threads need 65536 Apache workers .*at most 5000/,
    ],
    [
      'a name Kubernetes rejects (underscore)',
      undefined,
      { name: 'my_app', kubernetes: true },
      /^--name: "my_app" is not a valid .*e\.g\. --name my-app\.$/,
    ],
    [
      'a name Kubernetes rejects (leading digits)',
      undefined,
      { name: '2024site' },
      /^--name: "2024site" is not a valid .*e\.g\. --name site-2024\.$/,
    ],
    [
      'the name of the init service, with init commands',
      undefined,
      { name: 'init', 'init-command': 'true' },
      '--name: "init" is also the name of the Compose service and Kubernetes init container that run --init-command. Fix: pick another name, e.g. --name init-app.',
    ],
    [
      "Django's STATIC_ROOT as a data directory",
      djangoProject("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"),
      { 'data-dir': 'staticfiles' },
      /^--data-dir: "staticfiles" overlaps Django's STATIC_ROOT \(staticfiles\), which collectstatic fills while the image builds/,
    ],
    [
      'a data directory holding the code',
      { 'src/api/wsgi.py': 'def application(e, s):\n    pass\n' },
      { 'data-dir': 'src' },
      /^--data-dir: "src" holds the app's code \(src\), which would then be left out of the image/,
    ],
  ];
  it.each(cases)('%s', async (_label, files, options, message) => {
    const dir = files ? makeProject({ files }) : makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    const error = await runGenerator(dir, { yes: true, ...options }).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toMatch(
      typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message,
    );
    expect(error?.message).not.toContain('\n');
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('still accepted', () => {
  it('a factory with (), a daemon at the bound, a valid name, data and static directories of their own', async () => {
    const dir = makeProject({ files: { ...FLASK_FACTORY, 'public/site.css': '', 'public/.gitkeep': '' } });
    await runGenerator(dir, {
      yes: true,
      entry: 'myapp:create_app()',
      name: 'site-2024',
      processes: '20',
      threads: '250',
      static: '/public=public',
      'data-dir': ['uploads', 'media/files'],
      kubernetes: true,
    });
    const data = readFileSync(join(dir, 'docker/wsgi-apache.env'), 'utf8');
    expect(data).toContain('\nWSGI_PROCESSES:20:1:64\nWSGI_THREADS:250:1:256\n');
    expect(data).toContain('\nWSGI_APACHE_WORKERS_PER_DAEMON_THREAD=4\n');
    expect(data).toContain('\nWSGI_APACHE_WORKERS_MAX=20000\n');
    expect(readFileSync(join(dir, 'kubernetes/service.yaml'), 'utf8')).toMatch(/name: site-2024/);
  });
});
