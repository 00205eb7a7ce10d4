/**
 * `--python-build optimized` on the python base: the image's CPython rebuilt with the
 * initial-exec TLS model, which Apache loads through mod_wsgi with dlopen. glibc gives a
 * dlopen'ed library with initial-exec TLS only the static TLS surplus; if that were too
 * small, mod_wsgi would fail to load ("cannot allocate memory in static TLS block") and
 * nothing would serve. So: the library really carries the model (DF_STATIC_TLS, which the
 * official image's lacks), Apache's daemon processes run on it, and the Flask fixture
 * serves under load. These are mechanics that PGO and LTO do not change, so the test builds
 * with the generated Dockerfile's PYTHON_OPTIMIZATIONS build argument empty (about 5 minutes
 * on 2 cores). PGO and LTO, its default, took over 13 minutes here even with a one-module training
 * run (the cost is compiling CPython twice with LTO); the benchmark builds that faithful stage
 * (bench/libpython). Docker caches the stage for every later project on the same base image.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContainerRuntimeClient, type StartedDockerComposeEnvironment } from 'testcontainers';
import { BASES } from '../../generators/app/bases.js';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad } from '../helpers/load-checks.js';
import { composeBuild, composeUp, containerLogs, removeStack } from '../helpers/compose.js';
import { imagePythonVersion } from '../helpers/docker-run.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { freePort } from '../helpers/net.js';
import { makeProject, runGenerator } from '../helpers/project.js';
import { provideLibraries, providePythonSource } from '../helpers/test-base.js';

const PYTHON = '3.13';
const BASE_IMAGE = BASES.python.image(PYTHON);
const LIBPYTHON = `/usr/local/lib/libpython${PYTHON}.so.1.0`;
const NAME = 'wsgi-apache-it-optimized';
const app = FIXTURE_APPS.flask;

/** `readelf -d` of `path` inside `image`, copied out with docker cp (the runtime image has no binutils). */
function dynamicSection(image: string, path: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'libpython-'));
  const container = execFileSync('docker', ['create', image], { encoding: 'utf8' }).trim();
  try {
    execFileSync('docker', ['cp', `${container}:${path}`, join(scratch, 'lib.so')]);
    return execFileSync('readelf', ['-d', join(scratch, 'lib.so')], { encoding: 'utf8' });
  } finally {
    execFileSync('docker', ['rm', container]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Only the python base has --python-build (the generator refuses it on Debian's bases), so
// this file builds on it whichever base the rest of the suite runs on.
describe('--python-build optimized on the python base (flask fixture)', () => {
  // The project, and its production stack once started.
  let project = '';
  let stack: StartedDockerComposeEnvironment | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    // Found before the long build: probed right after a first, 15-minute build, Testcontainers
    // once reported "Could not find a working container runtime strategy".
    await getContainerRuntimeClient();
    project = makeProject({ fixture: app.fixture });
    providePythonSource(project, await imagePythonVersion(BASE_IMAGE));
    const flags = { name: NAME, python: PYTHON, 'python-build': 'optimized', ...app.flags };
    await runGenerator(project, { yes: true, ...provideLibraries(project, app.libraries, 'python'), ...flags });
    const seconds = composeBuild(project, { PYTHON_OPTIMIZATIONS: '' });
    console.log(`[timing] optimized: build ${seconds.toFixed(1)} s (cached after the first run)`);
    const port = await freePort();
    stack = await composeUp(project, NAME, 'production', { PUBLISH_PORT: String(port) });
    baseUrl = `http://127.0.0.1:${port}`;
  }, 1_800_000);

  afterAll(async () => {
    await removeStack(stack);
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("links libpython with the initial-exec TLS model, which the official image's lacks", () => {
    expect(dynamicSection(`${NAME}:latest`, LIBPYTHON)).toMatch(/\(FLAGS\)\s.*STATIC_TLS/);
    expect(dynamicSection(BASE_IMAGE, LIBPYTHON)).not.toMatch(/STATIC_TLS/);
  });

  it('configures CPython as the build argument says: shared, without PGO and LTO when it is empty', async () => {
    const config = await stack!
      .getContainer(`${NAME}-1`)
      .exec(['python3', '-c', 'import sysconfig; print(sysconfig.get_config_var("CONFIG_ARGS"))']);
    expect(config.exitCode).toBe(0);
    expect(config.output).toContain('--enable-shared');
    expect(config.output).not.toContain('--enable-optimizations');
    expect(config.output).not.toContain('--with-lto');
  });

  it('runs mod_wsgi on that library, in Apache and its daemon processes', async () => {
    const maps = await stack!
      .getContainer(`${NAME}-1`)
      .exec(['sh', '-c', `grep -l ${LIBPYTHON} /proc/[0-9]*/maps | wc -l`]);
    expect(maps.exitCode).toBe(0);
    // mod_wsgi.so links libpython, so Apache's processes and its two daemon processes map it
    expect(Number(maps.output.trim())).toBeGreaterThanOrEqual(2);
  });

  it('serves 2000 requests over 64 connections with no error and every body right', async () => {
    const report = await runLoad({
      baseUrl,
      path: app.loadPath,
      connections: 64,
      amount: 2000,
      verifyBody: app.verifyBody,
    });
    console.log(
      `[load] optimized flask: ${report.requestsPerSecond.toFixed(0)} req/s, p99 ${report.p99} ms, server-closed ${report.serverClosed}`,
    );
    try {
      assertCleanLoad(report, 2000);
    } catch (error) {
      const logs = containerLogs(stack!.getContainer(`${NAME}-1`).getId(), 40);
      throw new Error(`${(error as Error).message}\n--- container log ---\n${logs}`);
    }
  });
});
