/**
 * Issue 12, detection: one real build and serve per kind of project the generator now
 * understands, all without PyPI (Debian packages and local wheels only):
 * a WSGI script below the root, a Django project under src/, a pyproject.toml package
 * installed through its build backend, and a requirements.txt that includes other
 * requirements files.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBuild, composeProject, composeUp, removeStack, upFiles } from '../helpers/compose.js';
import { createSuperuserAndLogIn } from '../helpers/django-admin.js';
import { freePort } from '../helpers/net.js';
import { FIXTURES, makeProject, projectWith, scaffoldOnBase } from '../helpers/project.js';
import { type Library, LIBRARIES, TEST_BASE } from '../helpers/test-base.js';
import { BASES } from '../../generators/app/bases.js';
import { buildTinyWheel } from '../helpers/wheel.js';

/** No index at all: every package comes from Debian or a local wheel (set explicitly: a host may export its own). */
const OFFLINE = { PIP_NO_INDEX: '1', PIP_INDEX_URL: '' };

interface Served {
  baseUrl: string;
  stack: StartedDockerComposeEnvironment;
}

/** Scaffolds with --yes and `flags`, builds the production shape and starts it; logs the build time. */
async function scaffoldAndServe(
  dir: string,
  name: string,
  flags: Record<string, unknown>,
  env: Record<string, string>,
  libraries: Library[] = [],
): Promise<Served> {
  await scaffoldOnBase(dir, { name, ...flags }, libraries);
  const seconds = composeBuild(dir, env);
  console.log(`[timing] ${name}: build ${seconds.toFixed(1)} s`);
  const port = await freePort();
  const stack = await composeUp(dir, name, 'production', { ...env, PUBLISH_PORT: String(port) });
  return { baseUrl: `http://127.0.0.1:${port}`, stack };
}

describe('a WSGI script below the root (www/cgi-bin/app.wsgi, as deploy tools lay it out), with defaults only', () => {
  const name = 'wsgi-apache-it-cgi-bin';
  let served: Served | undefined;
  beforeAll(async () => {
    const dir = projectWith({
      'www/cgi-bin/app.wsgi':
        'import os\n\n\ndef application(environ, start_response):\n' +
        '    start_response("200 OK", [("Content-Type", "text/plain")])\n' +
        '    return [os.path.dirname(__file__).encode()]\n',
    });
    served = await scaffoldAndServe(dir, name, {}, OFFLINE);
  });
  afterAll(() => removeStack(served?.stack));

  it('is detected and served from where it lies', async () => {
    const response = await fetch(`${served!.baseUrl}/`);
    expect({ status: response.status, body: await response.text() }).toEqual({
      status: 200,
      body: '/srv/app/www/cgi-bin',
    });
  });
});

describe('a Django project under src/ (manage.py at src/manage.py)', () => {
  const name = 'wsgi-apache-it-django-src';
  let served: Served | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = makeProject();
    cpSync(join(FIXTURES, 'django-project'), join(dir, 'src'), { recursive: true });
    served = await scaffoldAndServe(dir, name, {}, OFFLINE, [LIBRARIES.django]);
  });
  afterAll(() => removeStack(served?.stack));

  it('is detected with its entry, and serves the admin login page and its collected static files', async () => {
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/python src\/manage\.py collectstatic --noinput/);
    const login = await fetch(`${served!.baseUrl}/admin/login/`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Django administration');
    // STATIC_ROOT = BASE_DIR / 'staticfiles' with BASE_DIR = src/: Apache serves src/staticfiles.
    const css = await fetch(`${served!.baseUrl}/static/admin/css/base.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css');
    const listing = await served!.stack
      .getContainer(`${name}-1`)
      .exec(['ls', '/srv/app/src/staticfiles/admin/css/base.css']);
    expect(listing.exitCode).toBe(0);
  });
});

describe('Django without manage.py: its .wsgi script names the settings (issue 27, finding 9)', () => {
  const name = 'wsgi-apache-it-django-no-manage';
  let served: Served | undefined;
  let dir: string;
  beforeAll(async () => {
    // As a packaged Django app ships: the project's package and a .wsgi script for Apache, no manage.py.
    dir = makeProject({ fixture: 'django-project' });
    rmSync(join(dir, 'manage.py'));
    mkdirSync(join(dir, 'apache'));
    writeFileSync(join(dir, 'apache/mysite.wsgi'), readFileSync(join(dir, 'mysite/wsgi.py'), 'utf8'));
    served = await scaffoldAndServe(dir, name, {}, OFFLINE, [LIBRARIES.django]);
  });
  afterAll(() => removeStack(served?.stack));

  it('migrates through python -m django before serving: an admin user made the same way logs in', async () => {
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toContain('"python -m django migrate --noinput"');
    const container = served!.stack.getContainer(`${name}-1`);
    await createSuperuserAndLogIn(
      {
        dir,
        project: composeProject(container.getId()),
        files: upFiles('production', name),
        service: name,
        baseUrl: served!.baseUrl,
      },
      'packaged-admin',
      'packaged-pass-1',
      ['python', '-m', 'django'],
    );
    const css = await fetch(`${served!.baseUrl}/static/admin/css/base.css`);
    expect(css.status).toBe(200);
  });
});

describe('a pyproject.toml package (setuptools backend) imported by the WSGI module', () => {
  const name = 'wsgi-apache-it-pyproject';
  const greeting = 'Hello from an editable install';
  let served: Served | undefined;
  beforeAll(async () => {
    const dir = projectWith({
      'pyproject.toml': [
        '[build-system]',
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        '',
        '[project]',
        'name = "greeter"',
        'version = "1.0"',
        'dependencies = []',
        '',
      ].join('\n'),
      'src/greeter/__init__.py': `def greet():\n    return ${JSON.stringify(greeting)}\n`,
      // At the root, so the daemon's python-path is /srv/app: greeter (in src/) imports only through the install.
      'web.py': [
        'import greeter',
        '',
        'def application(environ, start_response):',
        '    body = f"{greeter.greet()} ({greeter.__file__})\\n".encode()',
        '    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])',
        '    return [body]',
        '',
      ].join('\n'),
    });
    // Offline on a Debian base, the backend cannot be downloaded into an isolated build
    // environment, so pip uses Debian's setuptools (PIP_NO_BUILD_ISOLATION=0 is pip's "no
    // isolation"); on the python base, the isolated build takes setuptools from the wheelhouse.
    const isolated = BASES[TEST_BASE].pypiModWsgi;
    served = await scaffoldAndServe(
      dir,
      name,
      { entry: 'web:application' },
      isolated ? OFFLINE : { ...OFFLINE, PIP_NO_BUILD_ISOLATION: '0' },
      [LIBRARIES.setuptools],
    );
  });
  afterAll(() => removeStack(served?.stack));

  it("is pip install -e'd: the app imports the package from /srv/app/src, where the dev bind mount lands", async () => {
    const response = await fetch(`${served!.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`${greeting} (/srv/app/src/greeter/__init__.py)\n`);
    const show = await served!.stack.getContainer(`${name}-1`).exec(['/opt/venv/bin/pip', 'show', 'greeter']);
    expect(show.output).toMatch(/Editable project location: \/srv\/app/);
  });
});

describe('requirements.txt including requirements/base.txt (and a constraints file), from a local wheelhouse', () => {
  const name = 'wsgi-apache-it-req-includes';
  const greeting = 'Hello through an included requirements file';
  let served: Served | undefined;
  beforeAll(async () => {
    const dir = makeProject({ fixture: 'wheelhouse-app' });
    rmSync(join(dir, 'requirements.txt'));
    mkdirSync(join(dir, 'requirements'));
    writeFileSync(join(dir, 'requirements.txt'), '-r requirements/base.txt\n');
    writeFileSync(join(dir, 'requirements/base.txt'), '-c ../constraints.txt\ntinygreeting\n');
    writeFileSync(join(dir, 'constraints.txt'), 'tinygreeting==1.0\n');
    buildTinyWheel(join(dir, 'wheelhouse'), greeting);
    // The entry is the installed package's own (issue 27, finding 4), as radicale:application is Radicale's.
    served = await scaffoldAndServe(
      dir,
      name,
      { entry: 'tinygreeting.wsgi:application' },
      { ...OFFLINE, PIP_FIND_LINKS: '/tmp/wheelhouse' },
    );
  });
  afterAll(() => removeStack(served?.stack));

  it('installs what the included file names and serves an --entry from the installed package', async () => {
    const response = await fetch(`${served!.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`${greeting} (the installed package)\n`);
  });
});
