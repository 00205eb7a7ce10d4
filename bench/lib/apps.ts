// The fixture apps every variant serves, and how each server is told to load them. The
// fixtures, their generator flags and their body checks are the integration suite's
// (test/helpers/fixture-apps.ts), so the benchmark measures the code the tests prove correct.
import { FIXTURE_APPS, type FixtureApp } from '../../test/helpers/fixture-apps.js';

/** One app under load. */
export interface BenchApp {
  /** short id used in image names, tables and the saved results (`hello`, `flask`, `django`) */
  id: string;
  /** human name for tables and the chart */
  label: string;
  /** the fixture: its directory, generator flags, page under load and body check */
  fixture: FixtureApp;
  /** gunicorn's APP_MODULE */
  gunicornApp: string;
  /** uWSGI flags that load the app */
  uwsgiApp: string[];
}

/** The apps, in the order of the report's tables and the chart's columns. */
export const APPS: readonly BenchApp[] = [
  {
    id: 'hello',
    label: 'hello-world',
    fixture: FIXTURE_APPS.plain,
    gunicornApp: 'hello:application',
    uwsgiApp: ['--wsgi-file', '/srv/app/hello.py'],
  },
  {
    id: 'flask',
    label: 'Flask page',
    fixture: FIXTURE_APPS.flask,
    gunicornApp: 'shop:create_app()',
    uwsgiApp: ['--eval', 'from shop import create_app; application = create_app()'],
  },
  {
    id: 'django',
    label: 'Django admin login',
    fixture: FIXTURE_APPS.django,
    gunicornApp: 'mysite.wsgi:application',
    uwsgiApp: ['--module', 'mysite.wsgi:application'],
  },
];

/**
 * The Debian packages the app needs, space separated (`python3-django libjs-jquery`): what
 * the generated image on a Debian base installs (test/helpers/test-base.ts), so the gunicorn
 * and uWSGI images install the same. Empty when the app needs none.
 */
export function aptPackages(app: BenchApp): string {
  return (app.fixture.libraries ?? []).flatMap(library => library.apt).join(' ');
}

/** The app's label for tables and the chart; the id itself for an app no longer in {@link APPS}. */
export function appLabel(id: string): string {
  return APPS.find(app => app.id === id)?.label ?? id;
}
