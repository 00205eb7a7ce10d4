/**
 * The fixture apps the integration suite generates, serves and loads, and how to judge
 * each: ../helpers/fixture-apps.ts (shared with the benchmark) plus checks that use vitest.
 */
import { expect } from 'vitest';
import { FIXTURE_APPS, type FixtureApp } from '../helpers/fixture-apps.js';

export { DEV_UID, ownProjectAsDeveloper, WHEEL_GREETING } from '../helpers/fixture-apps.js';

export interface FixtureCase extends FixtureApp {
  /** more checks on the running stack */
  extra?: (baseUrl: string) => Promise<void>;
}

export const FIXTURE_CASES: FixtureCase[] = [
  FIXTURE_APPS.plain,
  {
    ...FIXTURE_APPS.flask,
    extra: async baseUrl => {
      const css = await fetch(`${baseUrl}/static/style.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css');
    },
  },
  {
    ...FIXTURE_APPS.django,
    extra: async baseUrl => {
      // DEBUG is off, so Django serves no static files: a 200 here is Apache's Alias.
      const css = await fetch(`${baseUrl}/static/admin/css/base.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css');
      expect(css.headers.get('etag')).toBeTruthy();
      expect(await css.text()).toContain('DJANGO Admin styles');
    },
  },
  FIXTURE_APPS.wheelhouse,
];
