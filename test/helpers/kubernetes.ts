/** Validation of generated Kubernetes manifests, shared by the generator tests and the property test. */
import { parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';

/**
 * The kinds the generator writes, by `kind`, each validating a manifest against the Kubernetes
 * API's JSON schemas (kubernetes-models): `new Model(doc).validate()` throws on the first violation.
 */
export const KUBERNETES_MODELS: Readonly<Record<string, new (data: never) => { validate(): void }>> = {
  Deployment,
  Service,
  ConfigMap,
  PersistentVolumeClaim,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  Job,
  Ingress,
};

/** Kustomize's file, which no API schema covers: {@link checkKustomization} checks it instead. */
export const KUSTOMIZATION = 'kubernetes/kustomization.yaml';

/**
 * `kubernetes/kustomization.yaml` lists exactly the other manifests written, once each, so
 * `kubectl apply -k kubernetes/` applies them all.
 * @param files - project-relative path → content, as generated
 * @throws Error naming what is missing or extra
 */
export function checkKustomization(files: Record<string, string>): void {
  const listed = (parse(files[KUSTOMIZATION] ?? '') as { resources?: string[] } | null)?.resources ?? [];
  const written = Object.keys(files)
    .filter(file => file.startsWith('kubernetes/') && file !== KUSTOMIZATION)
    .map(file => file.slice('kubernetes/'.length));
  if (listed.length !== new Set(listed).size || [...listed].sort().join() !== [...written].sort().join())
    throw new Error(
      `${KUSTOMIZATION}: resources ${listed.join(', ')} are not the manifests written: ${written.join(', ')}`,
    );
}

/** The parts of a pod spec Pod Security's rules read (the API's PodSpec, loosely typed). */
interface PodSpecShape {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContextShape;
  volumes?: Record<string, unknown>[];
  containers?: ContainerShape[];
  initContainers?: ContainerShape[];
}
interface SecurityContextShape {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  seccompProfile?: { type?: string };
  capabilities?: { add?: string[]; drop?: string[] };
}
interface ContainerShape {
  name: string;
  securityContext?: SecurityContextShape;
  ports?: { hostPort?: number }[];
}

/** The volume types Pod Security's `restricted` profile allows ("Volume Types"). */
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/**
 * What a pod spec breaks of Pod Security's `restricted` profile, the rules the API server's
 * admission applies to a namespace labelled `pod-security.kubernetes.io/enforce: restricted`
 * (kubernetes.io/docs/concepts/security/pod-security-standards, "Restricted", which includes
 * "Baseline"): no host namespaces, ports or privileged containers; only the volume types above;
 * per container (init containers too) `allowPrivilegeEscalation: false`, capabilities dropping
 * ALL and adding at most NET_BIND_SERVICE; non-root (pod or container `runAsNonRoot: true`, no
 * `runAsUser: 0`); a `RuntimeDefault` or `Localhost` seccomp profile (pod or container).
 * @param spec - a Deployment's `spec.template.spec`
 * @returns one line per violation, `container NAME: rule`; [] when the pod is admitted
 */
export function podSecurityRestrictedViolations(spec: PodSpecShape): string[] {
  const found: string[] = [];
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[host]) found.push(`pod: ${host}`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find(key => key !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.includes(type)) found.push(`volume ${String(volume.name)}: type ${type}`);
  }
  const pod = spec.securityContext ?? {};
  if (pod.runAsUser === 0) found.push('pod: runAsUser 0');
  const seccompOk = (type?: string) => type === 'RuntimeDefault' || type === 'Localhost';
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const own = container.securityContext ?? {};
    const at = `container ${container.name}`;
    if (own.privileged) found.push(`${at}: privileged`);
    if (own.allowPrivilegeEscalation !== false) found.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(own.capabilities?.drop ?? []).includes('ALL')) found.push(`${at}: capabilities do not drop ALL`);
    const added = (own.capabilities?.add ?? []).filter(name => name !== 'NET_BIND_SERVICE');
    if (added.length > 0) found.push(`${at}: adds capabilities ${added.join(', ')}`);
    if (!(own.runAsNonRoot ?? pod.runAsNonRoot)) found.push(`${at}: runAsNonRoot is not true`);
    if (own.runAsUser === 0) found.push(`${at}: runAsUser 0`);
    if (!seccompOk(own.seccompProfile?.type ?? pod.seccompProfile?.type))
      found.push(`${at}: seccompProfile is not RuntimeDefault or Localhost`);
    if ((container.ports ?? []).some(port => port.hostPort)) found.push(`${at}: hostPort`);
  }
  return found;
}
