/**
 * What every generated file is derived from: the validated answers and the detected project,
 * with the derivations more than one output shares done once (static aliases, data
 * directories, mounted apps, services, secrets). Pure: the disk was read by detection
 * (detect.ts) and by the answers' parsing (options.ts). Each output's view (the other
 * modules of this folder) picks from it what its templates show.
 */
import { APP_DIR, groupEnvPrefix, IMAGE_ENTRYPOINT, VENV_DIR } from '../../lib/image-layout.js';
import { type AppVariable, appVariables, SECRETS_DIR } from '../app-environment.js';
import type { ProjectFacts } from '../detect.js';
import { DJANGO_SQLITE_DATA_DIR, type DjangoRuntime } from '../runtime-needs.js';
import { formatEntry, type WsgiEntry } from '../entry.js';
import type { ParsedAnswers } from '../options.js';
import { type Base, BASES } from '../bases.js';
import { dataVolumeName } from '../validators.js';
import { withNeededRecommends } from '../apt-recommends.js';
import { nativeNeeds } from '../native-builds.js';
import type { ProxyRoute } from '../proxy-routes.js';
import { type ImageVariable, imageEnvironment, type TunableAnswer, TUNABLES } from '../../lib/tunables.js';
import { type ServiceView, serviceViews } from '../services.js';
import { type WorkerView, workerViews } from '../workers.js';
import { formatMounts, type Mount } from '../mounts.js';
import { DEV_TOOL_SETTINGS, type DevToolSetting } from '../../lib/development-switches.js';

/** Where collectstatic puts a Django project's static files when its settings set no `STATIC_ROOT`: outside the bind mount. */
export const DJANGO_DEFAULT_STATIC_DIR = '/srv/static';
/** The settings module the image runs Django with (`docker/django/wsgi_apache_settings.py`): the project's own, plus what the image needs. */
export const DJANGO_CONTAINER_SETTINGS = 'wsgi_apache_settings';
/** The directory holding that module in the image, added to the Python path. */
export const DJANGO_CONTAINER_SETTINGS_DIR = `${APP_DIR}/docker/django`;

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
  /** Compose's and the ConfigMap's read of each variable, e.g. `${WSGI_API_PROCESSES:-}` (empty: the global value) */
  tunables: { env: string; compose: string }[];
  /** what each of its variables starts with, e.g. `WSGI_API_` */
  envPrefix: string;
}

/** A secret of the app's: its name, its value's file in the project and where Compose mounts it. */
export interface SecretView {
  name: string;
  file: string;
  mounted: string;
}

/** A request tool's setting with the image's default ('' for none) and Compose's read of the shell, e.g. `${WSGI_RECORDER_MASK:-}`. */
export type DevToolView = DevToolSetting & { default: string; fromShell: string };

/** What the views are built from; see the module comment. */
export interface ProjectModel {
  answers: ParsedAnswers;
  facts: ProjectFacts;
  /** this package's version, stamped into generated files */
  generatorVersion: string;
  /** `--base`'s entry in {@link BASES} */
  base: Base;
  /** the project's own app; `pythonPath` includes Django's container settings directory */
  app: EntryView;
  /** the generator writes `docker/app.wsgi` (callable entries); false for the user's own script */
  generatedScript: boolean;
  /** what Django's settings say, undefined when not Django */
  django?: DjangoRuntime;
  /** `--static` and Django's static files, longest prefix first */
  staticAliases: StaticAlias[];
  dataDirs: DataDir[];
  /** the data directory Django's SQLite database moves to where the project is read-only */
  djangoSqliteData?: DataDir;
  /** project-relative build-time output the dev bind mount must not hide (collectstatic's) */
  builtOutputDirs: string[];
  /** the image's run-time variables and defaults, in the Dockerfile's `ENV` order (tunables.ts) */
  environment: ImageVariable[];
  /** `--setenv` */
  appEnvironment: AppVariable[];
  services: ServiceView[];
  /** `--secret` and the services' passwords */
  secrets: SecretView[];
  /** the services' URLs that hold their password's secret: docker/entrypoint sets them when unset */
  passwordUrls: { name: string; password: string; url: string }[];
  /** `--mount`ed apps, longest prefix first (mod_wsgi takes the first `WSGIScriptAlias` that matches) */
  mounts: MountView[];
  workers: WorkerView[];
  /** any Python dependencies to pip-install into the virtualenv */
  installsPythonDeps: boolean;
  /** what pip needs beside gcc and libc6-dev to build the declared packages from source */
  nativeBuildPackages: string[];
  /** `--apt-packages`, their needed Recommends, and the libraries the Python packages load */
  aptPackages: string[];
  /** `--proxy` routes, shortest prefix first, the front end (`/`) included */
  proxyRoutes: ProxyRoute[];
  devToolSettings: DevToolView[];
}

/**
 * Builds the model from validated answers and the detected project.
 * @param answers - validated answers (see `resolveAnswers`)
 * @param facts - what `detectProject` found
 * @param generatorVersion - this package's version, stamped into generated files
 */
export function projectModel(answers: ParsedAnswers, facts: ProjectFacts, generatorVersion: string): ProjectModel {
  const django = facts.djangoRuntime;
  const app = entryView(answers.entry, formatEntry(answers.entry), 'app.wsgi', APP_DIR);
  const dataDirs = answers.dataDirs.map(dir => ({ dir, path: inContainer(dir), volume: dataVolumeName(dir) }));
  const environment = imageEnvironment(answers);
  const services = serviceViews(answers.services);
  // A service's password is a secret of the app's too: docker/entrypoint builds the URL from it.
  const secretNames = [...new Set([...answers.secrets, ...services.map(s => s.password).filter(p => p !== '')])];
  const mounts = [...answers.mounts]
    .sort((a, b) => b.url.length - a.url.length || a.url.localeCompare(b.url))
    .map(mountView);
  const installsPythonDeps =
    facts.requirementsTxt ||
    facts.pyprojectDependencies ||
    facts.pyprojectBuildBackend !== undefined ||
    facts.lockFile !== undefined;
  const native = installsPythonDeps ? nativeNeeds(facts.declaredPackages) : { build: [], run: [] };
  return {
    answers,
    facts,
    generatorVersion,
    base: BASES[answers.base],
    app: django ? { ...app, pythonPath: `${app.pythonPath}:${DJANGO_CONTAINER_SETTINGS_DIR}` } : app,
    generatedScript: answers.entry.kind === 'callable',
    ...(django ? { django } : {}),
    staticAliases: staticAliases(answers, facts),
    dataDirs,
    ...(django?.sqliteFile ? { djangoSqliteData: dataDirs.find(d => d.dir === DJANGO_SQLITE_DATA_DIR) } : {}),
    builtOutputDirs: facts.djangoStatic ? [facts.djangoStatic.root] : [],
    environment,
    appEnvironment: appVariables(answers.setenv),
    services,
    secrets: secretNames.map(name => ({ name, file: `./${SECRETS_DIR}/${name}`, mounted: `/run/secrets/${name}` })),
    passwordUrls: services
      .filter(s => s.password !== '')
      .map(s => ({ name: s.urlVariable, password: s.password, url: s.url })),
    mounts,
    workers: workerViews(answers.workers, answers.name, APP_DIR, IMAGE_ENTRYPOINT),
    installsPythonDeps,
    nativeBuildPackages: native.build,
    aptPackages: withNeededRecommends(
      [
        ...answers.aptPackages,
        ...native.run,
        // --https: docker/dev-certificate's openssl, which the official Python image has already.
        ...(answers.https && !BASES[answers.base].pypiModWsgi ? ['openssl'] : []),
      ].filter((name, at, all) => at === all.findIndex(item => item.split('=')[0] === name.split('=')[0])),
    ),
    proxyRoutes: [...answers.proxies].sort((a, b) => a.url.length - b.url.length || a.url.localeCompare(b.url)),
    devToolSettings: DEV_TOOL_SETTINGS.map(setting => ({
      ...setting,
      default: environment.find(variable => variable.name === setting.env)?.value ?? setting.default ?? '',
      fromShell: `\${${setting.env}:-}`,
    })),
  };
}

/** A project-relative path in the container: `.` is the app directory. */
export function inContainer(rel: string): string {
  return rel === '.' ? APP_DIR : `${APP_DIR}/${rel}`;
}

/** `--static` and Django's static files (collectstatic's `STATIC_ROOT`, or the image's default), longest prefix first. */
function staticAliases(answers: ParsedAnswers, facts: ProjectFacts): StaticAlias[] {
  const aliases: StaticAlias[] = answers.static.map(m => ({ url: m.url, path: m.system ? m.dir : inContainer(m.dir) }));
  const djangoStatic = facts.djangoStatic;
  const staticUrl = facts.djangoRuntime?.staticUrl;
  const django = djangoStatic
    ? { url: djangoStatic.url, path: inContainer(djangoStatic.root) }
    : staticUrl
      ? { url: staticUrl, path: DJANGO_DEFAULT_STATIC_DIR }
      : undefined;
  if (django && !aliases.some(a => a.url === django.url)) aliases.push(django);
  // Longer prefixes first, so /static/admin is matched before /static.
  return aliases.sort((a, b) => b.url.length - a.url.length || a.url.localeCompare(b.url));
}

/** Where each mounted app's files are in the image, how it is tuned, and what it imports. */
function mountView(mount: Mount): MountView {
  const prefix = groupEnvPrefix(mount.group);
  const daemonTunables = TUNABLES.filter(t => t.answer !== undefined);
  const env = Object.fromEntries(daemonTunables.map(t => [t.answer, t.env.replace(/^WSGI_/, prefix)])) as Record<
    TunableAnswer,
    string
  >;
  const text = formatMounts([mount])[0].slice(mount.url.length + 1);
  return {
    ...entryView(mount.entry, text, 'mount.wsgi', inContainer(mount.dir)),
    url: mount.url,
    group: mount.group,
    pythonHome: mount.requirements === '' ? VENV_DIR : `/opt/venvs/${mount.group}`,
    home: inContainer(mount.dir),
    requirements: mount.requirements,
    env,
    tunables: daemonTunables.map(t => ({ env: env[t.answer!], compose: `\${${env[t.answer!]}:-}` })),
    envPrefix: prefix,
  };
}

/**
 * How the templates load `entry`: a callable through the generated script `docker/<script>`
 * (python-path: its module root), a WSGI script through itself (python-path: `scriptPath`).
 * @param text - the entry as the user typed it
 */
function entryView(entry: WsgiEntry, text: string, script: string, scriptPath: string): EntryView {
  const wsgiScript = entry.kind === 'script' ? inContainer(entry.path) : `${APP_DIR}/docker/${script}`;
  const slash = wsgiScript.lastIndexOf('/');
  return {
    entryText: text,
    entryModule: entry.kind === 'callable' ? entry.module : '',
    entryCallable: entry.kind === 'callable' ? entry.callable : '',
    entryFactory: entry.kind === 'callable' && entry.factory,
    wsgiScript,
    wsgiScriptDir: wsgiScript.slice(0, slash),
    wsgiScriptFile: wsgiScript.slice(slash + 1),
    pythonPath: entry.kind === 'callable' ? inContainer(entry.moduleRoot) : scriptPath,
  };
}
