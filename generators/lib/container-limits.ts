/**
 * The container's own bounds (issue 25, finding 6): memory, process ids, the size of the `/tmp`
 * tmpfs and the rotation of its log. Compose renders them as variables of the shell or `.env`
 * with these defaults (`deploy.resources.limits`, which `docker compose up` applies without
 * Swarm: Compose spec, "deploy"; `tmpfs` options; the json-file driver's `max-size`/`max-file`,
 * Docker docs, "JSON File logging driver"). The Kubernetes manifests take memory and `/tmp` from
 * the same figures; there the kubelet bounds pids and rotates logs (`podPidsLimit`,
 * `containerLogMaxSize`), so the manifests name neither.
 */
import { defaultMaxRequestWorkers } from './tunables.js';

/** Memory Apache itself takes in a container, MiB, before any daemon process (measured: about 30). */
const APACHE_MIB = 64;
/** Memory budgeted per daemon process, MiB: an interpreter with a Django app loaded is 60-90. */
const DAEMON_PROCESS_MIB = 128;
/** Tasks (threads count against the pids limit) per daemon thread: its Apache worker threads, mod_wsgi's own. */
const TASKS_PER_DAEMON_THREAD = 4;

/** One bound as Compose reads it: a variable with a default, and where DOCKER.md explains it. */
export interface ContainerLimit {
  /** the variable of the shell or `.env`, e.g. `CONTAINER_MEMORY_LIMIT` */
  env: string;
  /** its default as Compose takes it, e.g. `640m` */
  value: string;
  /** what it bounds, for DOCKER.md */
  meaning: string;
}

/** The memory a pod requests, MiB: Apache plus {@link DAEMON_PROCESS_MIB} per daemon process. */
export function memoryRequestMiB(processes: number): number {
  return APACHE_MIB + processes * DAEMON_PROCESS_MIB;
}

/** The memory limit of the container and the pod, MiB: twice the request, room for a leak to show before the kill. */
export function memoryLimitMiB(processes: number): number {
  return 2 * memoryRequestMiB(processes);
}

/** Size of the `/tmp` tmpfs (Compose) and of the `/tmp` emptyDir (Kubernetes), MiB: run-time files and small uploads. */
export const TMP_SIZE_MIB = 64;

/**
 * The pids limit: {@link TASKS_PER_DAEMON_THREAD} per daemon thread over Apache's derived
 * workers, at least 512, so the defaults never meet it while a fork or thread bomb does.
 * @param processes - daemon processes
 * @param threads - threads per daemon process
 */
export function pidsLimit(processes: number, threads: number): number {
  return Math.max(512, TASKS_PER_DAEMON_THREAD * defaultMaxRequestWorkers(processes, threads));
}

/**
 * The container's bounds, in the order compose.yaml and DOCKER.md list them.
 * @param processes - daemon processes as answered
 * @param threads - threads per daemon process as answered
 */
export function containerLimits(processes: number, threads: number): ContainerLimit[] {
  return [
    {
      env: 'CONTAINER_MEMORY_LIMIT',
      value: `${memoryLimitMiB(processes)}m`,
      meaning: `memory of the whole container; the generator sized it for ${processes} daemon processes, raise it with WSGI_PROCESSES`,
    },
    {
      env: 'CONTAINER_PIDS_LIMIT',
      value: String(pidsLimit(processes, threads)),
      meaning: 'processes and threads in the container (Apache workers, daemon processes and their threads)',
    },
    { env: 'CONTAINER_TMP_SIZE', value: `${TMP_SIZE_MIB}m`, meaning: 'the `/tmp` tmpfs, held in memory' },
    { env: 'CONTAINER_LOG_MAX_SIZE', value: '10m', meaning: 'size of a json-file log before Docker rotates it' },
    { env: 'CONTAINER_LOG_MAX_FILE', value: '3', meaning: 'rotated json-file logs kept' },
  ];
}
