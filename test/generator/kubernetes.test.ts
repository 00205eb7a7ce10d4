import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  checkKustomization,
  KUBERNETES_MODELS,
  KUSTOMIZATION,
  podSecurityRestrictedViolations,
} from '../helpers/kubernetes.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { makeProject, runGenerator } from '../helpers/project.js';

/** Every file under kubernetes/, by project-relative path. */
function kubernetesFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, 'kubernetes')).map(file => [
      `kubernetes/${file}`,
      readFileSync(join(dir, 'kubernetes', file), 'utf8'),
    ]),
  );
}

/** The API objects of kubernetes/ (kustomization.yaml is Kustomize's, not one). */
function manifests(dir: string): Record<string, unknown>[] {
  return readdirSync(join(dir, 'kubernetes'))
    .filter(file => `kubernetes/${file}` !== KUSTOMIZATION)
    .sort()
    .flatMap(file => parseAllDocuments(readFileSync(join(dir, 'kubernetes', file), 'utf8')).map(doc => doc.toJS()))
    .filter(Boolean);
}

/** kubernetes/ as `kubectl apply -k` would send it: `kubectl kustomize`'s output, one object each. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function kustomized(dir: string): Record<string, any>[] {
  return parseAllDocuments(execFileSync('kubectl', ['kustomize', join(dir, 'kubernetes')], { encoding: 'utf8' })).map(
    doc => doc.toJS(),
  );
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
    expect(docs.map(doc => doc.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'PodDisruptionBudget',
      'Service',
    ]);
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

  it("meets Pod Security's restricted profile, and mounts no service account token", () => {
    const pod = byKind('Deployment')[0]!.spec.template.spec;
    expect(podSecurityRestrictedViolations(pod)).toEqual([]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('the Pod Security check catches what admission would refuse', () => {
    const pod = structuredClone(byKind('Deployment')[0]!.spec.template.spec);
    delete pod.securityContext.seccompProfile;
    pod.containers[0].securityContext.capabilities.add = ['SYS_PTRACE'];
    pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    expect(podSecurityRestrictedViolations(pod)).toEqual([
      'volume docker: type hostPath',
      `container ${pod.containers[0].name}: adds capabilities SYS_PTRACE`,
      `container ${pod.containers[0].name}: seccompProfile is not RuntimeDefault or Localhost`,
    ]);
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

  it('rolls out with Recreate, as a ReadWriteOnce claim allows, and lets drains evict one pod at a time', () => {
    const deployment = byKind('Deployment')[0];
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(byKind('PodDisruptionBudget')[0].spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
    });
  });

  it('lists every manifest in kustomization.yaml, for kubectl apply -k', () => {
    expect(() => checkKustomization(kubernetesFiles(dir))).not.toThrow();
    const broken = { ...kubernetesFiles(dir), 'kubernetes/extra.yaml': 'kind: ConfigMap\n' };
    expect(() => checkKustomization(broken)).toThrow(/are not the manifests written: .*extra\.yaml/);
  });

  it('writes nothing for Kubernetes unless asked', async () => {
    const plain = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(plain, { yes: true, name: 'plain' });
    expect(existsSync(join(plain, 'kubernetes'))).toBe(false);
  });
});

describe('--kubernetes without data directories, with --max-replicas', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, { yes: true, name: 'api', processes: '2', kubernetes: true, 'max-replicas': '6' });
  const docs = manifests(dir);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byKind = (kind: string) => docs.filter(doc => doc.kind === kind) as Record<string, any>[];

  it('rolls out never below the replicas, one extra pod at a time', () => {
    expect(byKind('Deployment')[0].spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it('scales on CPU between 2 and --max-replicas pods, and leaves the count to the autoscaler', () => {
    const [autoscaler] = byKind('HorizontalPodAutoscaler');
    expect(() => new KUBERNETES_MODELS.HorizontalPodAutoscaler(autoscaler as never).validate()).not.toThrow();
    expect(autoscaler.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    });
    expect(byKind('Deployment')[0].spec.replicas).toBeUndefined();
    expect(byKind('Deployment')[0].spec.template.spec.containers[0].resources.requests.cpu).toBe('1000m');
    expect(() => checkKustomization(kubernetesFiles(dir))).not.toThrow();
  });

  it.each([
    [{ 'max-replicas': '4' }, '--max-replicas: writes a HorizontalPodAutoscaler, part of the Kubernetes manifests'],
    [
      { kubernetes: true, 'max-replicas': '4', 'data-dir': 'uploads' },
      '--max-replicas: pods would share the ReadWriteOnce claim of --data-dir uploads',
    ],
    [{ kubernetes: true, 'max-replicas': '1' }, '--max-replicas: 1 is below the 2 replicas the Deployment starts with'],
    // The property test's counterexample (seed 1754154267): the init Job's name and label passed 63.
    [
      { kubernetes: true, name: 'ab'.repeat(31) + 'c', 'init-command': 'true' },
      `--name: "${'ab'.repeat(31)}c" makes the Kubernetes name ${'ab'.repeat(31)}c-init, 68 characters, over the 63 a label value may hold. Fix: pick a name of at most 58 characters, e.g. --name ${'ab'.repeat(29)}`,
    ],
    [
      { kubernetes: true, name: 'a'.repeat(57), worker: 'mailer=sleep 1' },
      `--name: "${'a'.repeat(57)}" makes the Kubernetes name ${'a'.repeat(57)}-mailer, 64 characters`,
    ],
  ])('refuses %j in one line, writing nothing', async (flags, message) => {
    const fresh = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(fresh, { yes: true, ...flags })).rejects.toThrow(message);
    expect(existsSync(join(fresh, 'Dockerfile'))).toBe(false);
  });

  it('takes the longest name whose init Job and labels still fit in 63 characters', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    const name = 'a'.repeat(58);
    await runGenerator(dir, { yes: true, kubernetes: true, 'max-replicas': '4', name, 'init-command': 'true' });
    const job = parseAllDocuments(readFileSync(join(dir, 'kubernetes/init-job.yaml'), 'utf8'))[0]!.toJSON();
    expect(job.metadata.labels['app.kubernetes.io/name']).toHaveLength(63);
  });
});

describe('--kubernetes with --mount', () => {
  it("lists each mounted app's own tunables in the ConfigMap, empty: the global value applies", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(dir, { yes: true, name: 'multi', kubernetes: true, mount: '/api=hello:application' });
    const config = manifests(dir).find(doc => doc.kind === 'ConfigMap') as { data: Record<string, string> };
    expect(config.data).toMatchObject({ WSGI_PROCESSES: '2', WSGI_API_PROCESSES: '', WSGI_API_REQUEST_TIMEOUT: '' });
    expect(() => new KUBERNETES_MODELS.ConfigMap(config as never).validate()).not.toThrow();
  });
});

describe('--kubernetes on every fixture app, with its own flags (defaults otherwise)', () => {
  it.each(Object.values(FIXTURE_APPS).map(app => [app.id, app] as const))(
    '%s: every manifest valid against the API schemas, all listed in kustomization.yaml',
    async (_id, app) => {
      const dir = makeProject({ fixture: app.fixture });
      await runGenerator(dir, { yes: true, ...app.flags, kubernetes: true });
      const docs = manifests(dir);
      for (const doc of docs) {
        const Model = KUBERNETES_MODELS[doc.kind as string];
        expect(Model, String(doc.kind)).toBeDefined();
        expect(() => new Model(doc as never).validate(), String(doc.kind)).not.toThrow();
      }
      expect(docs.map(doc => doc.kind)).toEqual(expect.arrayContaining(['Deployment', 'PodDisruptionBudget']));
      const deployment = docs.find(doc => doc.kind === 'Deployment') as { spec: { template: { spec: never } } };
      expect(podSecurityRestrictedViolations(deployment.spec.template.spec)).toEqual([]);
      expect(() => checkKustomization(kubernetesFiles(dir))).not.toThrow();
    },
  );
});

describe('--kubernetes with init commands and two replicas, --image and --ingress-host', async () => {
  const dir = makeProject({ fixture: 'plain-wsgi' });
  await runGenerator(dir, {
    yes: true,
    name: 'api',
    kubernetes: true,
    'init-command': ['echo once'],
    image: 'registry.example:5000/team/api:1.4.2',
    'ingress-host': 'api.example.com',
  });
  const docs = manifests(dir);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byKind = (kind: string) => docs.filter(doc => doc.kind === kind) as Record<string, any>[];

  it('runs the init commands once, as a Job, not in each of the 2 pods, and the Job passes the restricted profile', () => {
    const [job] = byKind('Job');
    expect(() => new KUBERNETES_MODELS.Job(job as never).validate()).not.toThrow();
    expect(job.metadata.name).toBe('api-init');
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].command).toEqual(['/bin/sh', '/srv/app/docker/init']);
    expect(pod.containers[0].envFrom).toEqual([{ configMapRef: { name: 'api-config' } }]);
    expect(podSecurityRestrictedViolations(pod)).toEqual([]);
    const deployment = byKind('Deployment')[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.initContainers).toBeUndefined();
  });

  it('routes the host to the Service through an Ingress', () => {
    const [ingress] = byKind('Ingress');
    expect(() => new KUBERNETES_MODELS.Ingress(ingress as never).validate()).not.toThrow();
    expect(ingress.spec.rules).toEqual([
      {
        host: 'api.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }],
        },
      },
    ]);
  });

  it('kubectl kustomize gives every container the --image reference, and the recommended labels', () => {
    expect(() => checkKustomization(kubernetesFiles(dir))).not.toThrow();
    const rendered = kustomized(dir);
    const pods = rendered.filter(doc => doc.spec?.template?.spec).map(doc => doc.spec.template.spec);
    expect(pods).toHaveLength(2);
    const images = pods.flatMap(pod => [...(pod.initContainers ?? []), ...pod.containers]).map(c => c.image);
    expect(images).toEqual(['registry.example:5000/team/api:1.4.2', 'registry.example:5000/team/api:1.4.2']);
    for (const doc of rendered)
      expect(doc.metadata.labels, doc.kind).toMatchObject({
        'app.kubernetes.io/part-of': 'api',
        'app.kubernetes.io/managed-by': 'kustomize',
      });
  });

  it('keeps the init commands in the pod where one pod runs (a data claim), and deploys NAME:0.1.0 by default', async () => {
    const single = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(single, {
      yes: true,
      name: 'shop',
      kubernetes: true,
      'init-command': ['echo once'],
      'data-dir': 'uploads',
    });
    const rendered = kustomized(single);
    expect(rendered.map(doc => doc.kind)).not.toContain('Job');
    const pod = rendered.find(doc => doc.kind === 'Deployment')!.spec.template.spec;
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['init']);
    expect(pod.initContainers[0].volumeMounts).toEqual(pod.containers[0].volumeMounts);
    expect([...pod.initContainers, ...pod.containers].map(c => c.image)).toEqual(['shop:0.1.0', 'shop:0.1.0']);
  });

  it.each([
    [{ kubernetes: true, image: 'shop' }, '--image: "shop" has no tag, which means latest'],
    [
      { kubernetes: true, image: 'registry.example/shop:latest' },
      '--image: "registry.example/shop:latest" deploys latest',
    ],
    [{ kubernetes: true, image: 'Shop:1.0' }, '--image: "Shop:1.0" is not an image reference'],
    [{ image: 'shop:1.0' }, '--image: sets the image the Kubernetes manifests deploy'],
    [
      { kubernetes: true, 'ingress-host': 'https://shop.example.com/' },
      '--ingress-host: "https://shop.example.com/" is not a DNS host name',
    ],
    [{ 'ingress-host': 'shop.example.com' }, '--ingress-host: sets an Ingress'],
  ])('refuses %j in one line, writing nothing', async (flags, message) => {
    const fresh = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(fresh, { yes: true, ...flags })).rejects.toThrow(message);
    expect(existsSync(join(fresh, 'Dockerfile'))).toBe(false);
  });
});
