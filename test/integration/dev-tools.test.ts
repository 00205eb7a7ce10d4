/**
 * mod_wsgi-express's development tools in the development shape (issue 17): the profiler, the
 * request recorder and coverage, all on at once on the Flask fixture, in daemon mode, with the
 * project owned by a developer whose uid is not 1000. What they write must be the developer's,
 * parse with the usual tools, mask secrets and stay within its caps.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { containerLogs, TEST_HEALTH_INTERVAL_SECONDS } from '../helpers/compose.js';
import { developmentStack } from '../helpers/development-stack.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { CONTAINER_PORT, HEALTHCHECK_USER_AGENT, IMAGE_SCRIPTS_DIR } from '../../generators/lib/image-layout.js';
import { DEV_UID } from './fixtures.js';

/** The image's root-owned copy of docker/healthcheck.py (image-layout.ts). */
const HEALTHCHECK_SCRIPT = `${IMAGE_SCRIPTS_DIR}/healthcheck.py`;
const BODY_LIMIT = 1_024;
const RECORDINGS_MAX = 200_000;
const SECRETS = { token: 'secret-token-4711', session: 's3cret-session', apiKey: 'key-0815' };

/** The files of `dir` under the project's `.wsgi/`, oldest first (their names start with the time). */
function outputFiles(projectDir: string, dir: string): string[] {
  const path = join(projectDir, '.wsgi', dir);
  // `.part`: a recording being written (renamed into place when whole).
  return existsSync(path) ? readdirSync(path).filter(name => !name.startsWith('.') && !name.endsWith('.part')) : [];
}

/** Every recording of the project, parsed, oldest first. */
function recordings(projectDir: string): Recording[] {
  const dir = join(projectDir, '.wsgi', 'recordings');
  return outputFiles(projectDir, 'recordings')
    .filter(name => name.endsWith('.json'))
    .sort()
    .map(name => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Recording);
}

/** One recorder file, as docker/devtools.wsgi writes it. */
interface Recording {
  request: { method: string; path: string; environ: Record<string, string>; body: RecordedBody };
  response: { status: string; headers: [string, string][]; body: RecordedBody };
  milliseconds: number;
}
interface RecordedBody {
  bytes: number;
  truncated: boolean;
  text?: string;
}

/** The owner of a file as `uid:gid`. */
function owner(path: string): string {
  const stat = statSync(path);
  return `${stat.uid}:${stat.gid}`;
}

describe('WSGI_PROFILER, WSGI_RECORDER and WSGI_COVERAGE on the Flask fixture, development shape', () => {
  const { fixture, flags, libraries } = FIXTURE_APPS.flask;
  const dev = developmentStack(
    fixture,
    'wsgi-apache-it-devtools',
    flags,
    {
      WSGI_PROFILER: '1',
      WSGI_RECORDER: '1',
      WSGI_COVERAGE: '1',
      WSGI_RECORDER_BODY_LIMIT: String(BODY_LIMIT),
      WSGI_RECORDER_MAX_BYTES: String(RECORDINGS_MAX),
      WSGI_RECORDER_MASK: 'X-Api-Key',
    },
    libraries,
  );
  const mine = `${DEV_UID}:${DEV_UID}`;

  it("writes one cProfile file per request, the developer's, that pstats loads, with a summary line in the log", async () => {
    const before = outputFiles(dev.dir, 'profiles');
    expect((await fetch(`${dev.baseUrl}/`)).status).toBe(200);
    // Written when mod_wsgi closes the response, which may be just after the client has it.
    const added = await vi.waitFor(() => {
      const now = outputFiles(dev.dir, 'profiles').filter(name => !before.includes(name));
      expect(now).toHaveLength(1);
      return now;
    });
    expect(added[0]).toMatch(/^\d{8}T\d{6}\.\d{6}-\d+-\d+-GET-root\.prof$/);
    expect(owner(join(dev.dir, '.wsgi/profiles', added[0]))).toBe(mine);
    // pstats, inside the container (the app's own Python): the view function is in the profile.
    const loaded = execFileSync(
      'docker',
      [
        'exec',
        dev.containerId,
        'python',
        '-c',
        'import pstats, sys; s = pstats.Stats(sys.argv[1]); ' +
          'print(s.total_calls, any(f.endswith("shop/__init__.py") and n == "index" for f, _, n in s.stats))',
        `/srv/app/.wsgi/profiles/${added[0]}`,
      ],
      { encoding: 'utf8' },
    ).trim();
    const [calls, hasView] = loaded.split(' ');
    expect(Number(calls)).toBeGreaterThan(100);
    expect(hasView).toBe('True');
    expect(containerLogs(dev.containerId, 200)).toMatch(
      new RegExp(
        `devtools \\(pid=\\d+\\): profile GET / [\\d.]+ ms, top \\S.* [\\d.]+ ms -> \\.wsgi/profiles/${added[0]}`,
      ),
    );
  });

  it("leaves the image's HEALTHCHECK requests out of profiles and recordings", async () => {
    const before = [outputFiles(dev.dir, 'profiles').length, outputFiles(dev.dir, 'recordings').length];
    // The tests' probe interval, the image's probe (compose.ts's fastHealthcheckFile).
    const health = JSON.parse(
      execFileSync('docker', ['inspect', '--format', '{{json .Config.Healthcheck}}', dev.containerId], {
        encoding: 'utf8',
      }),
    ) as { Test: string[]; Interval: number };
    expect(health).toMatchObject({
      Test: [
        'CMD',
        expect.stringMatching(/^\/usr(\/local)?\/bin\/python3$/),
        '-I',
        '-S',
        HEALTHCHECK_SCRIPT,
        String(CONTAINER_PORT),
        HEALTHCHECK_USER_AGENT,
      ],
      Interval: TEST_HEALTH_INTERVAL_SECONDS * 1e9,
    });
    // Three HEALTHCHECK probes pass with no other request.
    await new Promise(resolve => setTimeout(resolve, (3 * TEST_HEALTH_INTERVAL_SECONDS + 0.5) * 1000));
    expect([outputFiles(dev.dir, 'profiles').length, outputFiles(dev.dir, 'recordings').length]).toEqual(before);
    expect(containerLogs(dev.containerId, 20)).toMatch(/"GET \/ HTTP\/1\.1" 200 /);
  });

  it('never runs as root what the app can write (issue 25, finding 1)', async () => {
    // As the app's own code could: put code at the top of the mounted docker/healthcheck.py,
    // and plant the modules a Python not isolated from PYTHONPATH (the project) and site runs
    // at start. Each leaves a file named by the uid it ran as.
    const mounted = join(dev.dir, 'docker', 'healthcheck.py');
    const original = readFileSync(mounted, 'utf8');
    const payload = 'import os\nopen(f"/srv/app/.ran-as-{os.getuid()}", "a").close()\n';
    const plant = [
      'import sys',
      'payload, path = sys.argv[1], "/srv/app/docker/healthcheck.py"',
      'text = open(path).read()',
      'open(path, "w").write(payload + text)',
      'for name in ("sitecustomize", "usercustomize"):',
      '    open(f"/srv/app/{name}.py", "w").write(payload)',
    ].join('\n');
    const asApp = ['exec', '-u', `${DEV_UID}:${DEV_UID}`, dev.containerId];
    const planted = Date.now();
    execFileSync('docker', [...asApp, 'python3', '-c', plant, payload]);
    try {
      // Three HEALTHCHECK probes started after the planting, none of which may fail. Waited for,
      // not slept: on a loaded machine the probes come later than their interval.
      const health = () =>
        JSON.parse(
          execFileSync('docker', ['inspect', '--format', '{{json .State.Health}}', dev.containerId], {
            encoding: 'utf8',
          }),
        ) as { Status: string; Log: { Start: string; ExitCode: number }[] };
      const since = () => health().Log.filter(probe => Date.parse(probe.Start) > planted);
      // Docker records a probe that outlived its timeout as -1: a loaded machine's, not a failure
      // (three in a row make the container `unhealthy`, so its status is no verdict here). A probe
      // that ran the planted code and failed would exit 1.
      const passed = () => since().filter(probe => probe.ExitCode === 0).length;
      const deadline = Date.now() + 90_000;
      while ((since().length < 3 || passed() === 0) && Date.now() < deadline)
        await new Promise(resolve => setTimeout(resolve, 500));
      const codes = since().map(probe => probe.ExitCode);
      expect(codes.length).toBeGreaterThanOrEqual(3);
      expect(codes).toContain(0);
      expect(codes.filter(code => code > 0)).toEqual([]);
      expect(existsSync(join(dev.dir, '.ran-as-0')), 'root ran code the app wrote').toBe(false);
      // Not vacuous: the planted code runs for whoever does run the mounted file.
      execFileSync('docker', [...asApp, 'python3', '/srv/app/docker/healthcheck.py', String(CONTAINER_PORT), 'probe']);
      expect(existsSync(join(dev.dir, `.ran-as-${DEV_UID}`))).toBe(true);
    } finally {
      writeFileSync(mounted, original);
      for (const name of ['sitecustomize.py', 'usercustomize.py', `.ran-as-${DEV_UID}`, '.ran-as-0'])
        rmSync(join(dev.dir, name), { force: true });
    }
  });

  it('records the request (secrets masked, body cut at WSGI_RECORDER_BODY_LIMIT) and the response', async () => {
    const body = 'x'.repeat(5_000);
    const response = await fetch(`${dev.baseUrl}/nowhere?probe=recorder`, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'text/plain',
        Authorization: `Bearer ${SECRETS.token}`,
        Cookie: `session=${SECRETS.session}; theme=dark`,
        'X-Api-Key': SECRETS.apiKey,
      },
    });
    expect(response.status).toBe(404);
    const notFound = await response.text();
    expect((await fetch(`${dev.baseUrl}/?probe=list`)).status).toBe(200);

    const [post, list] = await vi.waitFor(() => {
      const all = recordings(dev.dir);
      const found = ['/nowhere?probe=recorder', '/?probe=list'].map(path => all.find(r => r.request.path === path));
      expect(found).not.toContain(undefined);
      return found;
    });
    expect(post!.request.method).toBe('POST');
    expect(post!.request.environ).toMatchObject({
      HTTP_AUTHORIZATION: 'Bearer ****',
      HTTP_COOKIE: 'session=****; theme=****',
      HTTP_X_API_KEY: '****',
      PATH_INFO: '/nowhere',
      QUERY_STRING: 'probe=recorder',
    });
    expect(post!.request.body).toMatchObject({ bytes: 5_000, truncated: true, text: 'x'.repeat(BODY_LIMIT) });
    expect(post!.response.status).toBe('404 NOT FOUND');
    expect(post!.response.body.text).toBe(notFound);
    expect(list!.response.status).toBe('200 OK');
    expect(list!.response.headers).toContainEqual(['Content-Type', 'text/html; charset=utf-8']);
    expect(list!.response.body).toMatchObject({ truncated: false });
    expect(list!.response.body.text).toContain('<ul><li>kettle</li><li>mug</li><li>teapot</li></ul>');
    const raw = outputFiles(dev.dir, 'recordings').map(name =>
      readFileSync(join(dev.dir, '.wsgi/recordings', name), 'utf8'),
    );
    for (const secret of Object.values(SECRETS)) expect(raw.join('\n')).not.toContain(secret);
    expect(owner(join(dev.dir, '.wsgi/recordings'))).toBe(mine);
  });

  it('keeps the recordings within WSGI_RECORDER_MAX_BYTES, dropping the oldest first', async () => {
    const count = 120;
    for (let n = 0; n < count; n++) expect((await fetch(`${dev.baseUrl}/?n=${n}`)).status).toBe(200);
    const kept = await vi.waitFor(() => {
      const paths = recordings(dev.dir).map(r => r.request.path);
      expect(paths).toContain(`/?n=${count - 1}`);
      return paths;
    });
    const dir = join(dev.dir, '.wsgi/recordings');
    const names = outputFiles(dev.dir, 'recordings');
    const total = names.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    const largest = Math.max(...names.map(name => statSync(join(dir, name)).size));
    console.log(
      `[recorder cap] ${count} requests of ${largest} B recordings at most: ${names.length} files, ${total} B kept (cap ${RECORDINGS_MAX} B)`,
    );
    // Each of the 2 processes sums the directory after every cap/16 it writes (devtools.wsgi's _Budget).
    expect(total).toBeLessThanOrEqual(RECORDINGS_MAX + 2 * (RECORDINGS_MAX / 16 + largest));
    expect(kept).not.toContain('/?n=0');
    expect(kept).not.toContain('/nowhere?probe=recorder');
  });

  it('writes coverage HTML over both daemon processes when the container stops, the lines the requests ran marked run', async () => {
    const source = readFileSync(join(dev.dir, 'shop/__init__.py'), 'utf8').split('\n');
    const lineOf = (text: string) => source.findIndex(line => line.includes(text)) + 1;
    const viewLine = lineOf('products = [row[0] for row in db.execute');
    const unusedLine = lineOf('request.form["name"]');
    expect(viewLine).toBeGreaterThan(0);
    expect(unusedLine).toBeGreaterThan(0);

    await dev.stack!.stop();
    const log = containerLogs(dev.containerId, 400);
    const html = join(dev.dir, '.wsgi/coverage/html');
    expect(existsSync(join(html, 'index.html')), log).toBe(true);
    expect(owner(join(html, 'index.html'))).toBe(mine);
    // Every daemon process saved its own data file (.coverage.<host>.<pid>.<random>), and all were combined.
    const pids = new Set(
      [...log.matchAll(/(?:data file|duplicate data) \S*\.coverage\.[^.\s]+\.(\d+)\./g)].map(m => m[1]),
    );
    expect(pids.size, log).toBeGreaterThanOrEqual(2);
    expect(log).toMatch(/wsgi-apache: coverage TOTAL\s+\d+\s+\d+\s+\d+%/);

    const index = readFileSync(join(html, 'index.html'), 'utf8');
    expect(index).toContain('shop/__init__.py');
    const page = readdirSync(html).find(
      name => /shop.*__init___py\.html$/.test(name) || /__init___py\.html$/.test(name),
    );
    expect(page).toBeDefined();
    const marks = new Map(
      [
        ...readFileSync(join(html, page!), 'utf8').matchAll(/<p class="(\w+)[^"]*">\s*<span class="n"><a id="t(\d+)"/g),
      ].map(m => [Number(m[2]), m[1]]),
    );
    expect(marks.get(viewLine)).toBe('run');
    expect(marks.get(unusedLine)).toBe('mis');
  });
});
