/** Validation of generated Kubernetes manifests, shared by the generator tests and the property test. */
import { parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
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
