import {
  CONTAINER_PORT,
  HTTPS_CONTAINER_PORT,
  PIP_INDEX_SECRET,
  PUBLISH_HTTPS_PORT_VARIABLE,
  PUBLISH_PORT_VARIABLE,
  TLS_CA_EXPORT,
  TLS_DIR,
  TLS_VOLUME,
} from '../../lib/image-layout.js';
import { containerLimits } from '../../lib/container-limits.js';
import { DEV_OUTPUT_DIR, DEVELOPMENT_SWITCHES, type DevelopmentSwitch } from '../../lib/development-switches.js';
import { TUNABLES } from '../../lib/tunables.js';
import { PYTHON_OPTIMIZATIONS } from '../bases.js';
import { SECRETS_DIR, type AppVariable } from '../app-environment.js';
import type { ServiceView } from '../services.js';
import type { WorkerView } from '../workers.js';
import { type CommonView, commonView } from './common.js';
import { runsPip } from './dockerfile.js';
import {
  inContainer,
  type DataDir,
  type DevToolView,
  type MountView,
  type ProjectModel,
  type SecretView,
} from './model.js';

/** A development switch with its Compose read of the shell, e.g. `${WSGI_PROFILER:-0}`. */
export type SwitchView = DevelopmentSwitch & { orOff: string };

/** The view of compose.yaml, compose.override.yaml and compose.watch.yaml. */
export interface ComposeView extends CommonView {
  baseImage: string;
  optimizedPython: boolean;
  pythonOptimizations: string;
  pipFindLinks: string;
  /** a build stage runs pip: the build takes the shell's PIP_INDEX_URL as the secret {@link PIP_INDEX_SECRET} */
  runsPip: boolean;
  pipIndexSecret: string;
  /** compose.yaml has a top-level `secrets:` (--secret files, or the index URL's build secret) */
  hasTopLevelSecrets: boolean;
  containerPort: number;
  /** the published host port, read from the shell: `${PUBLISH_PORT:-8000}` (image-layout.ts) */
  publishedPort: string;
  /** the daemon's tunables, the answer as default, e.g. `${WSGI_PROCESSES:-N}` (tunables.ts) */
  daemonEnvironment: { env: string; compose: string }[];
  /** each container bound by variable: `${CONTAINER_MEMORY_LIMIT:-640m}` (container-limits.ts) */
  composeLimit: Record<string, string>;
  /** seconds `docker stop` waits before SIGKILL: the daemon's graceful-timeout plus 5 s for Apache to drain */
  stopGracePeriod: number;
  appEnvironment: AppVariable[];
  mounts: MountView[];
  secrets: SecretView[];
  hasSecrets: boolean;
  secretsDir: string;
  backingServices: ServiceView[];
  hasBackingServices: boolean;
  /** the services' URLs that hold no password: set in compose.yaml's environment */
  serviceUrls: { name: string; value: string }[];
  passwordUrls: ProjectModel['passwordUrls'];
  hasPasswordUrls: boolean;
  serviceVolumes: string[];
  /** compose.yaml has a top-level `volumes:` (data directories or services' data) */
  hasVolumes: boolean;
  /** the app's service waits for something (init, services) */
  appDependsOn: boolean;
  hasInitCommands: boolean;
  workers: WorkerView[];
  dataDirs: DataDir[];
  hasDataDirs: boolean;
  /** container paths the dev bind mount must not hide (build-time output such as collectstatic's): a tmpfs each, filled by the entry point */
  builtOutputPaths: string[];
  /** the same, project-relative (Compose Watch ignores them) */
  builtOutputDirs: string[];
  /** project-relative files the image's Python dependencies come from: a change needs a rebuild (Compose Watch) */
  dependencyFiles: string[];
  devOutputDir: string;
  /** the entry point may need CAP_CHOWN in development: data folders, or --https's volume */
  needsChown: boolean;
  /** `--https`: the development shape's HTTPS port, its published host port (`${PUBLISH_HTTPS_PORT:-8443}`) and the CA's volume */
  https: boolean;
  httpsContainerPort: number;
  publishedHttpsPort: string;
  tlsVolume: string;
  tlsDir: string;
  tlsCaExport: string;
  devToolSettings: DevToolView[];
  /** the development switches compose.override.yaml takes from the shell */
  shellSwitches: SwitchView[];
}

/** The Compose files' view. */
export function composeView(model: ProjectModel): ComposeView {
  const { answers, facts, services } = model;
  const limits = containerLimits(answers.processes, answers.threads);
  return {
    ...commonView(model),
    baseImage: model.base.image(answers.python),
    optimizedPython: answers.pythonBuild === 'optimized',
    pythonOptimizations: PYTHON_OPTIMIZATIONS,
    pipFindLinks: facts.wheelhouse ? '/tmp/wheelhouse' : '',
    runsPip: runsPip(model),
    pipIndexSecret: PIP_INDEX_SECRET,
    hasTopLevelSecrets: model.secrets.length > 0 || runsPip(model),
    containerPort: CONTAINER_PORT,
    publishedPort: `\${${PUBLISH_PORT_VARIABLE}:-${answers.port}}`,
    daemonEnvironment: TUNABLES.filter(t => t.answer !== undefined).map(t => ({
      env: t.env,
      compose: `\${${t.env}:-${answers[t.answer!]}}`,
    })),
    composeLimit: Object.fromEntries(limits.map(limit => [limit.env, `\${${limit.env}:-${limit.value}}`])),
    stopGracePeriod: stopGracePeriod(model),
    appEnvironment: model.appEnvironment,
    mounts: model.mounts,
    secrets: model.secrets,
    hasSecrets: model.secrets.length > 0,
    secretsDir: SECRETS_DIR,
    backingServices: services,
    hasBackingServices: services.length > 0,
    serviceUrls: serviceUrls(model),
    passwordUrls: model.passwordUrls,
    hasPasswordUrls: model.passwordUrls.length > 0,
    serviceVolumes: services.filter(s => s.volume !== '').map(s => s.volume),
    hasVolumes: model.dataDirs.length > 0 || services.some(s => s.volume !== ''),
    appDependsOn: answers.initCommands.length > 0 || services.length > 0,
    hasInitCommands: answers.initCommands.length > 0,
    workers: model.workers,
    dataDirs: model.dataDirs,
    hasDataDirs: model.dataDirs.length > 0,
    builtOutputPaths: model.builtOutputDirs.map(inContainer),
    builtOutputDirs: model.builtOutputDirs,
    dependencyFiles: [
      ...facts.requirementFiles,
      ...(facts.pyprojectDependencies || facts.pyprojectBuildBackend !== undefined || facts.lockFile
        ? ['pyproject.toml']
        : []),
      ...(facts.lockFile ? [facts.lockFile] : []),
    ],
    devOutputDir: DEV_OUTPUT_DIR,
    needsChown: model.dataDirs.length > 0 || answers.https,
    https: answers.https,
    httpsContainerPort: HTTPS_CONTAINER_PORT,
    publishedHttpsPort: `\${${PUBLISH_HTTPS_PORT_VARIABLE}:-${HTTPS_CONTAINER_PORT}}`,
    tlsVolume: TLS_VOLUME,
    tlsDir: TLS_DIR,
    tlsCaExport: TLS_CA_EXPORT,
    devToolSettings: model.devToolSettings,
    shellSwitches: developmentSwitches().filter(s => s.fromShell),
  };
}

/** Seconds `docker stop` (Compose's `stop_grace_period`, Kubernetes' grace period) waits: graceful-timeout plus 5 s for Apache to drain. */
export function stopGracePeriod(model: ProjectModel): number {
  return model.answers.gracefulTimeout + 5;
}

/** The services' URLs that hold no password, as compose.yaml's environment sets them. */
export function serviceUrls(model: ProjectModel): { name: string; value: string }[] {
  return model.services.filter(s => s.password === '').map(s => ({ name: s.urlVariable, value: s.url }));
}

/** Every development switch with its shell read, off by default: `${WSGI_PROFILER:-0}`. */
export function developmentSwitches(): SwitchView[] {
  return DEVELOPMENT_SWITCHES.map(s => ({ ...s, orOff: `\${${s.env}:-0}` }));
}
