/**
 * The Kubernetes manifests' numbers and shapes (`--kubernetes`), derived from the daemon's
 * configuration and the data directories: sizing, the rollout strategy, the disruption budget
 * and the optional autoscaler. The templates under `templates/kubernetes/` render this as is.
 */
import { memoryLimitMiB, memoryRequestMiB, TMP_SIZE_MIB } from '../lib/container-limits.js';

/** Replicas of a Deployment without data directories: two, so one serves while the other rolls or is evicted. */
export const KUBERNETES_REPLICAS = 2;

/**
 * Kubernetes sizing derived from the daemon configuration. A daemon process runs Python
 * code one thread at a time (the GIL), so it can use about one core: CPU is requested at
 * half a core per process and limited to one core per process; its threads add waiting, not
 * CPU. Memory: as the Compose limit (`../lib/container-limits.ts`), which requests half of it.
 */
export interface KubernetesSizing {
  replicas: number;
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  /** the `/tmp` emptyDir's `sizeLimit`, as Compose's tmpfs */
  tmpSize: string;
  /** preStop sleep, seconds: endpoints are removed from the Service before Apache stops */
  preStopSeconds: number;
  /** preStop + graceful-timeout (Apache drains) + 5 s margin */
  terminationGracePeriodSeconds: number;
  /** requested size of each data-directory volume claim */
  dataVolumeSize: string;
  /**
   * `Recreate` when a ReadWriteOnce claim is mounted: a new pod on another node could never
   * attach it while the old one holds it, and a RollingUpdate would hang (Kubernetes docs,
   * Deployments, "Recreate Deployment"). Otherwise `RollingUpdate`.
   */
  strategy: 'Recreate' | 'RollingUpdate';
  /** RollingUpdate: never fewer ready pods than replicas (maxUnavailable 0), one extra pod at a time */
  rollingUpdate: boolean;
  /**
   * The PodDisruptionBudget's `maxUnavailable`: voluntary evictions (node drains) take one pod
   * at a time; with one replica the drain may still proceed, rather than block forever.
   */
  maxUnavailable: number;
  /**
   * the Deployment sets `replicas`: not when an autoscaler owns the count, or every apply would
   * reset it (Kubernetes docs, "Horizontal Pod Autoscaling", migrating Deployments)
   */
  fixedReplicas: boolean;
  /** the HorizontalPodAutoscaler (`--max-replicas`), or none */
  autoscaler: { minReplicas: number; maxReplicas: number; cpuUtilization: number }[];
  /**
   * more than one pod can run (two replicas, or an autoscaler): the init commands then run once,
   * as a Job, instead of in every pod, where they would run concurrently (two `migrate`s at once)
   */
  severalPods: boolean;
}

/**
 * Sizes and shapes the Deployment.
 * @param processes - daemon processes per pod
 * @param gracefulTimeout - `WSGI_GRACEFUL_TIMEOUT`, seconds
 * @param dataDirs - number of `--data-dir`s (each a ReadWriteOnce claim)
 * @param maxReplicas - `--max-replicas`, 0 for no autoscaler
 */
export function kubernetesSizing(
  processes: number,
  gracefulTimeout: number,
  dataDirs: number,
  maxReplicas: number,
): KubernetesSizing {
  const replicas = dataDirs > 0 ? 1 : KUBERNETES_REPLICAS;
  const preStopSeconds = 5;
  return {
    replicas,
    cpuRequest: `${processes * 500}m`,
    cpuLimit: `${processes * 1000}m`,
    memoryRequest: `${memoryRequestMiB(processes)}Mi`,
    memoryLimit: `${memoryLimitMiB(processes)}Mi`,
    tmpSize: `${TMP_SIZE_MIB}Mi`,
    preStopSeconds,
    terminationGracePeriodSeconds: preStopSeconds + gracefulTimeout + 5,
    dataVolumeSize: '1Gi',
    strategy: dataDirs > 0 ? 'Recreate' : 'RollingUpdate',
    rollingUpdate: dataDirs === 0,
    maxUnavailable: 1,
    fixedReplicas: maxReplicas === 0,
    // 70 %: of the CPU request, i.e. 0.35 core per process, leaving headroom to the limit of 1 core.
    autoscaler: maxReplicas > 0 ? [{ minReplicas: replicas, maxReplicas, cpuUtilization: 70 }] : [],
    severalPods: replicas > 1 || maxReplicas > 1,
  };
}

/** Which optional manifests a project gets. */
export interface ManifestParts {
  dataDirs: boolean;
  workers: boolean;
  autoscaler: boolean;
  /** the init commands as a Job (init-job.yaml) */
  initJob: boolean;
  /** `--ingress-host` (ingress.yaml) */
  ingress: boolean;
}

/** The files `kustomization.yaml` lists, in the order `kubectl apply` should create them. */
export function kubernetesResources(parts: ManifestParts): string[] {
  return [
    'configmap.yaml',
    ...(parts.dataDirs ? ['storage.yaml'] : []),
    ...(parts.initJob ? ['init-job.yaml'] : []),
    'deployment.yaml',
    'service.yaml',
    ...(parts.ingress ? ['ingress.yaml'] : []),
    ...(parts.workers ? ['workers.yaml'] : []),
    'disruption-budget.yaml',
    ...(parts.autoscaler ? ['autoscaler.yaml'] : []),
  ];
}
