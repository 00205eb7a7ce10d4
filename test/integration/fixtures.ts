/** The fixture apps the integration suite generates, serves and loads, and how to judge each. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { chownTree } from '../helpers/commands.js';
import { buildTinyWheel } from '../helpers/wheel.js';

export interface FixtureCase {
  /** short id; the project, image and service are `wsgi-apache-it-<id>` */
  id: string;
  /** directory under test/fixtures */
  fixture: string;
  /** generator flags besides --yes and --name */
  flags: Record<string, unknown>;
  /** runs on the scaffolded copy before the build (e.g. build a wheel) */
  prepare?: (dir: string) => void;
  /** environment for `docker compose` (build args) */
  composeEnv?: Record<string, string>;
  /** the page the load is sent to, and what its body must be */
  loadPath: string;
  verifyBody: (body: string) => boolean;
  /** JSON {pid, thread, uid} after ?sleep=MS */
  whoamiPath: string;
  /** more checks on the running stack */
  extra?: (baseUrl: string) => Promise<void>;
}

export const WHEEL_GREETING = 'Hello from a wheelhouse';

export const FIXTURE_CASES: FixtureCase[] = [
  {
    id: 'plain',
    fixture: 'plain-wsgi',
    flags: { static: ['/static=static'] },
    loadPath: '/',
    verifyBody: body => body === 'Hello from plain WSGI\n',
    whoamiPath: '/whoami',
  },
  {
    id: 'flask',
    fixture: 'flask-factory',
    flags: { entry: 'shop:create_app()', 'apt-packages': 'python3-flask', 'data-dir': 'instance', static: ['/static=shop/static'] },
    loadPath: '/',
    // The list comes from the SQLite database the app created in its instance folder.
    verifyBody: body => body.includes('<ul><li>kettle</li><li>mug</li><li>teapot</li></ul>'),
    whoamiPath: '/whoami',
    extra: async baseUrl => {
      const css = await fetch(`${baseUrl}/static/style.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css');
    },
  },
  {
    id: 'django',
    fixture: 'django-project',
    flags: { 'apt-packages': 'python3-django,libjs-jquery' },
    loadPath: '/admin/login/',
    verifyBody: body => body.includes('Django administration') && body.includes('name="csrfmiddlewaretoken"'),
    whoamiPath: '/whoami/',
    extra: async baseUrl => {
      // DEBUG is off, so Django serves no static files: a 200 here is Apache's Alias.
      const css = await fetch(`${baseUrl}/static/admin/css/base.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css');
      expect(css.headers.get('etag')).toBeTruthy();
      expect(await css.text()).toContain('DJANGO Admin styles');
    },
  },
  {
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
];

/**
 * The uid:gid of the developer who owns the project in these tests: not 1000 (the first
 * desktop user), as on CI runners (1001), macOS (501) or a second account. Nothing is
 * exported: the development shape finds the owner of the bind mount itself.
 */
export const DEV_UID = 1234;

/**
 * Makes the project belong to DEV_UID, as a developer's checkout belongs to them, so the
 * development container (running as that uid) can write its data directories.
 */
export function ownProjectAsDeveloper(dir: string): void {
  chownTree(dir, { uid: DEV_UID, gid: DEV_UID });
}
