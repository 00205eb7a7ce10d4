// The fixture apps every variant serves, and how each server is told to load them.
// The fixtures are the integration suite's (test/fixtures), so the benchmark measures
// the same code the tests prove correct.

/**
 * @typedef {object} BenchApp
 * @property {string} id            short id used in image names and tables
 * @property {string} label         human name for tables and the chart
 * @property {string} fixture       directory under test/fixtures
 * @property {string[]} generatorArgs  flags for `yo wsgi-apache` besides --yes/--name/--skip-build
 * @property {string} aptPackages   Debian packages the app needs (space separated), for every variant
 * @property {string} path          the page under load
 * @property {(body: string) => boolean} verifyBody  true when the body is this app's page
 * @property {string} gunicornApp   gunicorn's APP_MODULE
 * @property {string[]} uwsgiApp    uWSGI flags that load the app
 */

/** @type {BenchApp[]} */
export const APPS = [
  {
    id: 'hello',
    label: 'hello-world',
    fixture: 'plain-wsgi',
    generatorArgs: ['--static', '/static=static'],
    aptPackages: '',
    path: '/',
    verifyBody: body => body === 'Hello from plain WSGI\n',
    gunicornApp: 'hello:application',
    uwsgiApp: ['--wsgi-file', '/srv/app/hello.py'],
  },
  {
    id: 'flask',
    label: 'Flask page',
    fixture: 'flask-factory',
    generatorArgs: ['--entry', 'shop:create_app()', '--apt-packages', 'python3-flask', '--data-dir', 'instance', '--static', '/static=shop/static'],
    aptPackages: 'python3-flask',
    path: '/',
    verifyBody: body => body.includes('<ul><li>kettle</li><li>mug</li><li>teapot</li></ul>'),
    gunicornApp: 'shop:create_app()',
    uwsgiApp: ['--eval', 'from shop import create_app; application = create_app()'],
  },
  {
    id: 'django',
    label: 'Django admin login',
    fixture: 'django-project',
    generatorArgs: ['--apt-packages', 'python3-django,libjs-jquery'],
    aptPackages: 'python3-django libjs-jquery',
    path: '/admin/login/',
    verifyBody: body => body.includes('Django administration') && body.includes('name="csrfmiddlewaretoken"'),
    gunicornApp: 'mysite.wsgi:application',
    uwsgiApp: ['--module', 'mysite.wsgi:application'],
  },
];
