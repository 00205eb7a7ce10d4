import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_MODELS } from '../helpers/kubernetes.js';
import { makeProject, runGenerator } from '../helpers/project.js';

function manifests(dir: string): Record<string, unknown>[] {
  return readdirSync(join(dir, 'kubernetes'))
    .sort()
    .flatMap(file => parseAllDocuments(readFileSync(join(dir, 'kubernetes', file), 'utf8')).map(doc => doc.toJS()))
    .filter(Boolean);
}

describe('--kubernetes', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, {
    yes: true,
    name: 'shop',
    processes: '3',
    'graceful-timeout': '20',
    'data-dir': 'uploads',
    kubernetes: true,
  });
  const docs = manifests(dir);
  // Manifests are walked by key, as kubectl would; their full types are kubernetes-models' job.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byKind = (kind: string) => docs.filter(doc => doc.kind === kind) as Record<string, any>[];

  it('writes a Deployment, Service, ConfigMap and a claim per data directory, all valid against the API schemas', () => {
    expect(docs.map(doc => doc.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Service']);
    for (const doc of docs) {
      const Model = KUBERNETES_MODELS[doc.kind as string];
      expect(() => new Model(doc as never).validate(), String(doc.kind)).not.toThrow();
    }
  });

  it('the schema check catches a broken manifest', () => {
    const deployment = structuredClone(byKind('Deployment')[0]);
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new KUBERNETES_MODELS.Deployment(deployment as never).validate()).toThrow(
      /containerPort must be integer/,
    );
  });

  it('sizes the pod from processes x threads and stops it within the graceful timeout', () => {
    const pod = byKind('Deployment')[0].spec.template.spec;
    const container = pod.containers[0];
    expect(container.resources).toEqual({
      requests: { cpu: '1500m', memory: '448Mi' },
      limits: { cpu: '3000m', memory: '896Mi' },
    });
    // preStop 5 s + graceful-timeout 20 s + 5 s margin.
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/', port: 'http' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/', port: 'http' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data-uploads', mountPath: '/srv/app/uploads' },
    ]);
    expect(pod.volumes[1]).toEqual({ name: 'data-uploads', persistentVolumeClaim: { claimName: 'shop-data-uploads' } });
    expect(byKind('PersistentVolumeClaim')[0].metadata.name).toBe('shop-data-uploads');
    expect(byKind('Deployment')[0].spec.replicas).toBe(1);
  });

  it('puts the tunables in the ConfigMap the container reads', () => {
    const config = byKind('ConfigMap')[0];
    expect(config.data).toMatchObject({
      WSGI_ENVIRONMENT: 'production',
      WSGI_PROCESSES: '3',
      WSGI_THREADS: '5',
      WSGI_GRACEFUL_TIMEOUT: '20',
    });
    expect(byKind('Deployment')[0].spec.template.spec.containers[0].envFrom).toEqual([
      { configMapRef: { name: config.metadata.name } },
    ]);
    expect(byKind('Service')[0].spec.ports[0]).toEqual({ name: 'http', port: 80, targetPort: 'http' });
  });

  it('writes nothing for Kubernetes unless asked', async () => {
    const plain = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(plain, { yes: true, name: 'plain' });
    expect(existsSync(join(plain, 'kubernetes'))).toBe(false);
  });
});
