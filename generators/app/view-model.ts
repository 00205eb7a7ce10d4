/**
 * The one typed view every template renders from. Templates hold no logic beyond
 * mustache sections, so everything they show is computed here, already in the form the
 * target file needs (absolute container paths, space-joined package lists, booleans
 * for optional blocks).
 */
import {
  APP_DIR,
  APP_UID,
  CONTAINER_PORT,
  ENVVARS_PATH,
  groupEnvPrefix,
  HEALTHCHECK_USER_AGENT,
  IMAGE_ENTRYPOINT,
  IMAGE_SCRIPTS_DIR,
  PROCESS_GROUP,
  PUBLISH_PORT_VARIABLE,
  RUNTIME_ENV_PATH,
  VENV_DIR,
} from '../lib/image-layout.js';
import { SECRET_PATTERNS, VCS_PATTERNS } from '../lib/dockerignore.js';
import { type AppVariable, appVariables, SECRETS_DIR } from './app-environment.js';
import { type ContainerLimit, containerLimits } from '../lib/container-limits.js';
import type { ProjectFacts } from './detect.js';
import { DJANGO_SQLITE_DATA_DIR, djangoRuntime } from './runtime-needs.js';
import { formatEntry, type WsgiEntry } from './entry.js';
import type { Answers, ParsedAnswers } from './options.js';
import { BASES, type BaseName, PYTHON_OPTIMIZATIONS } from './bases.js';
import { dataVolumeName } from './validators.js';
import { modulesToLoad } from './apache-modules.js';
import { withNeededRecommends } from './apt-recommends.js';
import { nativeNeeds } from './native-builds.js';
import { declaredPackages } from './python-deps.js';
import type { ProxyRoute } from './proxy-routes.js';
import {
  APACHE_WORKERS,
  MAXIMUM_MEMORY,
  type ImageVariable,
  imageEnvironment,
  type TunableAnswer,
  TUNABLES,
} from '../lib/tunables.js';
import { type ServiceView, serviceViews } from './services.js';
import { type WorkerView, workerViews } from './workers.js';
import { formatMounts, type Mount, mountRequirements } from './mounts.js';
import { type KubernetesSizing, kubernetesSizing } from './kubernetes.js';
import { BASE_FILE } from './upgrade.js';
import { type RuntimeEnv, runtimeEnv } from './runtime-env.js';
import {
  DEV_OUTPUT_DIR,
  DEV_TOOL_SETTINGS,
  DEVELOPMENT_SWITCHES,
  type DevelopmentSwitch,
  type DevToolSetting,
} from '../lib/development-switches.js';

export { APP_DIR, APP_UID, CONTAINER_PORT, PROCESS_GROUP, VENV_DIR } from '../lib/image-layout.js';
/** Where the official Python image's builds keep coverage.py (`pip install --target`), off the app's own path. */
export const DEV_TOOLS_PYTHON_PATH = '/opt/wsgi-devtools';
/** Where collectstatic puts a Django project's static files when its settings set no `STATIC_ROOT`: outside the bind mount. */
export const DJANGO_DEFAULT_STATIC_DIR = '/srv/static';
/** The settings module the image runs Django with (`docker/django/wsgi_apache_settings.py`): the project's own, plus what the image needs. */
export const DJANGO_CONTAINER_SETTINGS = 'wsgi_apache_settings';

export interface StaticAlias {
  /** URL prefix without trailing slash, e.g. `/static` */
  url: string;
  /** absolute directory inside the container */
  path: string;
}

/** A directory the app writes: owned by the app user, a named volume in production, the host folder in development. */
export interface DataDir {
  /** project-relative, e.g. `instance` */
  dir: string;
  /** absolute inside the container */
  path: string;
  /** compose named-volume name, e.g. `data-instance` */
  volume: string;
}

/** The daemon's tunables, as answered (`WSGIDaemonProcess` options; see {@link Answers}). */
type DaemonTunables = Pick<
  Answers,
  'processes' | 'threads' | 'maximumRequests' | 'requestTimeout' | 'gracefulTimeout' | 'queueTimeout'
>;

/** A WSGI entry as the templates load it: the project's app, or a mounted one. */
export interface EntryView {
  /** the entry as the user typed it */
  entryText: string;
  /** the callable's module, '' for a WSGI script */
  entryModule: string;
  entryCallable: string;
  entryFactory: boolean;
  /** absolute path of the WSGI script file in the container (`WSGIScriptAlias` target) */
  wsgiScript: string;
  /** its directory, for the `<Directory>` grant */
  wsgiScriptDir: string;
  /** its file name, for the `<Files>` grant */
  wsgiScriptFile: string;
  /** `python-path=` of the daemon: the directory holding the entry's top package (a script's: its directory, or the project's) */
  pythonPath: string;
}

export interface ViewModel extends DaemonTunables, EntryView {
  generatorVersion: string;
  /** what the generator last wrote, the base of an upgrade's merge (upgrade.ts): kept out of the image */
  upgradeBaseFile: string;
  name: string;
  /** `WSGIDaemonProcess` / `WSGIProcessGroup` name */
  processGroup: string;
  hostPort: number;
  /** the variable compose.yaml publishes the host port from, and its read: `${PUBLISH_PORT:-8000}` (image-layout.ts) */
  publishPortVariable: string;
  publishedPort: string;
  /** where the image keeps runtime/envvars and the data it reads (image-layout.ts) */
  envvarsPath: string;
  runtimeEnvPath: string;
  containerPort: number;
  appUid: number;
  /** the `FROM` image, e.g. `python:3.13-slim-trixie` */
  baseImage: string;
  /** `--base`: `python`, `trixie` or `bookworm` */
  baseName: BaseName;
  /** Debian release under the image */
  debianRelease: string;
  /** Python `X.Y` */
  pythonVersion: string;
  modWsgiVersion: string;
  /** mod_wsgi built by pip in a build stage on the official Python image (false: Debian's packages) */
  pypiModWsgi: boolean;
  /** `--python-build optimized`: a build stage rebuilds the image's CPython for embedding */
  optimizedPython: boolean;
  /** that stage's default configure optimization options (bases.ts PYTHON_OPTIMIZATIONS) */
  pythonOptimizations: string;
  /** wheelhouse/ files that are CPython X.Y source tarballs: copied alone into that stage, so it stays cached while wheels change */
  pythonSources: string[];
  /** absolute path of the image's Python 3, outside the virtualenv (Apache's piped logger runs it) */
  systemPython: string;
  appDir: string;
  venvDir: string;
  /** seconds `docker stop` waits before SIGKILL: the daemon's graceful-timeout plus 5 s for Apache to drain */
  stopGracePeriod: number;
  /** true when the generator writes `docker/app.wsgi` (callable entries); false for the user's own script */
  generatedScript: boolean;
  staticAliases: StaticAlias[];
  hasStaticAliases: boolean;
  /** `--entry` of a module the image installs (not in the project): the build checks it imports */
  installedEntry: boolean;
  /** the module and entry of {@link installedEntry} ('' otherwise) */
  installedModule: string;
  installedEntryText: string;
  /** `--static` directories the image provides (outside the project): the build checks them */
  systemStaticDirs: string[];
  hasSystemStaticDirs: boolean;
  /** `--apt-packages`, their needed Recommends, and the libraries the Python packages load (native-builds.ts), space-separated */
  aptPackages: string;
  /** what pip needs beside gcc and libc6-dev to build the declared packages from source, space-separated */
  nativeBuildPackages: string;
  hasNativeBuild: boolean;
  hasAptPackages: boolean;
  requirementsTxt: boolean;
  /** requirements.txt and the files it includes, project-relative: one COPY each into /tmp/python-deps, same layout */
  requirementFiles: string[];
  pyprojectDependencies: boolean;
  /** pyproject.toml with a build backend: `pip install -e` the project after it is copied in */
  installsProject: boolean;
  /** project-relative files the image's Python dependencies come from: a change needs a rebuild (Compose Watch) */
  dependencyFiles: string[];
  wheelhouse: boolean;
  /** default of the `PIP_FIND_LINKS` build arg: the copied wheelhouse, or '' */
  pipFindLinks: string;
  /** any Python dependencies to pip-install into the virtualenv */
  installsPythonDeps: boolean;
  /**
   * the Dockerfile has a `python-deps` stage: pip runs there, with the `PIP_*` build args, and
   * only its virtualenvs reach the image (a token in `PIP_INDEX_URL` never enters the image's history)
   */
  pythonDepsStage: boolean;
  /** some build stage runs pip (mod_wsgi's or the dependencies'), through `docker/pip-install` */
  runsPip: boolean;
  django: boolean;
  djangoSettingsModule: string;
  /** Django with `STATIC_ROOT`: run collectstatic at build time */
  collectstatic: boolean;
  /** Django with django-compressor offline (`COMPRESS_OFFLINE = True`): run `compress --force` after collectstatic */
  djangoCompressOffline: boolean;
  dataDirs: DataDir[];
  hasDataDirs: boolean;
  /** container paths the dev bind mount must not hide (build-time output such as collectstatic's) */
  devPreservedPaths: string[];
  /** the same, relative to the project root (Compose Watch ignores them) */
  devPreservedDirs: string[];
  hasDevPreservedPaths: boolean;
  frameworkLabel: string;
  /** write the Kubernetes manifests */
  kubernetes: boolean;
  kube: KubernetesSizing;
  /** the container's memory, pids, /tmp and log bounds, for DOCKER.md (../lib/container-limits.ts) */
  containerLimits: ContainerLimit[];
  /** each bound as compose.yaml writes it, by variable: `${CONTAINER_MEMORY_LIMIT:-640m}` */
  composeLimit: Record<string, string>;
  /** requested with `Host: localhost` by the HEALTHCHECK, the probes and the check */
  healthPath: string;
  /** the HEALTHCHECK's `User-Agent`, whose requests the development tools pass straight to the app */
  healthcheckUserAgent: string;
  /** where the image keeps root-owned copies of scripts root may run (image-layout.ts) */
  imageScriptsDir: string;
  /** the image's run-time variables and defaults, in the Dockerfile's `ENV` order (generators/lib/tunables.ts) */
  imageEnvironment: ImageVariable[];
  /** `--setenv`: the app's own variables, in compose.yaml's environment and the ConfigMap */
  appEnvironment: AppVariable[];
  /** `--secret` and the services' passwords: each name, its value's file in the project and where Compose mounts it */
  secrets: { name: string; file: string; mounted: string }[];
  hasSecrets: boolean;
  /** `--service`: the backing services Compose runs (services.ts) */
  backingServices: ServiceView[];
  hasBackingServices: boolean;
  /** the services' URLs that hold no password: set in compose.yaml's environment */
  serviceUrls: { name: string; value: string }[];
  /** the services' URLs that hold their password's secret: docker/entrypoint sets them when unset */
  passwordUrls: { name: string; password: string; url: string }[];
  hasPasswordUrls: boolean;
  /** the services' volumes */
  serviceVolumes: string[];
  /** compose.yaml has a top-level `volumes:` (data directories or services' data) */
  hasVolumes: boolean;
  /** the app's service waits for something (init, services) */
  appDependsOn: boolean;
  /** the image's entry point (image-layout.ts) */
  imageEntrypoint: string;
  /** `--worker`: background processes from the app's image (workers.ts) */
  workers: WorkerView[];
  hasWorkers: boolean;
  /** the project's folder of secret values (`.secrets`) */
  secretsDir: string;
  /** the Kubernetes Secret the manifests read them from */
  secretName: string;
  /** the same defaults by name, for templates that place them one by one */
  imageDefaults: Record<string, string>;
  /** the daemon's tunables as compose.yaml passes them, the answer as default: `${WSGI_PROCESSES:-2}` (tunables.ts) */
  daemonEnvironment: { env: string; compose: string }[];
  /** what docker/envvars and docker/start-apache read from docker/wsgi-apache.env ({@link runtimeEnv}) */
  runtimeEnv: RuntimeEnv;
  /** how envvars derives and bounds `APACHE_MAX_REQUEST_WORKERS` (generators/lib/tunables.ts) */
  apacheWorkers: typeof APACHE_WORKERS;
  /** how envvars derives and bounds `WSGI_MAXIMUM_MEMORY` (generators/lib/tunables.ts) */
  maximumMemory: typeof MAXIMUM_MEMORY;
  /** lines of `docker/init`, run before serving, each also single-quoted for `printf` */
  initCommands: { command: string; quoted: string }[];
  hasInitCommands: boolean;
  /** Django: the settings module the image sets (wraps `djangoSettingsModule`) */
  djangoContainerSettings: string;
  /** Django: the directory holding that module, added to the Python path */
  djangoContainerSettingsDir: string;
  /** Django: the command management commands run with in the image, e.g. `python manage.py` or `python -m django` */
  djangoManage: string;
  /** Django without its own `STATIC_ROOT`: where collectstatic writes ('' otherwise) */
  djangoDefaultStaticRoot: string;
  /** Django with SQLite inside the project: project-relative database file, kept out of the image ('' otherwise) */
  djangoSqliteFile: string;
  /** ...and the data directory it moves to where the project is read-only ('' when none) */
  djangoSqliteDataPath: string;
  /** Django settings that read DATABASE_URL themselves: the container settings leave DATABASES alone */
  djangoReadsDatabaseUrl: boolean;
  /** `PYTHONPATH` of the image, so `docker compose run SERVICE python ...` imports what the daemon does */
  pythonPathEnv: string;
  /** `LoadModule`s beyond the fixed set: `--apache-modules`, plus mod_proxy_http and mod_headers for `--proxy`; dependencies first */
  apacheModules: LoadedModule[];
  hasApacheModules: boolean;
  /** `--proxy` routes but the front end's, shortest prefix first (each a `<Location>`; the last matching one wins) */
  proxyRoutes: ProxyRoute[];
  /** `--proxy /`, the front end that gets every request no other prefix claims: one route, or none */
  frontEnd: ProxyRoute[];
  /** prefixes the front end leaves to Apache and the WSGI apps (`ProxyPass X !`, before its own) */
  proxyExclusions: string[];
  /** the URL prefix the project's app answers under (`--mount-point`), `/` by default */
  mountPoint: string;
  hasProxyRoutes: boolean;
  /** the wildcard `docker/apache2.conf` includes the project's own directives from (`docker/apache/*.conf`) */
  userApacheConfig: string;
  /** which URL prefix goes where, in the order Apache matches them (DOCKER.md's routing table) */
  routes: Route[];
  /** `--mount`ed apps, longest prefix first (mod_wsgi takes the first `WSGIScriptAlias` that matches) */
  mounts: MountView[];
  hasMounts: boolean;
  /** the mounts that are callables, which `docker/mount.wsgi` imports by process group */
  mountCallables: MountView[];
  hasMountCallables: boolean;
  /** the mounts with a virtualenv of their own (their directory's requirements.txt) */
  mountVenvs: MountView[];
  hasMountVenvs: boolean;
  /** `python3 -m venv` options of every virtualenv: Debian bases see Debian's python3-* packages */
  venvOptions: string;
  /** the reload monitor's watch list, JSON: process group → directory it watches and directories of other groups to skip */
  /** docker/wsgi-apache.json: what varies per project for the runtime files (runtime/), as JSON text */
  runtimeData: string;
  /** the development switches (generators/lib/development-switches.ts), each with its shell/Compose read, e.g. `${WSGI_PROFILER:-0}` */
  developmentSwitches: (DevelopmentSwitch & { orOff: string })[];
  /** the switches compose.override.yaml takes from the shell */
  shellSwitches: (DevelopmentSwitch & { orOff: string })[];
  /** the request tools' settings, with the image's default ('' for none) and Compose's read of the shell, e.g. `${WSGI_RECORDER_MASK:-}` */
  devToolSettings: (DevToolSetting & { default: string; fromShell: string })[];
  /** where the request tools write, relative to the app directory (`.wsgi`) */
  devOutputDir: string;
  /** `.dockerignore`'s secret patterns (dockerignore.ts), one a line there */
  secretPatterns: readonly string[];
  /** the same, as DOCKER.md lists them: `` `**\/.env`, `**\/.env.*`, ... `` */
  secretPatternList: string;
  /** `.dockerignore`'s version-control patterns */
  vcsPatterns: readonly string[];
  vcsPatternList: string;
  /** absolute path of `docker/devtools.wsgi`, the WSGI script of every app while a request tool is on */
  devToolsScript: string;
  /** where pip put coverage.py outside the app's virtualenv (official Python image); '' where it is Debian's python3-coverage */
  coveragePath: string;
}

/** One `--mount`ed app, as docker/apache2.conf, envvars, the Dockerfile and docker/mount.wsgi show it. */
export interface MountView extends EntryView {
  url: string;
  /** process group and display-name */
  group: string;
  /** `python-home=`: its own virtualenv, or the image's */
  pythonHome: string;
  /** `home=`: its directory in the container */
  home: string;
  /** its requirements.txt, project-relative ('' when it shares the image's virtualenv) */
  requirements: string;
  /** the environment variable of each `WSGIDaemonProcess` tunable, e.g. `WSGI_API_PROCESSES` */
  env: Record<TunableAnswer, string>;
  /** the same as Apache reads it, e.g. `${WSGI_API_PROCESSES}` */
  ref: Record<TunableAnswer, string>;
  /** Compose's and the ConfigMap's read of each variable, e.g. `${WSGI_API_PROCESSES:-}` (empty: the global value) */
  tunables: { env: string; compose: string }[];
  /** what each of its variables starts with, e.g. `WSGI_API_` */
  envPrefix: string;
}

/** One module of {@link ViewModel.apacheModules}: `LoadModule <symbol> /usr/lib/apache2/modules/<file>`. */
export type LoadedModule = ReturnType<typeof modulesToLoad>[number];

/** One row of the request routing: a URL prefix and what answers under it. */
export interface Route {
  prefix: string;
  target: string;
}

/**
 * Builds the view from validated answers and the detected project.
 * @param answers - validated answers (see `resolveAnswers`)
 * @param facts - what `detectProject` found
 * @param root - the project root, to resolve the entry and static directories
 * @param generatorVersion - this package's version, stamped into generated files
 */
export function toViewModel(
  answers: ParsedAnswers,
  facts: ProjectFacts,
  root: string,
  generatorVersion: string,
): ViewModel {
  const entry = answers.entry;
  const base = BASES[answers.base];
  const container = (rel: string) => (rel === '.' ? APP_DIR : `${APP_DIR}/${rel}`);
  const primary = entryView(entry, formatEntry(entry), 'app.wsgi', APP_DIR, container);

  const aliases: StaticAlias[] = answers.static.map(m => ({
    url: m.url,
    path: m.system ? m.dir : container(m.dir),
  }));
  const djangoStatic = facts.djangoStatic;
  const django = djangoRuntime(facts, root);
  const collectstatic = django !== undefined;
  const djangoDefaultStaticRoot = django && !djangoStatic ? DJANGO_DEFAULT_STATIC_DIR : '';
  const staticAlias = djangoStatic
    ? { url: djangoStatic.url, path: container(djangoStatic.root) }
    : django?.staticUrl
      ? { url: django.staticUrl, path: DJANGO_DEFAULT_STATIC_DIR }
      : undefined;
  if (staticAlias && !aliases.some(a => a.url === staticAlias.url)) aliases.push(staticAlias);
  // Longer prefixes first, so /static/admin is matched before /static.
  aliases.sort((a, b) => b.url.length - a.url.length || a.url.localeCompare(b.url));

  const dataDirs = answers.dataDirs.map(dir => ({
    dir,
    path: container(dir),
    volume: dataVolumeName(dir),
  }));
  const preservedDirs = djangoStatic ? [djangoStatic.root] : [];
  const preserved = preservedDirs.map(container);
  const djangoSqliteData = django?.sqliteFile ? dataDirs.find(d => d.dir === DJANGO_SQLITE_DATA_DIR) : undefined;
  const pythonPath = primary.pythonPath;
  const djangoContainerSettingsDir = `${APP_DIR}/docker/django`;
  const environment = imageEnvironment(answers);
  const services = serviceViews(answers.services);
  // A service's password is a secret of the app's too: docker/entrypoint builds the URL from it.
  const devToolSettings = DEV_TOOL_SETTINGS.map(setting => ({
    ...setting,
    default: environment.find(variable => variable.name === setting.env)?.value ?? setting.default ?? '',
    fromShell: `\${${setting.env}:-}`,
  }));
  const passwordUrls = services
    .filter(s => s.password !== '')
    .map(s => ({ name: s.urlVariable, password: s.password, url: s.url }));
  const secretNames = [...new Set([...answers.secrets, ...services.map(s => s.password).filter(p => p !== '')])];
  const limits = containerLimits(answers.processes, answers.threads);
  // Shortest prefix first: of the <Location> sections matching a request, the last one's ProxyPass wins.
  const mounts = [...answers.mounts]
    .sort((a, b) => b.url.length - a.url.length || a.url.localeCompare(b.url))
    .map(mount => mountView(mount, root, container));
  const installsPythonDeps =
    facts.requirementsTxt || facts.pyprojectDependencies || facts.pyprojectBuildBackend !== undefined;
  const native = installsPythonDeps ? nativeNeeds(declaredPackages(root, facts)) : { build: [], run: [] };
  const aptPackages = withNeededRecommends([
    ...answers.aptPackages,
    ...native.run.filter(name => !answers.aptPackages.some(item => item.split('=')[0] === name)),
  ]);
  const proxyRoutes = [...answers.proxies].sort((a, b) => a.url.length - b.url.length || a.url.localeCompare(b.url));
  const frontEnd = proxyRoutes.find(route => route.url === '/');
  const proxyExclusions = frontEnd
    ? [
        ...new Set([
          ...proxyRoutes.slice(1).map(r => r.url),
          ...aliases.map(a => a.url),
          ...mounts.map(m => m.url),
          answers.mountPoint,
        ]),
      ].sort((a, b) => a.length - b.length || a.localeCompare(b))
    : [];
  const switches = DEVELOPMENT_SWITCHES.map(s => ({ ...s, orOff: `\${${s.env}:-0}` }));
  const loaded = modulesToLoad([...answers.apacheModules, ...(proxyRoutes.length > 0 ? ['proxy_http'] : [])]);
  return {
    generatorVersion,
    upgradeBaseFile: BASE_FILE,
    name: answers.name,
    processGroup: PROCESS_GROUP,
    hostPort: answers.port,
    publishPortVariable: PUBLISH_PORT_VARIABLE,
    publishedPort: `\${${PUBLISH_PORT_VARIABLE}:-${answers.port}}`,
    envvarsPath: ENVVARS_PATH,
    runtimeEnvPath: RUNTIME_ENV_PATH,
    containerPort: CONTAINER_PORT,
    appUid: APP_UID,
    baseImage: base.image(answers.python),
    baseName: answers.base,
    debianRelease: base.debian,
    pythonVersion: answers.python,
    modWsgiVersion: base.modWsgi,
    pypiModWsgi: base.pypiModWsgi,
    optimizedPython: answers.pythonBuild === 'optimized',
    pythonOptimizations: PYTHON_OPTIMIZATIONS,
    pythonSources: facts.pythonSources.filter(name => name.startsWith(`Python-${answers.python}.`)),
    systemPython: base.pypiModWsgi ? '/usr/local/bin/python3' : '/usr/bin/python3',
    appDir: APP_DIR,
    venvDir: VENV_DIR,
    processes: answers.processes,
    threads: answers.threads,
    maximumRequests: answers.maximumRequests,
    requestTimeout: answers.requestTimeout,
    gracefulTimeout: answers.gracefulTimeout,
    queueTimeout: answers.queueTimeout,
    stopGracePeriod: answers.gracefulTimeout + 5,
    ...primary,
    generatedScript: entry.kind === 'callable',
    pythonPath: django ? `${pythonPath}:${djangoContainerSettingsDir}` : pythonPath,
    staticAliases: aliases,
    hasStaticAliases: aliases.length > 0,
    installedEntry: answers.entry.kind === 'callable' && answers.entry.installed === true,
    installedModule: answers.entry.kind === 'callable' && answers.entry.installed ? answers.entry.module : '',
    installedEntryText: answers.entry.kind === 'callable' && answers.entry.installed ? formatEntry(answers.entry) : '',
    systemStaticDirs: answers.static.filter(m => m.system).map(m => m.dir),
    hasSystemStaticDirs: answers.static.some(m => m.system),
    aptPackages: aptPackages.join(' '),
    hasAptPackages: aptPackages.length > 0,
    // Debian's Python has its headers in python3-dev; the official image has them in /usr/local/include.
    nativeBuildPackages: [...(base.pypiModWsgi ? [] : ['python3-dev']), ...native.build].join(' '),
    hasNativeBuild: native.build.length > 0,
    requirementsTxt: facts.requirementsTxt,
    requirementFiles: facts.requirementFiles,
    pyprojectDependencies: facts.pyprojectDependencies,
    installsProject: facts.pyprojectBuildBackend !== undefined,
    dependencyFiles: [
      ...facts.requirementFiles,
      ...(facts.pyprojectDependencies || facts.pyprojectBuildBackend !== undefined ? ['pyproject.toml'] : []),
    ],
    wheelhouse: facts.wheelhouse,
    pipFindLinks: facts.wheelhouse ? '/tmp/wheelhouse' : '',
    installsPythonDeps,
    pythonDepsStage: installsPythonDeps || mounts.some(mount => mount.requirements !== ''),
    runsPip: base.pypiModWsgi || installsPythonDeps || mounts.some(mount => mount.requirements !== ''),
    django: django !== undefined,
    djangoSettingsModule: facts.djangoSettingsModule ?? '',
    collectstatic,
    djangoCompressOffline: django?.compressOffline ?? false,
    dataDirs,
    hasDataDirs: dataDirs.length > 0,
    devPreservedPaths: preserved,
    devPreservedDirs: preservedDirs,
    hasDevPreservedPaths: preserved.length > 0,
    frameworkLabel: django ? 'Django' : facts.framework === 'flask' ? 'Flask' : 'WSGI',
    kubernetes: answers.kubernetes,
    // One writer per ReadWriteOnce data volume; stateless apps get two replicas.
    kube: kubernetesSizing(
      answers.processes,
      answers.gracefulTimeout,
      dataDirs.length,
      answers.maxReplicas,
      answers.workers.length,
    ),
    containerLimits: limits,
    composeLimit: Object.fromEntries(limits.map(limit => [limit.env, `\${${limit.env}:-${limit.value}}`])),
    healthPath: answers.healthPath,
    healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
    imageScriptsDir: IMAGE_SCRIPTS_DIR,
    runtimeEnv: runtimeEnv(environment, mounts, devToolSettings, {
      secrets: secretNames,
      dataDirs,
      passwordUrls,
    }),
    passwordUrls,
    hasPasswordUrls: passwordUrls.length > 0,
    imageEnvironment: environment,
    daemonEnvironment: TUNABLES.filter(t => t.answer !== undefined).map(t => ({
      env: t.env,
      compose: `\${${t.env}:-${answers[t.answer!]}}`,
    })),
    imageDefaults: Object.fromEntries(environment.map(variable => [variable.name, variable.value])),
    apacheWorkers: APACHE_WORKERS,
    maximumMemory: MAXIMUM_MEMORY,
    initCommands: answers.initCommands.map(command => ({ command, quoted: `'${command.replaceAll("'", "'\\''")}'` })),
    hasInitCommands: answers.initCommands.length > 0,
    djangoContainerSettings: DJANGO_CONTAINER_SETTINGS,
    djangoContainerSettingsDir,
    djangoManage: django?.manage ?? '',
    djangoDefaultStaticRoot,
    djangoSqliteFile: django?.sqliteFile ?? '',
    djangoSqliteDataPath: djangoSqliteData?.path ?? '',
    djangoReadsDatabaseUrl: django?.readsDatabaseUrl ?? false,
    pythonPathEnv: django ? `${pythonPath}:${djangoContainerSettingsDir}` : pythonPath,
    apacheModules: loaded,
    hasApacheModules: loaded.length > 0,
    proxyRoutes: proxyRoutes.filter(route => route !== frontEnd),
    hasProxyRoutes: proxyRoutes.length > 0,
    frontEnd: frontEnd ? [frontEnd] : [],
    proxyExclusions,
    mountPoint: answers.mountPoint,
    userApacheConfig: `${APP_DIR}/docker/apache/*.conf`,
    // mod_proxy translates a URL before mod_alias does, and mod_alias before mod_wsgi.
    // The longest prefix that matches wins: mod_proxy's <Location>s are merged in order with its
    // exclusions, mod_alias and mod_wsgi take their first match, listed longest first.
    routes: [
      ...proxyRoutes.map(route => ({ prefix: route.url, target: `${route.upstream} (mod_proxy)` })),
      ...aliases.map(alias => ({ prefix: alias.url, target: `files in ${alias.path} (Apache)` })),
      ...mounts.map(mount => ({
        prefix: mount.url,
        target: `the WSGI app ${mount.entryText} (mod_wsgi, process group ${mount.group})`,
      })),
      {
        prefix: answers.mountPoint,
        target: `the WSGI app ${formatEntry(answers.entry)} (mod_wsgi, process group ${PROCESS_GROUP})`,
      },
    ].sort((a, b) => b.prefix.length - a.prefix.length),
    mounts,
    hasMounts: mounts.length > 0,
    mountCallables: mounts.filter(mount => mount.entryModule !== ''),
    hasMountCallables: mounts.some(mount => mount.entryModule !== ''),
    mountVenvs: mounts.filter(mount => mount.requirements !== ''),
    hasMountVenvs: mounts.some(mount => mount.requirements !== ''),
    venvOptions: base.pypiModWsgi ? '' : '--system-site-packages ',
    runtimeData: runtimeData({
      mounts: answers.mounts,
      views: mounts,
      container,
      wsgiScript: primary.wsgiScript,
      coveragePath: base.pypiModWsgi ? DEV_TOOLS_PYTHON_PATH : '',
      // Production moves this SQLite file to the data volume (docker/django/wsgi_apache_settings.py).
      relocated: djangoSqliteData && django?.sqliteFile ? [container(django.sqliteFile)] : [],
    }),
    developmentSwitches: switches,
    shellSwitches: switches.filter(s => s.fromShell),
    devToolSettings,
    appEnvironment: appVariables(answers.setenv),
    secrets: secretNames.map(secret => ({
      name: secret,
      file: `./${SECRETS_DIR}/${secret}`,
      mounted: `/run/secrets/${secret}`,
    })),
    hasSecrets: secretNames.length > 0,
    backingServices: services,
    hasBackingServices: services.length > 0,
    serviceUrls: services.filter(s => s.password === '').map(s => ({ name: s.urlVariable, value: s.url })),
    serviceVolumes: services.filter(s => s.volume !== '').map(s => s.volume),
    hasVolumes: dataDirs.length > 0 || services.some(s => s.volume !== ''),
    appDependsOn: answers.initCommands.length > 0 || services.length > 0,
    imageEntrypoint: IMAGE_ENTRYPOINT,
    workers: workerViews(answers.workers, answers.name, APP_DIR, IMAGE_ENTRYPOINT),
    hasWorkers: answers.workers.length > 0,
    secretsDir: SECRETS_DIR,
    secretName: `${answers.name}-secrets`,
    devOutputDir: DEV_OUTPUT_DIR,
    secretPatterns: SECRET_PATTERNS,
    secretPatternList: codeList(SECRET_PATTERNS),
    vcsPatterns: VCS_PATTERNS,
    vcsPatternList: codeList(VCS_PATTERNS),
    devToolsScript: `${APP_DIR}/docker/devtools.wsgi`,
    coveragePath: base.pypiModWsgi ? DEV_TOOLS_PYTHON_PATH : '',
  };
}

/** Where each mounted app's files are in the image, how it is tuned, and what it imports. */
function mountView(mount: Mount, root: string, container: (rel: string) => string): MountView {
  const prefix = groupEnvPrefix(mount.group);
  const daemonTunables = TUNABLES.filter(t => t.answer !== undefined);
  const env = Object.fromEntries(daemonTunables.map(t => [t.answer, t.env.replace(/^WSGI_/, prefix)])) as Record<
    TunableAnswer,
    string
  >;
  const requirements = mountRequirements(mount, root) ?? '';
  const text = formatMounts([mount])[0].slice(mount.url.length + 1);
  return {
    ...entryView(mount.entry, text, 'mount.wsgi', container(mount.dir), container),
    url: mount.url,
    group: mount.group,
    pythonHome: requirements === '' ? VENV_DIR : `/opt/venvs/${mount.group}`,
    home: container(mount.dir),
    requirements,
    env,
    ref: Object.fromEntries(Object.entries(env).map(([key, name]) => [key, `\${${name}}`])) as Record<
      TunableAnswer,
      string
    >,
    tunables: daemonTunables.map(t => ({ env: env[t.answer!], compose: `\${${env[t.answer!]}:-}` })),
    envPrefix: prefix,
  };
}

/**
 * The data the runtime files read from docker/wsgi-apache.json, as its text (2-space JSON):
 * - `reloadWatch` for runtime/reloader.py ({@link reloadWatch}) from `mounts`;
 * - `wsgiScript`, the container path of the project app's WSGI script, for runtime/debug.wsgi;
 * - `devTools` for runtime/devtools.wsgi: `apps` maps a process group (daemon mode) or
 *   application group (debug mode, `""` for %{GLOBAL}) to its WSGI script and the directory
 *   coverage measures (the project's, and each of `views`, the mounted apps); `outputDir`
 *   (project-relative), `coveragePath` (where the image keeps coverage.py outside the app's
 *   virtualenv, `""` for Debian's python3-coverage) and the health check's User-Agent, whose
 *   requests the tools leave out;
 * - `writeWatch.relocated` for runtime/write-watch.py: container paths of files inside the
 *   project that production moves to a data volume (Django's SQLite database), so writes to
 *   them need no --data-dir.
 */
function runtimeData(data: {
  mounts: readonly Mount[];
  views: readonly Pick<MountView, 'group' | 'wsgiScript' | 'home'>[];
  container: (rel: string) => string;
  wsgiScript: string;
  coveragePath: string;
  relocated: string[];
}): string {
  const apps = {
    [PROCESS_GROUP]: [data.wsgiScript, APP_DIR],
    '': [`${APP_DIR}/docker/debug.wsgi`, APP_DIR],
    ...Object.fromEntries(data.views.map(view => [view.group, [view.wsgiScript, view.home]])),
  };
  const devTools = {
    apps,
    outputDir: DEV_OUTPUT_DIR,
    coveragePath: data.coveragePath,
    healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
  };
  return JSON.stringify(
    {
      reloadWatch: reloadWatch(data.mounts, data.container),
      wsgiScript: data.wsgiScript,
      devTools,
      writeWatch: { relocated: data.relocated },
    },
    null,
    2,
  );
}

/**
 * What the reload monitor of each process group watches: the directory of its app, less the
 * directories of other groups' apps inside it, so an edit restarts only the group it belongs to.
 * @returns group → `{ root, skip }`, absolute container paths
 */
function reloadWatch(
  mounts: readonly Mount[],
  container: (rel: string) => string,
): Record<string, { root: string; skip: string[] }> {
  const dirs = [{ group: PROCESS_GROUP, dir: '.' }, ...mounts.map(m => ({ group: m.group, dir: m.dir }))];
  return Object.fromEntries(
    dirs.map(({ group, dir }) => [
      group,
      {
        root: container(dir),
        skip: dirs
          .filter(other => other.dir !== dir && (dir === '.' || other.dir.startsWith(`${dir}/`)))
          .map(other => container(other.dir)),
      },
    ]),
  );
}

/**
 * How the templates load `entry`: a callable through the generated script `docker/<script>`
 * (python-path: its module root), a WSGI script through itself (python-path: `scriptPath`).
 * @param text - the entry as the user typed it
 */
function entryView(
  entry: WsgiEntry,
  text: string,
  script: string,
  scriptPath: string,
  container: (rel: string) => string,
): EntryView {
  const wsgiScript = entry.kind === 'script' ? container(entry.path) : `${APP_DIR}/docker/${script}`;
  const slash = wsgiScript.lastIndexOf('/');
  return {
    entryText: text,
    entryModule: entry.kind === 'callable' ? entry.module : '',
    entryCallable: entry.kind === 'callable' ? entry.callable : '',
    entryFactory: entry.kind === 'callable' && entry.factory,
    wsgiScript,
    wsgiScriptDir: wsgiScript.slice(0, slash),
    wsgiScriptFile: wsgiScript.slice(slash + 1),
    pythonPath: entry.kind === 'callable' ? container(entry.moduleRoot) : scriptPath,
  };
}

/** Markdown inline code, comma-separated: `` `a`, `b` ``. */
function codeList(items: readonly string[]): string {
  return items.map(item => `\`${item}\``).join(', ');
}
