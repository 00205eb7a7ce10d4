import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeProject, runGenerator } from '../helpers/project.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const ALL_FILES = [
  '.dockerignore',
  '.yo-rc.json',
  'DOCKER.md',
  'Dockerfile',
  'compose.override.yaml',
  'compose.watch.yaml',
  'compose.yaml',
  'docker/access-log.py',
  'docker/apache2.conf',
  'docker/app.wsgi',
  'docker/debug.wsgi',
  'docker/envvars',
  'docker/healthcheck.py',
  'docker/reloader.py',
  'docker/start-apache',
];

const FLASK_FACTORY = {
  'shop/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
  'requirements.txt': 'flask\n',
};
const DJANGO = {
  'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
  'mysite/__init__.py': '',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'mysite/settings.py': "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
};

describe('yo wsgi-apache --yes on a plain WSGI app', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  const result = await runGenerator(dir, { yes: true, name: 'Hello', static: ['/static=static'] });

  it('writes the whole stack into the project', () => {
    for (const file of ALL_FILES) result.assertFile(join(dir, file));
  });

  it('stores the answers in .yo-rc.json', () => {
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toEqual({
      entry: 'hello:application',
      name: 'hello',
      port: 8000,
      processes: 2,
      threads: 5,
      maximumRequests: 0,
      requestTimeout: 60,
      gracefulTimeout: 15,
      queueTimeout: 45,
      static: ['/static=static'],
      dataDirs: [],
      aptPackages: [],
      base: 'trixie',
      kubernetes: false,
    });
  });

  it('imports the detected callable in the WSGI script', () => {
    expect(read(dir, 'docker/app.wsgi')).toMatch(/^from hello import application as application/m);
  });

  it('configures daemon mode with the static Alias before WSGIScriptAlias', () => {
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(/^<IfDefine !WSGI_DEBUG_MODE>\n\s+# Daemon mode[^\n]*\n\s+WSGIRestrictEmbedded On\n(\s+#[^\n]*\n)*\s+WSGIDaemonProcess app \\$/m);
    expect(conf).toMatch(/processes=\$\{WSGI_PROCESSES\} threads=\$\{WSGI_THREADS\}/);
    expect(conf).toMatch(/python-home=\/opt\/venv python-path=\/srv\/app home=\/srv\/app/);
    expect(conf).toMatch(/^\s+WSGIProcessGroup app$/m);
    expect(conf).toMatch(/^\s+WSGIApplicationGroup %\{GLOBAL\}$/m);
    expect(conf).toMatch(/^ServerTokens Prod$/m);
    expect(conf).toMatch(/^ErrorLog \/proc\/self\/fd\/2$/m);
    expect(conf).toMatch(/<IfDefine !WSGI_ACCESS_LOG_OFF>\n\s+CustomLog "\|\|\/usr\/bin\/python3 -I -S \/srv\/app\/docker\/access-log\.py" \$\{APACHE_ACCESS_LOG_FORMAT\}\n<\/IfDefine>/);
    const alias = conf.indexOf('Alias /static /srv/app/static');
    const script = conf.indexOf('WSGIScriptAlias / /srv/app/docker/app.wsgi process-group=app application-group=%{GLOBAL}');
    expect(alias).toBeGreaterThan(0);
    expect(script).toBeGreaterThan(alias);
  });

  it('writes a Dockerfile that builds offline and stops gracefully', () => {
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).not.toMatch(/^#\s*syntax=/m);
    expect(dockerfile).not.toMatch(/--mount=|--chmod=|--link/);
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=debian:trixie-slim\nFROM \$\{BASE_IMAGE\}$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends apache2 libapache2-mod-wsgi-py3 python3-venv \\/);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGWINCH$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^LABEL org\.opencontainers\.image\.title="hello"/m);
    expect(dockerfile).toMatch(/^USER \$\{APP_UID\}$/m);
    expect(dockerfile).toMatch(/^CMD \["\/bin\/sh", "\/usr\/local\/bin\/start-apache"\]$/m);
    expect(dockerfile).toMatch(/ENV WSGI_PROCESSES=2 \\\n\s+WSGI_THREADS=5 /);
    // apt before the app copy, so code edits keep the system layer cached.
    expect(dockerfile.indexOf('apt-get install')).toBeLessThan(dockerfile.indexOf('COPY . /srv/app'));
  });

  it('starts Apache as PID 1 after removing a stale pid file', () => {
    expect(read(dir, 'docker/start-apache')).toMatch(
      /rm -f "\$\{APACHE_PID_FILE\}" "\$\{APACHE_RUN_DIR\}\/reloader\/state.json"\n(#[^\n]*\n)*exec \/usr\/sbin\/apache2 -DFOREGROUND \$APACHE_ARGUMENTS "\$@"$/m,
    );
  });

  it('has a debug mode like mod_wsgi-express --debug-mode: one process, one thread, embedded, post-mortem pdb', () => {
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(/<IfDefine WSGI_DEBUG_MODE>[\s\S]*WSGIRestrictStdin Off[\s\S]*WSGIScriptAlias \/ \/srv\/app\/docker\/debug\.wsgi application-group=%\{GLOBAL\}\n<\/IfDefine>/);
    const envvars = read(dir, 'docker/envvars');
    expect(envvars).toContain('APACHE_ARGUMENTS="-X -DWSGI_DEBUG_MODE"');
    expect(envvars).toContain('export MOD_WSGI_DEBUG_MODE=true');
    expect(envvars).toMatch(/if \[ "\$WSGI_DEBUG_MODE" = 1 \]; then\n\s+APACHE_THREADS_PER_CHILD=1\n\s+APACHE_MAX_REQUEST_WORKERS=1/);
    const debug = read(dir, 'docker/debug.wsgi');
    expect(debug).toContain('from hello import application as application');
    expect(debug).toContain('debugger = pdb.Pdb(stdin=sys.__stdin__, stdout=sys.__stdout__)');
    // Nothing in the production shape switches it on.
    expect(read(dir, 'compose.yaml')).not.toMatch(/WSGI_DEBUG|WSGI_RELOAD/);
  });

  it('offers Compose Watch as the alternative to the bind mount', () => {
    const watch = parseYaml(read(dir, 'compose.watch.yaml')).services.hello;
    expect(watch.environment.WSGI_RELOAD_ON_CHANGES).toBe('1');
    expect(watch.volumes).toBeUndefined();
    expect(watch.develop.watch[0]).toEqual({
      action: 'sync',
      path: '.',
      target: '/srv/app',
      ignore: ['.git/', '.venv/', 'venv/', '__pycache__/'],
    });
    expect(watch.develop.watch[1]).toEqual({ action: 'rebuild', path: 'Dockerfile' });
  });

  it('writes compose.yaml as the production shape and the override as development', () => {
    const prod = parseYaml(read(dir, 'compose.yaml'));
    expect(prod.name).toBe('hello');
    const service = prod.services.hello;
    expect(service.image).toBe('hello:latest');
    expect(service.build.context).toBe('.');
    expect(service.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:${PUBLISH_PORT:-8000}:8080']);
    expect(service.restart).toBe('unless-stopped');
    expect(service.read_only).toBe(true);
    expect(service.tmpfs).toEqual(['/tmp']);
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.security_opt).toEqual(['no-new-privileges:true']);
    expect(service.stop_grace_period).toBe('20s');
    expect(service.volumes).toBeUndefined();
    expect(service.environment.WSGI_RELOAD_ON_CHANGES).toBeUndefined();
    const dev = parseYaml(read(dir, 'compose.override.yaml')).services.hello;
    expect(dev.volumes).toEqual(['.:/srv/app']);
    expect(dev.environment.WSGI_RELOAD_ON_CHANGES).toBe('1');
    expect(dev.environment.WSGI_ENVIRONMENT).toBe('development');
    expect(dev.user).toBe('${UID:-1000}:${GID:-1000}');
  });

  it('keeps VCS, virtualenvs, caches and .env out of the image', () => {
    const ignored = read(dir, '.dockerignore').split('\n');
    for (const entry of ['.git', '.venv', 'venv', '**/__pycache__', '.env', '.env.*']) expect(ignored).toContain(entry);
    expect(ignored).not.toContain('docker');
  });
});

describe('flags', () => {
  it('sets every answer without prompting', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { 'public/a.css': '' } });
    await runGenerator(dir, {
      entry: 'hello:application',
      name: 'api',
      port: '9000',
      processes: '3',
      threads: '7',
      'maximum-requests': '500',
      'request-timeout': '30',
      'graceful-timeout': '10',
      'queue-timeout': '20',
      static: ['/static=static', '/public=public'],
      'apt-packages': 'python3-flask,libpq5',
      base: 'bookworm',
    }).withAnswers({}, { throwOnMissingAnswer: true });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=debian:bookworm-slim$/m);
    expect(dockerfile).toMatch(/python3-venv python3-flask libpq5 \\/);
    expect(dockerfile).toMatch(/WSGI_PROCESSES=3 \\\n\s+WSGI_THREADS=7 \\\n\s+WSGI_MAXIMUM_REQUESTS=500 \\\n\s+WSGI_REQUEST_TIMEOUT=30 \\\n\s+WSGI_GRACEFUL_TIMEOUT=10 \\\n\s+WSGI_QUEUE_TIMEOUT=20/);
    const compose = parseYaml(read(dir, 'compose.yaml'));
    expect(compose.services.api.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:${PUBLISH_PORT:-9000}:8080']);
    expect(compose.services.api.stop_grace_period).toBe('15s');
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toContain('Alias /public /srv/app/public');
    expect(conf).toContain('Alias /static /srv/app/static');
    expect(read(dir, 'docker/envvars')).toContain(': "${WSGI_PROCESSES:=3}" "${WSGI_THREADS:=7}"');
  });

  it('accepts a positional project directory', async () => {
    const project = makeProject({ fixture: 'plain-wsgi' });
    const elsewhere = makeProject();
    await runGenerator(elsewhere, { yes: true }).withArguments([project]);
    expect(read(project, 'docker/app.wsgi')).toContain('from hello import application');
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('detection', () => {
  it('Django: entry from manage.py, collectstatic at build, Apache serves STATIC_ROOT', async () => {
    const dir = makeProject({ files: { ...DJANGO, 'requirements.txt': 'django>=4\n' } });
    await runGenerator(dir, { yes: true, name: 'mysite' });
    expect(read(dir, 'docker/app.wsgi')).toContain('from mysite.wsgi import application as application');
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('RUN DJANGO_SETTINGS_MODULE=mysite.settings /opt/venv/bin/python manage.py collectstatic --noinput');
    expect(dockerfile).toContain('COPY requirements.txt /tmp/python-deps/requirements.txt');
    expect(dockerfile).toMatch(/COPY requirements\.txt[\s\S]*pip install[\s\S]*COPY \. \/srv\/app[\s\S]*collectstatic/);
    expect(read(dir, 'docker/apache2.conf')).toContain('Alias /static /srv/app/staticfiles');
    expect(parseYaml(read(dir, 'compose.override.yaml')).services.mysite.volumes).toEqual(['.:/srv/app', '/srv/app/staticfiles']);
  });

  it('Flask factory: the script calls it once per process; pyproject dependencies are installed', async () => {
    const dir = makeProject({ files: { ...FLASK_FACTORY, 'pyproject.toml': '[project]\nname="shop"\ndependencies=["flask"]\n' } });
    await runGenerator(dir, { yes: true, name: 'shop' });
    expect(read(dir, 'docker/app.wsgi')).toMatch(/from shop import create_app as _factory\n[\s\S]*application = _factory\(\)/);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('COPY pyproject.toml /tmp/python-deps/pyproject.toml');
    expect(dockerfile).toContain('echo "-r requirements.txt" >> all-requirements.txt');
    expect(dockerfile).toContain('import tomllib');
  });

  it('a WSGI script entry is served directly, without a generated docker/app.wsgi', async () => {
    const dir = makeProject({ files: { 'deploy/site.wsgi': 'def application(e, s):\n    pass\n' } });
    await runGenerator(dir, { yes: true, name: 'site', entry: 'deploy/site.wsgi' });
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toContain('WSGIScriptAlias / /srv/app/deploy/site.wsgi process-group=app');
    expect(conf).toMatch(/<Directory \/srv\/app\/deploy>\n\s+<Files site\.wsgi>/);
    expect(readdirSync(join(dir, 'docker'))).not.toContain('app.wsgi');
  });

  it('a src/ layout puts src on the daemon python-path', async () => {
    const dir = makeProject({ files: { 'src/api/wsgi.py': 'def application(e, s):\n    pass\n' } });
    await runGenerator(dir, { yes: true, name: 'api' });
    expect(read(dir, 'docker/apache2.conf')).toContain('python-path=/srv/app/src home=/srv/app');
  });

  it('a wheelhouse is copied in and offered to pip through PIP_FIND_LINKS', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { 'requirements.txt': 'tiny\n', 'wheelhouse/tiny-1.0-py3-none-any.whl': '' } });
    await runGenerator(dir, { yes: true, name: 'w' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('ARG PIP_FIND_LINKS=/tmp/wheelhouse');
    expect(dockerfile).toContain('COPY wheelhouse/ /tmp/wheelhouse/');
    expect(parseYaml(read(dir, 'compose.yaml')).services.w.build.args.PIP_FIND_LINKS).toBe('${PIP_FIND_LINKS:-/tmp/wheelhouse}');
  });
});

describe('building the image at the end', () => {
  it('without a reachable Docker engine, says so in one line and leaves a complete project', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const lines: string[] = [];
    try {
      await runGenerator(dir, { yes: true, name: 'nodocker', 'skip-build': false }).onGenerator(generator => {
        const log = generator.log;
        const recording = Object.assign((message?: string) => (lines.push(String(message)), log.call(generator, message)), log);
        Object.defineProperty(generator, 'log', { value: recording });
      });
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
    const notBuilt = lines.filter(line => line.startsWith('Image not built'));
    expect(notBuilt).toHaveLength(1);
    expect(notBuilt[0]).toMatch(/^Image not built: no Docker engine answered \(.*\); the project is complete, build it later with docker compose build\.$/);
    expect(notBuilt[0]).not.toContain('\n');
    for (const file of ALL_FILES) expect(readFileSync(join(dir, file), 'utf8').length).toBeGreaterThan(0);
  });
});

describe('--data-dir', () => {
  it('makes a run-time directory the app user\'s, a named volume in production and the host folder in development', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'files', 'data-dir': ['instance', 'media/uploads'] });
    expect(read(dir, 'Dockerfile')).toContain('RUN install -d -o "${APP_UID}" -g "${APP_GID}" /srv/app/instance /srv/app/media/uploads');
    const prod = parseYaml(read(dir, 'compose.yaml'));
    expect(prod.services.files.volumes).toEqual(['data-instance:/srv/app/instance', 'data-media-uploads:/srv/app/media/uploads']);
    expect(Object.keys(prod.volumes)).toEqual(['data-instance', 'data-media-uploads']);
    const dev = parseYaml(read(dir, 'compose.override.yaml')).services.files;
    expect(dev.volumes).toEqual(['.:/srv/app', './instance:/srv/app/instance', './media/uploads:/srv/app/media/uploads']);
    const ignored = read(dir, '.dockerignore').split('\n');
    expect(ignored).toContain('instance');
    expect(ignored).toContain('media/uploads');
    // Created on the host, so the engine does not create a root-owned one for the bind mount.
    expect(readdirSync(join(dir, 'media'))).toEqual(['uploads']);
  });

  it('rejects the project root and paths outside it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(dir, { yes: true, 'data-dir': '.' })).rejects.toThrow(/--data-dir: the project root itself/);
    await expect(runGenerator(dir, { yes: true, 'data-dir': '../up' })).rejects.toThrow(/--data-dir: "..\/up" is outside the project/);
    await expect(runGenerator(dir, { yes: true, 'data-dir': 'my data' })).rejects.toThrow(/--data-dir: "my data" has characters/);
  });
});

describe('prompts and re-runs', () => {
  it('asks each question, with detected defaults, when neither flags nor .yo-rc.json answer it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const asked: Record<string, unknown> = {};
    await runGenerator(dir)
      .withAnswers(
        {
          entry: 'hello:application',
          name: 'prompted',
          port: '8123',
          processes: '4',
          threads: '2',
          static: '/static=static',
          dataDirs: '',
          aptPackages: '',
          base: 'trixie',
          kubernetes: false,
        },
        { throwOnMissingAnswer: true, callback: (answer, { question }) => ((asked[question.name!] = question.default), answer) },
      );
    expect(asked).toMatchObject({ entry: 'hello:application', port: 8000, processes: 2, threads: 5, base: 'trixie' });
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(stored).toMatchObject({ name: 'prompted', port: 8123, processes: 4, threads: 2, static: ['/static=static'] });
  });

  it('re-runs from .yo-rc.json without a single prompt and writes identical files', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'again', processes: '3' });
    const before = Object.fromEntries(ALL_FILES.map(file => [file, read(dir, file)]));
    await runGenerator(dir).withAnswers({}, { throwOnMissingAnswer: true });
    for (const file of ALL_FILES) expect(read(dir, file), file).toBe(before[file]);
  });

  it('sends a changed file through Yeoman\'s conflict prompt instead of overwriting it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'conflict' });
    writeFileSync(join(dir, 'Dockerfile'), '# my own Dockerfile\n');
    const asked: string[] = [];
    await runGenerator(dir, { yes: true, processes: '4' }, true).withAnswers(
      { action: 'write' },
      {
        callback: (answer, { question }) => {
          asked.push(String(question.message));
          return question.message === 'Overwrite Dockerfile?' ? 'skip' : answer;
        },
      },
    );
    // Every file whose content changes is asked about; untouched ones (app.wsgi, ...) are not.
    expect(asked.sort()).toEqual(['Overwrite DOCKER.md?', 'Overwrite Dockerfile?', 'Overwrite compose.yaml?', 'Overwrite docker/envvars?']);
    expect(read(dir, 'Dockerfile')).toBe('# my own Dockerfile\n');
    expect(read(dir, 'docker/envvars')).toContain('${WSGI_PROCESSES:=4}');
  });
});

describe('bad input: one message naming the input and the fix, nothing written', () => {
  const cases: [string, Record<string, string> | undefined, Record<string, unknown>, RegExp][] = [
    ['no entry detectable, none given', {}, {}, /--entry: no WSGI entry point was given and none could be detected\. Fix: pass --entry/],
    ['an entry that does not parse', undefined, { entry: 'hello' }, /--entry: "hello" is not a WSGI entry point\. Fix: write module:callable/],
    ['a module that does not exist', undefined, { entry: 'nothere:app' }, /--entry: module "nothere" of "nothere:app" was not found/],
    ['a script that does not exist', undefined, { entry: 'site.wsgi' }, /--entry: WSGI script "site\.wsgi" does not exist/],
    ['a name Docker rejects', undefined, { name: 'My App!' }, /--name: "My App!" is not a valid Docker image and Compose project name\. Fix: .* e\.g\. --name my-app/],
    ['a port out of range', undefined, { port: '70000' }, /--port: 70000 is out of range\. Fix: pass a whole number from 1 to 65535/],
    ['a port that is not a number', undefined, { port: 'http' }, /--port: "http" is not a whole number/],
    ['zero threads', undefined, { threads: '0' }, /--threads: 0 is out of range/],
    ['zero processes', undefined, { processes: '0' }, /--processes: 0 is out of range/],
    ['a static directory that does not exist', undefined, { static: ['/static=assets'] }, /--static: directory "assets" for \/static does not exist/],
    ['an unknown base', undefined, { base: 'sid' }, /--base: "sid" is not a supported Debian release/],
  ];
  it.each(cases)('%s', async (_label, files, options, message) => {
    const dir = files ? makeProject({ files }) : makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    await expect(runGenerator(dir, { yes: true, ...options })).rejects.toThrow(message);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('a target that is not a directory', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    await expect(runGenerator(dir, { yes: true }).withArguments(['hello.py'])).rejects.toThrow(
      /the target directory: "hello\.py" is not a directory\. Fix: pass the path of an existing Python project/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
