import { posix } from 'node:path';
import {
  APP_UID,
  builtCopyOf,
  CONTAINER_PORT,
  ENVVARS_PATH,
  HEALTHCHECK_USER_AGENT,
  IMAGE_ENTRYPOINT,
  IMAGE_SCRIPTS_DIR,
  PIP_CACHE_DIR,
  PIP_INDEX_SECRET,
  PIP_INDEX_SECRET_FILE,
  RUNTIME_ENV_PATH,
  VENV_DIR,
} from '../../lib/image-layout.js';
import type { ImageVariable } from '../../lib/tunables.js';
import { formatEntry } from '../entry.js';
import { LOCK_FILES, LOCKED_REQUIREMENTS } from '../lock-files.js';
import { COVERAGE_PYPI_VERSION, PYTHON_OPTIMIZATIONS } from '../bases.js';
import { type CommonView, commonView } from './common.js';
import { DJANGO_CONTAINER_SETTINGS, type DataDir, inContainer, type MountView, type ProjectModel } from './model.js';

/** The view of the Dockerfile: its stages, what they install, and the image's defaults. */
export interface DockerfileView extends CommonView {
  /** `Django`, `Flask` or `WSGI`, for the header and the image's description label */
  frameworkLabel: string;
  entryText: string;
  /** the `FROM` image, e.g. `python:3.13-slim-trixie` */
  baseImage: string;
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
  systemPython: string;
  venvDir: string;
  venvOptions: string;
  appUid: number;
  containerPort: number;
  aptPackages: string;
  hasAptPackages: boolean;
  /** what pip needs beside gcc and libc6-dev to build the declared packages from source, space-separated */
  nativeBuildPackages: string;
  hasNativeBuild: boolean;
  requirementsTxt: boolean;
  /** requirements.txt and the files it includes, project-relative: one COPY each into /tmp/python-deps, same layout */
  requirementFiles: string[];
  /** `[project].dependencies` as ranges: the project has no lock the image installs */
  pyprojectDependencies: boolean;
  /** the lock file the image installs, exported in a `locked-requirements` stage (lock-files.ts); undefined without one */
  lock: LockView | undefined;
  /** pyproject.toml with a build backend: `pip install -e` the project after it is copied in */
  installsProject: boolean;
  installsPythonDeps: boolean;
  wheelhouse: boolean;
  /** default of the `PIP_FIND_LINKS` build arg: the copied wheelhouse, or '' */
  pipFindLinks: string;
  /** the BuildKit mounts of each RUN that runs pip: pip's cache and the index URL's secret ({@link PIP_CACHE_DIR}, {@link PIP_INDEX_SECRET}) */
  pipMounts: string;
  /** the build secret's id ({@link PIP_INDEX_SECRET}) */
  pipIndexSecret: string;
  /** where docker/pip-install reads the index URL's secret: the `PIP_INDEX_URL_FILE` build arg's default */
  pipIndexUrlFile: string;
  /** a `python-deps` stage runs pip with the `PIP_*` build args; only its virtualenvs reach the image */
  pythonDepsStage: boolean;
  /** the mounts with a virtualenv of their own (their directory's requirements.txt) */
  mountVenvs: MountView[];
  hasMountVenvs: boolean;
  /** `--entry` of a module the image installs (not in the project): the build checks it imports */
  installedEntry: boolean;
  installedModule: string;
  installedEntryText: string;
  /** `--static` directories the image provides (outside the project): the build checks them */
  systemStaticDirs: string[];
  hasSystemStaticDirs: boolean;
  django: boolean;
  djangoManage: string;
  djangoContainerSettings: string;
  /** Django with `STATIC_ROOT`: run collectstatic at build time */
  collectstatic: boolean;
  /** django-compressor offline (`COMPRESS_OFFLINE = True`): run `compress --force` after collectstatic */
  djangoCompressOffline: boolean;
  /** per build-time output folder in the project: its container path, the image's copy ({@link builtCopyOf}) and the copy's parent */
  builtCopies: { path: string; copy: string; parent: string }[];
  hasBuiltCopies: boolean;
  /** `--https`: the image holds docker/dev-certificate */
  https: boolean;
  dataDirs: DataDir[];
  hasDataDirs: boolean;
  /** `PYTHONPATH` of the image, so `docker compose run SERVICE python ...` imports what the daemon does */
  pythonPathEnv: string;
  /** the image's run-time variables and defaults, in `ENV` order (tunables.ts) */
  imageEnvironment: ImageVariable[];
  healthPath: string;
  healthcheckUserAgent: string;
  imageEntrypoint: string;
  imageScriptsDir: string;
  envvarsPath: string;
  runtimeEnvPath: string;
  /** where pip puts coverage.py outside the app's virtualenv; '' where it is Debian's python3-coverage */
  coveragePath: string;
  /** the coverage.py release pip installs there (bases.ts) */
  coverageVersion: string;
}

/** The `locked-requirements` stage: which lock, the tool that exports it and where that tool comes from. */
export interface LockView {
  /** `uv.lock`, `poetry.lock` or `pdm.lock` */
  file: string;
  /** the tool's command: `uv`, `poetry`, `pdm` */
  tool: string;
  relock: string;
  /** the global build argument naming the tool's image, and its default */
  imageArg: string;
  image: string;
  /** `${IMAGE_ARG}`, for FROM */
  from: string;
  /** the tool's binary in its image (uv's distroless image), copied onto the base; '' when it comes as Debian packages */
  binary: string;
  /** the Debian packages that hold the tool, space-separated; '' for a binary */
  packages: string;
  exportCommand: string;
  /** the export's output ({@link LOCKED_REQUIREMENTS}) */
  requirements: string;
}

/** The view of {@link LockFile}, or undefined without one. */
export function lockView(file: string | undefined): LockView | undefined {
  const lock = LOCK_FILES.find(candidate => candidate.file === file);
  if (!lock) return undefined;
  const { tool } = lock;
  return {
    file: lock.file,
    tool: lock.toolName,
    relock: lock.relock,
    imageArg: tool.imageArg,
    image: tool.image,
    from: `\${${tool.imageArg}}`,
    binary: tool.binary ?? '',
    packages: tool.packages?.join(' ') ?? '',
    exportCommand: lock.buildExport,
    requirements: LOCKED_REQUIREMENTS,
  };
}

/** The Dockerfile's view. */
export function dockerfileView(model: ProjectModel): DockerfileView {
  const { answers, facts, base, django, mounts } = model;
  const entry = answers.entry;
  const installed = entry.kind === 'callable' && entry.installed === true;
  const native = model.nativeBuildPackages;
  const lock = lockView(facts.lockFile);
  return {
    ...commonView(model),
    frameworkLabel: django ? 'Django' : facts.framework === 'flask' ? 'Flask' : 'WSGI',
    entryText: model.app.entryText,
    baseImage: base.image(answers.python),
    pythonVersion: answers.python,
    modWsgiVersion: base.modWsgi,
    pypiModWsgi: base.pypiModWsgi,
    optimizedPython: answers.pythonBuild === 'optimized',
    pythonOptimizations: PYTHON_OPTIMIZATIONS,
    pythonSources: facts.pythonSources.filter(name => name.startsWith(`Python-${answers.python}.`)),
    systemPython: base.systemPython,
    venvDir: VENV_DIR,
    venvOptions: base.venvOptions,
    appUid: APP_UID,
    containerPort: CONTAINER_PORT,
    aptPackages: model.aptPackages.join(' '),
    hasAptPackages: model.aptPackages.length > 0,
    nativeBuildPackages: [...base.pythonHeaders, ...native].join(' '),
    hasNativeBuild: native.length > 0,
    requirementsTxt: facts.requirementsTxt,
    requirementFiles: facts.requirementFiles,
    pyprojectDependencies: facts.pyprojectDependencies && !lock,
    lock,
    installsProject: facts.pyprojectBuildBackend !== undefined,
    installsPythonDeps: model.installsPythonDeps,
    wheelhouse: facts.wheelhouse,
    pipFindLinks: facts.wheelhouse ? '/tmp/wheelhouse' : '',
    pipMounts: `--mount=type=cache,target=${PIP_CACHE_DIR} --mount=type=secret,id=${PIP_INDEX_SECRET}`,
    pipIndexSecret: PIP_INDEX_SECRET,
    pipIndexUrlFile: PIP_INDEX_SECRET_FILE,
    pythonDepsStage: model.installsPythonDeps || mounts.some(mount => mount.requirements !== ''),
    mountVenvs: mounts.filter(mount => mount.requirements !== ''),
    hasMountVenvs: mounts.some(mount => mount.requirements !== ''),
    installedEntry: installed,
    installedModule: installed ? entry.module : '',
    installedEntryText: installed ? formatEntry(entry) : '',
    systemStaticDirs: answers.static.filter(m => m.system).map(m => m.dir),
    hasSystemStaticDirs: answers.static.some(m => m.system),
    django: django !== undefined,
    djangoManage: django?.manage ?? '',
    djangoContainerSettings: DJANGO_CONTAINER_SETTINGS,
    collectstatic: django !== undefined,
    djangoCompressOffline: django?.compressOffline ?? false,
    builtCopies: model.builtOutputDirs.map(dir => {
      const copy = builtCopyOf(inContainer(dir));
      return { path: inContainer(dir), copy, parent: posix.dirname(copy) };
    }),
    hasBuiltCopies: model.builtOutputDirs.length > 0,
    https: model.answers.https,
    dataDirs: model.dataDirs,
    hasDataDirs: model.dataDirs.length > 0,
    pythonPathEnv: model.app.pythonPath,
    imageEnvironment: model.environment,
    healthPath: answers.healthPath,
    healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
    imageEntrypoint: IMAGE_ENTRYPOINT,
    imageScriptsDir: IMAGE_SCRIPTS_DIR,
    envvarsPath: ENVVARS_PATH,
    runtimeEnvPath: RUNTIME_ENV_PATH,
    coveragePath: base.coveragePath,
    coverageVersion: COVERAGE_PYPI_VERSION,
  };
}

/** Whether some build stage runs pip (mod_wsgi's or the dependencies'), through `docker/pip-install`. */
export function runsPip(model: ProjectModel): boolean {
  return model.base.pypiModWsgi || dockerfileView(model).pythonDepsStage;
}
