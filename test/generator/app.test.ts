import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerignore } from '../../generators/lib/dockerignore.js';
import { packageRoot } from '../../generators/lib/package-root.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeProject, projectWith, recordLog, runGenerator } from '../helpers/project.js';
import { DJANGO_MANAGE, djangoProject, FLASK_FACTORY as FACTORY_SOURCE } from '../helpers/python-sources.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
/** The instructions of the stages the image is made of (`system` and the final one), without comments: what ships. */
const shippedStages = (dockerfile: string) =>
  dockerfile
    .split(/^(?=FROM )/m)
    .filter(stage => /^FROM (\$\{BASE_IMAGE\} AS system|system)$/m.test(stage.split('\n')[0]))
    .join('')
    .replace(/^#.*\n/gm, '');
// The Compose files share settings through YAML anchors and merge keys (`<<: *app`), as Compose reads them.
const parseYaml = (text: string) => parse(text, { merge: true });
const ALL_FILES = [
  '.dockerignore',
  '.gitattributes',
  '.gitignore',
  '.yo-rc.json',
  'DOCKER.md',
  'Dockerfile',
  'compose.override.yaml',
  'compose.watch.yaml',
  'compose.yaml',
  'docker/access-log.py',
  'docker/apache/local.conf',
  'docker/apache2.conf',
  'docker/app.wsgi',
  'docker/debug.wsgi',
  'docker/entrypoint',
  'docker/envvars',
  'docker/healthcheck.py',
  'docker/reloader.py',
  'docker/start-apache',
  'docker/write-watch.py',
  'docker/wsgi-apache.env',
  'docker/wsgi-apache.json',
  '.yo-wsgi-apache-base.json',
];

const FLASK_FACTORY = {
  'shop/__init__.py': FACTORY_SOURCE,
  'requirements.txt': 'flask\n',
};
/** The Flask factory with its dependencies in a pyproject.toml that names no build backend. */
const FLASK_PYPROJECT = { ...FLASK_FACTORY, 'pyproject.toml': '[project]\nname="shop"\ndependencies=["flask"]\n' };
const DJANGO = djangoProject("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n");

describe('yo wsgi-apache --yes on a plain WSGI app', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  const result = await runGenerator(dir, { yes: true, name: 'Hello', static: ['/static=static'] });

  it('writes the whole stack into the project', () => {
    for (const file of ALL_FILES) result.assertFile(join(dir, file));
  });

  it("checks out the scripts the container runs with LF even under Git for Windows' core.autocrlf=true", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true });
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd, stdio: 'pipe' });
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'scaffolded');
    const clone = `${dir}-autocrlf`;
    git(dir, 'clone', '-q', '-c', 'core.autocrlf=true', dir, clone);
    expect(read(clone, 'hello.py')).toContain('\r\n'); // the setting took effect on the app's own files
    for (const file of [
      'Dockerfile',
      'docker/entrypoint',
      'docker/envvars',
      'docker/wsgi-apache.env',
      'docker/start-apache',
      'docker/apache2.conf',
    ])
      expect({ file, crlf: read(clone, file).includes('\r') }).toEqual({ file, crlf: false });
    expect(read(dir, '.gitignore')).toMatch(/^\/\.wsgi\/$/m);
  });

  it('stores the answers in .yo-rc.json', () => {
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toEqual({
      entry: 'hello:application',
      mountPoint: '/',
      name: 'hello',
      port: 8000,
      processes: 2,
      threads: 5,
      maximumRequests: 0,
      requestTimeout: 60,
      gracefulTimeout: 15,
      queueTimeout: 45,
      wsgiMode: 'daemon',
      static: ['/static=static'],
      dataDirs: [],
      aptPackages: [],
      base: 'python',
      python: '3.13',
      pythonBuild: 'standard',
      kubernetes: false,
      maxReplicas: 0,
      image: '',
      ingressHost: '',
      ci: 'none',
      https: false,
      healthPath: '/',
      initCommands: [],
      setenv: [],
      secrets: [],
      apacheModules: [],
      proxies: [],
      mounts: [],
      services: [],
      workers: [],
      // What this run wrote (generators/app/upgrade.ts): the next run's merge base.
      written: { version: expect.stringMatching(/^\d+\.\d+\.\d+/), files: expect.any(Object) },
    });
    const { written } = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(written.files['Dockerfile']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(read(dir, '.yo-wsgi-apache-base.json')).files['Dockerfile']).toBe(read(dir, 'Dockerfile'));
    // The user's own files are not recorded: docker/apache/local.conf, .gitignore.
    expect(Object.keys(written.files)).not.toContain('docker/apache/local.conf');
    expect(Object.keys(written.files)).not.toContain('.gitignore');
  });

  it('imports the detected callable in the WSGI script', () => {
    expect(read(dir, 'docker/app.wsgi')).toMatch(/^from hello import application as application/m);
  });

  it('configures daemon mode with the static Alias before WSGIScriptAlias', () => {
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(
      /^<IfDefine !WSGI_DEBUG_MODE>\n\s+# Daemon mode[^\n]*\n\s+WSGIRestrictEmbedded On\n(\s+#[^\n]*\n)*\s+WSGIDaemonProcess app \\$/m,
    );
    expect(conf).toMatch(/processes=\$\{WSGI_PROCESSES\} threads=\$\{WSGI_THREADS\}/);
    expect(conf).toMatch(/python-home=\/opt\/venv python-path=\/srv\/app home=\/srv\/app/);
    expect(conf).toMatch(/^\s+WSGIProcessGroup app$/m);
    expect(conf).toMatch(/^\s+WSGIApplicationGroup %\{GLOBAL\}$/m);
    expect(conf).toMatch(/^ServerTokens Prod$/m);
    expect(conf).toMatch(/^ErrorLog \/proc\/self\/fd\/2$/m);
    // The logger learns the format (json lines are made valid JSON); the HEALTHCHECK's requests stay out unless asked for.
    expect(conf).toContain(
      [
        '<IfDefine !WSGI_ACCESS_LOG_OFF>',
        '    CustomLog "||/usr/local/bin/python3 -I -S /srv/app/docker/access-log.py ${APACHE_ACCESS_LOG_FORMAT}" ${APACHE_ACCESS_LOG_FORMAT} \\',
        `        "expr=%{HTTP_USER_AGENT} !~ m#^(wsgi-apache-healthcheck$|kube-probe/)# || '\${APACHE_LOG_HEALTHCHECKS}' == '1'"`,
        '</IfDefine>',
      ].join('\n'),
    );
    const alias = conf.indexOf('Alias /static /srv/app/static');
    const script = conf.indexOf(
      'WSGIScriptAlias / /srv/app/docker/app.wsgi process-group=app application-group=%{GLOBAL}',
    );
    expect(alias).toBeGreaterThan(0);
    expect(script).toBeGreaterThan(alias);
  });

  it('writes a Dockerfile that builds offline and stops gracefully', () => {
    const dockerfile = read(dir, 'Dockerfile');
    // Every line the parser reads on its own is blank, a comment or an instruction.
    const lines = dockerfile.split('\n');
    const loose = lines.filter(
      (line, at) => !(at > 0 && lines[at - 1]!.endsWith('\\')) && !/^(#.*|[A-Z]+ .*|[A-Z]+|\s*)$/.test(line),
    );
    expect(loose).toEqual([]);
    expect(dockerfile).not.toMatch(/^#\s*syntax=/m);
    // BuildKit's RUN mounts only where pip runs (pip's cache, the index URL's secret): the built-in
    // Dockerfile frontend has them since Docker 20.10, with no syntax line to pull (offline).
    expect(
      dockerfile
        .split('\n')
        .filter(line => /--mount=|--chmod=|--link/.test(line))
        .every(line =>
          line.startsWith('RUN --mount=type=cache,target=/root/.cache/pip --mount=type=secret,id=pip_index_url '),
        ),
    ).toBe(true);
    // Default base: the official Python image; pip builds mod_wsgi in a stage of its own.
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/python:3\.13-slim-trixie\n/m);
    expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\} AS mod-wsgi$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends apache2-dev gcc libc6-dev \\/);
    expect(dockerfile).toMatch(/^ARG MOD_WSGI_VERSION=5\.0\.2$/m);
    expect(dockerfile).toMatch(
      /sh \/usr\/local\/bin\/pip-install \/opt\/venv\/bin\/pip "mod_wsgi==\$\{MOD_WSGI_VERSION\}"/,
    );
    // No pipe whose first command could fail unseen (sh has no pipefail): set -e sees each step.
    expect(dockerfile).toContain(
      "mod_wsgi-express module-config > /tmp/mod_wsgi.conf; \\\n    grep '^LoadModule ' /tmp/mod_wsgi.conf > /opt/venv/mod_wsgi.load",
    );
    // Every tool pip installs is pinned: coverage.py too.
    expect(dockerfile).toMatch(/^ARG COVERAGE_VERSION=\d+\.\d+\.\d+$/m);
    expect(dockerfile).toContain('--target /opt/wsgi-devtools "coverage==${COVERAGE_VERSION}"');
    // The image: Debian's Apache without its configuration, no compiler, the stage's virtualenv.
    const runtime = shippedStages(dockerfile);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends apache2-bin media-types \\/);
    expect(runtime).toMatch(/^COPY --from=mod-wsgi \/opt\/venv \/opt\/venv$/m);
    expect(runtime).not.toMatch(/gcc|apache2-dev|libapache2-mod-wsgi/);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGWINCH$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^LABEL org\.opencontainers\.image\.title="hello"/m);
    expect(dockerfile).toMatch(/^USER \$\{APP_UID\}$/m);
    expect(dockerfile).toMatch(/^CMD \["\/bin\/sh", "\/usr\/local\/bin\/start-apache"\]$/m);
    expect(dockerfile).toMatch(/ENV WSGI_PROCESSES=2 \\\n\s+WSGI_THREADS=5 /);
    // The project, made readable by the app user and writable by root alone, in a stage of its own.
    expect(dockerfile).toMatch(
      /^FROM \$\{BASE_IMAGE\} AS app-source\nCOPY \. \/srv\/app\nRUN chmod -R a\+rX,go-w \/srv\/app$/m,
    );
    // apt before the app copy, so code edits keep the system layer cached.
    expect(dockerfile.indexOf('apt-get install')).toBeLessThan(
      dockerfile.indexOf('COPY --from=app-source /srv/app /srv/app'),
    );
  });

  it('starts Apache as PID 1 after removing a stale pid file', () => {
    expect(read(dir, 'docker/start-apache')).toMatch(
      /rm -f "\$\{APACHE_PID_FILE\}" "\$\{APACHE_RUN_DIR\}"\/reloader\/state-\*\.json\nif \[ "\$WSGI_COVERAGE" != 1 \]; then\n(\s*#[^\n]*\n)*\s*exec \/usr\/sbin\/apache2 -DFOREGROUND \$APACHE_ARGUMENTS "\$@"$/m,
    );
  });

  it('has a debug mode like mod_wsgi-express --debug-mode: one process, one thread, embedded, post-mortem pdb', () => {
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(
      /<IfDefine WSGI_DEBUG_MODE>[\s\S]*WSGIRestrictStdin Off[\s\S]*<IfDefine !WSGI_DEV_TOOLS>\n\s+WSGIScriptAlias \/ \/srv\/app\/docker\/debug\.wsgi application-group=%\{GLOBAL\}\n\s+<\/IfDefine>/,
    );
    const envvars = read(dir, 'docker/envvars');
    expect(envvars).toBe(readFileSync(join(packageRoot(), 'runtime/envvars'), 'utf8'));
    expect(envvars).toContain('APACHE_ARGUMENTS="-X -DWSGI_DEBUG_MODE"');
    expect(envvars).toContain('export MOD_WSGI_DEBUG_MODE=true');
    expect(envvars).toMatch(
      /if \[ "\$WSGI_DEBUG_MODE" = 1 \]; then\n\s+APACHE_THREADS_PER_CHILD=1\n\s+APACHE_MAX_REQUEST_WORKERS=1/,
    );
    // debug.wsgi is the runtime file; the script it serves is the project's, from docker/wsgi-apache.json.
    expect(read(dir, 'docker/debug.wsgi')).toBe(readFileSync(join(packageRoot(), 'runtime/debug.wsgi'), 'utf8'));
    expect(JSON.parse(read(dir, 'docker/wsgi-apache.json')).wsgiScript).toBe('/srv/app/docker/app.wsgi');
    expect(read(dir, 'docker/app.wsgi')).toContain('from hello import application');
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
      ignore: ['.git/', '.venv/', 'venv/', '__pycache__/', '.wsgi/'],
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
    // Bounded by variables with defaults sized for the answers (issue 25, finding 6).
    expect(service.tmpfs).toEqual(['/tmp:size=${CONTAINER_TMP_SIZE:-64m}']);
    expect(service.deploy.resources.limits).toEqual({
      memory: '${CONTAINER_MEMORY_LIMIT:-640m}',
      pids: '${CONTAINER_PIDS_LIMIT:-4096}',
    });
    expect(service.logging).toEqual({
      driver: 'json-file',
      options: { 'max-size': '${CONTAINER_LOG_MAX_SIZE:-10m}', 'max-file': '${CONTAINER_LOG_MAX_FILE:-3}' },
    });
    expect(service.cap_drop).toEqual(['ALL']);
    expect(service.security_opt).toEqual(['no-new-privileges:true']);
    expect(service.stop_grace_period).toBe('20s');
    expect(service.volumes).toBeUndefined();
    expect(service.environment.WSGI_RELOAD_ON_CHANGES).toBeUndefined();
    const dev = parseYaml(read(dir, 'compose.override.yaml')).services.hello;
    expect(dev.volumes).toEqual(['.:/srv/app:z']);
    // `docker compose watch` with no -f flags: the bind mount shows the code, what the image installs rebuilds it.
    expect(dev.develop.watch).toEqual([{ action: 'rebuild', path: 'Dockerfile' }]);
    expect(dev.environment.WSGI_RELOAD_ON_CHANGES).toBe('1');
    expect(dev.environment.WSGI_ENVIRONMENT).toBe('development');
    // Root with only SETUID/SETGID: the entry point becomes the project's owner at once.
    expect(dev.user).toBe('root');
    expect(dev.cap_add).toEqual(['SETUID', 'SETGID']);
    expect(prod.services.init).toBeUndefined();
    expect(service.depends_on).toBeUndefined();
  });

  it('keeps VCS, virtualenvs, caches and secrets out of the image, secrets and VCS at any depth', () => {
    // Docker's own matching rules (@balena/dockerignore is a port of them).
    const rules = dockerignore().add(read(dir, '.dockerignore').split('\n'));
    // What issue 25 found in a built image, or not excluded, with .dockerignore matching at the root only.
    const secrets = [
      'config/.env',
      '.env.production',
      'id_rsa',
      '.aws/credentials',
      '.netrc',
      '.pypirc',
      'certs/server.key',
      'certs/server.pem',
      'db.sqlite3',
      'var/app.sqlite3',
      '.ssh/id_ed25519',
      '.npmrc',
      'sub/.git/config',
      'credentials.json',
      'deploy/.docker/config.json',
    ];
    expect(secrets.filter(path => !rules.ignores(path))).toEqual([]);
    for (const path of ['.git/HEAD', '.venv/bin/python', 'venv/lib/x.py', 'app/__pycache__/x.pyc'])
      expect(rules.ignores(path), path).toBe(true);
    // What the build needs stays.
    for (const path of ['docker/apache2.conf', 'hello.py', 'static/site.css', 'requirements.txt'])
      expect(rules.ignores(path), path).toBe(false);
    expect(read(dir, 'DOCKER.md')).toContain('`**/.aws`');
  });
});

describe('flags', () => {
  it("--setenv: the app's variables in compose.yaml (both shapes share x-app) and the ConfigMap; .env read when present", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const greeting = 'hi, "you" $HOME #x';
    await runGenerator(dir, {
      yes: true,
      name: 'hello',
      kubernetes: true,
      setenv: [`GREETING=${greeting}`, 'DEBUG=0'],
    });
    const compose = parseYaml(read(dir, 'compose.yaml'));
    // Compose reads $$ as a literal $ (compose-spec, "Interpolation").
    expect(compose['x-app'].environment).toMatchObject({ GREETING: greeting.replace('$', () => '$$'), DEBUG: '0' });
    expect(compose['x-app'].env_file).toEqual([{ path: '.env', required: false }]);
    // The service takes x-app whole (<<: *app): the override adds to it, so both shapes have them.
    expect(compose.services.hello.environment.GREETING).toBe(greeting.replace('$', () => '$$'));
    expect(parseYaml(read(dir, 'kubernetes/configmap.yaml')).data).toMatchObject({ GREETING: greeting, DEBUG: '0' });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].setenv).toEqual([
      `GREETING=${greeting}`,
      'DEBUG=0',
    ]);
    expect(read(dir, 'DOCKER.md')).toMatch(/^\| `GREETING` \| `--setenv`/m);
  });

  it('--secret: a random value in .secrets/NAME kept across runs, a Compose secret and NAME_FILE, the Kubernetes Secret; never in .yo-rc.json, Git or the image', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { '.secrets/API_TOKEN': 'mine\n' } });
    await runGenerator(dir, { yes: true, name: 'hello', kubernetes: true, secret: ['SECRET_KEY', 'API_TOKEN'] });
    const value = read(dir, '.secrets/SECRET_KEY');
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, '.secrets/SECRET_KEY')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, '.secrets')).mode & 0o777).toBe(0o700);
    // The user's own value stays as it is.
    expect(read(dir, '.secrets/API_TOKEN')).toBe('mine\n');
    const compose = parseYaml(read(dir, 'compose.yaml'));
    expect(compose.secrets).toEqual({
      pip_index_url: { environment: 'PIP_INDEX_URL' },
      SECRET_KEY: { file: './.secrets/SECRET_KEY' },
      API_TOKEN: { file: './.secrets/API_TOKEN' },
    });
    expect(compose.services.hello.secrets).toEqual(['SECRET_KEY', 'API_TOKEN']);
    expect(compose.services.hello.environment).toMatchObject({ SECRET_KEY_FILE: '/run/secrets/SECRET_KEY' });
    const deployment = parseYaml(read(dir, 'kubernetes/deployment.yaml'));
    expect(deployment.spec.template.spec.containers[0].envFrom).toContainEqual({
      secretRef: { name: 'hello-secrets' },
    });
    expect(read(dir, 'docker/wsgi-apache.env')).toContain("\nWSGI_APACHE_SECRETS='SECRET_KEY API_TOKEN'\n");
    expect(read(dir, '.gitignore')).toMatch(/^\/\.secrets\/$/m);
    expect(read(dir, '.dockerignore')).toMatch(/^\*\*\/\.secrets$/m);
    expect(read(dir, '.yo-rc.json')).not.toContain(value);
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].secrets).toEqual(['SECRET_KEY', 'API_TOKEN']);
    // Again, from .yo-rc.json: the value is not rewritten.
    await runGenerator(dir, { yes: true });
    expect(read(dir, '.secrets/SECRET_KEY')).toBe(value);
  });

  it('--static of a directory the image provides: an Alias to it, and a build step that checks it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, static: ['/assets=/usr/share/javascript/jquery'] });
    expect(read(dir, 'docker/apache2.conf')).toContain(
      'Alias /assets /usr/share/javascript/jquery\n<Directory /usr/share/javascript/jquery>',
    );
    expect(read(dir, 'Dockerfile')).toMatch(/^RUN for dir in \/usr\/share\/javascript\/jquery; do \\$/m);
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].static).toEqual([
      '/assets=/usr/share/javascript/jquery',
    ]);
  });

  it('--entry of an installed package: accepted when the image installs packages, checked by the build', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { 'requirements.txt': 'radicale\n' } });
    await runGenerator(dir, { yes: true, entry: 'radicale:application' });
    expect(read(dir, 'docker/app.wsgi')).toContain('from radicale import application');
    expect(read(dir, 'Dockerfile')).toContain(
      'RUN python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec(\'radicale\') is None)"',
    );
    const bare = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(bare, { yes: true, entry: 'radicale:application' })).rejects.toThrow(
      /^--entry: module "radicale" of "radicale:application" was not found \(.*\), and the image installs no Python packages\. Fix: .*requirements\.txt/,
    );
  });

  it('--https: the development shape alone serves HTTPS (a second port, its CA volume, docker/dev-certificate); without it none of that (issue 29, point 10)', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'hello', https: true });
    const override = parseYaml(read(dir, 'compose.override.yaml'));
    const app = override.services.hello;
    expect(app.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:${PUBLISH_HTTPS_PORT:-8443}:8443']);
    expect(app.environment.APACHE_HTTPS_PORT).toBe('8443');
    expect(app.volumes).toContain('development-tls:/var/lib/wsgi-apache/tls');
    expect(app.cap_add).toContain('CHOWN');
    expect(override.volumes).toEqual({ 'development-tls': null });
    // Production is untouched: compose.yaml has one port and no HTTPS.
    const production = read(dir, 'compose.yaml');
    expect(production).not.toMatch(/HTTPS|8443|tls/);
    const apache = read(dir, 'docker/apache2.conf');
    const block = apache.slice(
      apache.indexOf('<IfDefine APACHE_HTTPS>'),
      apache.indexOf('</IfDefine>', apache.indexOf('<IfDefine APACHE_HTTPS>')),
    );
    expect(block).toContain('Listen ${APACHE_HTTPS_PORT} https');
    expect(block).toContain('Protocols h2 http/1.1');
    expect(block).toContain('SSLCertificateFile ${WSGI_APACHE_TLS_DIR}/server.crt');
    expect(apache).not.toMatch(/^\s*Header .*Strict-Transport-Security/im);
    expect(read(dir, 'docker/dev-certificate')).toBe(
      readFileSync(join(packageRoot(), 'runtime/dev-certificate'), 'utf8'),
    );
    expect(read(dir, 'Dockerfile')).toMatch(
      /^COPY docker\/dev-certificate \/usr\/local\/lib\/wsgi-apache\/dev-certificate$/m,
    );
    expect(read(dir, 'DOCKER.md')).toContain('## HTTPS in development');
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].https).toBe(true);

    const debian = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(debian, { yes: true, base: 'trixie', https: true });
    expect(read(debian, 'Dockerfile')).toMatch(/apt-get install -y --no-install-recommends openssl\b/);

    const plain = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(plain, { yes: true, name: 'hello' });
    expect(existsSync(join(plain, 'docker/dev-certificate'))).toBe(false);
    expect(read(plain, 'docker/apache2.conf')).not.toContain('APACHE_HTTPS');
    expect(read(plain, 'compose.override.yaml')).not.toMatch(/HTTPS|8443|tls/);
  });

  it('--secret refuses a value, a name also in --setenv, and the image own names, writing nothing', async () => {
    for (const [flags, message] of [
      [{ secret: ['SECRET_KEY=abc'] }, /^--secret: "SECRET_KEY=\.\.\." gives a value/],
      [{ secret: ['TOKEN'], setenv: ['TOKEN=1'] }, /^--secret: TOKEN is also given with --setenv/],
      [{ secret: ['WSGI_THREADS'] }, /^--secret: WSGI_THREADS is the image's own/],
    ] as const) {
      const dir = makeProject({ fixture: 'plain-wsgi' });
      await expect(runGenerator(dir, { yes: true, ...flags })).rejects.toThrow(message);
      expect(existsSync(join(dir, '.secrets'))).toBe(false);
      expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
    }
  });

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
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/debian:bookworm-slim$/m);
    expect(dockerfile).toMatch(
      /apache2 libapache2-mod-wsgi-py3 python3-venv python3-coverage \\\n[\s\S]*install -y --no-install-recommends python3-flask libpq5 \\/,
    );
    expect(dockerfile).toMatch(
      /WSGI_PROCESSES=3 \\\n\s+WSGI_THREADS=7 \\\n\s+WSGI_MAXIMUM_REQUESTS=500 \\\n\s+WSGI_REQUEST_TIMEOUT=30 \\\n\s+WSGI_GRACEFUL_TIMEOUT=10 \\\n\s+WSGI_QUEUE_TIMEOUT=20/,
    );
    const compose = parseYaml(read(dir, 'compose.yaml'));
    expect(compose.services.api.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:${PUBLISH_PORT:-9000}:8080']);
    expect(compose.services.api.stop_grace_period).toBe('15s');
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toContain('Alias /public /srv/app/public');
    expect(conf).toContain('Alias /static /srv/app/static');
    expect(read(dir, 'docker/wsgi-apache.env')).toContain('\nWSGI_PROCESSES:3:1:64\nWSGI_THREADS:7:1:256\n');
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
    expect(dockerfile).toContain('RUN python manage.py collectstatic --noinput');
    expect(dockerfile).toMatch(
      /PYTHONPATH=\/srv\/app:\/srv\/app\/docker\/django \\\n\s+DJANGO_SETTINGS_MODULE=wsgi_apache_settings/,
    );
    expect(dockerfile).toContain('COPY requirements.txt /tmp/python-deps/requirements.txt');
    expect(dockerfile).toMatch(
      /COPY requirements\.txt[\s\S]*pip-install[\s\S]*COPY --from=app-source \/srv\/app \/srv\/app[\s\S]*collectstatic/,
    );
    expect(read(dir, 'docker/apache2.conf')).toContain('Alias /static /srv/app/staticfiles');
    expect(parseYaml(read(dir, 'compose.override.yaml')).services.mysite.volumes).toEqual([
      '.:/srv/app:z',
      { type: 'tmpfs', target: '/srv/app/staticfiles' },
    ]);
    // The development shape's tmpfs is filled from the image's hard-linked copy (issue 29, point 6).
    expect(dockerfile).toContain(
      'RUN python manage.py collectstatic --noinput \\\n && mkdir -p /srv/app/staticfiles /usr/local/share/wsgi-apache/built/srv/app && cp -al /srv/app/staticfiles /usr/local/share/wsgi-apache/built/srv/app/staticfiles\n',
    );
    expect(read(dir, 'docker/wsgi-apache.env')).toContain(
      "WSGI_APACHE_BUILT_COPIES='/usr/local/share/wsgi-apache/built/srv/app/staticfiles:/srv/app/staticfiles'",
    );
  });

  it('Flask factory: the script calls it once per process; pyproject dependencies are installed', async () => {
    const dir = projectWith(FLASK_PYPROJECT);
    await runGenerator(dir, { yes: true, name: 'shop' });
    expect(read(dir, 'docker/app.wsgi')).toMatch(
      /from shop import create_app as _factory\n[\s\S]*application = _factory\(\)/,
    );
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
    const dir = makeProject({
      fixture: 'plain-wsgi',
      files: { 'requirements.txt': 'tiny\n', 'wheelhouse/tiny-1.0-py3-none-any.whl': '' },
    });
    await runGenerator(dir, { yes: true, name: 'w' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('ARG PIP_FIND_LINKS=/tmp/wheelhouse');
    expect(dockerfile).toContain('COPY wheelhouse/ /tmp/wheelhouse/');
    expect(parseYaml(read(dir, 'compose.yaml')).services.w.build.args.PIP_FIND_LINKS).toBe(
      '${PIP_FIND_LINKS:-/tmp/wheelhouse}',
    );
  });

  it('pip and its PIP_* build args stay in the python-deps stage: the image gets only the virtualenv (issue 25, finding 2)', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { 'requirements.txt': 'tiny\n' } });
    await runGenerator(dir, { yes: true });
    const dockerfile = read(dir, 'Dockerfile');
    const deps = dockerfile.split(/^(?=FROM )/m).find(stage => stage.startsWith('FROM system AS python-deps\n'));
    expect(deps).toMatch(/^COPY docker\/pip-install \/usr\/local\/bin\/pip-install$/m);
    expect(deps).toMatch(/sh \/usr\/local\/bin\/pip-install \/opt\/venv\/bin\/pip -r all-requirements\.txt/);
    // The stage's helper is the package's runtime program, as it is.
    expect(read(dir, 'docker/pip-install')).toBe(readFileSync(join(packageRoot(), 'runtime/pip-install'), 'utf8'));
    const shipped = shippedStages(dockerfile);
    expect(shipped).not.toMatch(/PIP_|pip/);
    expect(shipped).toMatch(/^COPY --from=python-deps \/opt\/venv \/opt\/venv$/m);
  });

  it("a private index's URL is a build secret, never a build argument, and pip keeps a BuildKit cache (issue 29, point 1)", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { 'requirements.txt': 'tiny\n' } });
    await runGenerator(dir, { yes: true, name: 'w' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).not.toMatch(/ARG PIP_INDEX_URL=/);
    const pipRuns = dockerfile
      .split('\n')
      .filter(line => /^RUN .*pip-install/.test(line) || /^RUN .*set -eu; \\$/.test(line));
    expect(pipRuns.length).toBeGreaterThan(0);
    for (const line of pipRuns)
      expect(line).toMatch(/^RUN --mount=type=cache,target=\/root\/\.cache\/pip --mount=type=secret,id=pip_index_url /);
    expect(dockerfile).toMatch(/^ARG PIP_INDEX_URL_FILE=\/run\/secrets\/pip_index_url$/m);
    const compose = parseYaml(read(dir, 'compose.yaml'));
    expect(compose.services.w.build.args).not.toHaveProperty('PIP_INDEX_URL');
    expect(compose.services.w.build.secrets).toEqual(['pip_index_url']);
    expect(compose.secrets.pip_index_url).toEqual({ environment: 'PIP_INDEX_URL' });
    expect(read(dir, 'DOCKER.md')).toContain('docker build --secret\nid=pip_index_url,env=PIP_INDEX_URL .');
  });
});

describe('lock files (issue 29, point 2)', () => {
  // The lock files' notes. Left out: the note that python3 could not check --entry in time, which
  // a starved host gives (the Node matrix at the lowest priority, ci50); its own test is below.
  const notes = (lines: string[]) =>
    lines.filter(line => line.startsWith('Note: ') && !line.startsWith('Note: --entry '));
  const FLASK_PYPROJECT = '[project]\nname="shop"\ndependencies=["flask"]\n';
  /** The Flask factory app with `files` beside it (pyproject.toml: Flask in `[project].dependencies` unless given). */
  const shop = (files: Record<string, string>) =>
    projectWith({ 'shop/__init__.py': FACTORY_SOURCE, 'pyproject.toml': FLASK_PYPROJECT, ...files });
  /** Generates `dir` with --yes and `flags`; returns the `Note:` lines it logged. */
  const generate = async (dir: string, flags: Record<string, unknown> = {}) => {
    const lines: string[] = [];
    await runGenerator(dir, { yes: true, name: 'shop', ...flags }).onGenerator(recordLog(lines));
    return notes(lines);
  };

  it("a uv.lock is installed: uv's own export of it, in a stage of its own, is what pip installs; not pyproject.toml's ranges", async () => {
    const dir = shop({
      'uv.lock': 'version = 1\n',
    });
    expect(await generate(dir)).toEqual([]);
    const dockerfile = read(dir, 'Dockerfile');
    // The pinned uv image, overridable; only uv's binary reaches the base.
    expect(dockerfile).toContain('\nARG UV_IMAGE=ghcr.io/astral-sh/uv:0.10.2\n');
    expect(dockerfile).toContain(
      '\nFROM ${UV_IMAGE} AS lock-tool\nFROM ${BASE_IMAGE} AS locked-requirements\nCOPY --from=lock-tool /uv /usr/local/bin/uv\n',
    );
    expect(dockerfile).toContain(
      '\nCOPY pyproject.toml uv.lock ./\nRUN uv export --locked --no-dev --no-hashes --no-emit-project --output-file locked-requirements.txt\n',
    );
    expect(dockerfile).toContain(
      '\nCOPY --from=locked-requirements /tmp/python-deps/locked-requirements.txt /tmp/python-deps/locked-requirements.txt\n',
    );
    expect(dockerfile).toContain('echo "-r locked-requirements.txt" >> all-requirements.txt;');
    expect(dockerfile).not.toContain('tomllib');
    expect(dockerfile).not.toContain('COPY pyproject.toml /tmp/python-deps/');
    expect(read(dir, 'DOCKER.md')).toContain("Your dependencies' versions come from `uv.lock`.");
    // Compose Watch rebuilds when the lock changes, as for requirements.txt.
    const watch = parse(read(dir, 'compose.override.yaml')).services.shop.develop.watch as { path: string }[];
    expect(watch.map(rule => rule.path)).toEqual(['Dockerfile', 'pyproject.toml', 'uv.lock']);
    // The lock left behind pyproject.toml: a hint, as the build's export is the check.
    utimesSync(join(dir, 'uv.lock'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(await generate(dir)).toEqual([
      "Note: uv.lock is older than pyproject.toml: if you changed the dependencies since, run uv lock, or the image's build stops at the export.",
    ]);
  });

  it('a package only the installed lock names (pulled in by another) still gets what it builds against', async () => {
    const dir = shop({
      'pyproject.toml': '[project]\nname="shop"\ndependencies=["flask", "shop-db"]\n',
      'uv.lock': 'version = 1\n\n[[package]]\nname = "psycopg2"\nversion = "2.9.10"\n',
    });
    await generate(dir);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends gcc libc6-dev .*libpq-dev/);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends .*libpq5/);
  });

  it.each([
    ['poetry.lock', 'python3-poetry python3-poetry-plugin-export', 'poetry export --only main --without-hashes'],
    ['pdm.lock', 'python3-pdm', 'pdm lock --check'],
  ])("a %s is exported by Debian trixie's packages of its tool, whatever the base", async (file, packages, command) => {
    // Poetry's own table only, and no package to install it through: the lock's export installs it.
    const dir = shop({
      'pyproject.toml':
        '[tool.poetry]\npackage-mode = false\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n',
      [file]: '',
    });
    await generate(dir, { base: 'bookworm' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('\nARG LOCK_TOOLS_IMAGE=docker.io/library/debian:trixie-slim\n');
    expect(dockerfile).toContain(
      `\nFROM \${LOCK_TOOLS_IMAGE} AS locked-requirements\nARG DEBIAN_FRONTEND=noninteractive\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends ${packages} \\\n`,
    );
    expect(dockerfile).toContain(`\nCOPY pyproject.toml ${file} ./\nRUN `);
    expect(dockerfile).toContain(command);
    expect(dockerfile).toContain('echo "-r locked-requirements.txt" >> all-requirements.txt;');
    expect(dockerfile).not.toContain('AS lock-tool');
  });

  it("with requirements.txt, the image installs that: a lock beside it is the user's, and one line says when the pins are older than it", async () => {
    const dir = shop({
      'uv.lock': 'version = 1\n',
      'requirements.txt': 'flask==3.1.0\n',
    });
    utimesSync(join(dir, 'requirements.txt'), new Date(2019, 0, 1), new Date(2019, 0, 1));
    utimesSync(join(dir, 'uv.lock'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(await generate(dir)).toEqual([
      "Note: requirements.txt is older than uv.lock: the image installs requirements.txt's pins, not the lock's; export them again with uv export --no-dev --no-hashes --no-emit-project -o requirements.txt.",
      'Note: uv.lock is older than pyproject.toml: if you changed the dependencies since, run uv lock.',
    ]);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain('COPY requirements.txt /tmp/python-deps/requirements.txt');
    expect(dockerfile).not.toContain('locked-requirements');
  });

  it('two locks: the first in uv, Poetry, PDM order is installed, one line names the other; a pylock.toml alone is refused in one line', async () => {
    const dir = shop({
      'poetry.lock': '',
      'pdm.lock': '',
    });
    expect(await generate(dir)).toEqual([
      'Note: pdm.lock is not read: the image installs poetry.lock, the first lock it looks for.',
    ]);
    expect(read(dir, 'Dockerfile')).toContain('COPY pyproject.toml poetry.lock ./');

    const pylock = shop({
      'pylock.toml': 'lock-version = "1.0"\n',
    });
    expect(await generate(pylock)).toEqual([
      'Note: pylock.toml is not read: pip installs from requirements files, not from PEP 751 locks; export its pins to requirements.txt and run yo wsgi-apache again.',
    ]);
    expect(read(pylock, 'Dockerfile')).toContain('tomllib');
  });
});

describe('building the image at the end', () => {
  it('without a reachable Docker engine, says so in one line and leaves a complete project', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const lines: string[] = [];
    try {
      await runGenerator(dir, { yes: true, name: 'nodocker', 'skip-build': false }).onGenerator(recordLog(lines));
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
    const notBuilt = lines.filter(line => line.startsWith('Image not built'));
    expect(notBuilt).toHaveLength(1);
    expect(notBuilt[0]).toMatch(
      /^Image not built: no Docker engine answered \(.*\); the project is complete, build it later with docker compose build\.$/,
    );
    expect(notBuilt[0]).not.toContain('\n');
    for (const file of ALL_FILES) expect(readFileSync(join(dir, file), 'utf8').length).toBeGreaterThan(0);
  });
});

const DJANGO_STARTPROJECT = {
  ...djangoProject(
    [
      'from pathlib import Path',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      "ROOT_URLCONF = 'mysite.urls'",
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
      "STATIC_URL = 'static/'",
      '',
    ].join('\n'),
  ),
  'mysite/urls.py':
    "from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [\n    path('admin/', admin.site.urls),\n]\n",
};

/** A flat Django project, as some packaged Django apps are laid out: settings, urls and wsgi beside manage.py. */
const DJANGO_FLAT = {
  'manage.py': DJANGO_MANAGE.replace('mysite.settings', 'settings'),
  'settings.py': [
    'from pathlib import Path',
    'BASE_DIR = Path(__file__).resolve().parent',
    "ROOT_URLCONF = 'urls'",
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
    "STATIC_URL = 'static/'",
    '',
  ].join('\n'),
  'urls.py': DJANGO_STARTPROJECT['mysite/urls.py'],
  'wsgi.py':
    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
};

describe('first-run defaults from the source', () => {
  it('a flat Django project (settings.py, wsgi.py beside manage.py) gets every Django default (issue 27, finding 11)', async () => {
    const dir = makeProject({ files: DJANGO_FLAT });
    await runGenerator(dir, { yes: true, name: 'flat' });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toMatchObject({
      entry: 'wsgi:application',
      dataDirs: ['var'],
      initCommands: ['python manage.py migrate --noinput'],
      healthPath: '/admin/login/',
    });
    expect(read(dir, 'docker/django/wsgi_apache_settings.py')).toContain('from settings import *');
    expect(read(dir, 'docker/apache2.conf')).toMatch(/Alias \/static \/srv\/static\n/);
    expect(read(dir, 'Dockerfile')).toMatch(/collectstatic/);
  });

  it('Django without manage.py: the settings its .wsgi script names give migrate and collectstatic through python -m django (issue 27, finding 9)', async () => {
    const settings = DJANGO_FLAT['settings.py'].replace("'urls'", "'site1.urls'");
    const dir = makeProject({
      files: {
        'www/cgi-bin/site.wsgi': DJANGO_FLAT['wsgi.py'].replace("'settings'", "'site1.settings'"),
        'site1/__init__.py': '',
        'site1/settings.py': settings.replace('.parent\n', '.parent.parent\n'),
        'site1/urls.py': DJANGO_FLAT['urls.py'],
      },
    });
    await runGenerator(dir, { yes: true, name: 'nomanage' });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toMatchObject({
      entry: 'www/cgi-bin/site.wsgi',
      dataDirs: ['var'],
      initCommands: ['python -m django migrate --noinput'],
      healthPath: '/admin/login/',
    });
    expect(read(dir, 'Dockerfile')).toContain('RUN python -m django collectstatic --noinput\n');
    expect(read(dir, 'DOCKER.md')).toContain('python -m django createsuperuser');
  });

  it('django-compressor: its CACHE/ in STATIC_ROOT is a volume; offline, the build compresses (issue 27, finding 12)', async () => {
    const compressor = (extra: string) => ({
      ...DJANGO_STARTPROJECT,
      'mysite/settings.py': `${(DJANGO_STARTPROJECT as Record<string, string>)['mysite/settings.py']}INSTALLED_APPS = ['django.contrib.staticfiles', 'compressor']\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n${extra}`,
    });
    const online = makeProject({ files: compressor('') });
    await runGenerator(online, { yes: true, name: 'online' });
    expect(JSON.parse(read(online, '.yo-rc.json'))['generator-wsgi-apache'].dataDirs).toEqual([
      'var',
      'staticfiles/CACHE',
    ]);
    expect(parseYaml(read(online, 'compose.yaml')).services.online.volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/:\/srv\/app\/staticfiles\/CACHE$/)]),
    );
    expect(read(online, 'Dockerfile')).not.toContain('compress --force');
    const offline = makeProject({ files: compressor('COMPRESS_OFFLINE = True\n') });
    await runGenerator(offline, { yes: true, name: 'offline' });
    expect(JSON.parse(read(offline, '.yo-rc.json'))['generator-wsgi-apache'].dataDirs).toEqual(['var']);
    expect(read(offline, 'Dockerfile')).toMatch(
      /RUN python manage\.py collectstatic --noinput \\\n && python manage\.py compress --force \\\n && mkdir -p /,
    );
  });

  it('data directories from --setenv paths, the config files they name and empty folders (issue 27, finding 8)', async () => {
    const dir = makeProject({
      files: {
        'app.py': 'def application(environ, start_response):\n    return []\n',
        'app.conf': '[storage]\nfolder = /srv/app/store\n',
        'uploads/.gitkeep': '',
      },
    });
    await runGenerator(dir, {
      yes: true,
      name: 'writes',
      setenv: ['APP_CONFIG=/srv/app/app.conf', 'APP_STATE=/srv/app/state', 'APP_VENV=/srv/app/venv'],
    });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].dataDirs).toEqual([
      'store',
      'state',
      'uploads',
    ]);
    expect(read(dir, 'docker/apache2.conf')).toContain(
      'WSGIImportScript /srv/app/docker/write-watch.py process-group=app application-group=%{GLOBAL}',
    );
    expect(read(dir, 'docker/write-watch.py')).toBe(
      readFileSync(join(packageRoot(), 'runtime/write-watch.py'), 'utf8'),
    );
  });

  it('Django startproject: static files without STATIC_ROOT, SQLite on a volume, migrate before serving, admin login as health path', async () => {
    const dir = makeProject({ files: DJANGO_STARTPROJECT });
    await runGenerator(dir, { yes: true, name: 'mysite', kubernetes: true });
    const answers = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(answers).toMatchObject({
      dataDirs: ['var'],
      initCommands: ['python manage.py migrate --noinput'],
      healthPath: '/admin/login/',
    });
    expect(read(dir, 'docker/apache2.conf')).toMatch(/Alias \/static \/srv\/static\n<Directory \/srv\/static>/);
    const settings = read(dir, 'docker/django/wsgi_apache_settings.py');
    expect(settings).toContain('from mysite.settings import *');
    expect(settings).toContain('static_root="/srv/static",');
    expect(settings).toContain('sqlite_data_dir="/srv/app/var",');
    // The write watch leaves that file to the settings: production moves it to the volume.
    expect(JSON.parse(read(dir, 'docker/wsgi-apache.json')).writeWatch).toEqual({ relocated: ['/srv/app/db.sqlite3'] });
    expect(read(dir, 'docker/init')).toContain(
      "printf 'init: %s\\n' 'python manage.py migrate --noinput' >&2\npython manage.py migrate --noinput\n",
    );
    expect(read(dir, '.dockerignore').split('\n')).toEqual(expect.arrayContaining(['var', 'db.sqlite3']));
    expect(read(dir, 'Dockerfile')).toContain('HEALTHCHECK_PATH=/admin/login/ \\');
    // `down -v` in development leaves the production volume: DOCKER.md names the command that does not.
    expect(read(dir, 'DOCKER.md')).toMatch(
      /leaves them, and your folders\. Name compose\.yaml alone[^`]*`docker compose -f compose\.yaml down -v`/,
    );
    const prod = parseYaml(read(dir, 'compose.yaml'));
    expect(prod.services.mysite.depends_on).toEqual({ init: { condition: 'service_completed_successfully' } });
    expect(prod.services.init).toMatchObject({
      image: 'mysite:latest',
      command: ['/bin/sh', '/srv/app/docker/init'],
      volumes: ['data-var:/srv/app/var'],
      read_only: true,
      restart: 'no',
    });
    expect(prod.services.init.environment).toEqual(prod.services.mysite.environment);
    const dev = parseYaml(read(dir, 'compose.override.yaml')).services;
    expect(dev.init.volumes).toEqual(dev.mysite.volumes);
    expect(dev.init.user).toBe('root');
    const deployment = parseYaml(read(dir, 'kubernetes/deployment.yaml'));
    const pod = deployment.spec.template.spec;
    expect(pod.initContainers[0].command).toEqual(['/bin/sh', '/srv/app/docker/init']);
    expect(pod.initContainers[0].volumeMounts).toEqual(pod.containers[0].volumeMounts);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(pod.containers[0][probe].httpGet.path).toBe('/admin/login/');
    }
  });

  it('Flask factory: its instance folder is a data directory, and an init-db command runs while it is empty', async () => {
    const dir = projectWith({
      'flaskr/__init__.py':
        'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__, instance_relative_config=True)\n    return app\n',
      'flaskr/db.py': 'import click\n\n@click.command("init-db")\ndef init_db_command():\n    pass\n',
    });
    await runGenerator(dir, { yes: true, name: 'flaskr' });
    const answers = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(answers.dataDirs).toEqual(['instance']);
    expect(answers.initCommands).toEqual([
      '[ -n "$(ls -A instance 2>/dev/null)" ] || python -m flask --app flaskr init-db',
    ]);
    expect(answers.healthPath).toBe('/');
    expect(parseYaml(read(dir, 'compose.yaml')).services.flaskr.volumes).toEqual(['data-instance:/srv/app/instance']);
    expect(readdirSync(dir)).toContain('instance');
    // The command is single-quoted for the log line and written as it is for the shell.
    expect(read(dir, 'docker/init')).toContain(
      `printf 'init: %s\\n' '[ -n "$(ls -A instance 2>/dev/null)" ] || python -m flask --app flaskr init-db' >&2`,
    );
  });

  it('flags replace the detected values; an init command may hold commas and quotes', async () => {
    const dir = makeProject({ files: DJANGO_STARTPROJECT });
    await runGenerator(dir, {
      yes: true,
      name: 'mysite',
      'health-path': '/healthz',
      'init-command': ["python -c 'print(1, 2)'", 'python manage.py migrate --noinput'],
      'data-dir': 'media',
    });
    const answers = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(answers).toMatchObject({
      healthPath: '/healthz',
      dataDirs: ['media'],
      initCommands: ["python -c 'print(1, 2)'", 'python manage.py migrate --noinput'],
    });
    expect(read(dir, 'docker/init')).toContain(
      `printf 'init: %s\\n' 'python -c '\\''print(1, 2)'\\''' >&2\npython -c 'print(1, 2)'\n`,
    );
    // Without var/ as a data directory the settings do not move the database.
    expect(read(dir, 'docker/django/wsgi_apache_settings.py')).toContain('sqlite_data_dir="",');
  });

  it('rejects a health path that is not a URL path and a multi-line init command, writing nothing', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    await expect(runGenerator(dir, { yes: true, 'health-path': 'health' })).rejects.toThrow(
      /^--health-path: "health" is not a URL path\. Fix: start it with \//,
    );
    await expect(runGenerator(dir, { yes: true, 'init-command': 'a\nb' })).rejects.toThrow(
      /^--init-command: "a\.\.\." spans more than one line/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('--data-dir', () => {
  it("makes a run-time directory the app user's, a named volume in production and the host folder in development", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'files', 'data-dir': ['instance', 'media/uploads'] });
    expect(read(dir, 'Dockerfile')).toContain(
      'RUN install -d -o "${APP_UID}" -g "${APP_GID}" /srv/app/instance /srv/app/media/uploads',
    );
    const prod = parseYaml(read(dir, 'compose.yaml'));
    expect(prod.services.files.volumes).toEqual([
      'data-instance:/srv/app/instance',
      'data-media-uploads:/srv/app/media/uploads',
    ]);
    expect(Object.keys(prod.volumes)).toEqual(['data-instance', 'data-media-uploads']);
    const dev = parseYaml(read(dir, 'compose.override.yaml')).services.files;
    expect(dev.volumes).toEqual([
      '.:/srv/app:z',
      './instance:/srv/app/instance:z',
      './media/uploads:/srv/app/media/uploads:z',
    ]);
    // A fresh clone lacks the folders: the entry point may hand Docker's root-owned ones over.
    expect(dev.cap_add).toEqual(['SETUID', 'SETGID', 'CHOWN']);
    expect(read(dir, 'docker/wsgi-apache.env')).toContain(
      "\nWSGI_APACHE_DATA_DIRS='/srv/app/instance /srv/app/media/uploads'\n",
    );
    const ignored = read(dir, '.dockerignore').split('\n');
    expect(ignored).toContain('instance');
    expect(ignored).toContain('media/uploads');
    // Created on the host, so the engine does not create a root-owned one for the bind mount.
    expect(readdirSync(join(dir, 'media'))).toEqual(['uploads']);
  });

  it('rejects the project root and paths outside it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(dir, { yes: true, 'data-dir': '.' })).rejects.toThrow(
      /--data-dir: the project root itself/,
    );
    await expect(runGenerator(dir, { yes: true, 'data-dir': '../up' })).rejects.toThrow(
      /--data-dir: "..\/up" is outside the project/,
    );
    await expect(runGenerator(dir, { yes: true, 'data-dir': 'my data' })).rejects.toThrow(
      /--data-dir: "my data" has characters/,
    );
  });
});

describe('bases: --base and --python', () => {
  it("--base trixie builds on Debian's Python, Apache and mod_wsgi in one stage", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, base: 'trixie' });
    const dockerfile = read(dir, 'Dockerfile');
    // The image's stages (and one that only makes the project's copy readable); no pip, no python-deps stage.
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/debian:trixie-slim\n/m);
    expect(dockerfile.match(/^FROM .*$/gm)).toEqual([
      'FROM ${BASE_IMAGE} AS app-source',
      'FROM ${BASE_IMAGE} AS system',
      'FROM system',
    ]);
    expect(dockerfile).toMatch(/^RUN python3 -m venv --system-site-packages --without-pip \/opt\/venv$/m);
    expect(dockerfile).not.toMatch(/AS mod-wsgi|MOD_WSGI_VERSION/);
    expect(dockerfile).toMatch(
      /apt-get install -y --no-install-recommends apache2 libapache2-mod-wsgi-py3 python3-venv python3-coverage \\/,
    );
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(/^LoadModule wsgi_module \/usr\/lib\/apache2\/modules\/mod_wsgi\.so$/m);
    expect(conf).not.toMatch(/mod_wsgi\.load/);
    expect(conf).toMatch(/CustomLog "\|\|\/usr\/bin\/python3 -I -S/);
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache']).toMatchObject({
      base: 'trixie',
      python: '3.13',
    });
  });

  it('the python base loads mod_wsgi from what module-config printed', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true });
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(/^Include \/opt\/venv\/mod_wsgi\.load$/m);
    expect(conf).not.toMatch(/^LoadModule wsgi_module/m);
  });

  it("--python picks the official image's tag; the project's .python-version is the default", async () => {
    const pinned = makeProject({ fixture: 'plain-wsgi', files: { '.python-version': '3.11\n' } });
    await runGenerator(pinned, { yes: true });
    expect(read(pinned, 'Dockerfile')).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/python:3\.11-slim-trixie$/m);
    const chosen = makeProject({ fixture: 'plain-wsgi', files: { '.python-version': '3.11\n' } });
    await runGenerator(chosen, { yes: true, python: '3.12' });
    expect(read(chosen, 'Dockerfile')).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/python:3\.12-slim-trixie$/m);
    expect(read(chosen, 'DOCKER.md')).toContain('on `docker.io/library/python:3.12-slim-trixie` (Python 3.12)');
  });

  it("--python-build optimized rebuilds the image's CPython in a stage mod_wsgi then builds on", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, 'python-build': 'optimized' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\} AS python-build$/m);
    expect(dockerfile).toMatch(/echo "\$\{PYTHON_SHA256\} \*\$\{tarball\}" \| sha256sum -c -/);
    // docker-library's PGO and LTO by default; PYTHON_OPTIMIZATIONS= (compose passes it through) builds without.
    expect(dockerfile).toMatch(/^ARG PYTHON_OPTIMIZATIONS="--enable-optimizations --with-lto"$/m);
    expect(dockerfile).toMatch(
      /\$PYTHON_OPTIMIZATIONS \\\n\s+--enable-option-checking=fatal \\\n\s+--enable-shared \\\n\s+--with-ensurepip/,
    );
    const compose = parse(read(dir, 'compose.yaml')) as { services: Record<string, { build?: { args: object } }> };
    const build = Object.values(compose.services).find(service => service.build)!.build!;
    expect(build.args).toHaveProperty(
      'PYTHON_OPTIMIZATIONS',
      '${PYTHON_OPTIMIZATIONS---enable-optimizations --with-lto}',
    );
    expect(dockerfile).toMatch(/EXTRA_CFLAGS="\$\(dpkg-buildflags --get CFLAGS\) -ftls-model=initial-exec"/);
    expect(dockerfile).toMatch(/^FROM python-build AS mod-wsgi$/m);
    const runtime = shippedStages(dockerfile);
    expect(runtime).toMatch(/^COPY --from=python-build \/usr\/local \/usr\/local\nRUN ldconfig$/m);
    expect(runtime).not.toMatch(/gcc|dpkg-dev/);
  });

  it('--python-build optimized offline: only the CPython tarball found in wheelhouse/ goes into its stage', async () => {
    const dir = makeProject({
      fixture: 'plain-wsgi',
      files: { 'wheelhouse/Python-3.13.5.tar.xz': '', 'wheelhouse/Python-3.12.9.tar.xz': '', 'wheelhouse/x.whl': '' },
    });
    await runGenerator(dir, { yes: true, 'python-build': 'optimized' });
    const stage = read(dir, 'Dockerfile').split(/^FROM /m)[1];
    expect(stage).toMatch(/^COPY wheelhouse\/Python-3\.13\.5\.tar\.xz \/tmp\/python-source\/$/m);
    expect(stage).not.toMatch(/3\.12\.9|COPY wheelhouse\/ /);
  });

  it('--python-build optimized needs the python base; standard writes no rebuild', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(dir, { yes: true, base: 'trixie', 'python-build': 'optimized' })).rejects.toThrow(
      /--python-build: optimized rebuilds the official image's Python.*pass --base python/,
    );
    await expect(runGenerator(dir, { yes: true, 'python-build': 'fast' })).rejects.toThrow(
      /--python-build: "fast" is not a Python build.*standard, optimized/,
    );
    await runGenerator(dir, { yes: true });
    expect(read(dir, 'Dockerfile')).not.toMatch(/python-build|initial-exec/);
  });

  it("--wsgi-mode embedded: the image's default WSGI_MODE (Dockerfile, ConfigMap), the embedded script granted, daemon mode kept beside it", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, 'wsgi-mode': 'embedded', kubernetes: true, 'mount-point': '/shop' });
    expect(read(dir, 'Dockerfile')).toMatch(/^ +WSGI_MODE=embedded \\$/m);
    expect(parse(read(dir, 'kubernetes/configmap.yaml')).data.WSGI_MODE).toBe('embedded');
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toContain('WSGIScriptAlias /shop /srv/app/docker/embedded.wsgi application-group=%{GLOBAL}');
    expect(conf).toContain(
      'WSGIImportScript /srv/app/docker/embedded.wsgi process-group=%{GLOBAL} application-group=%{GLOBAL}',
    );
    expect(conf).toMatch(/<IfDefine !WSGI_EMBEDDED_MODE>\n<IfDefine !WSGI_DEBUG_MODE>\n[^]*WSGIDaemonProcess app /);
    expect(read(dir, 'docker/embedded.wsgi')).toBe(readFileSync(join(packageRoot(), 'runtime/embedded.wsgi'), 'utf8'));
    expect(read(dir, 'DOCKER.md')).toMatch(/\| `WSGI_MODE` \| embedded \|/);
    const daemon = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(daemon, { yes: true });
    expect(read(daemon, 'Dockerfile')).toMatch(/^ +WSGI_MODE=daemon \\$/m);
  });

  it('--wsgi-mode: a mode it lacks, and embedded with --mount, are refused in one line, nothing written', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    await expect(runGenerator(dir, { yes: true, 'wsgi-mode': 'threaded' })).rejects.toThrow(
      /--wsgi-mode: "threaded" is not a WSGI mode.*pass one of daemon, embedded/,
    );
    await expect(
      runGenerator(dir, { yes: true, 'wsgi-mode': 'embedded', mount: '/api=hello:application' }),
    ).rejects.toThrow(
      /--wsgi-mode: embedded runs one app inside Apache's children, and --mount \/api needs a daemon process group of its own.*leave --wsgi-mode daemon, or drop --mount/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("refuses Debian's python3-* packages on the python base, and a Python a Debian base lacks", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const before = readdirSync(dir).sort();
    await expect(runGenerator(dir, { yes: true, 'apt-packages': 'python3-flask' })).rejects.toThrow(
      /--apt-packages: python3-flask is a library for Debian's own Python.*pass --base trixie/,
    );
    await expect(runGenerator(dir, { yes: true, base: 'bookworm', python: '3.13' })).rejects.toThrow(
      /--python: "3.13" .*the bookworm base has Python 3.11/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('prompts and re-runs', () => {
  it('asks each question, with detected defaults, when neither flags nor .yo-rc.json answer it', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const asked: Record<string, unknown> = {};
    await runGenerator(dir).withAnswers(
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
        // One line for a repeatable flag: items apart and quoted as in a shell.
        setenv: `GREETING=hi 'MOTTO=two words, one comma' PLAIN="x=y"`,
      },
      {
        throwOnMissingAnswer: true,
        callback: (answer, { question }) => ((asked[question.name!] = question.default), answer),
      },
    );
    expect(asked).toMatchObject({ entry: 'hello:application', port: 8000, processes: 2, threads: 5, base: 'python' });
    const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];
    expect(stored).toMatchObject({
      name: 'prompted',
      port: 8123,
      processes: 4,
      threads: 2,
      static: ['/static=static'],
      setenv: ['GREETING=hi', 'MOTTO=two words, one comma', 'PLAIN=x=y'],
    });
    expect(asked.setenv).toBe('');
    expect(parse(read(dir, 'compose.yaml'))['x-app'].environment).toMatchObject({
      MOTTO: 'two words, one comma',
      PLAIN: 'x=y',
    });
  });

  it('re-runs from .yo-rc.json without a single prompt and writes identical files', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'again', processes: '3' });
    const before = Object.fromEntries(ALL_FILES.map(file => [file, read(dir, file)]));
    await runGenerator(dir).withAnswers({}, { throwOnMissingAnswer: true });
    for (const file of ALL_FILES) expect(read(dir, file), file).toBe(before[file]);
  });

  it('in a terminal too: files the user never changed are updated without asking, a changed one merged', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'merged' });
    const mine = `# my note\n${read(dir, 'docker/wsgi-apache.env')}`;
    writeFileSync(join(dir, 'docker/wsgi-apache.env'), mine);
    const asked: string[] = [];
    await runGenerator(dir, { yes: true, processes: '4' }, true).withAnswers(
      {},
      { callback: (answer, { question }) => (asked.push(String(question.message)), answer) },
    );
    expect(asked).toEqual([]);
    expect(read(dir, 'docker/wsgi-apache.env')).toBe(mine.replace('\nWSGI_PROCESSES:2:', '\nWSGI_PROCESSES:4:'));
    expect(read(dir, 'compose.yaml')).toContain('${WSGI_PROCESSES:-4}');
  });

  it("with no record of what was written (an older project), a changed file goes through Yeoman's conflict prompt", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'conflict' });
    rmSync(join(dir, '.yo-wsgi-apache-base.json'));
    const config = JSON.parse(read(dir, '.yo-rc.json'));
    delete config['generator-wsgi-apache'].written;
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config));
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
    expect(asked.sort()).toEqual([
      'Overwrite DOCKER.md?',
      'Overwrite Dockerfile?',
      'Overwrite compose.yaml?',
      'Overwrite docker/wsgi-apache.env?',
    ]);
    expect(read(dir, 'Dockerfile')).toBe('# my own Dockerfile\n');
    expect(read(dir, 'docker/wsgi-apache.env')).toContain('\nWSGI_PROCESSES:4:');
  });
});

describe('bad input: one message naming the input and the fix, nothing written', () => {
  const cases: [string, Record<string, string> | undefined, Record<string, unknown>, RegExp][] = [
    [
      'no entry detectable, none given',
      {},
      {},
      /--entry: no WSGI entry point was given and none could be detected\. Fix: pass --entry/,
    ],
    [
      'an entry that does not parse',
      undefined,
      { entry: 'hello' },
      /--entry: "hello" is not a WSGI entry point\. Fix: write module:callable/,
    ],
    [
      'a module that does not exist',
      undefined,
      { entry: 'nothere:app' },
      /--entry: module "nothere" of "nothere:app" was not found/,
    ],
    [
      'a script that does not exist',
      undefined,
      { entry: 'site.wsgi' },
      /--entry: WSGI script "site\.wsgi" does not exist/,
    ],
    [
      'a name Docker rejects',
      undefined,
      { name: 'My App!' },
      /--name: "My App!" is not a valid Docker image, Compose project and Kubernetes name\. Fix: .* e\.g\. --name my-app/,
    ],
    [
      'a port out of range',
      undefined,
      { port: '70000' },
      /--port: 70000 is out of range\. Fix: pass a whole number from 1 to 65535/,
    ],
    ['a port that is not a number', undefined, { port: 'http' }, /--port: "http" is not a whole number/],
    ['zero threads', undefined, { threads: '0' }, /--threads: 0 is out of range/],
    ['zero processes', undefined, { processes: '0' }, /--processes: 0 is out of range/],
    [
      'a static directory that does not exist',
      undefined,
      { static: ['/static=assets'] },
      /--static: directory "assets" for \/static does not exist/,
    ],
    ['an unknown base', undefined, { base: 'sid' }, /--base: "sid" is not a supported base/],
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

describe('detection: Django below the root, packaged projects, requirements includes', () => {
  const nestedDjango = (dir: string) =>
    djangoProject(
      "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
      dir,
    );

  /** The Flask shop package with `pyproject` as its only dependency file. */
  const shopPackageWith = (pyproject: string) =>
    projectWith({ 'shop/__init__.py': FACTORY_SOURCE, 'pyproject.toml': pyproject });

  it('Django in src/: entry, python-path, collectstatic through src/manage.py, STATIC_ROOT under src/', async () => {
    const dir = makeProject({ files: { ...nestedDjango('src'), 'requirements.txt': 'django\n' } });
    await runGenerator(dir, { yes: true, name: 'mysite' });
    expect(JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'].entry).toBe('mysite.wsgi:application');
    expect(read(dir, 'docker/app.wsgi')).toContain('from mysite.wsgi import application as application');
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^RUN (\S*\/)?python src\/manage\.py collectstatic --noinput \\$/m);
    expect(dockerfile).not.toMatch(/python manage\.py/);
    const conf = read(dir, 'docker/apache2.conf');
    expect(conf).toMatch(/python-path=\/srv\/app\/src[: ]/);
    expect(conf).toContain('Alias /static /srv/app/src/staticfiles');
  });

  it('Django in backend/: detected, and --entry mysite.wsgi:application parses against backend/', async () => {
    const dir = makeProject({ files: nestedDjango('backend') });
    await runGenerator(dir, { yes: true, name: 'mysite', entry: 'mysite.wsgi:application' });
    expect(read(dir, 'Dockerfile')).toMatch(/^RUN (\S*\/)?python backend\/manage\.py collectstatic --noinput \\$/m);
    expect(read(dir, 'docker/apache2.conf')).toMatch(/python-path=\/srv\/app\/backend[: ]/);
    // A re-run reads the stored entry back and parses it the same way.
    await runGenerator(dir).withAnswers({}, { throwOnMissingAnswer: true });
    expect(read(dir, 'docker/apache2.conf')).toMatch(/python-path=\/srv\/app\/backend[: ]/);
  });

  it("a pyproject project with a build backend: dependencies cached before the copy, the project pip install -e'd after it", async () => {
    const pyproject =
      '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["flask"]\n';
    const dir = shopPackageWith(pyproject);
    await runGenerator(dir, { yes: true, name: 'shop', entry: 'shop:create_app()' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toMatch(
      /COPY pyproject\.toml \/tmp\/python-deps\/pyproject\.toml\n[\s\S]*import tomllib[\s\S]*\nCOPY --from=app-source \/srv\/app \/srv\/app\nRUN --mount=\S+ --mount=\S+ sh \/usr\/local\/bin\/pip-install \/opt\/venv\/bin\/pip -e \/srv\/app\n/,
    );
    expect(dockerfile.match(/pip-install[^\n]* -e /g)).toHaveLength(1);
    expect(dockerfile).toContain('ARG PIP_NO_BUILD_ISOLATION=\n');
    // pip-install unsets it when empty (test/unit/pip-install.test.ts).
    expect(dockerfile).toMatch(/^COPY docker\/pip-install \/usr\/local\/bin\/pip-install$/m);
    expect(parseYaml(read(dir, 'compose.yaml')).services.shop.build.args.PIP_NO_BUILD_ISOLATION).toBe(
      '${PIP_NO_BUILD_ISOLATION:-}',
    );
    expect(parseYaml(read(dir, 'compose.watch.yaml')).services.shop.develop.watch).toContainEqual({
      action: 'rebuild',
      path: 'pyproject.toml',
    });
  });

  it('a Poetry project ([tool.poetry] and poetry-core, no [project]) is installed through its backend only', async () => {
    const pyproject =
      '[tool.poetry]\nname = "shop"\nversion = "1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n';
    const dir = shopPackageWith(pyproject);
    await runGenerator(dir, { yes: true, name: 'shop' });
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).not.toContain('COPY pyproject.toml');
    expect(dockerfile).toMatch(
      /\nCOPY --from=app-source \/srv\/app \/srv\/app\n[\s\S]*pip-install [^\n]*-e \/srv\/app\n/,
    );
  });

  it('a project without a build backend is not installed itself', async () => {
    const dir = projectWith(FLASK_PYPROJECT);
    await runGenerator(dir, { yes: true, name: 'shop' });
    expect(read(dir, 'Dockerfile')).not.toMatch(/ -e \/srv\/app/);
  });

  it('requirements.txt with -r/-c includes: each file copied in, same layout, before the code', async () => {
    const dir = makeProject({
      fixture: 'plain-wsgi',
      files: {
        'requirements.txt': '-r requirements/prod.txt\n',
        'requirements/prod.txt': '-r base.txt\n-c ../constraints.txt\n',
        'requirements/base.txt': 'tiny\n-r prod.txt\n',
        'constraints.txt': 'tiny<2\n',
      },
    });
    await runGenerator(dir, { yes: true, name: 'reqs' });
    const dockerfile = read(dir, 'Dockerfile');
    const copies = dockerfile
      .split('\n')
      .filter(line => line.startsWith('COPY ') && line.includes('/tmp/python-deps/'));
    expect(copies).toEqual([
      'COPY requirements.txt /tmp/python-deps/requirements.txt',
      'COPY requirements/prod.txt /tmp/python-deps/requirements/prod.txt',
      'COPY requirements/base.txt /tmp/python-deps/requirements/base.txt',
      'COPY constraints.txt /tmp/python-deps/constraints.txt',
    ]);
    expect(dockerfile).toContain('echo "-r requirements.txt" >> all-requirements.txt');
    expect(dockerfile.indexOf('COPY constraints.txt')).toBeLessThan(
      dockerfile.indexOf('COPY --from=app-source /srv/app /srv/app'),
    );
    const rebuilds = parseYaml(read(dir, 'compose.watch.yaml'))
      .services.reqs.develop.watch.filter((w: { action: string }) => w.action === 'rebuild')
      .map((w: { path: string }) => w.path);
    expect(rebuilds).toEqual([
      'Dockerfile',
      'requirements.txt',
      'requirements/prod.txt',
      'requirements/base.txt',
      'constraints.txt',
    ]);
  });

  const POETRY_NO_BUILD =
    '[tool.poetry]\nname = "shop"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n';
  const bad: [string, Record<string, string>, RegExp][] = [
    [
      'Poetry dependencies without a [build-system]',
      { 'pyproject.toml': POETRY_NO_BUILD },
      /^pyproject\.toml: \[tool\.poetry\.dependencies\] \(flask\) would not be installed: .*Fix: .*poetry export -f requirements\.txt -o requirements\.txt\.$/,
    ],
    [
      'PDM dependencies outside [project]',
      { 'pyproject.toml': '[tool.pdm]\ndependencies = ["flask"]\n' },
      /^pyproject\.toml: \[tool\.pdm\.dependencies\] \(flask\) would not be installed/,
    ],
    [
      'a pyproject.toml that is not TOML',
      { 'pyproject.toml': '[project\n' },
      /^pyproject\.toml: is not valid TOML \(line 1/,
    ],
    [
      'a requirements include outside the project',
      { 'requirements.txt': 'flask\n-r ../shared/base.txt\n' },
      /^requirements\.txt: line 2 "-r \.\.\/shared\/base\.txt" includes a file outside the project.*Fix: move that file into the project/,
    ],
    [
      'a missing requirements include',
      { 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': '-c pins.txt\n' },
      /^requirements\/base\.txt: line 1 "-c pins\.txt" includes requirements\/pins\.txt, which does not exist\. Fix: create requirements\/pins\.txt/,
    ],
  ];
  it.each(bad)('stops on %s in one line, writing nothing', async (_label, files, message) => {
    const dir = makeProject({ fixture: 'plain-wsgi', files });
    const before = readdirSync(dir).sort();
    const error = await runGenerator(dir, { yes: true, name: 'bad' }).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('an entry python3 could not check', () => {
  it('is accepted, and the closing lines say which file was not checked and what checks it instead', async () => {
    const dir = projectWith({ 'site_app.py': 'def application(environ, start_response):\n    return []\n' });
    const path = process.env.PATH;
    const lines: string[] = [];
    process.env.PATH = '/nonexistent';
    try {
      await runGenerator(dir, { yes: true, name: 'site', entry: 'site_app:application' }).onGenerator(recordLog(lines));
    } finally {
      process.env.PATH = path;
    }
    expect(lines.filter(line => line.startsWith('Note: '))).toEqual([
      'Note: --entry site_app:application was not checked: python3 on this machine could not parse site_app.py; the image build imports it, and a wrong name shows on the first request.',
    ]);
    expect(read(dir, 'docker/app.wsgi')).toContain('from site_app import application');
  });
});
