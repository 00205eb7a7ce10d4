/** Validation of generated Kubernetes manifests, shared by the generator tests and the property test. */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
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
};
