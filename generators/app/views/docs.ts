import {
  APP_UID,
  CONTAINER_PORT,
  HEALTHCHECK_USER_AGENT,
  IMAGE_SCRIPTS_DIR,
  PROCESS_GROUP,
  PUBLISH_PORT_VARIABLE,
  PIP_INDEX_SECRET,
  HTTPS_CONTAINER_PORT,
  PUBLISH_HTTPS_PORT_VARIABLE,
  TLS_CA_EXPORT,
  TLS_VOLUME,
} from '../../lib/image-layout.js';
import { type ContainerLimit, containerLimits } from '../../lib/container-limits.js';
import { SECRET_PATTERNS, VCS_PATTERNS } from '../../lib/dockerignore.js';
import { DEV_OUTPUT_DIR } from '../../lib/development-switches.js';
import { APACHE_WORKERS, MAXIMUM_MEMORY, TUNABLES } from '../../lib/tunables.js';
import { SECRETS_DIR, type AppVariable } from '../app-environment.js';
import { PYTHON_OPTIMIZATIONS } from '../bases.js';
import { type KubernetesSizing } from '../kubernetes.js';
import type { ServiceView } from '../services.js';
import { BASE_FILE } from '../upgrade.js';
import type { WorkerView } from '../workers.js';
import { codeList, type CommonView, commonView } from './common.js';
import { composeView, developmentSwitches, serviceUrls, stopGracePeriod, type SwitchView } from './compose.js';
import { djangoDefaultStaticRoot } from './django.js';
import { type LockView, lockView, runsPip } from './dockerfile.js';
import { kubernetesView } from './kubernetes.js';
import type { DataDir, DevToolView, MountView, ProjectModel } from './model.js';
import { initCommands, type InitView } from './scripts.js';

/** One row of DOCKER.md's routing table: a URL prefix and what answers under it. */
export interface Route {
  prefix: string;
  target: string;
}

/** The view of DOCKER.md, which documents every other output for this project. */
export interface DocsView extends CommonView {
  entryText: string;
  /** the project app's WSGI script in the container: touching it restarts the daemon */
  wsgiScript: string;
  generatedScript: boolean;
  baseImage: string;
  debianRelease: string;
  pythonVersion: string;
  modWsgiVersion: string;
  pypiModWsgi: boolean;
  optimizedPython: boolean;
  pythonOptimizations: string;
  hostPort: number;
  publishPortVariable: string;
  containerPort: number;
  appUid: number;
  processes: number;
  healthPath: string;
  threads: number;
  /** the "Tune without rebuilding" table's rows for the tunables that document themselves (tunables.ts `doc`), with the image's default */
  tunableRows: { env: string; value: string; doc: string }[];
  stopGracePeriod: number;
  /** the image's defaults by name, for the table that places them one by one */
  imageDefaults: Record<string, string>;
  apacheWorkers: typeof APACHE_WORKERS;
  maximumMemory: typeof MAXIMUM_MEMORY;
  containerLimits: ContainerLimit[];
  /** which URL prefix goes where, in the order Apache matches them */
  routes: Route[];
  mountPoint: string;
  mounts: MountView[];
  hasMounts: boolean;
  hasMountCallables: boolean;
  hasProxyRoutes: boolean;
  aptPackages: string;
  hasAptPackages: boolean;
  installsProject: boolean;
  /** the lock file the image installs from, and its tool (the Dockerfile's `locked-requirements` stage) */
  lock: LockView | undefined;
  runsPip: boolean;
  /** the index URL's build secret (image-layout.ts PIP_INDEX_SECRET) */
  pipIndexSecret: string;
  imageScriptsDir: string;
  django: boolean;
  djangoManage: string;
  djangoDefaultStaticRoot: string;
  djangoReadsDatabaseUrl: boolean;
  djangoSqliteFile: string;
  djangoSqliteDataPath: string;
  dataDirs: DataDir[];
  hasDataDirs: boolean;
  appEnvironment: AppVariable[];
  secrets: ProjectModel['secrets'];
  secretsDir: string;
  secretName: string;
  backingServices: ServiceView[];
  hasBackingServices: boolean;
  serviceUrls: { name: string; value: string }[];
  passwordUrls: ProjectModel['passwordUrls'];
  initCommands: InitView['initCommands'];
  hasInitCommands: boolean;
  workers: WorkerView[];
  hasWorkers: boolean;
  kubernetes: boolean;
  kube: KubernetesSizing;
  /** the init commands run as a Kubernetes Job (more than one pod), not an init container */
  initJob: boolean;
  /** `--ingress-host`, '' for none */
  ingressHost: string;
  /** `--ci github`: the workflow that runs the check */
  githubWorkflow: boolean;
  developmentSwitches: SwitchView[];
  devToolSettings: DevToolView[];
  devOutputDir: string;
  /** `--https`: the section on HTTPS in development, with its host port and the CA's file name */
  https: boolean;
  httpsHostPort: number;
  publishHttpsPortVariable: string;
  tlsCaExport: string;
  tlsVolume: string;
  /** `.dockerignore`'s patterns as DOCKER.md lists them: `` `**\/.env`, `**\/.env.*`, ... `` */
  secretPatternList: string;
  vcsPatternList: string;
  upgradeBaseFile: string;
  /** the HEALTHCHECK's User-Agent, left out of the access log */
  healthcheckUserAgent: string;
  /** project-relative files the image's Python dependencies come from: Compose Watch rebuilds on a change */
  dependencyFiles: string[];
}

/** DOCKER.md's view. */
export function docsView(model: ProjectModel): DocsView {
  const { answers, base, mounts } = model;
  const kubernetes = kubernetesView(model);
  const lock = lockView(model.facts.lockFile);
  return {
    ...commonView(model),
    entryText: model.app.entryText,
    wsgiScript: model.app.wsgiScript,
    generatedScript: model.generatedScript,
    baseImage: base.image(answers.python),
    debianRelease: base.debian,
    pythonVersion: answers.python,
    modWsgiVersion: base.modWsgi,
    pypiModWsgi: base.pypiModWsgi,
    optimizedPython: answers.pythonBuild === 'optimized',
    pythonOptimizations: PYTHON_OPTIMIZATIONS,
    hostPort: answers.port,
    publishPortVariable: PUBLISH_PORT_VARIABLE,
    containerPort: CONTAINER_PORT,
    appUid: APP_UID,
    processes: answers.processes,
    healthPath: answers.healthPath,
    threads: answers.threads,
    tunableRows: TUNABLES.filter(t => t.doc !== undefined).map(t => ({
      env: t.env,
      value: model.environment.find(variable => variable.name === t.env)!.value,
      doc: t.doc!,
    })),
    stopGracePeriod: stopGracePeriod(model),
    imageDefaults: Object.fromEntries(model.environment.map(variable => [variable.name, variable.value])),
    apacheWorkers: APACHE_WORKERS,
    maximumMemory: MAXIMUM_MEMORY,
    containerLimits: containerLimits(answers.processes, answers.threads),
    routes: routes(model),
    mountPoint: answers.mountPoint,
    mounts,
    hasMounts: mounts.length > 0,
    hasMountCallables: mounts.some(mount => mount.entryModule !== ''),
    hasProxyRoutes: model.proxyRoutes.length > 0,
    aptPackages: model.aptPackages.join(' '),
    hasAptPackages: model.aptPackages.length > 0,
    installsProject: model.facts.pyprojectBuildBackend !== undefined,
    lock,
    runsPip: runsPip(model),
    pipIndexSecret: PIP_INDEX_SECRET,
    imageScriptsDir: IMAGE_SCRIPTS_DIR,
    django: model.django !== undefined,
    djangoManage: model.django?.manage ?? '',
    djangoDefaultStaticRoot: djangoDefaultStaticRoot(model),
    djangoReadsDatabaseUrl: model.django?.readsDatabaseUrl ?? false,
    djangoSqliteFile: model.django?.sqliteFile ?? '',
    djangoSqliteDataPath: model.djangoSqliteData?.path ?? '',
    dataDirs: model.dataDirs,
    hasDataDirs: model.dataDirs.length > 0,
    appEnvironment: model.appEnvironment,
    secrets: model.secrets,
    secretsDir: SECRETS_DIR,
    secretName: kubernetes.secretName,
    backingServices: model.services,
    hasBackingServices: model.services.length > 0,
    serviceUrls: serviceUrls(model),
    passwordUrls: model.passwordUrls,
    initCommands: initCommands(model),
    hasInitCommands: answers.initCommands.length > 0,
    workers: model.workers,
    hasWorkers: model.workers.length > 0,
    kubernetes: answers.kubernetes,
    kube: kubernetes.kube,
    initJob: kubernetes.initJob,
    ingressHost: kubernetes.ingressHost,
    githubWorkflow: answers.ci === 'github',
    developmentSwitches: developmentSwitches(),
    devToolSettings: model.devToolSettings,
    devOutputDir: DEV_OUTPUT_DIR,
    https: model.answers.https,
    httpsHostPort: HTTPS_CONTAINER_PORT,
    publishHttpsPortVariable: PUBLISH_HTTPS_PORT_VARIABLE,
    tlsCaExport: TLS_CA_EXPORT,
    tlsVolume: TLS_VOLUME,
    secretPatternList: codeList(SECRET_PATTERNS),
    vcsPatternList: codeList(VCS_PATTERNS),
    upgradeBaseFile: BASE_FILE,
    healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
    dependencyFiles: composeView(model).dependencyFiles,
  };
}

/**
 * Which URL prefix goes where. mod_proxy translates a URL before mod_alias does, and mod_alias
 * before mod_wsgi; the longest prefix that matches wins: mod_proxy's `<Location>`s are merged in
 * order with its exclusions, mod_alias and mod_wsgi take their first match, listed longest first.
 */
function routes(model: ProjectModel): Route[] {
  return [
    ...model.proxyRoutes.map(route => ({ prefix: route.url, target: `${route.upstream} (mod_proxy)` })),
    ...model.staticAliases.map(alias => ({ prefix: alias.url, target: `files in ${alias.path} (Apache)` })),
    ...model.mounts.map(mount => ({
      prefix: mount.url,
      target: `the WSGI app ${mount.entryText} (mod_wsgi, process group ${mount.group})`,
    })),
    {
      prefix: model.answers.mountPoint,
      target: `the WSGI app ${model.app.entryText} (mod_wsgi, process group ${PROCESS_GROUP})`,
    },
  ].sort((a, b) => b.prefix.length - a.prefix.length);
}
