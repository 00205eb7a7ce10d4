import { APP_UID, CONTAINER_PORT } from '../../lib/image-layout.js';
import type { ImageVariable } from '../../lib/tunables.js';
import { SECRETS_DIR, type AppVariable } from '../app-environment.js';
import { type KustomizeImage, kustomizeImage } from '../image-reference.js';
import { type KubernetesSizing, kubernetesResources, kubernetesSizing } from '../kubernetes.js';
import type { ServiceView } from '../services.js';
import type { WorkerView } from '../workers.js';
import { type CommonView, commonView } from './common.js';
import type { DataDir, MountView, ProjectModel } from './model.js';

/** The view of the manifests under kubernetes/ (`--kubernetes`). */
export interface KubernetesView extends CommonView {
  /** sizing, rollout, disruption budget and autoscaler (kubernetes.ts) */
  kube: KubernetesSizing;
  appUid: number;
  containerPort: number;
  processes: number;
  gracefulTimeout: number;
  healthPath: string;
  /** the ConfigMap every container reads its environment from, `<name>-config` */
  configMapName: string;
  /** the ConfigMap: the image's variables and `--setenv`, and each mount's tunables */
  imageEnvironment: ImageVariable[];
  appEnvironment: AppVariable[];
  mounts: MountView[];
  dataDirs: DataDir[];
  backingServices: ServiceView[];
  hasBackingServices: boolean;
  /** the init commands run in an init container of every pod: one pod at most (a ReadWriteOnce data claim) */
  initInPod: boolean;
  /** the init commands run once per apply, as the Job `NAME-init` (init-job.yaml): more than one pod can run */
  initJob: boolean;
  /** the files kustomization.yaml lists, in apply order */
  resources: string[];
  /** kustomization.yaml's `images` entry: `--image`, or `NAME:0.1.0` */
  image: KustomizeImage;
  /** `--ingress-host`, '' for no Ingress */
  ingressHost: string;
  workers: WorkerView[];
  hasSecrets: boolean;
  secretsDir: string;
  /** the Secret the manifests read the values of `.secrets/` from */
  secretName: string;
}

/** The Kubernetes manifests' view. */
export function kubernetesView(model: ProjectModel): KubernetesView {
  const { answers } = model;
  // One writer per ReadWriteOnce data volume; stateless apps get two replicas.
  const kube = kubernetesSizing(answers.processes, answers.gracefulTimeout, model.dataDirs.length, answers.maxReplicas);
  const hasInitCommands = answers.initCommands.length > 0;
  const initJob = hasInitCommands && kube.severalPods;
  return {
    ...commonView(model),
    kube,
    appUid: APP_UID,
    containerPort: CONTAINER_PORT,
    processes: answers.processes,
    gracefulTimeout: answers.gracefulTimeout,
    healthPath: answers.healthPath,
    configMapName: `${answers.name}-config`,
    imageEnvironment: model.environment,
    appEnvironment: model.appEnvironment,
    mounts: model.mounts,
    dataDirs: model.dataDirs,
    backingServices: model.services,
    hasBackingServices: model.services.length > 0,
    initInPod: hasInitCommands && !initJob,
    initJob,
    resources: kubernetesResources({
      dataDirs: model.dataDirs.length > 0,
      workers: model.workers.length > 0,
      autoscaler: kube.autoscaler.length > 0,
      initJob,
      ingress: answers.ingressHost !== '',
    }),
    image: kustomizeImage(answers.name, answers.image),
    ingressHost: answers.ingressHost,
    workers: model.workers,
    hasSecrets: model.secrets.length > 0,
    secretsDir: SECRETS_DIR,
    secretName: secretName(model),
  };
}

/** The Kubernetes Secret the manifests read `.secrets/` from: `<name>-secrets`. */
export function secretName(model: ProjectModel): string {
  return `${model.answers.name}-secrets`;
}
