/**
 * The development shape's switches, each mirroring a mod_wsgi-express option: ONE table, from
 * which `docker/envvars` parses them and switches them off in production, `start-apache --help`
 * lists them, `compose.override.yaml` passes the request tools through from the shell, and
 * DOCKER.md's table is rendered. Options: mod_wsgi-express 5.0.2 `start-server --help`
 * (`src/express/options.py` in GrahamDumpleton/mod_wsgi).
 */

/** One `WSGI_*` switch (1/true/yes/on or 0/false/no/off/empty) of the development shape. */
export interface DevelopmentSwitch {
  /** the environment variable, e.g. `WSGI_PROFILER` */
  env: string;
  /** the mod_wsgi-express option it mirrors */
  express: string;
  /** one line for `start-apache --help` and DOCKER.md */
  summary: string;
  /** runs each request through `docker/devtools.wsgi` (Apache's `-DWSGI_DEV_TOOLS`) */
  wrapsRequests: boolean;
  /** compose.override.yaml takes it from the shell: `WSGI_PROFILER=1 docker compose up` */
  fromShell: boolean;
}

/** Where the request tools write, relative to the app directory: the bind-mounted project in development. */
export const DEV_OUTPUT_DIR = '.wsgi';

/**
 * A setting of the development features (not a switch): of the reload monitor or the request
 * tools. compose.override.yaml and compose.watch.yaml take it from the shell, empty meaning the
 * image's default.
 */
export interface DevToolSetting {
  env: string;
  /** one line for `start-apache --help` and DOCKER.md */
  summary: string;
  /** the default DOCKER.md shows when the image's environment sets none (the reader's own) */
  default?: string;
}

/** The reload monitor's and the request tools' settings; the whole-number ones are range-checked as tunables (generators/lib/tunables.ts). */
export const DEV_TOOL_SETTINGS: readonly DevToolSetting[] = [
  {
    env: 'WSGI_RELOAD_EXTRA_FILES',
    summary: 'more files the reload monitor watches, as patterns relative to the app, e.g. `templates/*.html`',
  },
  {
    env: 'WSGI_RELOAD_INTERVAL',
    summary: 'seconds between polls of file mtimes (inotify events, where they arrive, wake it sooner)',
    default: '1.0',
  },
  { env: 'WSGI_RECORDER_BODY_LIMIT', summary: 'bytes of each request and response body a recording keeps' },
  {
    env: 'WSGI_RECORDER_MAX_BYTES',
    summary: `bytes ${DEV_OUTPUT_DIR}/recordings/ may hold; the oldest recordings go first`,
  },
  {
    env: 'WSGI_PROFILER_MAX_BYTES',
    summary: `bytes ${DEV_OUTPUT_DIR}/profiles/ may hold; the oldest profiles go first`,
  },
  {
    env: 'WSGI_RECORDER_MASK',
    summary:
      'more header names whose values recordings mask, e.g. X-Api-Key (Authorization, Cookie, Set-Cookie always are)',
  },
];

/** Every development switch, in the order envvars parses them. */
export const DEVELOPMENT_SWITCHES: readonly DevelopmentSwitch[] = [
  {
    env: 'WSGI_RELOAD_ON_CHANGES',
    express: '--reload-on-changes',
    summary: 'restart the daemon processes when a .py file of the app changes (compose.override.yaml sets it)',
    wrapsRequests: false,
    fromShell: false,
  },
  {
    env: 'WSGI_DEBUG_MODE',
    express: '--debug-mode',
    summary: 'one Apache process in the foreground, one thread, the app embedded and attached to the terminal',
    wrapsRequests: false,
    fromShell: false,
  },
  {
    env: 'WSGI_DEBUGGER',
    express: '--enable-debugger',
    summary: 'pdb post-mortem on an unhandled exception; implies WSGI_DEBUG_MODE',
    wrapsRequests: false,
    fromShell: false,
  },
  {
    env: 'WSGI_DEBUGGER_STARTUP',
    express: '--debugger-startup',
    summary: 'pdb as the process starts, before the app is imported; implies WSGI_DEBUGGER',
    wrapsRequests: false,
    fromShell: false,
  },
  {
    env: 'WSGI_PROFILER',
    express: '--enable-profiler',
    summary: `cProfile each request into ${DEV_OUTPUT_DIR}/profiles/*.prof, one summary line per request in the error log`,
    wrapsRequests: true,
    fromShell: true,
  },
  {
    env: 'WSGI_RECORDER',
    express: '--enable-recorder',
    summary: `record each request and response (secrets masked) into ${DEV_OUTPUT_DIR}/recordings/*.json`,
    wrapsRequests: true,
    fromShell: true,
  },
  {
    env: 'WSGI_COVERAGE',
    express: '--enable-coverage',
    summary: `coverage.py over the app, combined across processes, HTML in ${DEV_OUTPUT_DIR}/coverage/html when the container stops`,
    wrapsRequests: true,
    fromShell: true,
  },
];
