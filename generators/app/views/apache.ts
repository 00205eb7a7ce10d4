import { APP_DIR, CONTAINER_PORT, HEALTHCHECK_USER_AGENT, PROCESS_GROUP, VENV_DIR } from '../../lib/image-layout.js';
import { type TunableAnswer, TUNABLES } from '../../lib/tunables.js';
import { modulesToLoad } from '../apache-modules.js';
import type { ProxyRoute } from '../proxy-routes.js';
import { type CommonView, commonView } from './common.js';
import type { EntryView, ProjectModel, StaticAlias } from './model.js';

/** One `WSGIDaemonProcess` of docker/apache2.conf: a `--mount`ed app's, or last the project's own. */
export interface DaemonGroupView {
  /** process group and `display-name` */
  group: string;
  /** the `WSGIScriptAlias` prefix: the mount's URL, or `--mount-point` */
  url: string;
  /** a `--mount`ed app (false: the project's own) */
  mounted: boolean;
  entryText: string;
  /** what its variables start with, e.g. `WSGI_API_` (the project's: `WSGI_`) */
  envPrefix: string;
  /** each tunable as Apache reads it, e.g. `${WSGI_API_PROCESSES}` */
  ref: Record<TunableAnswer, string>;
  pythonHome: string;
  pythonPath: string;
  home: string;
  wsgiScript: string;
  /** WSGI_DEBUG_MODE's script and application group: the project's app runs through docker/debug.wsgi in %{GLOBAL} */
  debugScript: string;
  debugApplicationGroup: string;
  /** its script needs a `<Directory><Files>` grant of its own (docker/mount.wsgi is granted once for all) */
  grantScript: boolean;
  wsgiScriptDir: string;
  wsgiScriptFile: string;
}

/** The view of docker/apache2.conf. */
export interface ApacheView extends CommonView {
  modWsgiVersion: string;
  pythonVersion: string;
  baseImage: string;
  containerPort: number;
  /** mod_wsgi as pip built it into the virtualenv (the `python` base), not Debian's package */
  pypiModWsgi: boolean;
  /** the image's Python outside the virtualenv, which runs the access-log pipe */
  systemPython: string;
  /** the HEALTHCHECK's User-Agent, whose requests the access log leaves out */
  healthcheckUserAgent: string;
  venvDir: string;
  /** `LoadModule`s beyond the fixed set: `--apache-modules`, plus mod_proxy_http for `--proxy`; dependencies first */
  apacheModules: ReturnType<typeof modulesToLoad>;
  hasApacheModules: boolean;
  /** `--https`: the development shape's TLS port, inside `<IfDefine APACHE_HTTPS>` */
  https: boolean;
  hasProxyRoutes: boolean;
  /** `--proxy` routes but the front end's, shortest prefix first (each a `<Location>`; the last matching one wins) */
  proxyRoutes: ProxyRoute[];
  /** `--proxy /`, the front end that gets every request no other prefix claims: one route, or none */
  frontEnd: ProxyRoute[];
  /** prefixes the front end leaves to Apache and the WSGI apps (`ProxyPass X !`, before its own) */
  proxyExclusions: string[];
  staticAliases: StaticAlias[];
  hasStaticAliases: boolean;
  /** the wildcard the project's own directives are included from (`docker/apache/*.conf`) */
  userApacheConfig: string;
  /** the mounted apps' groups, longest prefix first, then the project's (mod_wsgi takes the first alias that matches) */
  groups: DaemonGroupView[];
  hasMountCallables: boolean;
  /** the group `WSGIProcessGroup` names: the project's */
  processGroup: string;
  /** the project app's `python-path`, which debug mode's embedded interpreter takes */
  pythonPath: string;
  /** docker/devtools.wsgi, the WSGI script of every app while a request tool is on */
  devToolsScript: string;
  /** docker/embedded.wsgi, the app's WSGI script in embedded mode (WSGI_MODE=embedded) */
  embeddedScript: string;
  /** its `WSGIScriptAlias` prefix, `--mount-point` (embedded mode runs the project's app alone) */
  embeddedUrl: string;
}

/** docker/apache2.conf's view: modules, routing (proxy, static, WSGI) and one daemon group per app. */
export function apacheView(model: ProjectModel): ApacheView {
  const { answers, base, mounts, staticAliases } = model;
  const frontEnd = model.proxyRoutes.find(route => route.url === '/');
  const loaded = modulesToLoad([...answers.apacheModules, ...(model.proxyRoutes.length > 0 ? ['proxy_http'] : [])]);
  const groups = [
    ...mounts.map(mount =>
      daemonGroup(mount, {
        group: mount.group,
        url: mount.url,
        mounted: true,
        envPrefix: mount.envPrefix,
        pythonHome: mount.pythonHome,
        home: mount.home,
        debugScript: mount.wsgiScript,
        debugApplicationGroup: mount.group,
        grantScript: mount.entryModule === '',
      }),
    ),
    daemonGroup(model.app, {
      group: PROCESS_GROUP,
      url: answers.mountPoint,
      mounted: false,
      envPrefix: 'WSGI_',
      pythonHome: VENV_DIR,
      home: APP_DIR,
      debugScript: `${APP_DIR}/docker/debug.wsgi`,
      debugApplicationGroup: '%{GLOBAL}',
      grantScript: true,
    }),
  ];
  return {
    ...commonView(model),
    modWsgiVersion: base.modWsgi,
    pythonVersion: answers.python,
    baseImage: base.image(answers.python),
    containerPort: CONTAINER_PORT,
    pypiModWsgi: base.pypiModWsgi,
    systemPython: base.systemPython,
    healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
    venvDir: VENV_DIR,
    apacheModules: loaded,
    hasApacheModules: loaded.length > 0,
    https: model.answers.https,
    hasProxyRoutes: model.proxyRoutes.length > 0,
    proxyRoutes: model.proxyRoutes.filter(route => route !== frontEnd),
    frontEnd: frontEnd ? [frontEnd] : [],
    proxyExclusions: frontEnd
      ? [
          ...new Set([
            ...model.proxyRoutes.filter(route => route !== frontEnd).map(r => r.url),
            ...staticAliases.map(a => a.url),
            ...mounts.map(m => m.url),
            answers.mountPoint,
          ]),
        ].sort((a, b) => a.length - b.length || a.localeCompare(b))
      : [],
    staticAliases,
    hasStaticAliases: staticAliases.length > 0,
    userApacheConfig: `${APP_DIR}/docker/apache/*.conf`,
    groups,
    hasMountCallables: mounts.some(mount => mount.entryModule !== ''),
    processGroup: PROCESS_GROUP,
    pythonPath: model.app.pythonPath,
    devToolsScript: `${APP_DIR}/docker/devtools.wsgi`,
    embeddedScript: `${APP_DIR}/docker/embedded.wsgi`,
    embeddedUrl: answers.mountPoint,
  };
}

/** Where a group's app lives and how it runs, besides what its entry says. */
type GroupPlace = Omit<
  DaemonGroupView,
  'entryText' | 'ref' | 'pythonPath' | 'wsgiScript' | 'wsgiScriptDir' | 'wsgiScriptFile'
>;

function daemonGroup(entry: EntryView, place: GroupPlace): DaemonGroupView {
  return {
    ...place,
    entryText: entry.entryText,
    // The variables envvars checks and defaults (a mount's default to the global one).
    ref: Object.fromEntries(
      TUNABLES.filter(t => t.answer !== undefined).map(t => [
        t.answer,
        `\${${t.env.replace(/^WSGI_/, place.envPrefix)}}`,
      ]),
    ) as Record<TunableAnswer, string>,
    pythonPath: entry.pythonPath,
    wsgiScript: entry.wsgiScript,
    wsgiScriptDir: entry.wsgiScriptDir,
    wsgiScriptFile: entry.wsgiScriptFile,
  };
}
