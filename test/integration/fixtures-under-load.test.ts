/**
 * Every fixture app, generated with flags only, served by its generated stack in both
 * shapes, under concurrent load: the proof a single-threaded dev server never gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import {
  APACHE_CONFIG_TEST,
  composeBuild,
  composeUp,
  containerLogs,
  removeStack,
  type Shape,
} from '../helpers/compose.js';
import { freePort } from '../helpers/net.js';
import { makeProject, scaffoldOnBase } from '../helpers/project.js';
import { type LoadReport, runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad, checkConcurrency } from '../helpers/load-checks.js';
import { DEV_UID, FIXTURE_CASES, ownProjectAsDeveloper } from './fixtures.js';
import { loadsFixture } from './scope.js';
import { TEST_BASE } from '../helpers/test-base.js';

const PROCESSES = 2;
const THREADS = 5;
const CONNECTIONS = 64;
const REQUESTS = 2000;
const reports: string[] = [];
/** What a fixture's own code sets: Django's XFrameOptionsMiddleware (in its settings) says DENY. */
const OWN_FRAME_OPTIONS: Partial<Record<string, string>> = { django: 'DENY' };

const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
};

// On the default base every fixture; on the others the Flask and Django ones (scope.ts says why).
describe.each(FIXTURE_CASES.filter(fixture => loadsFixture(TEST_BASE, fixture.id)))('$id fixture', fixtureCase => {
  const name = `wsgi-apache-it-${fixtureCase.id}`;
  let dir: string;
  let buildSeconds: number;

  beforeAll(async () => {
    dir = makeProject({ fixture: fixtureCase.fixture });
    fixtureCase.prepare?.(dir);
    await scaffoldOnBase(
      dir,
      { name, processes: String(PROCESSES), threads: String(THREADS), ...fixtureCase.flags },
      fixtureCase.libraries,
    );
    buildSeconds = composeBuild(dir, fixtureCase.composeEnv);
    console.log(`[timing] ${fixtureCase.id}: scaffold + build ${buildSeconds.toFixed(1)} s`);
  });

  describe.each(['production', 'development'] as Shape[])('%s shape', shape => {
    let stack: StartedDockerComposeEnvironment | undefined;
    let baseUrl: string;
    let containerId: string;

    beforeAll(async () => {
      if (shape === 'development') ownProjectAsDeveloper(dir);
      const port = await freePort();
      const env = { ...fixtureCase.composeEnv, PUBLISH_PORT: String(port) };
      const [started, seconds] = await timed(() => composeUp(dir, name, shape, env));
      stack = started;
      containerId = started.getContainer(`${name}-1`).getId();
      baseUrl = `http://127.0.0.1:${port}`;
      console.log(`[timing] ${fixtureCase.id} ${shape}: up until healthy ${seconds.toFixed(1)} s`);
    });

    afterAll(() => removeStack(stack));

    it(`serves ${REQUESTS} requests over ${CONNECTIONS} connections with no error and every body right`, async () => {
      const [report, seconds] = await timed(() =>
        runLoad({
          baseUrl,
          path: fixtureCase.loadPath,
          connections: CONNECTIONS,
          amount: REQUESTS,
          verifyBody: fixtureCase.verifyBody,
        }),
      );
      reports.push(formatReport(`${fixtureCase.id} ${shape}`, report));
      console.log(`[timing] ${fixtureCase.id} ${shape}: load ${seconds.toFixed(1)} s`);
      try {
        assertCleanLoad(report, REQUESTS);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- container log ---\n${containerLogs(containerId, 40)}`);
      }
    });

    it(`runs ${PROCESSES} daemon processes x ${THREADS} threads in parallel, as a non-root user`, async () => {
      const report = await checkConcurrency(baseUrl, fixtureCase.whoamiPath, PROCESSES, THREADS);
      expect(report.pids).toHaveLength(PROCESSES);
      expect(report.threads).toBeGreaterThanOrEqual(THREADS);
      expect(report.uids).toEqual([shape === 'production' ? 10001 : DEV_UID]);
    });

    it('passes apache2 -t and logs each request to docker logs', async () => {
      const check = await stack!.getContainer(`${name}-1`).exec(APACHE_CONFIG_TEST);
      expect(check.output).toContain('Syntax OK');
      expect(check.exitCode).toBe(0);
      expect(containerLogs(containerId, 50)).toContain(`"GET ${fixtureCase.loadPath} HTTP/1.1" 200 `);
    });

    it("sends nosniff and a same-origin frame policy, keeping the app's own", async () => {
      const response = await fetch(`${baseUrl}${fixtureCase.loadPath}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      // fetch joins repeated headers with ", ": one value means Apache did not add a second.
      expect(response.headers.get('x-frame-options')).toBe(OWN_FRAME_OPTIONS[fixtureCase.id] ?? 'SAMEORIGIN');
    });

    if (fixtureCase.extra) {
      it('serves what the framework needs (static files, data)', async () => {
        await fixtureCase.extra!(baseUrl);
      });
    }
  });
});

afterAll(() => {
  console.log(
    [
      '',
      'fixture/shape         req/s   p50 ms  p99 ms  max ms  errors  5xx  wrong bodies  server-closed',
      ...reports,
    ].join('\n'),
  );
});

function formatReport(label: string, r: LoadReport): string {
  const cells = [
    r.requestsPerSecond.toFixed(0),
    r.p50,
    r.p99,
    r.max,
    r.errors,
    r.status5xx,
    r.mismatches,
    r.serverClosed,
  ];
  return `${label.padEnd(20)} ${cells.map(c => String(c).padStart(7)).join(' ')}`;
}
