/**
 * The user's own Apache directives (`docker/apache/*.conf`, `--apache-modules`) and other
 * services behind the same Apache (`--proxy`), as the generator writes them.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, REPO_ROOT, runGenerator } from '../helpers/project.js';

const templateText = (name: string) => readFileSync(join(REPO_ROOT, 'templates', name), 'utf8');

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const MY_RULES = 'RewriteEngine On\nRewriteRule ^/old$ /new [R=301,L]\n';
const WSGI_APP = 'def application(environ, start_response):\n    pass\n';
/** A factory in the main project, mounted as docs:make(). */
const DOCS = { 'docs.py': 'def make():\n    return None\n' };

describe("docker/apache/local.conf is the user's once written", async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, { yes: true });
  const created = read(dir, 'docker/apache/local.conf');

  it('is created with commented examples only, and docker/apache2.conf includes the folder', () => {
    expect(created.split('\n').filter(line => line.trim() !== '' && !line.startsWith('#'))).toEqual([]);
    expect(created).toContain('#RewriteRule ^/docs/(.*)$ /help/$1 [PT]');
    expect(read(dir, 'docker/apache2.conf')).toContain('IncludeOptional /srv/app/docker/apache/*.conf\n');
  });

  it('survives a re-generation byte for byte, even one that forces every overwrite and changes answers', async () => {
    writeFileSync(join(dir, 'docker/apache/local.conf'), MY_RULES);
    await runGenerator(dir, { yes: true, force: true, 'apache-modules': 'rewrite', threads: 7 });
    expect(read(dir, 'docker/apache/local.conf')).toBe(MY_RULES);
    expect(read(dir, 'docker/apache2.conf')).toContain(
      'LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n',
    );
  });

  it('raises no conflict in a re-generation that asks about each changed file, and is created again once deleted', async () => {
    const fresh = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(fresh, { yes: true });
    writeFileSync(join(fresh, 'docker/apache/local.conf'), MY_RULES);
    await runGenerator(fresh, { yes: true }, true);
    expect(read(fresh, 'docker/apache/local.conf')).toBe(MY_RULES);
    rmSync(join(fresh, 'docker/apache'), { recursive: true });
    await runGenerator(fresh, { yes: true }, true);
    expect(read(fresh, 'docker/apache/local.conf')).toBe(created);
  });
});

describe('--apache-modules and --proxy in docker/apache2.conf', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, {
    yes: true,
    static: ['/static=static'],
    'apache-modules': 'mod_rewrite,proxy_balancer',
    proxy: ['/svc=http://other:8000/', '/svc/v2=https://v2.example.com/base'],
  });
  const conf = read(dir, 'docker/apache2.conf');
  const loaded = [...conf.matchAll(/^LoadModule (\w+)_module /gm)].map(match => match[1]);

  it('loads each module once, after what it depends on (Debian\'s "# Depends:"), mod_wsgi\'s set first', () => {
    expect(loaded).toEqual([
      'mpm_event',
      'authz_core',
      'alias',
      'mime',
      'reqtimeout',
      'headers',
      'rewrite',
      'proxy',
      'slotmem_shm',
      'proxy_balancer',
      'proxy_http',
    ]);
  });

  it('routes each prefix in a <Location>, the longer one last so it wins, all before the static Alias and the app', () => {
    const order = ['<Location /svc>', '<Location /svc/v2>', 'Alias /static ', 'IncludeOptional ', 'WSGIScriptAlias / '];
    const at = order.map(text => conf.indexOf(text));
    expect(at.every(index => index > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(conf).toContain(
      '<Location /svc>\n    ProxyPass http://other:8000 connectiontimeout=5 timeout=60\n    ProxyPassReverse http://other:8000\n',
    );
    expect(conf).toContain('ProxyPreserveHost On\n');
  });

  it('stores the routes as typed, without trailing slashes', () => {
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(stored.proxies).toEqual(['/svc=http://other:8000', '/svc/v2=https://v2.example.com/base']);
    expect(stored.apacheModules).toEqual(['rewrite', 'proxy_balancer']);
  });

  it('shows the routing in DOCKER.md, first match first', () => {
    const table = read(dir, 'DOCKER.md')
      .split('## Request routing')[1]
      .split('\n## ')[0]
      .split('\n')
      .filter(line => line.startsWith('| `'));
    expect(table).toEqual([
      '| `/svc/v2` | https://v2.example.com/base (mod_proxy) |',
      '| `/static` | files in /srv/app/static (Apache) |',
      '| `/svc` | http://other:8000 (mod_proxy) |',
      '| `/` | the WSGI app hello:application (mod_wsgi, process group app) |',
    ]);
  });
});

describe('refused with one line naming the flag and the fix', () => {
  const refuse = (options: Record<string, unknown>) =>
    runGenerator(makeProject({ fixture: 'plain-wsgi' }), { yes: true, ...options });

  it.each([
    [
      { 'apache-modules': 'rewrit' },
      '--apache-modules: "rewrit" is not a module of Debian\'s apache2-bin. Fix: pick one of rewrite.',
    ],
    [
      { 'apache-modules': 'mpm_prefork' },
      '--apache-modules: mpm_prefork is another MPM, and Apache loads exactly one: the image runs mpm_event. Fix: leave mpm_prefork out.',
    ],
    [{ proxy: '/svc=other:8000' }, '--proxy: "/svc=other:8000" is not a URL=UPSTREAM route.'],
    [
      { proxy: '/=http://other' },
      '--proxy: /=http://other would take every request from the WSGI app, which answers at /.',
    ],
    [
      { proxy: '/=http://x', 'mount-point': '/app', 'health-path': '/' },
      '--health-path: / is outside --mount-point /app',
    ],
    [{ 'mount-point': 'app' }, '--mount-point: "app" is not a URL path.'],
    [
      { 'mount-point': '/app', mount: '/=hello:application' },
      '--mount: "/=hello:application" is not a URL=ENTRY mount.',
    ],
    [{ proxy: ['/a=http://x', '/a/=http://y'] }, '--proxy: /a is routed twice.'],
    [{ proxy: '/static/css=http://x', static: '/static=static' }, '--proxy: /static/css overlaps --static /static'],
    [
      { proxy: '/admin=http://x', 'health-path': '/admin/login/' },
      '--health-path: /admin/login/ goes to http://x (--proxy /admin)',
    ],
  ])('%o', async (options, message) => {
    await expect(refuse(options)).rejects.toThrow(message);
  });
});

describe('--mount: more WSGI apps, each in its own daemon process group', async () => {
  const dir = makeProject({
    fixture: 'plain-wsgi',
    files: { 'api/service.py': WSGI_APP, 'api/requirements.txt': 'werkzeug\n', 'api/v2/app.wsgi': WSGI_APP, ...DOCS },
  });
  await runGenerator(dir, {
    yes: true,
    mount: ['/api=api/service:application', '/api/v2=api/v2/app.wsgi', '/docs/=docs:make()'],
  });
  const conf = read(dir, 'docker/apache2.conf');

  it('gives each its group, python-path, home and python-home, aliased longest prefix first before /', () => {
    const daemonMode = conf.split('<IfDefine WSGI_DEBUG_MODE>')[0];
    const aliases = (define: string) =>
      [
        ...daemonMode.matchAll(
          new RegExp(`<IfDefine ${define}>\\n\\s+WSGIScriptAlias (\\S+) (\\S+) process-group=(\\S+) `, 'g'),
        ),
      ].map(m => m.slice(1));
    expect(aliases('!WSGI_DEV_TOOLS')).toEqual([
      ['/api/v2', '/srv/app/api/v2/app.wsgi', 'api-v2'],
      ['/docs', '/srv/app/docker/mount.wsgi', 'docs'],
      ['/api', '/srv/app/docker/mount.wsgi', 'api'],
      ['/', '/srv/app/docker/app.wsgi', 'app'],
    ]);
    // With a request tool on (WSGI_PROFILER, ...), the same groups in the same order load through devtools.wsgi.
    expect(aliases('WSGI_DEV_TOOLS')).toEqual(
      ['api-v2', 'docs', 'api', 'app'].map((group, i) => [
        ['/api/v2', '/docs', '/api', '/'][i],
        '/srv/app/docker/devtools.wsgi',
        group,
      ]),
    );
    expect(
      [...daemonMode.matchAll(/^\s+python-home=(\S+) python-path=(\S+) home=(\S+) /gm)].map(m => m.slice(1)),
    ).toEqual([
      ['/opt/venv', '/srv/app/api/v2', '/srv/app/api/v2'],
      ['/opt/venv', '/srv/app', '/srv/app'],
      ['/opt/venvs/api', '/srv/app/api', '/srv/app/api'],
      ['/opt/venv', '/srv/app', '/srv/app'],
    ]);
    // One WSGIDaemonProcess per group, each with its own variables: the project's app is the last group of the same loop.
    expect(
      [...daemonMode.matchAll(/^\s+WSGIDaemonProcess (\S+) \\\n\s+processes=\$\{(\w+)\} /gm)].map(m => m.slice(1)),
    ).toEqual([
      ['api-v2', 'WSGI_API_V2_PROCESSES'],
      ['docs', 'WSGI_DOCS_PROCESSES'],
      ['api', 'WSGI_API_PROCESSES'],
      ['app', 'WSGI_PROCESSES'],
    ]);
    expect(templateText('docker/apache2.conf.mustache').match(/WSGIDaemonProcess/g)).toHaveLength(1);
    expect(daemonMode).toContain(
      'WSGIImportScript /srv/app/docker/reloader.py process-group=docs application-group=%{GLOBAL}',
    );
  });

  it('imports each callable in docker/mount.wsgi by process group, and a script mount uses its own file', () => {
    const script = read(dir, 'docker/mount.wsgi');
    expect(script).toContain('    "api": ("/srv/app/api", "service", "application", False),\n');
    expect(script).toContain('    "docs": ("/srv/app", "docs", "make", True),\n');
    expect(script).not.toContain('api-v2');
  });

  it('defaults each group tunable to the global one in envvars and sizes Apache for all groups', () => {
    const data = read(dir, 'docker/wsgi-apache.env');
    expect(data).toContain('\nWSGI_DOCS_THREADS:$WSGI_THREADS:1:256\n');
    expect(data).toContain("\nWSGI_APACHE_GROUPS='WSGI_ WSGI_API_V2_ WSGI_DOCS_ WSGI_API_'\n");
  });

  it('builds a virtualenv only for the mount with its own requirements.txt', () => {
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('COPY api/requirements.txt /tmp/mount-deps/api/requirements.txt\n');
    expect(dockerfile).toContain('    python3 -m venv /opt/venvs/api; \\\n');
    expect(dockerfile).not.toContain('/opt/venvs/docs');
  });

  it("watches each group's directory only, less the apps mounted inside it", () => {
    const watch = JSON.parse(read(dir, 'docker/wsgi-apache.json')).reloadWatch;
    expect(watch).toEqual({
      app: { root: '/srv/app', skip: ['/srv/app/api', '/srv/app/api/v2'] },
      'api-v2': { root: '/srv/app/api/v2', skip: [] },
      docs: { root: '/srv/app', skip: ['/srv/app/api', '/srv/app/api/v2'] },
      api: { root: '/srv/app/api', skip: ['/srv/app/api/v2'] },
    });
  });

  it('stores the mounts as typed and routes them in DOCKER.md', () => {
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(stored.mounts).toEqual(['/api=api/service:application', '/api/v2=api/v2/app.wsgi', '/docs=docs:make()']);
    expect(read(dir, 'DOCKER.md')).toContain(
      '| `/api/v2` | `api-v2` | `api/v2/app.wsgi` | `/srv/app/api/v2` | `/opt/venv` |',
    );
  });
});

describe('--mount refused with one line naming the flag and the fix', () => {
  const project = () => makeProject({ fixture: 'plain-wsgi', files: { 'api/service.py': WSGI_APP } });

  it.each([
    [{ mount: '/api' }, '--mount: "/api" is not a URL=ENTRY mount.'],
    [{ mount: '/=hello:application' }, '--mount: "/=hello:application" is not a URL=ENTRY mount.'],
    [{ mount: '/api=api/missing:app' }, '--mount: /api: module "missing" of "missing:app" was not found'],
    [{ mount: '/api=nowhere/hello:application' }, '--mount: directory "nowhere" of /api does not exist'],
    [{ mount: ['/api=api/service:application', '/api/=hello:application'] }, '--mount: /api is mounted twice.'],
    [
      { mount: ['/a-b=hello:application', '/a.b=hello:application'] },
      '--mount: /a.b and /a-b both make the process group "a-b"',
    ],
    [
      { mount: '/static/x=hello:application', static: '/static=static' },
      '--mount: /static/x overlaps --static /static',
    ],
  ])('%o', async (options, message) => {
    await expect(runGenerator(project(), { yes: true, ...options })).rejects.toThrow(message);
  });
});

describe('--mount-point with a front end at / (--proxy /)', async () => {
  const dir = makeProject({
    fixture: 'plain-wsgi',
    files: { 'api/service.py': WSGI_APP },
  });
  await runGenerator(dir, {
    yes: true,
    'mount-point': '/app/',
    proxy: ['/=http://frontend:3000'],
    static: ['/static=static'],
    mount: ['/api=api/service:application'],
  });
  const conf = read(dir, 'docker/apache2.conf');

  it('serves the app at its mount point, and its health path under it by default', () => {
    expect(conf).toContain(
      '    WSGIScriptAlias /app /srv/app/docker/app.wsgi process-group=app application-group=%{GLOBAL}\n',
    );
    expect(conf).toContain('    WSGIScriptAlias /app /srv/app/docker/debug.wsgi application-group=%{GLOBAL}\n');
    expect(read(dir, 'Dockerfile')).toMatch(/HEALTHCHECK_PATH=\/app\/ /);
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toMatchObject({
      mountPoint: '/app',
      healthPath: '/app/',
    });
  });

  it('leaves every other prefix out of the front end, in server-level exclusions before it', () => {
    const front = conf.indexOf('ProxyPass / http://frontend:3000/ connectiontimeout=5 timeout=60\n');
    expect(front).toBeGreaterThan(0);
    const excluded = [...conf.matchAll(/^ProxyPass (\S+) !$/gm)];
    expect(excluded.map(match => match[1])).toEqual(['/api', '/app', '/static']);
    expect(excluded.every(match => match.index! < front)).toBe(true);
    expect(conf).toContain('ProxyPassReverse / http://frontend:3000/\n');
  });

  it('lists the routes in DOCKER.md, the catch-all last', () => {
    const table = read(dir, 'DOCKER.md')
      .split('| URL prefix | answered by |')[1]
      .split('\n\n')[0]
      .split('\n')
      .filter(line => line.startsWith('| `'))
      .map(line => line.split(' | ')[0]);
    expect(table).toEqual(['| `/static`', '| `/api`', '| `/app`', '| `/`']);
  });

  it('is refused for Django, in one line', async () => {
    const django = makeProject({ fixture: 'django-project' });
    await expect(runGenerator(django, { yes: true, 'mount-point': '/app' })).rejects.toThrow(
      /^--mount-point: \/app would move a Django project/,
    );
  });
});
