/**
 * The fixture apps under test/fixtures as the integration suite and the benchmark both
 * serve them: the generator flags each needs, the page to load and how to tell its body is
 * right, and the developer who owns a project. No test framework here, so the benchmark
 * (bench/, run by tsx) can import it; test/integration/fixtures.ts adds the checks that
 * use vitest's `expect`.
 */
import { join } from 'node:path';
import { chownTree } from './commands.js';
import { LIBRARIES, type Library } from './test-base.js';
import { buildTinyWheel } from './wheel.js';

/** One fixture app and how it is generated and judged. */
export interface FixtureApp {
  /** short id; the integration suite's project, image and service are `wsgi-apache-it-<id>` */
  id: string;
  /** directory under test/fixtures */
  fixture: string;
  /** generator flags besides --yes and --name, as yeoman-test options (`{ static: ['/static=static'] }`) */
  flags: Record<string, unknown>;
  /** Python libraries it imports, installed as each base does offline (test-base.ts) */
  libraries?: Library[];
  /** runs on the scaffolded copy before the build (e.g. build a wheel) */
  prepare?: (dir: string) => void;
  /** environment for `docker compose` (build args) */
  composeEnv?: Record<string, string>;
  /** the page the load is sent to (a path, e.g. `/admin/login/`) */
  loadPath: string;
  /** true when `body` is that page's, as the app renders it */
  verifyBody: (body: string) => boolean;
  /** JSON {pid, thread, uid} after ?sleep=MS */
  whoamiPath: string;
}

/** What the wheelhouse fixture's wheel greets with (its page's body, plus a newline). */
export const WHEEL_GREETING = 'Hello from a wheelhouse';

/** Every fixture app, by id. */
export const FIXTURE_APPS = {
  plain: {
    id: 'plain',
    fixture: 'plain-wsgi',
    flags: { static: ['/static=static'] },
    loadPath: '/',
    verifyBody: body => body === 'Hello from plain WSGI\n',
    whoamiPath: '/whoami',
  },
  flask: {
    id: 'flask',
    fixture: 'flask-factory',
    flags: {
      entry: 'shop:create_app()',
      'data-dir': 'instance',
      static: ['/static=shop/static'],
    },
    libraries: [LIBRARIES.flask],
    loadPath: '/',
    // The list comes from the SQLite database the app created in its instance folder.
    verifyBody: body => body.includes('<ul><li>kettle</li><li>mug</li><li>teapot</li></ul>'),
    whoamiPath: '/whoami',
  },
  django: {
    id: 'django',
    fixture: 'django-project',
    flags: {},
    libraries: [LIBRARIES.django],
    loadPath: '/admin/login/',
    verifyBody: body => body.includes('Django administration') && body.includes('name="csrfmiddlewaretoken"'),
    whoamiPath: '/whoami/',
  },
  wheelhouse: {
    id: 'wheelhouse',
    fixture: 'wheelhouse-app',
    flags: {},
    prepare: dir => {
      buildTinyWheel(join(dir, 'wheelhouse'), WHEEL_GREETING);
    },
    // No PyPI: pip finds tinygreeting in the copied wheelhouse alone, through the
    // PIP_FIND_LINKS build arg (set explicitly: a host may export its own).
    composeEnv: { PIP_FIND_LINKS: '/tmp/wheelhouse', PIP_NO_INDEX: '1', PIP_INDEX_URL: '' },
    loadPath: '/',
    verifyBody: body => body === `${WHEEL_GREETING}\n`,
    whoamiPath: '/whoami',
  },
} satisfies Record<string, FixtureApp>;

/**
 * The uid:gid of the developer who owns the project in the tests and the benchmarks: not
 * 1000 (the first desktop user), as on CI runners (1001), macOS (501) or a second account.
 * Nothing is exported: the development shape finds the owner of the bind mount itself.
 */
export const DEV_UID = 1234;

/**
 * Makes the project belong to DEV_UID, as a developer's checkout belongs to them, so the
 * development container (running as that uid) can write its data directories. A no-op
 * unless running as root (then the files are the caller's already).
 */
export function ownProjectAsDeveloper(dir: string): void {
  chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
}
