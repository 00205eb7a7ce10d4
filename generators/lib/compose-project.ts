/**
 * The Compose project a check starts, named by us rather than by Testcontainers, so that it
 * can be removed by name even when the start never returned a handle (Ctrl-C during the
 * start or the healthcheck wait).
 */
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';

/** What every project the check starts is called before its random part. */
export const CHECK_PROJECT_PREFIX = 'wsgi-apache-check-';

/**
 * A fresh project name: the prefix and 8 hex digits. Compose allows lowercase letters,
 * digits, `-` and `_` (compose-spec, "name" top-level element).
 */
export function checkProjectName(): string {
  return CHECK_PROJECT_PREFIX + randomBytes(4).toString('hex');
}

export interface RemoveProjectOptions {
  docker?: Docker;
  /** give up after this many ms; default 30,000 */
  timeoutMs?: number;
  /** ms between two looks; default 500 */
  intervalMs?: number;
}

/**
 * Removes every container (with its anonymous volumes), network and volume labelled
 * `com.docker.compose.project=<project>`, the label Compose puts on what it creates. A
 * `compose up` still running may create more after a first pass, so this repeats until two
 * looks in a row find nothing.
 * @returns true when nothing of the project is left, false when `timeoutMs` ran out first
 */
export async function removeComposeProject(project: string, options: RemoveProjectOptions = {}): Promise<boolean> {
  const docker = options.docker ?? new Docker();
  const filters = { label: [`com.docker.compose.project=${project}`] };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let emptyLooks = 0;
  while (Date.now() < deadline) {
    const containers = await docker.listContainers({ all: true, filters });
    const networks = await docker.listNetworks({ filters });
    const { Volumes: volumes } = await docker.listVolumes({ filters });
    const found = containers.length + networks.length + (volumes?.length ?? 0);
    if (found === 0 && ++emptyLooks === 2) return true;
    if (found > 0) emptyLooks = 0;
    // Containers first: a network or volume in use cannot be removed.
    await Promise.all(containers.map(c => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignore)));
    await Promise.all(networks.map(n => docker.getNetwork(n.Id).remove().catch(ignore)));
    await Promise.all((volumes ?? []).map(v => docker.getVolume(v.Name).remove({ force: true }).catch(ignore)));
    await new Promise(resolve => setTimeout(resolve, options.intervalMs ?? 500));
  }
  return false;
}

/** Another remover (the stack's own `down`) may have got there first. */
function ignore(): void {}
