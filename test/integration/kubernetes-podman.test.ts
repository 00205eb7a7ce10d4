/**
 * Issue 18: the generated Kubernetes manifests on a real runtime. No Kubernetes distribution can
 * be installed here, but Debian's podman runs a pod spec as written (`podman kube play`) with a
 * local image. The Django fixture, with its defaults (migrate as the init command, its SQLite
 * database on the data claim, the admin login as the health path), is built with Docker, loaded
 * into podman, played from its manifests, asked a real request and stopped.
 *
 * What podman 4.3 does not cover, and the schema tests (test/generator/kubernetes.test.ts, the
 * property test) do instead: Services, rollout strategies, the PodDisruptionBudget and the
 * HorizontalPodAutoscaler are ignored by `kube play`; probes become podman healthchecks that
 * need systemd timers (absent here) and lose the Host header and named ports, so the probe's
 * request is made from inside the pod instead; `preStop` hooks are not run.
 *
 * Then issue 29's rootless Podman: the development shape, as Compose resolves it, run by a host
 * user whose uid is not 1000 with `podman run`: it serves, and what the app writes is that user's.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { chownTree } from '../helpers/commands.js';
import { composeBuild } from '../helpers/compose.js';
import { FIXTURE_APPS } from '../helpers/fixture-apps.js';
import { scaffoldFixture } from '../helpers/project.js';

const NAME = 'wsgi-apache-it-kube';
const POD = `${NAME}-pod-0`;
const APP = `${POD}-${NAME}`;
/** The manifests `podman kube play` gets, in the order `kubectl apply -k` would apply them. */
const PLAYED = ['configmap.yaml', 'storage.yaml', 'deployment.yaml', 'service.yaml', 'disruption-budget.yaml'];

const podmanMissing = spawnSync('podman', ['--version']).error !== undefined;
if (podmanMissing)
  console.log('[kubernetes] skipped: podman is not installed (.ci/provision-docker.sh installs it from Debian)');

/**
 * podman's configuration for this run. As root, podman 4.3 sets RLIMIT_NOFILE and RLIMIT_NPROC
 * above this machine's hard limits (20,000 open files here), which runc then may not set:
 * "error setting rlimit type 7: operation not permitted". Limits within the hard ones work.
 */
function containersConf(dir: string): string {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const hard = (name: string) => {
    const value = new RegExp(`^${name}\\s+\\S+\\s+(\\S+)`, 'm').exec(limits)?.[1];
    return value === undefined || value === 'unlimited' ? Infinity : Number(value);
  };
  const nofile = Math.min(hard('Max open files'), 65_536);
  // RLIMIT_NPROC counts every task of the uid on the host, and 10001 is the `app` user of every
  // stack the other test files run at the same time: 8,192 ran out ("exec: resource temporarily
  // unavailable" in the pod, warm27). runc here sets 32,768 and refuses 65,536.
  const nproc = Math.min(hard('Max processes'), 32_768);
  const path = join(dir, 'containers.conf');
  writeFileSync(path, `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n`);
  return path;
}

describe.skipIf(podmanMissing)('the --kubernetes manifests under podman kube play (Django fixture, defaults)', () => {
  let dir: string;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let deployment: { spec: { template: { spec: Record<string, never> } } };
  const podman = (...args: string[]) =>
    execFileSync('podman', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  /** A container's output, stdout and stderr (`podman logs` keeps them apart, as the container wrote them). */
  const logs = (name: string) => {
    const result = spawnSync('podman', ['logs', name], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    return `${result.stdout}${result.stderr}`;
  };
  /** Runs Python in the app's container (its Python, its user): for requests from inside the pod. */
  const inPod = (code: string) => podman('exec', APP, 'python3', '-c', code).trim();
  const request = (path: string) =>
    inPod(
      `import urllib.request, urllib.error\n` +
        `r = urllib.request.Request("http://127.0.0.1:8080${path}", headers={"Host": "localhost"})\n` +
        `try:\n    print(urllib.request.urlopen(r, timeout=10).status)\nexcept urllib.error.HTTPError as e:\n    print(e.code)`,
    );

  beforeAll(async () => {
    const { fixture, flags, libraries } = FIXTURE_APPS.django;
    dir = await scaffoldFixture(fixture, NAME, { ...flags, kubernetes: true }, libraries);
    composeBuild(dir);
    work = mkdtempSync(join(tmpdir(), 'wsgi-apache-kube-'));
    env = { ...process.env, CONTAINERS_CONF: containersConf(work) };
    execFileSync('sh', ['-c', `docker save ${NAME}:latest | podman load -q`], { env, stdio: 'ignore' });
    deployment = parseYaml(readFileSync(join(dir, 'kubernetes/deployment.yaml'), 'utf8'));
    // One podman-only annotation, which Kubernetes ignores: podman 4.3 runs init containers as
    // "once" by default and then fails to remove the one it just ran ("cannot remove container
    // ... as it is running"); "always" keeps it, exited, where this test can inspect it.
    const annotations = { 'io.podman.annotations.init.container.type': 'always' };
    const played = structuredClone(deployment) as unknown as {
      metadata: Record<string, unknown>;
      spec: { template: { metadata: Record<string, unknown> } };
    };
    played.metadata.annotations = annotations;
    played.spec.template.metadata.annotations = annotations;
    const manifests = PLAYED.map(file => {
      if (file === 'deployment.yaml') return stringifyYaml(played);
      try {
        return readFileSync(join(dir, 'kubernetes', file), 'utf8');
      } catch {
        return '';
      }
    }).filter(text => text !== '');
    // The Secret DOCKER.md has users make from .secrets/ (`kubectl create secret generic
    // <name>-secrets --from-file=.secrets/`): the fixture's settings read DJANGO_SECRET_KEY.
    // podman 4.3's kube play reads a Secret's data from a podman secret of that name holding it as
    // JSON, each value base64 (libpod's k8sSecretFromSecretManager: a map[string][]byte).
    const secrets = join(dir, '.secrets');
    if (existsSync(secrets)) {
      const data = Object.fromEntries(
        readdirSync(secrets).map(file => [file, readFileSync(join(secrets, file)).toString('base64')]),
      );
      writeFileSync(join(work, 'secret.json'), JSON.stringify(data));
      spawnSync('podman', ['secret', 'rm', `${NAME}-secrets`], { env });
      podman('secret', 'create', `${NAME}-secrets`, join(work, 'secret.json'));
    }
    writeFileSync(join(work, 'played.yaml'), manifests.join('\n---\n'));
    podman('kube', 'play', join(work, 'played.yaml'));
    // The probe's own request, as the kubelet makes it (health path, Host: localhost, 200-399).
    const probe = deployment.spec.template.spec.containers[0] as { readinessProbe: { httpGet: { path: string } } };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = Number(spawnSafe(() => request(probe.readinessProbe.httpGet.path)));
      if (status >= 200 && status < 400) break;
      if (Date.now() > deadline) throw new Error(`the pod never answered its readiness probe:\n${logs(APP)}`);
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  });

  afterAll(() => {
    if (!env) return;
    spawnSync('podman', ['pod', 'rm', '-f', POD], { env });
    spawnSync('podman', ['volume', 'prune', '-f'], { env });
    spawnSync('podman', ['secret', 'rm', `${NAME}-secrets`], { env });
    spawnSync('podman', ['rmi', '-f', `localhost/${NAME}:latest`], { env });
    rmSync(work, { recursive: true, force: true });
  });

  it('ran the init container (migrate) to completion before the app, on the same data claim', () => {
    const init = `${POD}-init`;
    // docker/init ends with "init: done" only when every command succeeded (set -e). (podman then
    // restarts the exited init container under the pod's restartPolicy, which Kubernetes does not.)
    expect(logs(init)).toMatch(/init: python manage\.py migrate --noinput[\s\S]*init: done/);
    expect(logs(APP)).toMatch(/AH00489: Apache\/[\d.]+ \(Debian\) mod_wsgi\/[\d.]+ Python\/3\.\d+ configured/);
    const claim = (deployment.spec.template.spec.volumes as { persistentVolumeClaim?: { claimName: string } }[]).find(
      volume => volume.persistentVolumeClaim,
    )!.persistentVolumeClaim!.claimName;
    expect(podman('volume', 'ls', '--format', '{{.Name}}').split('\n')).toContain(claim);
  });

  it('serves the admin login (200) through Apache and mod_wsgi, from the ConfigMap-sized daemon', () => {
    expect(request('/admin/login/')).toBe('200');
    const config = inPod(
      'import os; print(os.environ["WSGI_ENVIRONMENT"], os.environ["WSGI_PROCESSES"], ' +
        'sum(open(f"/proc/{p}/cmdline", "rb").read().startswith(b"(wsgi:app)") for p in os.listdir("/proc") if p.isdigit()))',
    );
    expect(config).toBe('production 2 2');
  });

  it('runs as written: non-root, read-only root filesystem, no capabilities, a writable /tmp and data claim', () => {
    const facts = inPod(
      'import os\n' +
        'caps = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]\n' +
        'def writable(p):\n    try:\n        open(p, "w").close(); os.remove(p); return "rw"\n    except OSError as e:\n        return e.strerror\n' +
        'print(os.getuid(), os.getgid(), caps, writable("/etc/x"), writable("/srv/app/x"), writable("/tmp/x"))',
    );
    expect(facts).toBe('10001 10001 0000000000000000 Read-only file system Read-only file system rw');
    // The claim is mounted where the data directory is, and holds the database migrate wrote.
    const mount = (
      deployment.spec.template.spec.containers[0] as { volumeMounts: { name: string; mountPath: string }[] }
    ).volumeMounts.find(m => m.name !== 'tmp')!.mountPath;
    expect(inPod(`import os; print(sorted(os.listdir("${mount}")))`)).toMatch(/\.sqlite3/);
    expect(inPod(`import os; print(os.access("${mount}", os.W_OK))`)).toBe('True');
  });

  it("stops gracefully on the image's STOPSIGNAL: an in-flight request finishes with 200", async () => {
    // A client in a second container of the same pod (same localhost), which outlives the app's container.
    // It says `sent` once the request is on the wire: the stop must come after Apache has it, however
    // long the client's container took to start.
    let markSent: () => void = () => undefined;
    const sent = new Promise<void>(resolve => (markSent = resolve));
    const slow = new Promise<string>((resolve, reject) => {
      const child = spawn(
        'podman',
        [
          'run',
          '--rm',
          '--pod',
          POD,
          '--entrypoint',
          'python3',
          `localhost/${NAME}:latest`,
          '-c',
          'import http.client, time\n' +
            'c = http.client.HTTPConnection("127.0.0.1", 8080, timeout=30)\n' +
            't = time.monotonic(); c.request("GET", "/whoami/?sleep=4000", headers={"Host": "localhost"})\n' +
            'print("sent", flush=True); s = c.getresponse().status\n' +
            'print(s, round(time.monotonic() - t, 1))',
        ],
        { env },
      );
      // stdout only: podman itself logs to stderr here (no syslog, no systemd).
      let out = '';
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.startsWith('sent\n')) markSent();
      });
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.on('exit', () => {
        markSent();
        resolve(out.replace(/^sent\n/, '').trim() || errors.trim());
      });
      child.on('error', reject);
    });
    await sent;
    // Apache accepts it and hands it to the daemon within milliseconds; a second leaves room.
    await new Promise(resolve => setTimeout(resolve, 1_000));
    const started = performance.now();
    podman('stop', '-t', String(deployment.spec.template.spec.terminationGracePeriodSeconds), APP);
    const stopSeconds = (performance.now() - started) / 1000;
    expect(await slow).toMatch(/^200 \d+\.\d$/);
    expect(logs(APP)).toContain('caught SIGWINCH, shutting down gracefully');
    expect(podman('inspect', APP, '--format', '{{.State.ExitCode}}').trim()).toBe('0');
    console.log(`[kubernetes] graceful stop with a request in flight: ${stopSeconds.toFixed(1)} s`);
  });
});

/** `fn()`, or '' when it throws (a container not answering yet). */
function spawnSafe(fn: () => string): string {
  try {
    return fn();
  } catch {
    return '';
  }
}

const kubectlMissing = spawnSync('kubectl', ['version', '--client']).error !== undefined;
if (kubectlMissing) console.log('[kubernetes] kustomize build skipped: kubectl is not installed');

/** The parts of a built Deployment the label check reads. */
interface Manifest {
  kind: string;
  metadata: { labels: Record<string, string> };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> } };
  };
}

describe.skipIf(kubectlMissing)('kubectl kustomize kubernetes/ (offline: no API server needed)', () => {
  it('builds every manifest of a project with an autoscaler into one valid stream', async () => {
    const dir = await scaffoldFixture('plain-wsgi', 'wsgi-apache-it-kustomize', {
      kubernetes: true,
      'max-replicas': '5',
    });
    const built = execFileSync('kubectl', ['kustomize', join(dir, 'kubernetes')], { encoding: 'utf8' });
    const kinds = built
      .split(/^---$/m)
      .map(doc => (parseYaml(doc) as { kind?: string } | null)?.kind)
      .filter(Boolean)
      .sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service']);
    // kustomization.yaml's images: the default --image, a tag that is not latest (issue 29, point 8).
    expect(built.match(/image: \S+/g)).toEqual(['image: wsgi-apache-it-kustomize:0.1.0']);
    // Kubernetes' recommended labels on the objects and the pods, the selector as it always was.
    const deployment = built
      .split(/^---$/m)
      .map(doc => parseYaml(doc) as Manifest)
      .find(doc => doc?.kind === 'Deployment')!;
    const recommended = {
      'app.kubernetes.io/name': 'wsgi-apache-it-kustomize',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': 'wsgi-apache-it-kustomize',
      'app.kubernetes.io/managed-by': 'kustomize',
    };
    expect(deployment.metadata.labels).toEqual(recommended);
    expect(deployment.spec.template.metadata.labels).toEqual(recommended);
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'wsgi-apache-it-kustomize' });
  });
});

/**
 * The host user rootless Podman runs as here: not 1000, with subordinate ids covering the image's
 * `app` user (10001), as `useradd` gives a new user on Debian (subuid(5)).
 */
const ROOTLESS = { name: 'wsgi-apache-rootless', uid: 1236, subordinate: '400000-465535' };

/** A Compose service as `docker compose config --format json` resolves it: the parts `podman run` is given. */
interface ResolvedService {
  user?: string;
  cap_add?: string[];
  cap_drop?: string[];
  read_only?: boolean;
  security_opt?: string[];
  tmpfs?: string[];
  environment?: Record<string, string | null>;
  volumes?: { type: string; source?: string; target: string; bind?: { selinux?: string } }[];
}

/** `podman run` flags for what `service` sets of user, capabilities, filesystem, environment and mounts. */
function podmanRunFlags(service: ResolvedService): string[] {
  return [
    ...(service.user ? ['--user', service.user] : []),
    ...(service.cap_drop ?? []).flatMap(cap => ['--cap-drop', cap]),
    ...(service.cap_add ?? []).flatMap(cap => ['--cap-add', cap]),
    ...(service.read_only ? ['--read-only'] : []),
    ...(service.security_opt ?? []).flatMap(option => ['--security-opt', option]),
    ...(service.tmpfs ?? []).flatMap(path => ['--tmpfs', path]),
    ...Object.entries(service.environment ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value ?? ''}`]),
    ...(service.volumes ?? []).flatMap(volume =>
      volume.type === 'tmpfs'
        ? ['--tmpfs', volume.target]
        : ['-v', [volume.source, volume.target, volume.bind?.selinux].filter(Boolean).join(':')],
    ),
  ];
}

describe.skipIf(podmanMissing || process.getuid?.() !== 0)(
  'the development shape under rootless Podman, as a host user whose uid is not 1000 (issue 29, point 4)',
  () => {
    const name = 'wsgi-apache-it-rootless';
    let work: string;
    let project: string;
    let env: NodeJS.ProcessEnv;
    const asUser = (args: string[]) =>
      spawnSync(
        'setpriv',
        [`--reuid=${ROOTLESS.uid}`, `--regid=${ROOTLESS.uid}`, '--clear-groups', 'podman', ...args],
        {
          env,
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        },
      );
    const podman = (...args: string[]) => {
      const run = asUser(args);
      if (run.status !== 0) throw new Error(`podman ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
      return run.stdout.trim();
    };
    /** The container's output, stdout and stderr (Apache's error log). */
    const logs = () => {
      const run = asUser(['logs', name]);
      return `${run.stdout}${run.stderr}`;
    };
    const request = (path: string) =>
      podman(
        'exec',
        name,
        'python3',
        '-c',
        `import urllib.request, urllib.error\n` +
          `try:\n    print(urllib.request.urlopen("http://127.0.0.1:8080${path}", timeout=10).status)\n` +
          `except urllib.error.HTTPError as e:\n    print(e.code)`,
      );

    beforeAll(async () => {
      if (spawnSync('id', ['-u', ROOTLESS.name]).status !== 0) {
        execFileSync('useradd', [
          '--uid',
          String(ROOTLESS.uid),
          '--no-create-home',
          '--shell',
          '/usr/sbin/nologin',
          ROOTLESS.name,
        ]);
      }
      if (
        !readFileSync('/etc/subuid', 'utf8')
          .split('\n')
          .some(line => line.startsWith(`${ROOTLESS.name}:`))
      ) {
        execFileSync('usermod', [
          '--add-subuids',
          ROOTLESS.subordinate,
          '--add-subgids',
          ROOTLESS.subordinate,
          ROOTLESS.name,
        ]);
      }
      // Every folder on the way must be the user's to reach: the suite's own temporary folder is root's, mode 0700.
      work = mkdtempSync('/tmp/wsgi-apache-rootless-');
      chmodSync(work, 0o755);
      project = join(work, 'project');
      cpSync(await scaffoldFixture('plain-wsgi', name), project, { recursive: true });
      composeBuild(project);
      const ids = { uid: ROOTLESS.uid, gid: ROOTLESS.uid };
      chownTree(project, ids);
      for (const dir of ['home', 'run']) mkdirSync(join(work, dir), { mode: 0o700 });
      chownTree(join(work, 'home'), ids);
      chownTree(join(work, 'run'), ids);
      env = { PATH: process.env.PATH, HOME: join(work, 'home'), XDG_RUNTIME_DIR: join(work, 'run') };
      // The image's filesystem and settings, flattened: this machine's stand-in Debian bases
      // (images/build-offline-base.sh, before its fix) have a 0700 root directory, which Docker
      // ignores and Podman keeps, refusing every uid but root ("libc.so.6: Permission denied").
      const image = join(work, 'image.tar');
      const created = execFileSync('docker', ['create', `${name}:latest`], { encoding: 'utf8' }).trim();
      execFileSync('docker', ['export', '-o', image, created]);
      execFileSync('docker', ['rm', created]);
      chmodSync(image, 0o644);
      const settings = JSON.parse(
        execFileSync('docker', ['inspect', '-f', '{{json .Config}}', `${name}:latest`], { encoding: 'utf8' }),
      ) as {
        Env: string[];
        User: string;
        WorkingDir: string;
        Entrypoint: string[];
        Cmd: string[];
        StopSignal?: string;
      };
      const changes = [
        ...settings.Env.map(variable => `ENV ${variable.replace('=', ' ')}`),
        `USER ${settings.User}`,
        `WORKDIR ${settings.WorkingDir}`,
        `ENTRYPOINT ${JSON.stringify(settings.Entrypoint)}`,
        `CMD ${JSON.stringify(settings.Cmd)}`,
      ];
      podman('import', '-q', ...changes.flatMap(change => ['--change', change]), image, `localhost/${name}:latest`);
      const config = JSON.parse(
        execFileSync(
          'docker',
          ['compose', '-f', 'compose.yaml', '-f', 'compose.override.yaml', 'config', '--format', 'json'],
          {
            cwd: project,
            encoding: 'utf8',
          },
        ),
      ) as { services: Record<string, ResolvedService> };
      // No network but the pod's own loopback: rootless networking needs /dev/net/tun, root's here.
      // keep-id: the user is their own uid inside too, so the project is theirs there (DOCKER.md).
      podman(
        'run',
        '-d',
        '--name',
        name,
        '--network',
        'none',
        '--userns',
        'keep-id',
        ...podmanRunFlags(config.services[name]!),
        `localhost/${name}:latest`,
      );
      const deadline = Date.now() + 60_000;
      while (spawnSafe(() => request('/')) !== '200') {
        if (Date.now() > deadline) {
          const state = spawnSafe(() =>
            podman('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', name),
          );
          throw new Error(`the app never answered (${state}):\n${logs()}`);
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    });

    afterAll(() => {
      if (env) {
        spawnSafe(() => podman('rm', '-f', name));
        spawnSafe(() => podman('rmi', '-f', `localhost/${name}:latest`));
      }
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('with keep-id: serves, and what the app writes into the project belongs to the host user', () => {
      expect(request('/write')).toBe('200');
      const written = readdirSync(join(project, 'uploads'));
      expect(written).toHaveLength(1);
      const owner = statSync(join(project, 'uploads', written[0]!));
      expect({ uid: owner.uid, gid: owner.gid }).toEqual({ uid: ROOTLESS.uid, gid: ROOTLESS.uid });
      // The daemon processes run as the host user's own uid, not the image's `app` (10001).
      const daemonUids =
        'import os\n' +
        'print(sorted({os.stat(f"/proc/{p}").st_uid for p in os.listdir("/proc") if p.isdigit()' +
        ' and open(f"/proc/{p}/cmdline", "rb").read().startswith(b"(wsgi:app)")}))';
      expect(podman('exec', name, 'python3', '-c', daemonUids)).toBe(`[${ROOTLESS.uid}]`);
    });
  },
);
