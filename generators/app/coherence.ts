/**
 * Rules that involve more than one answer, checked once all of them have parsed (each field's
 * own rules live in validators.ts and entry.ts). Together they make an accepted set of answers
 * one that builds and starts: nothing here can be known from a single flag.
 */
import { serviceHostNames } from './services.js';
import { posix } from 'node:path';
import { InputError } from '../lib/input-error.js';
import { extraModuleRoots, formatEntry, MODULE_ROOTS, moduleNotFound, type WsgiEntry } from './entry.js';
import type { AnswerContext, ParsedAnswers } from './options.js';
import { checkDaemonSize, MAX_NAME_LENGTH } from './validators.js';
import { BASES } from './bases.js';
import { KUBERNETES_REPLICAS } from './kubernetes.js';

/** The name of the Compose service (compose.yaml) and Kubernetes init container (deployment.yaml) that run the init commands. */
const INIT_SERVICE = 'init';

/** True when `dir` is `path` or one of its ancestors (project-relative POSIX paths; `.` is everyone's). */
function isAncestorOrSelf(dir: string, path: string): boolean {
  return dir === '.' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * The project-relative paths holding the code the entry runs: the module root (`src`,
 * `backend`) when it is not the project root, and the entry's top-level package or module
 * file, or the WSGI script.
 */
export function codePaths(entry: WsgiEntry): string[] {
  if (entry.kind === 'script') return [entry.path];
  const top = entry.module.split('.')[0];
  const paths = [posix.join(entry.moduleRoot, top), posix.join(entry.moduleRoot, `${top}.py`)];
  return entry.moduleRoot === '.' ? paths : [entry.moduleRoot, ...paths];
}

/**
 * Checks the rules between answers:
 * - the project name is not `init` when there are init commands: the service and init container
 *   running them have that name, and Compose and Kubernetes need the names distinct (`--name`);
 * - processes x threads within what the image's envvars accepts ({@link checkDaemonSize}, `--threads`);
 * - no static directory is an ancestor of (or is) the entry's code (`--static`);
 * - no data directory holds the entry's code or the files the build installs dependencies from
 *   (`--data-dir`): each data directory is kept out of the image by `.dockerignore`;
 * - no data directory overlaps Django's `STATIC_ROOT`, which the build fills (`--data-dir`);
 * - `--python-build optimized` only on the `python` base, whose Python it rebuilds;
 * - no Debian `python3-*` package on the `python` base: Debian builds those for its own
 *   /usr/bin/python3, which the image's Python and virtualenv never see (`--apt-packages`);
 * - no `--proxy` prefix equal to, inside or around a `--static` URL (mod_proxy would take
 *   the requests Apache should serve from disk, or the reverse), and the health path not
 *   behind one: the probes would check another service (`--proxy`);
 * - no `--mount` prefix equal to, inside or around a `--static` or `--proxy` one: those
 *   would take its requests, nor equal to or around the `--mount-point` (`--mount`);
 * - `--proxy /` (a front end) only with the app moved by `--mount-point`, and the health path
 *   under the mount point, where the app answers (`--proxy`, `--health-path`);
 * - no `--mount-point` for Django, whose static files and admin URLs would then need a
 *   prefixed STATIC_URL alias this generator does not derive yet (`--mount-point`).
 * @param answers - every answer, each already valid on its own (from resolveAnswers)
 * @throws InputError for the first rule broken, naming the flag and the fix
 */
export function checkAnswerCombination(answers: ParsedAnswers, ctx: AnswerContext): void {
  checkDaemonSize(answers.processes, answers.threads);
  checkAutoscaling(answers);
  checkKubernetesOnly(answers);
  checkKubernetesNames(answers);
  if (answers.wsgiMode === 'embedded' && answers.mounts.length > 0) {
    throw new InputError(
      '--wsgi-mode',
      `embedded runs one app inside Apache's children, and --mount ${answers.mounts[0].url} needs a daemon process group of its own`,
      'leave --wsgi-mode daemon, or drop --mount',
    );
  }
  if (answers.pythonBuild === 'optimized' && !BASES[answers.base].pypiModWsgi) {
    throw new InputError(
      '--python-build',
      `optimized rebuilds the official image's Python, and the ${answers.base} base runs Debian's`,
      'pass --base python, or leave --python-build standard',
    );
  }
  const debianPython = answers.aptPackages.find(name => /^python3(-|$)/.test(name.split('=')[0]));
  if (BASES[answers.base].pypiModWsgi && debianPython !== undefined) {
    throw new InputError(
      '--apt-packages',
      `${debianPython} is a library for Debian's own Python, which the ${answers.base} base's Python ${answers.python} does not see`,
      'list the library in requirements.txt or pyproject.toml (a wheelhouse/ works offline), or pass --base trixie',
    );
  }
  if (answers.initCommands.length > 0 && answers.name === INIT_SERVICE) {
    throw new InputError(
      '--name',
      `"${answers.name}" is also the name of the Compose service and Kubernetes init container that run --init-command`,
      `pick another name, e.g. --name ${answers.name}-app`,
    );
  }
  const variables = new Set(answers.setenv.map(item => item.slice(0, item.indexOf('='))));
  const both = answers.secrets.find(name => variables.has(name) || variables.has(`${name}_FILE`));
  if (both !== undefined) {
    throw new InputError(
      '--secret',
      `${both} is also given with --setenv, and the app would see one of the two values`,
      `drop --setenv ${both}=...: the secret's file .secrets/${both} holds its value`,
    );
  }
  checkServiceNames(answers);
  const entry = answers.entry;
  if (entry.kind === 'callable' && entry.installed) {
    const facts = ctx.facts;
    const installs =
      facts.requirementsTxt ||
      facts.pyprojectDependencies ||
      facts.lockFile !== undefined ||
      answers.aptPackages.some(name => /^python3-/.test(name));
    if (!installs)
      throw moduleNotFound(formatEntry(entry), entry.module, [...MODULE_ROOTS, ...extraModuleRoots(facts)]);
  }
  checkMountPoint(answers, ctx);
  checkProxyRoutes(answers);
  checkMounts(answers);
  const code = codePaths(answers.entry);
  for (const mapping of answers.static) {
    const served = code.find(path => isAncestorOrSelf(mapping.dir, path));
    if (served !== undefined) {
      throw new InputError(
        '--static',
        `${mapping.url}=${mapping.dir} would serve the app's code (${served}) to anyone`,
        `map ${mapping.url} to a directory holding only public files, e.g. --static ${mapping.url}=static`,
      );
    }
  }
  const needed = [
    ...code.map(path => ({ path, what: "the app's code" })),
    ...ctx.facts.requirementFiles.map(path => ({ path, what: 'a requirements file the image installs' })),
    { path: 'pyproject.toml', what: 'the project metadata the image installs' },
    ...(ctx.facts.djangoManagePy ? [{ path: ctx.facts.djangoManagePy, what: "Django's manage.py" }] : []),
  ];
  const collected = ctx.facts.djangoStatic?.root;
  // django-compressor's output folder is the one volume inside STATIC_ROOT: collectstatic leaves it empty.
  const compressorCache = collected === undefined ? undefined : ctx.facts.djangoRuntime?.compressorCache;
  for (const dir of answers.dataDirs) {
    if (
      collected !== undefined &&
      dir !== compressorCache &&
      (isAncestorOrSelf(dir, collected) || isAncestorOrSelf(collected, dir))
    ) {
      throw new InputError(
        '--data-dir',
        `"${dir}" overlaps Django's STATIC_ROOT (${collected}), which collectstatic fills while the image builds; a volume there would hide or freeze it`,
        'pick a directory outside STATIC_ROOT, e.g. --data-dir media',
      );
    }
    const held = needed.find(({ path }) => isAncestorOrSelf(dir, path));
    if (held !== undefined) {
      throw new InputError(
        '--data-dir',
        `"${dir}" holds ${held.what} (${held.path}), which would then be left out of the image: a data directory is a volume, not part of the build`,
        'pick a directory that holds no code, e.g. --data-dir data',
      );
    }
  }
}

/** True when URL prefix `outer` is `inner` or a path-segment prefix of it (`/a` of `/a/b`, not of `/ab`; `/` of all). */
function coversUrl(outer: string, inner: string): boolean {
  return outer === '/' || inner === outer || inner.startsWith(`${outer}/`);
}

function checkMountPoint(answers: ParsedAnswers, ctx: AnswerContext): void {
  const point = answers.mountPoint;
  if (point !== '/' && ctx.facts.djangoSettingsModule !== undefined) {
    throw new InputError(
      '--mount-point',
      `${point} would move a Django project, whose STATIC_URL alias and admin login this generator only knows at /`,
      'leave --mount-point out, and put other services at prefixes of their own (--proxy /svc=..., --mount /api=...)',
    );
  }
  if (!coversUrl(point, answers.healthPath.split('?')[0])) {
    throw new InputError(
      '--health-path',
      `${answers.healthPath} is outside --mount-point ${point}, so the app never sees the probes`,
      `pick a path under ${point}, e.g. --health-path ${point}/`,
    );
  }
  const front = answers.proxies.find(route => route.url === '/');
  if (front !== undefined && point === '/') {
    throw new InputError(
      '--proxy',
      `/=${front.upstream} would take every request from the WSGI app, which answers at /`,
      'move the app with --mount-point /app (the front end keeps /), or proxy a prefix such as /svc',
    );
  }
  const around = answers.mounts.find(mount => coversUrl(mount.url, point));
  if (around !== undefined) {
    throw new InputError(
      '--mount',
      `${around.url} is --mount-point ${point} or around it, which the project's app answers`,
      'give the mounted app a prefix of its own, e.g. --mount /api=...',
    );
  }
}

function checkMounts(answers: ParsedAnswers): void {
  for (const mount of answers.mounts) {
    const taken = [
      ...answers.static.map(m => ({ url: m.url, flag: '--static' })),
      ...answers.proxies.map(route => ({ url: route.url, flag: '--proxy' })),
    ]
      .filter(other => other.url !== '/')
      .find(other => coversUrl(other.url, mount.url) || coversUrl(mount.url, other.url));
    if (taken !== undefined) {
      throw new InputError(
        '--mount',
        `${mount.url} overlaps ${taken.flag} ${taken.url}, which Apache would answer first`,
        'give the mounted app a prefix of its own, e.g. --mount /api=...',
      );
    }
  }
}

function checkProxyRoutes(answers: ParsedAnswers): void {
  // `/` is the front end's catch-all: every other prefix is excluded from it (docker/apache2.conf).
  for (const route of answers.proxies.filter(r => r.url !== '/')) {
    const mapping = answers.static.find(m => coversUrl(route.url, m.url) || coversUrl(m.url, route.url));
    if (mapping !== undefined) {
      throw new InputError(
        '--proxy',
        `${route.url} overlaps --static ${mapping.url}: one prefix cannot be both a proxy and files on disk`,
        'give the proxied service and the static files prefixes of their own, e.g. --proxy /svc=...',
      );
    }
    if (coversUrl(route.url, answers.healthPath.split('?')[0])) {
      throw new InputError(
        '--health-path',
        `${answers.healthPath} goes to ${route.upstream} (--proxy ${route.url}), so the probes would check that service, not this app`,
        'pick a path the WSGI app answers, e.g. --health-path /',
      );
    }
  }
}

/**
 * `--max-replicas` writes a HorizontalPodAutoscaler, which only exists with `--kubernetes`, must
 * allow more pods than the Deployment starts with, and cannot scale pods that share a
 * ReadWriteOnce data claim (Kubernetes docs, "Persistent Volumes", access modes: one node).
 * @throws InputError naming `--max-replicas` and the fix
 */
function checkAutoscaling(answers: ParsedAnswers): void {
  if (answers.maxReplicas === 0) return;
  if (!answers.kubernetes)
    throw new InputError(
      '--max-replicas',
      'writes a HorizontalPodAutoscaler, part of the Kubernetes manifests',
      'pass --kubernetes too, or leave --max-replicas out',
    );
  if (answers.dataDirs.length > 0)
    throw new InputError(
      '--max-replicas',
      `pods would share the ReadWriteOnce claim of --data-dir ${answers.dataDirs[0]}, which one node mounts at a time`,
      'keep state in a database or object store and drop --data-dir, or leave --max-replicas out (one pod, strategy Recreate)',
    );
  if (answers.maxReplicas < KUBERNETES_REPLICAS)
    throw new InputError(
      '--max-replicas',
      `${answers.maxReplicas} is below the ${KUBERNETES_REPLICAS} replicas the Deployment starts with`,
      `pass --max-replicas ${KUBERNETES_REPLICAS} or more`,
    );
}

/**
 * `--image` and `--ingress-host` only shape the Kubernetes manifests: without `--kubernetes` they
 * would be saved and do nothing.
 * @throws InputError naming the flag and the fix
 */
function checkKubernetesOnly(answers: ParsedAnswers): void {
  if (answers.kubernetes) return;
  const given = [
    { flag: '--image', value: answers.image, what: 'the image the Kubernetes manifests deploy' },
    { flag: '--ingress-host', value: answers.ingressHost, what: 'an Ingress, a Kubernetes manifest' },
  ].find(({ value }) => value !== '');
  if (given)
    throw new InputError(given.flag, `sets ${given.what}`, `pass --kubernetes too, or leave ${given.flag} out`);
}

/**
 * The Kubernetes objects named after `--name`: the init Job `NAME-init` (its name is also its
 * pods' `job-name` label) and each worker's Deployment `NAME-WORKER`, also their
 * `app.kubernetes.io/name` label. A label value holds at most 63 characters (Kubernetes docs,
 * "Labels and Selectors", syntax and character set).
 * @throws InputError naming `--name` when one of them would be longer
 */
function checkKubernetesNames(answers: ParsedAnswers): void {
  if (!answers.kubernetes) return;
  const derived = [...(answers.initCommands.length > 0 ? ['init'] : []), ...answers.workers.map(worker => worker.name)];
  const longest = derived.reduce((a, b) => (b.length > a.length ? b : a), '');
  const room = MAX_NAME_LENGTH - longest.length - 1;
  if (longest !== '' && answers.name.length > room)
    throw new InputError(
      '--name',
      `"${answers.name}" makes the Kubernetes name ${answers.name}-${longest}, ${answers.name.length + longest.length + 1} characters, over the 63 a label value may hold`,
      `pick a name of at most ${room} characters, e.g. --name ${answers.name.slice(0, room).replace(/-+$/, '')}`,
    );
}

/**
 * The Compose services the project gets share one namespace: the app (`--name`), `init`, the
 * backing services and the workers.
 * @throws InputError naming `--worker` (or `--name`) for a name another service has
 */
function checkServiceNames(answers: ParsedAnswers): void {
  const hosts = serviceHostNames(answers.services);
  const host = hosts.find(name => name === answers.name);
  if (host !== undefined)
    throw new InputError(
      '--name',
      `"${host}" is also the name of the --service ${host}`,
      `pick another name, e.g. --name ${host}-app`,
    );
  const taken = new Map<string, string>([
    [answers.name, "the app's (--name)"],
    [INIT_SERVICE, "the init service's"],
    ...hosts.map(name => [name, `the --service ${name}'s`] as [string, string]),
  ]);
  for (const worker of answers.workers) {
    const owner = taken.get(worker.name);
    if (owner !== undefined)
      throw new InputError(
        '--worker',
        `${worker.name} is also ${owner} service name`,
        `name the worker otherwise, e.g. --worker ${worker.name}-worker=...`,
      );
  }
}
