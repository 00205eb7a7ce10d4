// The servers compared, each as "which image, which command, which page", and the images
// they run, each with its own base. Sizes follow what users of each would run:
// performance-baseline.md §5 and issue 7; the bases are issue 15's.
import { availableParallelism } from 'node:os';
import { BASES, type BaseName } from '../../generators/app/bases.js';
import type { BenchApp } from './apps.js';

/** The Python version of the images on the python base (the generator's newest). */
export const PYTHON_VERSION = '3.13';

/** How an image is made. */
export type ImageRecipe =
  /** scaffolded by the generator on `base`, with `flags` besides the app's own */
  | { generator: BaseName; flags: Record<string, unknown> }
  /**
   * bench/images/<dockerfile>.Dockerfile; `pip`: its Python libraries come from pip (an
   * index, or the offline wheelhouse), else from Debian (`APT_PACKAGES`)
   */
  | {
      dockerfile: string;
      pip: boolean;
      /**
       * FROM the generated Dockerfile's `python-build` stage (`--python-build optimized`): the same
       * CPython the generated-optimized image embeds, so gunicorn on it shows the faster
       * libpython's gain apart from the server's (issue 30)
       */
      optimizedPython?: boolean;
    };

/** One kind of image each app is built as. */
export interface ImageSpec {
  /** human name for the images table */
  label: string;
  /** its FROM */
  baseImage: string;
  recipe: ImageRecipe;
}

/**
 * A variant running a generated image with its own CMD on port 8080 (the image's
 * `containerPort`), timed at start-up and run by default unless `more` says otherwise.
 */
function generatedVariant<const Id extends string, const Image extends ImageKind, const More extends Partial<Variant>>(
  id: Id,
  label: string,
  image: Image,
  more: More = {} as More,
) {
  return {
    id,
    label,
    image,
    containerPort: 8080,
    command: () => undefined,
    timeStartup: true,
    byDefault: true,
    ...more,
  };
}

/** A variant running gunicorn (`command`) on port 8000 in a gunicorn image, timed at start-up. */
function gunicornVariant<const Id extends string, const Image extends ImageKind>(
  id: Id,
  label: string,
  image: Image,
  command: (app: BenchApp) => string[],
  byDefault = true,
) {
  return { id, label, image, containerPort: 8000, command, timeStartup: true, byDefault };
}

// `as const` keeps the kinds as literals (ImageKind, checked by the compiler).
const IMAGES = {
  generated: {
    label: 'generated, --base trixie (Debian Python, apache2, libapache2-mod-wsgi-py3)',
    baseImage: BASES.trixie.image(PYTHON_VERSION),
    recipe: { generator: 'trixie', flags: {} },
  },
  'generated-python': {
    label: `generated, --base python (${BASES.python.image(PYTHON_VERSION)}, mod_wsgi from pip)`,
    baseImage: BASES.python.image(PYTHON_VERSION),
    recipe: { generator: 'python', flags: { python: PYTHON_VERSION } },
  },
  'generated-optimized': {
    label: `generated, --base python --python-build optimized`,
    baseImage: BASES.python.image(PYTHON_VERSION),
    recipe: { generator: 'python', flags: { python: PYTHON_VERSION, 'python-build': 'optimized' } },
  },
  'generated-bookworm': {
    label: 'generated, --base bookworm (Debian 12: Python 3.11, mod_wsgi 4.9.4)',
    baseImage: BASES.bookworm.image(PYTHON_VERSION),
    recipe: { generator: 'bookworm', flags: {} },
  },
  gunicorn: {
    label: "Debian's gunicorn and Python (static /usr/bin/python3.13)",
    baseImage: 'debian:trixie-slim',
    recipe: { dockerfile: 'gunicorn', pip: false },
  },
  'gunicorn-bookworm': {
    label: "Debian 12's gunicorn and Python (static /usr/bin/python3.11)",
    baseImage: BASES.bookworm.image(PYTHON_VERSION),
    recipe: { dockerfile: 'gunicorn', pip: false },
  },
  'gunicorn-python': {
    label: `gunicorn from pip on ${BASES.python.image(PYTHON_VERSION)}`,
    baseImage: BASES.python.image(PYTHON_VERSION),
    recipe: { dockerfile: 'gunicorn-python', pip: true },
  },
  'gunicorn-optimized': {
    label: `gunicorn from pip on the --python-build optimized CPython (the generated Dockerfile's python-build stage on ${BASES.python.image(PYTHON_VERSION)})`,
    baseImage: BASES.python.image(PYTHON_VERSION),
    recipe: { dockerfile: 'gunicorn-python', pip: true, optimizedPython: true },
  },
  uwsgi: {
    label: "Debian's uWSGI",
    baseImage: 'debian:trixie-slim',
    recipe: { dockerfile: 'uwsgi', pip: false },
  },
} as const satisfies Record<string, ImageSpec>;

/** Which image of an app a variant runs. */
export type ImageKind = keyof typeof IMAGES;

/** Every image kind, in the images table's order. */
export const IMAGE_KINDS: Readonly<Record<ImageKind, ImageSpec>> = IMAGES;

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
  /** in `npm run bench`'s variants when --variants is not given */
  byDefault: boolean;
}

/** The server's own configuration in the generated images (the Dockerfile copies docker/apache2.conf there). */
const APACHE_CONF = '/etc/apache2/apache2.conf';

/**
 * A CMD that starts the generated image's Apache on an edited copy of its configuration, for
 * measuring a change without another image: `sed` expressions applied to it (-f), then
 * `directives` after it (httpd -c), after `prepare` (a shell command) has run. The container's
 * user writes only /tmp.
 */
function editedConfig(sedExpressions: readonly string[], directives: readonly string[], prepare = 'true'): string[] {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const edits = ['', ...sedExpressions].map(expression => `-e ${quote(expression)}`).join(' ');
  const extra = directives.map(directive => `-c ${quote(directive)}`).join(' ');
  return [
    '/bin/sh',
    '-c',
    `${prepare} && sed ${edits} ${APACHE_CONF} > /tmp/apache2-bench.conf && exec /bin/sh /usr/local/bin/start-apache -f /tmp/apache2-bench.conf ${extra}`,
  ];
}

/** Each cut of daemon mode's cost as an edit of the generated configuration (issue 30). */
const CUTS = {
  /** mod_wsgi's `Status: 200 Continue` round trip goes with both of these */
  noContinue: { edits: ['s/queue-timeout=[^ ]*/queue-timeout=0/'], directives: ['WSGIScriptReloading Off'] },
  /** the WSGI script 2 path components nearer the root, for the PATH_TRANSLATED subrequest's stat calls */
  shallowScript: {
    edits: ['s#/srv/app/docker/app.wsgi#/tmp/app.wsgi#', 's#<Directory /srv/app/docker>#<Directory /tmp>#'],
    prepare: 'cp /srv/app/docker/app.wsgi /tmp/app.wsgi',
  },
} as const;

/** Cores gunicorn's sync sizing rule (2 x cores + 1) is computed from: the machine's. */
const CORES = availableParallelism();

// `as const` keeps the ids as literals (VariantId, checked by the compiler); the export
// below is the same table typed as plain Variants.
const TABLE = [
  generatedVariant('generated', 'generated, Debian trixie', 'generated'),
  // The same image with APACHE_ACCESS_LOG_FORMAT=off: what the default access log costs.
  generatedVariant('generated-log-off', 'generated, Debian trixie, access log off', 'generated', {
    env: { APACHE_ACCESS_LOG_FORMAT: 'off' },
    timeStartup: false,
  }),
  generatedVariant('generated-python', `generated, python:${PYTHON_VERSION}-slim (default)`, 'generated-python'),
  generatedVariant(
    'generated-optimized',
    `generated, python:${PYTHON_VERSION}-slim, optimized build`,
    'generated-optimized',
  ),
  // The same images with WSGI_MODE=embedded (--wsgi-mode embedded): the app in Apache's children (issue 30).
  generatedVariant(
    'generated-embedded-python',
    `generated, python:${PYTHON_VERSION}-slim, embedded mode`,
    'generated-python',
    { env: { WSGI_MODE: 'embedded' }, timeStartup: false },
  ),
  generatedVariant(
    'generated-embedded-optimized',
    `generated, python:${PYTHON_VERSION}-slim, optimized build, embedded mode`,
    'generated-optimized',
    { env: { WSGI_MODE: 'embedded' }, timeStartup: false },
  ),
  // Daemon mode's own cost, one change each on the default image (issue 30), then all of them.
  generatedVariant(
    'generated-workers-128',
    `generated, python:${PYTHON_VERSION}-slim, 128 Apache workers`,
    'generated-python',
    { env: { APACHE_MAX_REQUEST_WORKERS: '128' }, timeStartup: false, byDefault: false },
  ),
  // The same 1,024 workers in 2 children of 512 threads, as embedded mode splits them, not 16 of 64.
  generatedVariant(
    'generated-2x512',
    `generated, python:${PYTHON_VERSION}-slim, Apache in 2 children of 512 threads`,
    'generated-python',
    {
      command: () =>
        editedConfig(
          [],
          ['ServerLimit 3', 'StartServers 2', 'ThreadLimit 512', 'ThreadsPerChild 512', 'MinSpareThreads 512'],
        ),
      timeStartup: false,
      byDefault: false,
    },
  ),
  generatedVariant(
    'generated-reloading-off',
    `generated, python:${PYTHON_VERSION}-slim, WSGIScriptReloading Off`,
    'generated-python',
    { command: () => editedConfig([], ['WSGIScriptReloading Off']), timeStartup: false, byDefault: false },
  ),
  generatedVariant(
    'generated-no-continue',
    `generated, python:${PYTHON_VERSION}-slim, WSGIScriptReloading Off and queue-timeout=0`,
    'generated-python',
    {
      command: () => editedConfig(CUTS.noContinue.edits, CUTS.noContinue.directives),
      timeStartup: false,
      byDefault: false,
    },
  ),
  generatedVariant(
    'generated-shallow-script',
    `generated, python:${PYTHON_VERSION}-slim, WSGI script at /tmp/app.wsgi`,
    'generated-python',
    {
      command: () => editedConfig(CUTS.shallowScript.edits, [], CUTS.shallowScript.prepare),
      timeStartup: false,
      byDefault: false,
    },
  ),
  generatedVariant(
    'generated-log-off-python',
    `generated, python:${PYTHON_VERSION}-slim, access log off`,
    'generated-python',
    { env: { APACHE_ACCESS_LOG_FORMAT: 'off' }, timeStartup: false, byDefault: false },
  ),
  generatedVariant(
    'generated-headers-off',
    `generated, python:${PYTHON_VERSION}-slim, security headers off`,
    'generated-python',
    { env: { APACHE_SECURITY_HEADERS: 'off' }, timeStartup: false, byDefault: false },
  ),
  generatedVariant(
    'generated-all-cuts',
    `generated, python:${PYTHON_VERSION}-slim, 128 workers, no Continue, shallow script, log off`,
    'generated-python',
    {
      env: { APACHE_MAX_REQUEST_WORKERS: '128', APACHE_ACCESS_LOG_FORMAT: 'off' },
      command: () =>
        editedConfig(
          [...CUTS.noContinue.edits, ...CUTS.shallowScript.edits],
          CUTS.noContinue.directives,
          CUTS.shallowScript.prepare,
        ),
      timeStartup: false,
      byDefault: false,
    },
  ),
  // Embedded mode with 2 children of 64 threads (not 2 of 512): fewer Apache threads on the GIL.
  generatedVariant(
    'generated-embedded-128',
    `generated, python:${PYTHON_VERSION}-slim, embedded mode, 128 Apache workers`,
    'generated-python',
    { env: { WSGI_MODE: 'embedded', APACHE_MAX_REQUEST_WORKERS: '128' }, timeStartup: false, byDefault: false },
  ),
  gunicornVariant('gunicorn-gthread', 'gunicorn gthread 2x5, Debian', 'gunicorn', app =>
    gunicornGthread(app.gunicornApp),
  ),
  generatedVariant('generated-bookworm', 'generated, Debian bookworm', 'generated-bookworm'),
  gunicornVariant('gunicorn-gthread-bookworm', 'gunicorn gthread 2x5, Debian bookworm', 'gunicorn-bookworm', app =>
    gunicornGthread(app.gunicornApp),
  ),
  gunicornVariant(
    'gunicorn-gthread-python',
    `gunicorn gthread 2x5, python:${PYTHON_VERSION}-slim`,
    'gunicorn-python',
    app => gunicornGthread(app.gunicornApp),
  ),
  gunicornVariant(
    'gunicorn-gthread-optimized',
    `gunicorn gthread 2x5, python:${PYTHON_VERSION}-slim, optimized build`,
    'gunicorn-optimized',
    app => gunicornGthread(app.gunicornApp),
  ),
  gunicornVariant(
    'gunicorn-sync',
    `gunicorn sync x${2 * CORES + 1}, Debian`,
    'gunicorn',
    app => ['gunicorn', '--workers', String(2 * CORES + 1), '--bind', '0.0.0.0:8000', app.gunicornApp],
    false,
  ),
  {
    // --http-socket closes the connection after each response without saying so, which a
    // keep-alive client sees as one read error per response (performance-baseline.md §1);
    // the Connection: close header makes clients reconnect cleanly instead.
    id: 'uwsgi',
    label: 'uWSGI 2x5, Debian',
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
    byDefault: false,
  },
  // The web server's own ceiling: the generated image answering a 22-byte static file
  // through its Alias, never reaching Python. It starts as `generated` does.
  generatedVariant('apache-static', 'Apache static file (ceiling)', 'generated', {
    apps: ['hello'],
    page: { path: '/static/site.css', verifyBody: (body: string) => body === 'body { color: #333; }\n' },
    timeStartup: false,
  }),
] as const satisfies readonly Variant[];

/**
 * gunicorn's `gthread` worker with the generated stack's concurrency (2 processes x 5
 * threads) on port 8000: the anchors ratios are taken against, and the reload
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

/** The variants `npm run bench` runs when --variants is not given. */
export const DEFAULT_VARIANTS: readonly Variant[] = VARIANTS.filter(variant => variant.byDefault);

/**
 * The gunicorn gthread anchors, one per base image: the report's ×gthread column takes a
 * variant's ratio to the anchor on its own image's base.
 */
export const ANCHORS: readonly VariantId[] = [
  'gunicorn-gthread',
  'gunicorn-gthread-bookworm',
  'gunicorn-gthread-python',
];

/** The anchor of a variant no longer in {@link VARIANTS} (runs before the bases: all on Debian). */
const LEGACY_ANCHOR: VariantId = 'gunicorn-gthread';

/** The variant with `id`, when {@link VARIANTS} still has it. */
export const variantById = (id: string): Variant | undefined => VARIANTS.find(variant => variant.id === id);

/** The FROM of the image a variant runs; undefined for a variant no longer in {@link VARIANTS}. */
export function variantBaseImage(id: string): string | undefined {
  const variant = variantById(id);
  return variant && IMAGE_KINDS[variant.image].baseImage;
}

/**
 * The gunicorn gthread variant on the same base image as variant `id` (the id itself for
 * an anchor): what the report's ×gthread column is a ratio to.
 */
export function familyAnchor(id: string): string {
  const base = variantBaseImage(id);
  return ANCHORS.find(anchor => variantBaseImage(anchor) === base) ?? LEGACY_ANCHOR;
}

/** Whether `variant` serves `app` (the static-file ceiling serves one app only). */
export function servesApp(variant: Variant, app: BenchApp): boolean {
  return !variant.apps || variant.apps.includes(app.id);
}

/** The variant's label for tables and the chart; the id itself for a variant no longer in {@link VARIANTS}. */
export function variantLabel(id: string): string {
  return variantById(id)?.label ?? id;
}
