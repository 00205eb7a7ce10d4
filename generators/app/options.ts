/**
 * Every answer the generator needs, declared once: its flag, its prompt, its default
 * and its parser. The flags, the prompts, `.yo-rc.json` and `--help` are all derived
 * from this table, so a prompt can never exist without a flag.
 *
 * Defaults for the daemon follow mod_wsgi-express 5.0.2 (`src/server/__init__.py`,
 * `start-server` options) except `processes`, which express leaves at 1: two processes
 * keep serving while one restarts (reload, maximum-requests, crash).
 */
import { basename } from 'node:path';
import { checkEntryCallable, extraModuleRoots, formatEntry, parseEntry, type WsgiEntry } from './entry.js';
import { checkAnswerCombination } from './coherence.js';
import { parseApacheModules } from './apache-modules.js';
import { parseAppEnvironment, parseSecretNames } from './app-environment.js';
import { formatProxyRoutes, parseProxyRoutes, type ProxyRoute } from './proxy-routes.js';
import { formatMounts, type Mount, parseMountPoint, parseMounts, underMountPoint } from './mounts.js';
import { CI_SYSTEMS, type CiSystem, GITHUB_WORKFLOW, parseCiSystem } from './ci.js';
import { DEFAULT_IMAGE_TAG, parseImageReference, parseIngressHost } from './image-reference.js';
import { detectServices, parseServices, SERVICE_NAMES, type ServiceName } from './services.js';
import { detectWorkers, formatWorkers, parseWorkers, type Worker } from './workers.js';
import {
  defaultAppEnvironment,
  defaultDataDirs,
  defaultHealthPath,
  defaultInitCommands,
  defaultSecrets,
} from './runtime-needs.js';
import type { ProjectFacts } from './detect.js';
import { parseInteger, shellJoin, splitPromptLine } from '../lib/parse.js';
import { HTTPS_CONTAINER_PORT, PUBLISH_HTTPS_PORT_VARIABLE } from '../lib/image-layout.js';
import {
  BASE_NAMES,
  BASES,
  type BaseName,
  DEFAULT_BASE,
  defaultPythonVersion,
  parseBase,
  parsePythonBuild,
  parsePythonVersion,
  PYTHON_BUILD_LABELS,
  PYTHON_BUILDS,
  type PythonBuild,
  readPythonRequest,
} from './bases.js';
import { MAX_DAEMON_THREADS, type TunableAnswer, tunableFor, WSGI_MODES, type WsgiMode } from '../lib/tunables.js';
import { InputError } from '../lib/input-error.js';
import {
  formatStaticMappings,
  parseAptPackages,
  parseDataDirs,
  parseHealthPath,
  parseInitCommands,
  parseProjectName,
  parseStaticMappings,
  type StaticMapping,
  suggestProjectName,
} from './validators.js';

/** The answers as stored in `.yo-rc.json`: plain JSON, already validated and normalised. */
export interface Answers {
  /** WSGI entry point, see `entry.ts` */
  entry: string;
  /** URL prefix the app answers under (`/`, or e.g. `/app`), mod_wsgi-express's `--mount-point` */
  mountPoint: string;
  /** image, Compose project and service name */
  name: string;
  /** host port `compose.yaml` publishes (container port is always 8080) */
  port: number;
  /** `WSGIDaemonProcess processes=` */
  processes: number;
  /** `WSGIDaemonProcess threads=` */
  threads: number;
  /** `WSGIDaemonProcess maximum-requests=`; 0 = never recycle */
  maximumRequests: number;
  /** `WSGIDaemonProcess request-timeout=`, seconds */
  requestTimeout: number;
  /** `WSGIDaemonProcess graceful-timeout=`, seconds */
  gracefulTimeout: number;
  /** `WSGIDaemonProcess queue-timeout=`, seconds */
  queueTimeout: number;
  /** the image's default `WSGI_MODE`: daemon process groups, or the app inside Apache's children (tunables.ts) */
  wsgiMode: WsgiMode;
  /** static URL mappings, `/url=dir` */
  static: string[];
  /** directories the app writes at run time, project-relative */
  dataDirs: string[];
  /** extra Debian packages for the image */
  aptPackages: string[];
  /** what the image is built on, see `bases.ts` */
  base: BaseName;
  /** Python `X.Y` of the image */
  python: string;
  /** the official image's Python, or one rebuilt for embedding (`bases.ts`) */
  pythonBuild: PythonBuild;
  /** also write Kubernetes manifests for the same image */
  kubernetes: boolean;
  /** HorizontalPodAutoscaler's maxReplicas on CPU; 0 writes none */
  maxReplicas: number;
  /** the image reference the Kubernetes manifests deploy (`image-reference.ts`); '' for `NAME:0.1.0` */
  image: string;
  /** the host name an Ingress routes to the Service; '' for no Ingress */
  ingressHost: string;
  /** the CI workflow written beside the project (`ci.ts`) */
  ci: CiSystem;
  /** HTTPS with HTTP/2 in the development shape, from a development CA (image-layout.ts HTTPS_CONTAINER_PORT) */
  https: boolean;
  /** URL path the image HEALTHCHECK, the Kubernetes probes and `yo wsgi-apache:check` request */
  healthPath: string;
  /** shell commands run once before serving (Compose service `init`, Kubernetes init container) */
  initCommands: string[];
  /** the app's own environment, `NAME=VALUE` each (`app-environment.ts`) */
  setenv: string[];
  /** the app's secrets, names only (`--secret`): each value lives in `.secrets/NAME`, out of Git and the image */
  secrets: string[];
  /** Apache modules to load for the project's own `docker/apache/*.conf`, Debian names (`apache-modules.ts`) */
  apacheModules: string[];
  /** other HTTP services behind this Apache, `/prefix=http://service:port` (`proxy-routes.ts`) */
  proxies: string[];
  /** more WSGI apps at their own URL prefixes, each in its own daemon process group, `/prefix=[dir/]entry` (`mounts.ts`) */
  mounts: string[];
  /** backing services Compose runs beside the app (`services.ts`) */
  services: ServiceName[];
  /** background processes from the app's image, `NAME=COMMAND` each (`workers.ts`) */
  workers: string[];
}

/**
 * The answers as the generator works with them: `entry`, `static`, `proxies` and `mounts` parsed once, by
 * {@link resolveAnswers}; {@link storedAnswers} formats them back for `.yo-rc.json`.
 */
export type ParsedAnswers = Omit<Answers, 'entry' | 'static' | 'proxies' | 'mounts' | 'workers'> & {
  entry: WsgiEntry;
  static: StaticMapping[];
  proxies: ProxyRoute[];
  mounts: Mount[];
  workers: Worker[];
};

/** What parsers and defaults may look at. */
export interface AnswerContext {
  /** the project root (the generator's destination) */
  root: string;
  facts: ProjectFacts;
}

interface FieldBase<K extends keyof Answers> {
  key: K;
  /** CLI flag without `--` */
  flag: string;
  /** shown in `--help` and used as the prompt message */
  description: string;
  /** whether the interactive run asks it (flags exist for every field either way) */
  prompt: 'input' | 'select' | 'confirm' | false;
  choices?: readonly string[];
  /** true for repeatable / comma-separated list flags */
  list?: boolean;
  /** list flags whose items may hold commas (shell commands): only repeating the flag adds one */
  repeatOnly?: boolean;
  /** true for on/off flags (`--kubernetes`) */
  boolean?: boolean;
  /** @param earlier - the answers of the fields above this one, as given (raw) or resolved */
  defaultValue(ctx: AnswerContext, earlier: Partial<Record<keyof Answers, unknown>>): Answers[K] | undefined;
  /** @param earlier - as for {@link defaultValue}, for fields whose range depends on an earlier answer */
  parse(raw: unknown, ctx: AnswerContext, earlier: Partial<Record<keyof Answers, unknown>>): ParsedAnswers[K];
  /** the parsed value as `.yo-rc.json` stores it; absent where the two are the same */
  store?(value: ParsedAnswers[K]): Answers[K];
  /** how the stored value is shown as a prompt default */
  format?(value: Answers[K]): string;
  /** the typed line as the parser takes it, where {@link format} joins several items into one line */
  fromPrompt?(line: string): Answers[K];
}

export type Field = { [K in keyof Answers]: FieldBase<K> }[keyof Answers];

const integer = <K extends keyof Answers>(
  key: K,
  flag: string,
  description: string,
  fallback: number,
  min: number,
  max: number,
  prompt: FieldBase<K>['prompt'] = 'input',
) =>
  ({
    key,
    flag,
    description: `${description} (${min}-${max}, default ${fallback})`,
    prompt,
    defaultValue: () => fallback,
    parse: (raw: unknown) => parseInteger(`--${flag}`, raw, min, max),
  }) as unknown as FieldBase<K>;

/** An integer answer whose range, flag and default come from the tunables table (`generators/lib/tunables.ts`). */
const tunableInteger = <K extends keyof Answers & TunableAnswer>(
  key: K,
  description: string,
  prompt: FieldBase<K>['prompt'] = 'input',
) => {
  const { flag, fallback, min, max } = tunableFor(key);
  return integer(key, flag ?? key, description, fallback ?? min, min, max, prompt);
};

/** The largest `--max-replicas`: far above what one generated Deployment is meant for, below any quota typo. */
export const MAX_REPLICAS = 100;

export const FIELDS: readonly Field[] = [
  {
    key: 'entry',
    flag: 'entry',
    description:
      'WSGI entry point: module:callable, module:factory() or path/to/app.wsgi (detected for Django and Flask)',
    prompt: 'input',
    defaultValue: ctx => firstValidEntry(ctx),
    // The callable is looked up with Python's ast here, once per run (firstValidEntry only parses).
    parse: (raw, ctx) => checkEntryCallable(parseEntry(raw, ctx.root, extraModuleRoots(ctx.facts), true), ctx.root),
    store: formatEntry,
  },
  {
    key: 'mountPoint',
    flag: 'mount-point',
    description:
      'URL prefix the app answers under, as mod_wsgi-express --mount-point (default /; e.g. /app, with --proxy /=http://frontend:3000 for a front end)',
    prompt: false,
    defaultValue: () => '/',
    parse: raw => parseMountPoint(raw),
  },
  {
    key: 'name',
    flag: 'name',
    description: 'Project name: Docker image, Compose project and service (default: the directory name)',
    prompt: 'input',
    defaultValue: ctx => suggestProjectName(basename(ctx.root)) || 'app',
    parse: raw => parseProjectName(raw),
  },
  integer('port', 'port', 'Host port compose.yaml publishes on 127.0.0.1', 8000, 1, 65535),
  // Ranges and defaults of the daemon's tunables: the table envvars checks them with.
  tunableInteger('processes', 'mod_wsgi daemon processes'),
  tunableInteger('threads', `Threads per daemon process; processes x threads at most ${MAX_DAEMON_THREADS}`),
  tunableInteger('maximumRequests', 'Requests before a daemon process is recycled, 0 = never', false),
  tunableInteger('requestTimeout', 'Seconds a request may run before its daemon process is restarted', false),
  tunableInteger('gracefulTimeout', 'Seconds a recycled daemon process waits for active requests', false),
  tunableInteger('queueTimeout', 'Seconds a request may wait for a free daemon thread before a 504', false),
  {
    key: 'wsgiMode',
    flag: 'wsgi-mode',
    description:
      "How production runs the app (the image's default WSGI_MODE): daemon (WSGIDaemonProcess groups, mod_wsgi's recommended mode) or embedded (in Apache's own children, WSGI_THREADS requests in Python at once per process: no hop to a daemon, but request-timeout ends the whole process, and no maximum-requests, reload or isolation; see DOCKER.md). The development shape and --mount always use daemon mode",
    prompt: false,
    choices: WSGI_MODES,
    defaultValue: () => 'daemon' as const,
    parse: raw => parseWsgiMode(raw),
  },
  {
    // mod_wsgi-express's name; --env would be Yeoman's own `env` option (the Environment every generator is given).
    key: 'setenv',
    flag: 'setenv',
    description:
      "Environment for the app, NAME=VALUE, repeatable (e.g. --setenv DJANGO_DEBUG=0; at the prompt, items apart and quoted as in a shell), as mod_wsgi-express --setenv: compose.yaml's environment in both shapes and the Kubernetes ConfigMap; secrets belong in --secret or .env (default: the variable Django's settings split ALLOWED_HOSTS from, set to localhost and 127.0.0.1)",
    prompt: 'input',
    list: true,
    repeatOnly: true,
    defaultValue: ctx => defaultAppEnvironment(ctx.facts, ctx.root),
    parse: raw => parseAppEnvironment(raw),
    // A value may hold spaces and commas: shell words both ways, so the default shown parses back.
    format: value => shellJoin(value),
    fromPrompt: line => splitPromptLine('--setenv', line),
  },
  {
    key: 'static',
    flag: 'static',
    description: 'Static files served by Apache, URL=directory, repeatable (e.g. --static /static=static)',
    prompt: 'input',
    list: true,
    defaultValue: () => [],
    parse: (raw, ctx) => parseStaticMappings(raw, ctx.root),
    store: formatStaticMappings,
    format: value => value.join(','),
  },
  {
    key: 'dataDirs',
    flag: 'data-dir',
    description:
      "Directory the app writes at run time (uploads), repeatable: owned by the app user, a named volume in compose.yaml (default: Flask's instance/, var/ for Django's SQLite database, django-compressor's STATIC_ROOT/CACHE, folders inside the project that --setenv or a config file it names points at, and empty project folders)",
    prompt: 'input',
    list: true,
    // After --setenv: a path inside the project that the app's environment names is a default.
    // A guess --data-dir itself would refuse (a path .dockerignore keeps out) is no default.
    defaultValue: (ctx, earlier) =>
      withEntry(ctx, earlier, entry =>
        defaultDataDirs(entry, ctx.facts, ctx.root, setenvOf(earlier)).filter(dir =>
          isValid(() => parseDataDirs([dir], ctx.root)),
        ),
      ) ?? [],
    parse: (raw, ctx) => parseDataDirs(raw, ctx.root),
    format: value => value.join(','),
  },
  {
    key: 'aptPackages',
    flag: 'apt-packages',
    description:
      'Extra Debian packages for the image, comma-separated (e.g. libpq5; on a Debian base also python3-* libraries, which the virtualenv sees)',
    prompt: 'input',
    list: true,
    defaultValue: () => [],
    parse: raw => parseAptPackages(raw),
    format: value => value.join(','),
  },
  {
    key: 'base',
    flag: 'base',
    description: `What the image is built on: ${BASE_NAMES.map(name => `${name} (${BASES[name].label})`).join(', ')}; debian means trixie`,
    prompt: 'select',
    choices: BASE_NAMES,
    defaultValue: () => DEFAULT_BASE,
    parse: raw => parseBase(raw),
  },
  {
    key: 'python',
    flag: 'python',
    description: `Python version X.Y (python base: ${BASES.python.pythons.join(', ')}; default: the project's .python-version, runtime.txt or requires-python, else the newest)`,
    prompt: 'input',
    defaultValue: (ctx, earlier) => defaultPythonVersion(baseOf(earlier), readPythonRequest(ctx.root)),
    parse: (raw, _ctx, earlier) => parsePythonVersion(raw, baseOf(earlier)),
  },
  {
    key: 'pythonBuild',
    flag: 'python-build',
    description: `Python's build on the python base: ${PYTHON_BUILDS.map(build => `${build} (${PYTHON_BUILD_LABELS[build]})`).join(', ')}`,
    prompt: 'select',
    choices: PYTHON_BUILDS,
    defaultValue: () => 'standard' as const,
    parse: raw => parsePythonBuild(raw),
  },
  {
    key: 'kubernetes',
    flag: 'kubernetes',
    description: 'Also write Kubernetes manifests (Deployment, Service, ConfigMap) for the same image',
    prompt: 'confirm',
    boolean: true,
    defaultValue: () => false,
    parse: raw => raw === true || raw === 'true',
  },
  integer(
    'maxReplicas',
    'max-replicas',
    'With --kubernetes: a HorizontalPodAutoscaler on CPU scales the Deployment up to this many pods; 0 writes none',
    0,
    0,
    MAX_REPLICAS,
    false,
  ),
  {
    key: 'image',
    flag: 'image',
    description: `With --kubernetes: the image the manifests deploy, REPOSITORY:TAG or REPOSITORY@DIGEST, a tag per build and never latest (default NAME:${DEFAULT_IMAGE_TAG}; later: kustomize edit set image)`,
    prompt: false,
    defaultValue: () => '',
    parse: raw => parseImageReference(raw),
  },
  {
    key: 'ingressHost',
    flag: 'ingress-host',
    description: 'With --kubernetes: an Ingress routing this host name to the Service (default: none)',
    prompt: false,
    defaultValue: () => '',
    parse: raw => parseIngressHost(raw),
  },
  {
    key: 'ci',
    flag: 'ci',
    description: `A CI workflow that builds the image with BuildKit's cache and runs yo wsgi-apache:check on it, failing on any failed request: github (${GITHUB_WORKFLOW}) or none`,
    prompt: false,
    choices: CI_SYSTEMS,
    defaultValue: () => 'none' as const,
    parse: raw => parseCiSystem(raw),
  },
  {
    key: 'https',
    flag: 'https',
    description: `The development shape serves HTTPS too (HTTP/2, a certificate for localhost from a CA of the project's own, which you trust once; no HSTS), on host port \${${PUBLISH_HTTPS_PORT_VARIABLE}:-${HTTPS_CONTAINER_PORT}}, mod_wsgi-express's --https-port; production leaves TLS to your proxy or Ingress`,
    prompt: false,
    boolean: true,
    defaultValue: () => false,
    parse: raw => raw === true || raw === 'true',
  },
  {
    key: 'healthPath',
    flag: 'health-path',
    description:
      "URL path the image HEALTHCHECK, the Kubernetes probes and yo wsgi-apache:check request (default: Django's admin login, else /)",
    prompt: 'input',
    defaultValue: (ctx, earlier) => underMountPoint(mountPointOf(earlier), defaultHealthPath(ctx.facts, ctx.root)),
    parse: raw => parseHealthPath(raw),
  },
  {
    key: 'initCommands',
    flag: 'init-command',
    description:
      "Shell command run once before serving, in the image with its environment and data volumes, repeatable (default: Django's migrate)",
    prompt: 'input',
    list: true,
    repeatOnly: true,
    defaultValue: (ctx, earlier) =>
      withEntry(ctx, earlier, entry => defaultInitCommands(entry, ctx.facts, ctx.root)) ?? [],
    parse: raw => parseInitCommands(raw),
    format: value => value.join(' && '),
  },
  {
    key: 'secrets',
    flag: 'secret',
    description:
      'A secret of the app, by NAME, repeatable (e.g. --secret SECRET_KEY; default: the variable the Django settings read SECRET_KEY from): its value lives in .secrets/NAME (created with a random value when missing; out of Git and the image), a Compose secret the app sees as NAME and NAME_FILE; in Kubernetes, a key of the Secret <name>-secrets',
    prompt: false,
    list: true,
    repeatOnly: true,
    defaultValue: ctx => defaultSecrets(ctx.facts, ctx.root),
    parse: raw => parseSecretNames(raw),
    format: value => value.join(' '),
  },
  {
    key: 'apacheModules',
    flag: 'apache-modules',
    description:
      'Apache modules your docker/apache/*.conf needs, comma-separated Debian names (e.g. rewrite,headers; their dependencies come along)',
    prompt: false,
    list: true,
    defaultValue: () => [],
    parse: raw => parseApacheModules(raw),
    format: value => value.join(','),
  },
  {
    key: 'proxies',
    flag: 'proxy',
    description:
      'Another HTTP service behind this Apache, URL=UPSTREAM, repeatable (e.g. --proxy /svc=http://other:8000 for a Compose service)',
    prompt: false,
    list: true,
    defaultValue: () => [],
    parse: raw => parseProxyRoutes(raw),
    store: formatProxyRoutes,
    format: value => value.join(','),
  },
  {
    key: 'mounts',
    flag: 'mount',
    description:
      'Another WSGI app at its own URL prefix in its own daemon process group, URL=ENTRY, repeatable (e.g. --mount /api=api/service:app: module service of directory api/, which may hold its own requirements.txt)',
    prompt: false,
    list: true,
    defaultValue: () => [],
    parse: (raw, ctx) => parseMounts(raw, ctx.root),
    store: formatMounts,
    format: value => value.join(','),
  },
  {
    key: 'services',
    flag: 'service',
    description: `Backing services Compose runs beside the app, comma-separated or repeated: ${SERVICE_NAMES.join(', ')} (official images, health-checked, data in named volumes; the app gets DATABASE_URL, REDIS_URL or CACHE_URL; default: what requirements and settings use)`,
    prompt: 'input',
    list: true,
    defaultValue: (ctx, earlier) => detectServices(ctx.root, ctx.facts, aptPackagesOf(earlier)),
    parse: raw => parseServices(raw),
    format: value => value.join(','),
  },
  {
    key: 'workers',
    flag: 'worker',
    description:
      "A background process from the app's image, NAME=COMMAND, repeatable (e.g. --worker worker=\"celery -A proj worker\"): a Compose service with the app's environment, restarted on code changes in development, and a Kubernetes Deployment (default: the Celery app beside Django's settings)",
    prompt: false,
    list: true,
    repeatOnly: true,
    defaultValue: ctx => formatWorkers(detectWorkers(ctx.root, ctx.facts)),
    parse: raw => parseWorkers(raw),
    store: formatWorkers,
    format: value => value.join(' '),
  },
];

/**
 * Merges the sources of answers and validates each, in the order flags > answers
 * (prompt or `.yo-rc.json`) > defaults, then the rules between them (coherence.ts).
 * @throws InputError for the first invalid or missing value
 */
export function resolveAnswers(
  flags: Partial<Record<keyof Answers, unknown>>,
  given: Partial<Record<keyof Answers, unknown>>,
  ctx: AnswerContext,
): ParsedAnswers {
  const answers: Partial<Record<keyof Answers, unknown>> = {};
  for (const field of FIELDS) {
    const raw = flags[field.key] ?? given[field.key] ?? field.defaultValue(ctx, answers);
    answers[field.key] = (field.parse as (raw: unknown, ctx: AnswerContext, earlier: object) => unknown)(
      raw,
      ctx,
      answers,
    );
  }
  checkAnswerCombination(answers as ParsedAnswers, ctx);
  return answers as ParsedAnswers;
}

/** The answers as `.yo-rc.json` keeps them: plain JSON, the parsed ones formatted as a user types them. */
export function storedAnswers(parsed: ParsedAnswers): Answers {
  const stored: Partial<Record<keyof Answers, unknown>> = {};
  for (const field of FIELDS) {
    const store = field.store as ((value: unknown) => unknown) | undefined;
    stored[field.key] = store ? store(parsed[field.key]) : parsed[field.key];
  }
  return stored as Answers;
}

/** The mount point answered so far (raw or parsed); `/` while none, or an invalid one, is given. */
function mountPointOf(earlier: Partial<Record<keyof Answers, unknown>>): string {
  try {
    return parseMountPoint(earlier.mountPoint);
  } catch {
    return '/';
  }
}

/** The Debian packages answered so far (raw or parsed); none while they are invalid. */
function aptPackagesOf(earlier: Partial<Record<keyof Answers, unknown>>): string[] {
  try {
    return parseAptPackages(earlier.aptPackages ?? []);
  } catch {
    return [];
  }
}

/** Whether `parse` returns rather than throws. */
function isValid(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/** The `--setenv` items answered so far (raw or parsed); none while they are invalid. */
function setenvOf(earlier: Partial<Record<keyof Answers, unknown>>): string[] {
  try {
    return parseAppEnvironment(earlier.setenv ?? []);
  } catch {
    return [];
  }
}

/** The base answered so far (raw or parsed); the default base while none, or an invalid one, is given. */
function baseOf(earlier: Partial<Record<keyof Answers, unknown>>): BaseName {
  try {
    return earlier.base === undefined ? DEFAULT_BASE : parseBase(earlier.base);
  } catch {
    return DEFAULT_BASE;
  }
}

/** Runs `derive` on the entry answered so far (or the detected one); undefined when there is none valid. */
function withEntry<T>(
  ctx: AnswerContext,
  earlier: Partial<Record<keyof Answers, unknown>>,
  derive: (entry: WsgiEntry) => T,
): T | undefined {
  // Resolved earlier fields hold the parsed entry; prompts pass the text typed so far.
  const given = earlier.entry ?? firstValidEntry(ctx);
  if (given === undefined) return undefined;
  try {
    return derive(
      typeof given === 'object' ? (given as WsgiEntry) : parseEntry(given, ctx.root, extraModuleRoots(ctx.facts)),
    );
  } catch {
    return undefined;
  }
}

function firstValidEntry(ctx: AnswerContext): string | undefined {
  for (const candidate of ctx.facts.entryCandidates) {
    try {
      return formatEntry(parseEntry(candidate, ctx.root, extraModuleRoots(ctx.facts)));
    } catch {
      // A candidate the parser rejects (e.g. a module file named my-app.py) is no candidate.
    }
  }
  return undefined;
}

/**
 * `--wsgi-mode`'s value.
 * @throws InputError naming the flag and the modes, for anything but `daemon` or `embedded`
 */
export function parseWsgiMode(raw: unknown): WsgiMode {
  const value = String(raw).trim().toLowerCase();
  if ((WSGI_MODES as readonly string[]).includes(value)) return value as WsgiMode;
  throw new InputError('--wsgi-mode', `"${String(raw)}" is not a WSGI mode`, `pass one of ${WSGI_MODES.join(', ')}`);
}
