// The servers compared, each as "which image, which command, which page".
// Sizes follow what users of each would run: performance-baseline.md §5 and issue 7.
import { availableParallelism } from 'node:os';

/**
 * @typedef {'generated' | 'gunicorn' | 'uwsgi'} ImageKind
 * @typedef {object} Variant
 * @property {string} id
 * @property {string} label
 * @property {ImageKind} image     which image of the app it runs
 * @property {number} containerPort
 * @property {(app: import('./apps.mjs').BenchApp) => string[] | undefined} command  docker run CMD; undefined keeps the image's
 * @property {Record<string, string>} [env]
 * @property {string[]} [apps]     app ids it serves (default all)
 * @property {{ path: string, verifyBody: (body: string) => boolean }} [page]  overrides the app's page
 */

/** Cores gunicorn's sync sizing rule (2 x cores + 1) is computed from: the machine's. */
const CORES = availableParallelism();

/** The baseline every ratio is taken against. */
export const REFERENCE_VARIANT = 'gunicorn-gthread';

/** @type {Variant[]} */
export const VARIANTS = [
  {
    id: 'generated',
    label: 'generated (Apache + mod_wsgi, defaults)',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
  },
  {
    // The same image with APACHE_ACCESS_LOG_FORMAT=off: what the default access log costs.
    id: 'generated-log-off',
    label: 'generated, access log off',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
    env: { APACHE_ACCESS_LOG_FORMAT: 'off' },
  },
  {
    id: 'gunicorn-gthread',
    label: 'gunicorn gthread 2x5',
    image: 'gunicorn',
    containerPort: 8000,
    command: app => ['gunicorn', '--worker-class', 'gthread', '--workers', '2', '--threads', '5', '--bind', '0.0.0.0:8000', app.gunicornApp],
  },
  {
    id: 'gunicorn-sync',
    label: `gunicorn sync x${2 * CORES + 1}`,
    image: 'gunicorn',
    containerPort: 8000,
    command: app => ['gunicorn', '--workers', String(2 * CORES + 1), '--bind', '0.0.0.0:8000', app.gunicornApp],
  },
  {
    // --http-socket closes the connection after each response without saying so, which a
    // keep-alive client sees as one read error per response (performance-baseline.md §1);
    // the Connection: close header makes clients reconnect cleanly instead.
    id: 'uwsgi',
    label: 'uWSGI 2x5',
    image: 'uwsgi',
    containerPort: 8000,
    command: app => [
      'uwsgi', '--plugin', 'python3', '--http-socket', ':8000', '--master', '--processes', '2', '--threads', '5',
      '--chdir', '/srv/app', ...app.uwsgiApp, '--need-app', '--die-on-term', '--disable-logging',
      '--add-header', 'Connection: close',
    ],
  },
  {
    // The web server's own ceiling: the generated image answering a 22-byte static file
    // through its Alias, never reaching Python.
    id: 'apache-static',
    label: 'Apache static file (ceiling)',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
    apps: ['hello'],
    page: { path: '/static/site.css', verifyBody: body => body === 'body { color: #333; }\n' },
  },
];
