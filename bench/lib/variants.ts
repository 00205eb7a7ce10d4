// The servers compared, each as "which image, which command, which page".
// Sizes follow what users of each would run: performance-baseline.md §5 and issue 7.
import { availableParallelism } from 'node:os';
import type { BenchApp } from './apps.js';

/** Which image of an app a variant runs: the generated one, or bench/images/<kind>.Dockerfile. */
export type ImageKind = 'generated' | 'gunicorn' | 'uwsgi';

/** One server setup under test. */
export interface Variant {
  /** short id used in container names and the saved results */
  id: string;
  /** human name for tables and the chart */
  label: string;
  /** which image of the app it runs */
  image: ImageKind;
  /** the port the server listens on inside the container */
  containerPort: number;
  /** `docker run` CMD for an app; undefined keeps the image's own */
  command: (app: BenchApp) => string[] | undefined;
  /** environment for `docker run` */
  env?: Record<string, string>;
  /** ids of the apps it serves (default: all) */
  apps?: readonly string[];
  /** the page under load, when not the app's own (path, and a check of its body) */
  page?: { path: string; verifyBody: (body: string) => boolean };
  /**
   * whether its cold start (`docker run` to the first 200) is timed: false for a variant
   * that starts exactly as another does (the same image with another setting)
   */
  timeStartup: boolean;
}

/** Cores gunicorn's sync sizing rule (2 x cores + 1) is computed from: the machine's. */
const CORES = availableParallelism();

// `as const` keeps the ids as literals (VariantId, checked by the compiler); the export
// below is the same table typed as plain Variants.
const TABLE = [
  {
    id: 'generated',
    label: 'generated (Apache + mod_wsgi, defaults)',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
    timeStartup: true,
  },
  {
    // The same image with APACHE_ACCESS_LOG_FORMAT=off: what the default access log costs.
    id: 'generated-log-off',
    label: 'generated, access log off',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
    env: { APACHE_ACCESS_LOG_FORMAT: 'off' },
    timeStartup: false,
  },
  {
    id: 'gunicorn-gthread',
    label: 'gunicorn gthread 2x5',
    image: 'gunicorn',
    containerPort: 8000,
    command: app => gunicornGthread(app.gunicornApp),
    timeStartup: true,
  },
  {
    id: 'gunicorn-sync',
    label: `gunicorn sync x${2 * CORES + 1}`,
    image: 'gunicorn',
    containerPort: 8000,
    command: app => ['gunicorn', '--workers', String(2 * CORES + 1), '--bind', '0.0.0.0:8000', app.gunicornApp],
    timeStartup: true,
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
      'uwsgi',
      '--plugin',
      'python3',
      '--http-socket',
      ':8000',
      '--master',
      '--processes',
      '2',
      '--threads',
      '5',
      '--chdir',
      '/srv/app',
      ...app.uwsgiApp,
      '--need-app',
      '--die-on-term',
      '--disable-logging',
      '--add-header',
      'Connection: close',
    ],
    timeStartup: true,
  },
  {
    // The web server's own ceiling: the generated image answering a 22-byte static file
    // through its Alias, never reaching Python. It starts as `generated` does.
    id: 'apache-static',
    label: 'Apache static file (ceiling)',
    image: 'generated',
    containerPort: 8080,
    command: () => undefined,
    apps: ['hello'],
    page: { path: '/static/site.css', verifyBody: body => body === 'body { color: #333; }\n' },
    timeStartup: false,
  },
] as const satisfies readonly Variant[];

/**
 * gunicorn's `gthread` worker with the generated stack's concurrency (2 processes x 5
 * threads) on port 8000: the reference every ratio is taken against, and the reload
 * comparison's server (with `--reload`).
 * @param app - gunicorn's `module:callable`
 */
export function gunicornGthread(app: string, ...extra: string[]): string[] {
  return [
    'gunicorn',
    ...extra,
    '--worker-class',
    'gthread',
    '--workers',
    '2',
    '--threads',
    '5',
    '--bind',
    '0.0.0.0:8000',
    app,
  ];
}

/** The servers, in the order of the report's tables and the chart's bars. */
export const VARIANTS: readonly Variant[] = TABLE;

/** The id of a variant in {@link VARIANTS}. */
export type VariantId = (typeof TABLE)[number]['id'];

/** The baseline every ratio is taken against. */
export const REFERENCE_VARIANT: VariantId = 'gunicorn-gthread';

/** Whether `variant` serves `app` (the static-file ceiling serves one app only). */
export function servesApp(variant: Variant, app: BenchApp): boolean {
  return !variant.apps || variant.apps.includes(app.id);
}

/** The variant's label for tables and the chart; the id itself for a variant no longer in {@link VARIANTS}. */
export function variantLabel(id: string): string {
  return VARIANTS.find(variant => variant.id === id)?.label ?? id;
}
