/**
 * Real third-party apps nobody here wrote (test/corpus: Django's tutorial site, Flask's
 * tutorial app, Flask-RESTful's, Flask-HTTPAuth's and Werkzeug's examples, as Debian ships
 * them), scaffolded with defaults only (`--yes`; PyPI being unreachable here, their libraries
 * come as the suite's base takes them offline: `--apt-packages` on a Debian base, a wheelhouse
 * of wheels built from Debian's sources on the python base, see test/helpers/test-base.ts),
 * owned by a developer whose uid is not 1000, and:
 * - served in the production shape and in the development shape, each answering the app's
 *   own scenario (logins, posts, uploads, static files) after the init service ran;
 * - in development, what the app writes into the bind mount belongs to the developer, even
 *   with its data folders missing, as on a fresh clone;
 * - `yo wsgi-apache:check` passes with no registry reachable for Testcontainers' Ryuk (on
 *   Django's and Flask's tutorial apps: scope.ts says why).
 * Radicale is left out: it writes /var/lib/radicale outside the project on its first
 * request, which only an environment variable (RADICALE_CONFIG) can move.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../corpus/requests.js';
import {
  CORPUS_APPS,
  type CorpusApp,
  corpusLibraries,
  corpusPipEnv,
  ensureSourcesImage,
  materialize,
} from '../corpus/sources.js';
import { startCheckWithoutRyuk } from '../helpers/check-process.js';
import { chownTree } from '../helpers/commands.js';
import { createSuperuserAndLogIn } from '../helpers/django-admin.js';
import { composeBuild, composeProject, type Shape, stackPerShape, upFiles } from '../helpers/compose.js';
import { scaffoldOnBase } from '../helpers/project.js';
import { TEST_BASE } from '../helpers/test-base.js';
import { DEV_UID } from './fixtures.js';
import { checksCorpus } from './scope.js';

const APPS = CORPUS_APPS.filter(app => app.id !== 'radicale');

/** What each case took, for the table printed at the end (and the closing note). */
const timings: string[] = [];

/** Files the app writes in the development shape, which must then belong to the developer. */
const WRITTEN_IN_DEVELOPMENT: Record<string, string> = {
  'django-polls': 'db.sqlite3',
  flaskr: 'instance/flaskr.sqlite',
};

async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    timings.push(`${label.padEnd(44)} ${seconds.toFixed(1).padStart(6)} s`);
    console.log(`[timing] ${label}: ${seconds.toFixed(1)} s`);
  }
}

/**
 * As on a fresh clone (Git keeps no empty folders; `instance/` is often ignored): removes the
 * empty `--data-dir` folders the generator made, so Docker creates the bind sources as root's
 * and the entry point must hand them to the developer (issue 25, finding 4).
 */
function removeEmptyDataFolders(dir: string): void {
  const { dataDirs } = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-wsgi-apache'] as {
    dataDirs: string[];
  };
  for (const data of dataDirs) {
    const path = join(dir, data);
    if (existsSync(path) && readdirSync(path).length === 0) rmSync(path, { recursive: true });
  }
}

/** `yo wsgi-apache:check` in a process of its own, with no way to get Ryuk (as here: no registry). */
async function runCheck(
  dir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const check = startCheckWithoutRyuk(dir, ['--duration', '3', '--warmup', '1', '--connections', '16'], env);
  return { code: await check.closed, stdout: check.stdout(), stderr: check.stderr() };
}

beforeAll(() => {
  ensureSourcesImage();
});

afterAll(() => {
  console.log(['', 'corpus case                                   time', ...timings].join('\n'));
});

describe.each(APPS.map(app => [app.id, app] as [string, CorpusApp]))('%s, scaffolded with defaults', (id, app) => {
  const name = `wsgi-apache-it-corpus-${id}`;
  let dir: string;

  beforeAll(async () => {
    // The project's directory name is the default project name, as for a user.
    const source = materialize(id);
    dir = join(mkdtempSync(join(tmpdir(), 'wsgi-apache-corpus-')), name);
    renameSync(source, dir);
    await timed(`${id}: scaffold`, () => scaffoldOnBase(dir, {}, corpusLibraries(app)));
    // The developer's checkout (the generator ran as them too).
    chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
    await timed(`${id}: build`, () => composeBuild(dir, corpusPipEnv(app)));
  });

  afterAll(() => {
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  describe.each(['production', 'development'] as Shape[])('%s shape', shape => {
    const served = stackPerShape(() => dir, name, shape, {
      env: () => corpusPipEnv(app),
      start: up => {
        if (shape === 'development') removeEmptyDataFolders(dir);
        return timed(`${id} ${shape}: up (init, healthy)`, up);
      },
    });

    it('answers its own scenario of real requests', async () => {
      const outcomes = await timed(`${id} ${shape}: ${app.requests.length} requests`, () =>
        runScenario(served.baseUrl, app),
      );
      expect(outcomes).toHaveLength(app.requests.length);
    });

    if (id === 'django-polls') {
      it('an admin user created with docker compose run logs in', async () => {
        const project = composeProject(served.stack!.getContainer(`${name}-1`).getId());
        // On the project Testcontainers started (its own project name), so on the same volumes.
        await createSuperuserAndLogIn(
          { dir, project, files: upFiles(shape, name), service: name, baseUrl: served.baseUrl },
          'corpus-admin',
          'corpus-pass-1',
        );
      });
    }

    if (shape === 'development' && WRITTEN_IN_DEVELOPMENT[id]) {
      it(`what the app wrote (${WRITTEN_IN_DEVELOPMENT[id]}) belongs to the developer (uid ${DEV_UID})`, () => {
        const written = statSync(join(dir, WRITTEN_IN_DEVELOPMENT[id]));
        expect({ uid: written.uid, gid: written.gid }).toEqual({ uid: DEV_UID, gid: DEV_UID });
      });
    }
  });

  // On the default base only (scope.ts says why): not registered elsewhere rather than skipped.
  if (!checksCorpus(TEST_BASE, id)) return;
  it('yo wsgi-apache:check passes with no registry reachable, and removes what it started', async () => {
    const result = await timed(`${id}: yo wsgi-apache:check`, () => runCheck(dir, corpusPipEnv(app)));
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(result.stdout) as {
      passed: boolean;
      requests: number;
      statusCodes: Record<string, number>;
    };
    expect(report.passed).toBe(true);
    expect(report.requests).toBeGreaterThan(0);
    expect(result.stderr).toMatch(
      /^Ryuk \(registry\.invalid\/testcontainers\/ryuk:0\.14\.0\) is neither present nor pullable/m,
    );
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.service=${name}`], {
      encoding: 'utf8',
    }).trim();
    expect(left).toBe('');
    expect(existsSync(dir)).toBe(true);
  });
});
