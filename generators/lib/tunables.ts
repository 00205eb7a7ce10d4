/**
 * The run-time tunables of the generated image, with the ranges the image's envvars
 * (runtime/envvars) accepts: ONE table, read by the generator's validators (flags, prompts,
 * `.yo-rc.json`), by docker/wsgi-apache.env (`NAME:DEFAULT:MIN:MAX`, which envvars checks),
 * by the Dockerfile's `ENV`, compose.yaml and the ConfigMap, and by DOCKER.md's table. An
 * answer the generator accepts can therefore never be one the container refuses at start-up,
 * and no default is written anywhere else (a unit test counts the places).
 */

/** The answers (see `generators/app/options.ts`, `Answers`) that set a tunable's default. */
export type TunableAnswer =
  'processes' | 'threads' | 'maximumRequests' | 'requestTimeout' | 'gracefulTimeout' | 'queueTimeout';

/** One whole-number environment variable checked by envvars. */
export interface Tunable {
  /** the environment variable, e.g. `WSGI_PROCESSES` */
  env: string;
  /** the answer whose value becomes the image's default; undefined for Apache's own settings */
  answer?: TunableAnswer;
  /** the flag setting that answer, without `--` */
  flag?: string;
  /** smallest accepted value (inclusive) */
  min: number;
  /** largest accepted value (inclusive) */
  max: number;
  /**
   * For an answer: the generator's default answer (mod_wsgi-express 5.0.2's `start-server`
   * defaults, except processes: 2, see options.ts), which the image then defaults to.
   * For Apache's own settings: the image's default (see {@link imageEnvironment}).
   */
  fallback?: number;
  /** the unit of the value, for messages and docs */
  unit: string;
  /** DOCKER.md's "what it sets" for the tunables its table lists (Markdown, one line) */
  doc?: string;
}

/**
 * Every whole-number tunable, in the order envvars checks them. Sources of the bounds:
 * processes/threads are kept where one container stays sane (64 processes, 256 threads each;
 * the worker bound below limits their product further); timeouts span a second to a day
 * (request) or an hour; `APACHE_LIMIT_REQUEST_BODY` is Apache's own maximum for
 * `LimitRequestBody` (2 GiB - 1, httpd core docs).
 */
export const TUNABLES: readonly Tunable[] = [
  {
    env: 'WSGI_PROCESSES',
    answer: 'processes',
    flag: 'processes',
    min: 1,
    max: 64,
    fallback: 2,
    unit: 'processes',
    doc: '`WSGIDaemonProcess processes=`: daemon processes. mod_wsgi-express uses 1; 2 keeps serving while one restarts',
  },
  {
    env: 'WSGI_THREADS',
    answer: 'threads',
    flag: 'threads',
    min: 1,
    max: 256,
    fallback: 5,
    unit: 'threads per process',
    doc: '`threads=`: threads per daemon process (mod_wsgi-express default 5)',
  },
  {
    env: 'WSGI_MAXIMUM_REQUESTS',
    answer: 'maximumRequests',
    flag: 'maximum-requests',
    min: 0,
    max: 10_000_000,
    fallback: 0,
    unit: 'requests',
    doc: '`maximum-requests=`: recycle a process after N requests; 0 = never (express default 0)',
  },
  {
    env: 'WSGI_REQUEST_TIMEOUT',
    answer: 'requestTimeout',
    flag: 'request-timeout',
    min: 1,
    max: 86_400,
    fallback: 60,
    unit: 'seconds',
    doc: '`request-timeout=`: seconds before a stuck process is restarted (express default 60)',
  },
  {
    env: 'WSGI_GRACEFUL_TIMEOUT',
    answer: 'gracefulTimeout',
    flag: 'graceful-timeout',
    min: 0,
    max: 3_600,
    fallback: 15,
    unit: 'seconds',
    doc: "`graceful-timeout=` and Apache's `GracefulShutdownTimeout` (express default 15)",
  },
  {
    env: 'WSGI_QUEUE_TIMEOUT',
    answer: 'queueTimeout',
    flag: 'queue-timeout',
    min: 1,
    max: 3_600,
    fallback: 45,
    unit: 'seconds',
    doc: '`queue-timeout=`: seconds a request waits for a free thread before a 504 (express default 45)',
  },
  // Apache's own: mod_wsgi-express 5.0.2's defaults (--keep-alive-timeout 5, --limit-request-body 10 MiB).
  {
    env: 'APACHE_KEEPALIVE_TIMEOUT',
    min: 0,
    max: 300,
    fallback: 5,
    unit: 'seconds',
    doc: '`KeepAliveTimeout` seconds',
  },
  // --https's development port (image-layout.ts HTTPS_CONTAINER_PORT); 0, the image's default: off.
  {
    env: 'APACHE_HTTPS_PORT',
    min: 0,
    max: 65_535,
    fallback: 0,
    unit: 'port',
    doc: "container port of HTTPS with HTTP/2 and the development CA's certificate; development shape only (compose.override.yaml sets it with `--https`), 0 = off",
  },
  {
    env: 'APACHE_LIMIT_REQUEST_BODY',
    min: 0,
    max: 2_147_483_647,
    fallback: 10_485_760,
    unit: 'bytes',
    doc: '`LimitRequestBody` bytes (express default 10 MiB)',
  },
  // The development tools' caps (docker/devtools.wsgi): bodies past 64 KiB are cut in a recording,
  // and the oldest recordings / profiles go once their directory passes its total.
  { env: 'WSGI_RECORDER_BODY_LIMIT', min: 0, max: 1_073_741_824, fallback: 65_536, unit: 'bytes' },
  { env: 'WSGI_RECORDER_MAX_BYTES', min: 1_024, max: 1_099_511_627_776, fallback: 67_108_864, unit: 'bytes' },
  { env: 'WSGI_PROFILER_MAX_BYTES', min: 1_024, max: 1_099_511_627_776, fallback: 268_435_456, unit: 'bytes' },
];

/**
 * Apache's worker count, derived by envvars from the daemon's size unless
 * `APACHE_MAX_REQUEST_WORKERS` is set: `perDaemonThread` x processes x threads, at least
 * `minimum` (why 4: envvars.mustache, measured with 64 connections; why 1,024: mpm_event holds a
 * worker for each connection still sending its request headers, so slow clients (slowloris)
 * starve everyone once they outnumber the workers: with 128, 600 connections sending a header
 * line a second stopped every other request for 15 s and more; with 1,024, other requests kept a
 * p99 of 23 ms, for about 40 MiB more memory: `npm run bench:slow-clients`), checked
 * against [min, max]. max 20000 is mpm_event's compile-time cap on ServerLimit
 * (`MAX_SERVER_LIMIT`, httpd `server/mpm/event/event.c`), applied to workers to stay far
 * from it.
 *
 * Under a pids limit (cgroup v2 `pids.max`, v1 `pids/pids.max`: `CONTAINER_PIDS_LIMIT`, which
 * counts threads), the derived count is lowered to the whole children of 64 threads that fit
 * beside the daemons: each daemon process's threads plus `tasksPerDaemonProcess` of mod_wsgi's own
 * (its monitor, deadlock, reaper and the interpreter's), `pidsReserve` for Apache's parent, the
 * image's helpers and one-off commands, and per child its threads plus `tasksPerChild` (its main
 * and listener threads). Apache starts every child's threads up front, so a daemon process
 * restarted later (maximum-requests, request-timeout, a reload) found none left: "Couldn't create
 * worker thread" (mod_wsgi, EAGAIN), measured with a pids limit of 600.
 */
export const APACHE_WORKERS = {
  env: 'APACHE_MAX_REQUEST_WORKERS',
  perDaemonThread: 4,
  minimum: 1024,
  min: 1,
  max: 20_000,
  tasksPerDaemonProcess: 8,
  pidsReserve: 64,
  tasksPerChild: 2,
} as const;

/**
 * The memory a daemon process may hold before docker/memory-watch.py restarts it gracefully
 * (SIGUSR1, mod_wsgi's graceful restart): `WSGI_MAXIMUM_MEMORY`, MiB of resident set per
 * process, 0 = off. Unless it is set, envvars derives it from the container's memory limit
 * (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`; a v1 value of `unlimitedBytes` or more
 * means no limit): `share` of it divided among the daemon processes, so a leaking process is
 * recycled before the kernel's OOM killer ends it with its requests. No limit: off. max is
 * 1 TiB.
 */
export const MAXIMUM_MEMORY = {
  env: 'WSGI_MAXIMUM_MEMORY',
  share: { numerator: 3, denominator: 4 },
  unlimitedBytes: 2 ** 50,
  min: 0,
  max: 1_048_576,
} as const;

/** The tunable for `env`. @throws Error for a name not in {@link TUNABLES} (a programming error) */
export function tunable(env: string): Tunable {
  const found = TUNABLES.find(t => t.env === env);
  if (!found) throw new Error(`no tunable ${env}`);
  return found;
}

/** The tunable an answer sets. @throws Error for an answer without one (a programming error) */
export function tunableFor(answer: TunableAnswer): Tunable {
  const found = TUNABLES.find(t => t.answer === answer);
  if (!found) throw new Error(`no tunable for ${answer}`);
  return found;
}

/**
 * `APACHE_MAX_REQUEST_WORKERS` as envvars derives it when it is not set.
 * @param processes - daemon processes
 * @param threads - threads per daemon process
 * @returns Apache workers (before envvars rounds up to whole children of 64 threads)
 */
export function defaultMaxRequestWorkers(processes: number, threads: number): number {
  return Math.max(APACHE_WORKERS.minimum, APACHE_WORKERS.perDaemonThread * processes * threads);
}

/** The largest processes x threads whose derived worker count envvars still accepts (5000). */
export const MAX_DAEMON_THREADS = Math.floor(APACHE_WORKERS.max / APACHE_WORKERS.perDaemonThread);

/**
 * How Apache runs the project's app (`WSGI_MODE`, `--wsgi-mode` sets the image's default):
 * - `daemon`: in `WSGIDaemonProcess` groups, Apache's workers handing each request over a UNIX
 *   socket (mod_wsgi's recommended mode, and the only one the development shape and `--mount` use);
 * - `embedded`: inside Apache's own children (mpm_event), `WSGI_PROCESSES` of them, each running
 *   the app on `WSGI_THREADS` Python threads of its own (docker/embedded.wsgi), without the hop to
 *   the daemon. What it gives up (request-timeout becomes a process kill, no maximum-requests,
 *   no touch-to-reload, no process-group isolation): DOCKER.md.
 */
export const WSGI_MODES = ['daemon', 'embedded'] as const;
export type WsgiMode = (typeof WSGI_MODES)[number];
/** The run-time variable that picks the mode (runtime/envvars checks it). */
export const WSGI_MODE_VARIABLE = 'WSGI_MODE';

/** One run-time variable as the image sets it. */
export interface ImageVariable {
  name: string;
  /** the image's default ('' = unset: envvars derives it) */
  value: string;
  /** listed by the Kubernetes ConfigMap (after WSGI_ENVIRONMENT, which it always sets) */
  configMap: boolean;
}

/**
 * Every run-time variable the image sets, with its default, in the order of the
 * Dockerfile's `ENV`: the answered daemon tunables, the shape switches, then Apache's own.
 * The Dockerfile, the Kubernetes ConfigMap, envvars' fallbacks and DOCKER.md's table all
 * render from this one list.
 * @param answers - the daemon tunables and the WSGI mode as answered
 */
export function imageEnvironment(
  answers: Readonly<Record<TunableAnswer, number>> & { readonly wsgiMode: WsgiMode },
): ImageVariable[] {
  const fixed = (env: string) => String(tunable(env).fallback);
  return [
    ...TUNABLES.filter(t => t.answer !== undefined).map(t => ({
      name: t.env,
      value: String(answers[t.answer!]),
      configMap: true,
    })),
    { name: WSGI_MODE_VARIABLE, value: answers.wsgiMode, configMap: true },
    { name: 'WSGI_ENVIRONMENT', value: 'production', configMap: false },
    { name: 'WSGI_RELOAD_ON_CHANGES', value: '0', configMap: false },
    // mod_wsgi-express 5.0.2's --log-level default.
    { name: 'APACHE_LOG_LEVEL', value: 'warn', configMap: true },
    { name: 'APACHE_ACCESS_LOG_FORMAT', value: 'combined', configMap: true },
    { name: 'APACHE_SECURITY_HEADERS', value: 'on', configMap: true },
    { name: 'APACHE_LOG_HEALTHCHECKS', value: '0', configMap: true },
    { name: 'APACHE_KEEPALIVE_TIMEOUT', value: fixed('APACHE_KEEPALIVE_TIMEOUT'), configMap: true },
    { name: 'APACHE_LIMIT_REQUEST_BODY', value: fixed('APACHE_LIMIT_REQUEST_BODY'), configMap: true },
    { name: 'APACHE_HTTPS_PORT', value: fixed('APACHE_HTTPS_PORT'), configMap: false },
    { name: APACHE_WORKERS.env, value: '', configMap: false },
    { name: MAXIMUM_MEMORY.env, value: '', configMap: false },
    ...['WSGI_RECORDER_BODY_LIMIT', 'WSGI_RECORDER_MAX_BYTES', 'WSGI_PROFILER_MAX_BYTES'].map(name => ({
      name,
      value: fixed(name),
      configMap: false,
    })),
  ];
}
