/**
 * `--worker NAME=COMMAND`: a background process of the project (a Celery or RQ worker, a
 * scheduler) run from the app's image, with its environment, secrets and data: a Compose service
 * each, restarted on code changes in the development shape, and a Kubernetes Deployment each.
 */
import { join } from 'node:path';
import { isFile, readText } from '../lib/fs.js';
import { InputError } from '../lib/input-error.js';
import { toRepeated } from '../lib/parse.js';
import type { ProjectFacts } from './detect.js';

/** One worker as given: its Compose service name and its command line (run by `/bin/sh -c`). */
export interface Worker {
  name: string;
  command: string;
}

/** A Compose service name that is also a Kubernetes object name (RFC 1123 label). */
const WORKER_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parses `--worker` (repeatable, never split at commas: a command may hold them).
 * @param raw one `NAME=COMMAND` string or a list of them (flags, prompt, `.yo-rc.json`)
 * @returns the workers in the order given
 * @throws InputError naming `--worker` for an item without `=` or command, a name that is not a
 *   lower-case DNS label, a name given twice, or a command spanning lines
 */
export function parseWorkers(raw: unknown): Worker[] {
  const workers: Worker[] = [];
  for (const item of toRepeated(raw)
    .map(text => text.trim())
    .filter(text => text !== '')) {
    const equals = item.indexOf('=');
    const name = (equals < 0 ? item : item.slice(0, equals)).trim();
    const command = equals < 0 ? '' : item.slice(equals + 1).trim();
    if (command === '')
      throw new InputError(
        '--worker',
        `"${item}" has no command`,
        `write it as NAME=COMMAND, e.g. --worker ${name}="celery -A proj worker"`,
      );
    if (!WORKER_NAME.test(name))
      throw new InputError(
        '--worker',
        `"${name}" is not a service name`,
        'use lower-case letters, digits and -, e.g. worker',
      );
    if (workers.some(worker => worker.name === name))
      throw new InputError('--worker', `${name} is given twice`, 'give each worker once');
    if (/[\n\r\0]/.test(command))
      throw new InputError('--worker', `${name}'s command spans more than one line`, 'give a one-line command');
    workers.push({ name, command });
  }
  return workers;
}

/** The workers as `.yo-rc.json` and the prompt keep them. */
export function formatWorkers(workers: readonly Worker[]): string[] {
  return workers.map(worker => `${worker.name}=${worker.command}`);
}

/**
 * A Celery app the code makes clear (Celery's "First steps with Django": `<project>/celery.py`
 * beside the settings, defining `Celery(...)`): its worker, `python -m celery -A <project> worker`.
 * @returns [] when there is none
 */
export function detectWorkers(root: string, facts: ProjectFacts): Worker[] {
  const dir = facts.djangoSettingsDir;
  if (!facts.djangoSettingsModule || dir === undefined) return [];
  const project = facts.djangoSettingsModule.split('.')[0];
  const celery = join(root, dir, project, 'celery.py');
  if (!isFile(celery) || !/\bCelery\s*\(/.test(readText(celery))) return [];
  // `python -m celery`, not `celery`: Debian's python3-celery has no command (the `celery` package has).
  return [{ name: 'worker', command: `python -m celery -A ${project} worker --loglevel=INFO` }];
}

/**
 * The health check a worker's tool offers: Celery's `inspect ping` of this very worker, whose
 * node name is `celery@<host name>` (https://docs.celeryq.dev/en/stable/reference/cli.html#celery-inspect).
 * @returns the command's arguments ($HOSTNAME left to the shell), or [] for a command whose tool offers none
 */
export function workerHealthcheck(command: string): string[] {
  const match = /^((?:python3?\s+-m\s+)?celery)\s+(?:-A|--app)[=\s]+(\S+).*\sworker\b/.exec(command);
  if (match === null) return [];
  const [, celery, app] = match;
  return ['/bin/sh', '-c', `exec ${celery} -A ${app} inspect ping --destination "celery@$HOSTNAME" --timeout 5`];
}

/** A worker as the templates write it. */
export interface WorkerView {
  name: string;
  command: string;
  /**
   * Compose's `command`: the command through `/bin/sh -c` with `exec`, under docker/worker.py,
   * which turns the image's STOPSIGNAL (SIGWINCH) into the SIGTERM a worker expects and, in
   * development, restarts it on code changes
   */
  run: string;
  /** the health check's `test`, as a JSON array; '' when the tool offers none */
  healthcheck: string;
  /** Kubernetes' `command`, the same as {@link run}, with `$` as it is */
  kubeRun: string;
  /** its Kubernetes Deployment, `<app>-<worker>` */
  deployment: string;
  /** the app's name: its image, ConfigMap and Secret are the worker's */
  appName: string;
}

/**
 * The workers' views.
 * @param appName - the app's `--name`: its image and the prefix of the workers' Deployments
 * @param appDir - where the project is in the image (docker/worker.py is under it)
 * @param entrypoint - the image's entry point, which the health check goes through for the secrets' variables
 */
export function workerViews(
  workers: readonly Worker[],
  appName: string,
  appDir: string,
  entrypoint: string,
): WorkerView[] {
  return workers.map(worker => {
    const run = ['python3', `${appDir}/docker/worker.py`, '/bin/sh', '-c', `exec ${worker.command}`];
    const check = workerHealthcheck(worker.command);
    const compose = (args: string[]) => JSON.stringify(args.map(arg => arg.replaceAll('$', () => '$$')));
    return {
      name: worker.name,
      command: worker.command,
      run: compose(run),
      healthcheck: check.length === 0 ? '' : compose(['CMD', '/bin/sh', entrypoint, ...check]),
      kubeRun: JSON.stringify(run),
      deployment: `${appName}-${worker.name}`,
      appName,
    };
  });
}
