/**
 * The property test's pieces: small generated project trees, arbitrary answer sets over them,
 * the generator's own in-process pipeline (resolveAnswers -> projectModel -> each file's view -> the GENERATED_FILES
 * templates), the checks every accepted set's files must pass in-process, and the batched Docker
 * checks (`docker compose config`, `apache2 -t`) run on a sample.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { detectProject, type ProjectFacts } from '../../generators/app/detect.js';
import { GENERATED_FILES, renderGenerated } from '../../generators/app/files.js';
import { type Answers, FIELDS, type ParsedAnswers, resolveAnswers } from '../../generators/app/options.js';
import { APP_DIR } from '../../generators/lib/image-layout.js';
import { type ProjectModel, projectModel } from '../../generators/app/views/model.js';
import { composeView } from '../../generators/app/views/compose.js';
import { InputError } from '../../generators/lib/input-error.js';
import {
  APACHE_WORKERS,
  defaultMaxRequestWorkers,
  type TunableAnswer,
  tunableFor,
  TUNABLES,
} from '../../generators/lib/tunables.js';
import { ISOLATED_RUN } from '../helpers/commands.js';
import { underDockerLock } from '../helpers/docker-lock.js';
import { checkKustomization, KUBERNETES_MODELS, KUSTOMIZATION } from '../helpers/kubernetes.js';
import { FIXTURES, REPO_ROOT } from '../helpers/project.js';

const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;
const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Projects

/** Every temporary directory made here, removed by {@link removeTemporaryDirectories}. */
const TEMPORARY: string[] = [];

function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  TEMPORARY.push(dir);
  return dir;
}

/** Removes the projects, scaffolds and batches this run wrote. */
export function removeTemporaryDirectories(): void {
  for (const dir of TEMPORARY.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Fixtures the generated trees grow from: a plain WSGI module, a Flask factory, Django (init commands, data dir, health path). */
export const BASES = ['plain-wsgi', 'flask-factory', 'django-project'] as const;

/**
 * Names that broke generated files before issue 25 (finding 8): a space, a quote, `${...}`, a
 * newline carrying a Dockerfile line. Each is a static-looking directory and a root WSGI script;
 * no accepted set may carry {@link HOSTILE_MARKERS} into a generated file.
 */
const HOSTILE_NAMES = ['my static', 'say"hi', 'x${HOME}', "o'neil", 'x\nRUN echo INJECTED\n#'] as const;
const HOSTILE_FILES = HOSTILE_NAMES.flatMap(name => [`${name}/site.css`, `${name}.wsgi`]);
export const HOSTILE_MARKERS = ['my static', 'say"hi', '${HOME}', "o'neil", 'INJECTED'];
/** Files a generated tree may hold besides its fixture's: public assets, and things that must never be served or mounted. */
const TREE_FILES = [
  'static/site.css',
  'static/.gitkeep',
  'static/.DS_Store',
  'public/img/logo.png',
  'public/.env',
  'assets/app.js',
  'assets/tool.py',
  'assets/__pycache__/tool.cpython-313.pyc',
  'media/.keep',
  'media/files/a.png',
  'uploads/a.png',
  'docs/readme.txt',
  'notes.txt',
  '.env',
  'venv/bin/python',
  '.git/config',
  'wheelhouse/tiny-1.0-py3-none-any.whl',
  'requirements.txt',
  'deploy/site.wsgi',
  'deploy/nothing.wsgi',
  ...HOSTILE_FILES,
] as const;
/** Directories a generated tree may hold, empty. */
const TREE_DIRS = [
  'static',
  'public',
  'media',
  'uploads',
  'Uploads',
  'instance',
  'var',
  'src',
  'staticfiles',
  'docs',
] as const;
const WSGI_APP = 'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n';
const FILE_CONTENT: Record<string, string> = {
  'deploy/site.wsgi':
    'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n',
  'deploy/nothing.wsgi': 'import os\n',
  'requirements.txt': '\n',
};

export interface Project {
  root: string;
  base: (typeof BASES)[number];
  facts: ProjectFacts;
  /** project-relative paths of every file and directory, for generating mappings */
  paths: string[];
}

/** A project tree: a fixture plus a subset of {@link TREE_FILES} and {@link TREE_DIRS}. */
export const treeArbitrary = fc.record({
  base: fc.constantFrom(...BASES),
  files: fc.subarray([...TREE_FILES]),
  dirs: fc.subarray([...TREE_DIRS]),
});

/** Writes a generated tree to a fresh temporary directory and detects it, as the generator does. */
export function makeTree(tree: {
  base: (typeof BASES)[number];
  files: readonly string[];
  dirs: readonly string[];
}): Project {
  const root = temporaryDirectory('wsgi-apache-property-');
  cpSync(join(FIXTURES, tree.base), root, { recursive: true });
  for (const dir of tree.dirs) mkdirSync(join(root, dir), { recursive: true });
  for (const file of tree.files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), FILE_CONTENT[file] ?? (file.endsWith('.wsgi') ? WSGI_APP : ''));
  }
  return { root, base: tree.base, facts: detectProject(root), paths: listPaths(root) };
}

function listPaths(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap(entry => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    return entry.isDirectory() ? [path, ...listPaths(root, path)] : [path];
  });
}

/** Copies a project to a fresh directory (Docker checks and real generator runs write into it). */
export function copyProject(project: Project): string {
  // Under the same directory name: the default --name is made from it.
  const dir = join(temporaryDirectory('wsgi-apache-property-copy-'), basename(project.root));
  cpSync(project.root, dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Answer sets

/** Raw flag values, keyed by answer (as resolveAnswers takes them); absent = not given. */
export type Flags = Partial<Record<keyof Answers, unknown>>;

/** Near misses (a factory without (), () on an application, a name the module lacks) and bogus entries. */
export const BAD_ENTRIES = [
  'hello:nosuchcallable',
  'shop:create_app',
  'hello:application()',
  'mysite.wsgi:nothere',
  'deploy/nothing.wsgi',
  'nothere:app',
  'hello',
  'site.wsgi',
  'mysite:wsgi',
];
/** Entries that work where their file exists (keyed by it): elsewhere they are refused, the module being missing. */
const GOOD_ENTRIES: Record<string, string[]> = {
  'hello.py': ['hello:application'],
  'shop/__init__.py': ['shop:create_app()'],
  'mysite/wsgi.py': ['mysite.wsgi:application', 'mysite.wsgi:os'],
  'deploy/site.wsgi': ['deploy/site.wsgi'],
};

const nameArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/) },
  { weight: 1, arbitrary: fc.constantFrom('app', 'shop', 'My-App', 'site-2024', 'a', 'a--b', 'ab'.repeat(31) + 'c') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('my_app', '2024site', 'init', 'x-', 'x-app', '-x', 'a.b', 'ab'.repeat(32)),
  },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ09_-. /!'), minLength: 1, maxLength: 70 }) },
);

// No '' and no empty lists: the command line treats those as "not given", resolveAnswers as "given empty".
/** A whole number as typed: mostly in [min, max] (mostly small, where `usual` says), sometimes out of range or not a number. */
const numberText = (min: number, max: number, usual = max) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max: Math.min(usual, max) }).map(String) },
    { weight: 2, arbitrary: fc.integer({ min, max }).map(String) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.integer({ min: max + 1, max: 2 * max + 10 }).map(String),
        fc.constantFrom(String(min - 1), 'abc', '1.5', ' 7 '),
      ),
    },
  );

/**
 * Paths no data directory may be, present or not: the generated stack's own directories and what
 * the generated `.dockerignore` keeps out of the image. The answer sets try them as directories.
 */
export const RESERVED_PATHS = ['docker', 'docker/x', 'wheelhouse', 'venv', '.git'];

/** A directory (or file, or non-path) a mapping may point at: mostly the tree's own, sometimes reserved, outside or missing. */
const pathArbitrary = (project: Project) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...project.paths) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '.',
        './static',
        'static/',
        '..',
        '../elsewhere',
        'nothere',
        ...RESERVED_PATHS,
        '_',
        'a b',
        'Dockerfile',
      ),
    },
  );

/**
 * An answer set over `project`: every flag of FIELDS absent or given, valid and invalid values
 * alike, in the forms the command line gives them (strings, repeated list flags). Each value is
 * mostly valid, so that about half of the sets are accepted.
 */
export function flagsArbitrary(project: Project): fc.Arbitrary<Flags> {
  const path = pathArbitrary(project);
  /** `arb` with probability `given`, else absent (the flag not passed). */
  const optional = <T>(arb: fc.Arbitrary<T>, given: number) =>
    fc.oneof(
      { weight: Math.round(given * 100), arbitrary: arb },
      { weight: Math.round((1 - given) * 100), arbitrary: fc.constant(undefined) },
    );
  const range = (answer: TunableAnswer, usual?: number) => {
    const { min, max } = tunableFor(answer);
    return numberText(min, max, usual);
  };
  const good = Object.entries(GOOD_ENTRIES).flatMap(([file, entries]) => (project.paths.includes(file) ? entries : []));
  const publicDirs = project.paths.filter(
    p => /^(static|public|media|assets|uploads|docs)(\/|$)/.test(p) && !p.includes('.'),
  );
  return fc
    .record({
      entry: optional(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...good) },
          { weight: 1, arbitrary: fc.constantFrom(...BAD_ENTRIES, ...Object.values(GOOD_ENTRIES).flat()) },
        ),
        0.5,
      ),
      name: optional(nameArbitrary, 0.5),
      port: optional(numberText(1, 65_535), 0.4),
      processes: optional(range('processes', 8), 0.4),
      threads: optional(range('threads', 32), 0.4),
      maximumRequests: optional(range('maximumRequests'), 0.2),
      requestTimeout: optional(range('requestTimeout'), 0.2),
      gracefulTimeout: optional(range('gracefulTimeout'), 0.2),
      queueTimeout: optional(range('queueTimeout'), 0.2),
      static: optional(
        fc.array(
          fc
            .tuple(
              fc.oneof(
                { weight: 6, arbitrary: fc.constantFrom('/static', '/media', '/s', '/public/') },
                { weight: 1, arbitrary: fc.constantFrom('/', '/a b', 'x') },
              ),
              publicDirs.length > 0
                ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...publicDirs) }, { weight: 1, arbitrary: path })
                : path,
            )
            .map(([url, dir]) => `${url}=${dir}`),
          { minLength: 1, maxLength: 3 },
        ),
        0.4,
      ),
      dataDirs: optional(
        fc.array(
          fc.oneof(
            {
              weight: 5,
              arbitrary: fc.constantFrom('uploads', 'Uploads', 'media/files', 'files', 'data', 'var', 'instance'),
            },
            { weight: 1, arbitrary: path },
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        0.4,
      ),
      aptPackages: optional(fc.constantFrom('python3-flask', 'libpq5,curl', 'curl;rm -rf /', 'gcc=4:14.2.0-1'), 0.2),
      base: optional(fc.constantFrom('python', 'trixie', 'bookworm', 'Bookworm', 'debian', 'sid'), 0.3),
      python: optional(fc.constantFrom('3.10', '3.12', '3.13.1', '3.11', '3.9', '4.0', 'pypy3.10'), 0.3),
      kubernetes: fc.boolean(),
      // Mostly valid values: a --max-replicas that is refused hides what else the set would test.
      maxReplicas: optional(fc.constantFrom('0', '2', '6', '10', '1', '101', 'many'), 0.1),
      image: optional(
        fc.constantFrom(
          'shop:1.0',
          'registry.example:5000/team/shop:2',
          'x@sha256:' + 'ab'.repeat(32),
          'x:latest',
          'X:1',
        ),
        0.08,
      ),
      ci: optional(fc.constantFrom('none', 'github', 'GitHub', 'gitlab'), 0.08),
      ingressHost: optional(fc.constantFrom('shop.example.com', '*.example.com', 'http://x', '10.0.0.1'), 0.08),
      healthPath: optional(
        fc.constantFrom('/', '/healthz', '/admin/login/', '/x?y=1&z=2', '/~user/', 'health', '/a b'),
        0.3,
      ),
      initCommands: optional(
        fc.array(
          fc.constantFrom(
            'python manage.py migrate --noinput',
            "echo 'a, b'",
            'echo "$HOME" && true',
            "printf '%s' it's",
            'a\nb',
          ),
          { minLength: 1, maxLength: 2 },
        ),
        0.25,
      ),
      mounts: optional(
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...good).map(entry => `/api=${entry}`) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                '/=hello:application',
                '/static=hello:application',
                '/api=missing:app',
                '/api=nowhere/hello:application',
                '/Api/V2=deploy/site.wsgi',
                '/app=hello:application',
              ),
            },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        0.12,
      ),
      apacheModules: optional(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('rewrite', 'headers,mod_rewrite', 'proxy_balancer') },
          { weight: 1, arbitrary: fc.constantFrom('rewrit', 'mpm_worker') },
        ),
        0.12,
      ),
      setenv: optional(
        fc.array(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom('DEBUG=0', 'GREETING=hi, $HOME "x" #y', 'EMPTY=', 'TOKEN=a=b') },
            { weight: 1, arbitrary: fc.constantFrom('WSGI_THREADS=3', '1X=2', 'NOVALUE', 'PATH=/x') },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        0.15,
      ),
      secrets: optional(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(['SECRET_KEY'], ['TOKEN', 'DB_PASSWORD']) },
          { weight: 1, arbitrary: fc.constantFrom(['A=b'], ['APACHE_X'], ['SECRET_KEY', 'SECRET_KEY'], ['x-y']) },
        ),
        0.1,
      ),
      proxies: optional(
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom('/svc=http://other:8000', '/svc/v2=https://v2.example.com/base/') },
            { weight: 1, arbitrary: fc.constantFrom('/static=http://other', '/=http://other', '/x=other:80') },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        0.12,
      ),
    })
    .map(record => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Flags);
}

/** The flags with their CLI names, as yeoman-test's withOptions passes them to the generator. */
export function toOptions(flags: Flags): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of FIELDS) if (flags[field.key] !== undefined) options[field.flag] = flags[field.key];
  return options;
}

// ---------------------------------------------------------------------------------------------
// The generator, in-process

/** The package's version, as the generator stamps it into the files. */
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Templates and partials, each read from disk once: the property test renders thousands of sets. */
const TEMPLATES = new Map<string, string>();
function readTemplate(template: string): string {
  if (!TEMPLATES.has(template)) TEMPLATES.set(template, readFileSync(join(REPO_ROOT, 'templates', template), 'utf8'));
  return TEMPLATES.get(template)!;
}

export type Outcome =
  | { accepted: true; answers: ParsedAnswers; model: ProjectModel; files: Record<string, string> }
  | { accepted: false; error: InputError };

/**
 * What the generator decides for `flags` with `--yes` on a first run: the validated answers and the
 * rendered files (every entry of GENERATED_FILES whose `when` holds), or the InputError it stops with.
 * @throws anything other than an InputError (a bug: the generator would print a stack trace)
 */
export function generate(project: Project, flags: Flags): Outcome {
  let answers: ParsedAnswers;
  try {
    answers = resolveAnswers(flags, {}, { root: project.root, facts: project.facts });
  } catch (error) {
    if (error instanceof InputError) return { accepted: false, error };
    throw error;
  }
  const model = projectModel(answers, project.facts, VERSION);
  const files: Record<string, string> = {};
  for (const file of GENERATED_FILES) {
    if (file.when && !file.when(model)) continue;
    files[file.destination] = renderGenerated(file, model, readTemplate);
  }
  return { accepted: true, answers, model, files };
}

/** Every flag a message may name: FIELDS' flags. */
export const KNOWN_FLAGS = new Set(FIELDS.map(field => `--${field.flag}`));

// ---------------------------------------------------------------------------------------------
// Checks of an accepted set's files, in-process

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = (name: unknown) => typeof name === 'string' && name.length <= 63 && DNS_1123_LABEL.test(name);
const subdomain = (name: unknown) => typeof name === 'string' && name.length <= 253 && DNS_1123_SUBDOMAIN.test(name);

/** Throws an Error naming the file and the rule broken. */
function ensure(condition: unknown, file: string, rule: string): asserts condition {
  if (!condition) throw new Error(`${file}: ${rule}`);
}

/** The three shapes Compose runs the project in. */
export const COMPOSE_SHAPES = [
  ['compose.yaml'],
  ['compose.yaml', 'compose.override.yaml'],
  ['compose.yaml', 'compose.watch.yaml'],
] as const;

// Parsed Compose and Kubernetes documents, walked by key; their schemas are checked elsewhere.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;

/**
 * The rules `docker compose config` enforces that these files could break, checked on the parsed
 * YAML: valid YAML without duplicate keys, a valid project name, services and named volumes that
 * exist, no mount target twice in a service, published ports that are numbers, known watch actions.
 */
function checkCompose(files: Record<string, string>, name: string): void {
  const docs: Record<string, Yaml> = {};
  for (const file of ['compose.yaml', 'compose.override.yaml', 'compose.watch.yaml']) {
    docs[file] = parse(files[file], { merge: true, uniqueKeys: true }) as Yaml;
    ensure(docs[file] && typeof docs[file].services === 'object', file, 'has services');
  }
  const base = docs['compose.yaml'];
  ensure(base.name === name && /^[a-z0-9][a-z0-9_-]*$/.test(base.name), 'compose.yaml', `project name ${base.name}`);
  for (const shape of COMPOSE_SHAPES) {
    const services = new Map<string, Yaml[]>();
    for (const file of shape)
      for (const [service, body] of Object.entries(docs[file].services as Yaml))
        services.set(service, [...(services.get(service) ?? []), body]);
    const declared = new Set(shape.flatMap(file => Object.keys((docs[file].volumes as Yaml) ?? {})));
    for (const [service, bodies] of services) {
      const where = `${shape.join(' + ')}: service ${service}`;
      ensure(/^[a-zA-Z0-9._-]+$/.test(service), where, 'service name');
      ensure(
        bodies.some(body => body.image || body.build),
        where,
        'has an image or a build',
      );
      // Compose merges `volumes` by mount target: the last file wins per target, so a target twice *within* a file is the error.
      for (const body of bodies) {
        const targets = ((body.volumes as string[]) ?? []).map(volume => {
          const parts = String(volume).split(':');
          const source = parts.length > 1 ? parts[0] : '';
          if (source && !source.startsWith('.') && !source.startsWith('/'))
            ensure(declared.has(source), where, `named volume ${source} declared`);
          return parts.length > 1 ? parts[1] : parts[0];
        });
        ensure(new Set(targets).size === targets.length, where, `a mount target twice: ${targets.join(', ')}`);
        for (const port of (body.ports as string[]) ?? [])
          ensure(
            /^\$\{PUBLISH_ADDRESS:-127\.0\.0\.1\}:\$\{PUBLISH_PORT:-\d{1,5}\}:8080$/.test(port),
            where,
            `port ${port}`,
          );
        for (const depends of Object.keys((body.depends_on as Yaml) ?? {}))
          ensure(services.has(depends), where, `depends on ${depends}`);
        for (const watch of ((body.develop as Yaml)?.watch as Yaml[]) ?? [])
          ensure(['sync', 'rebuild', 'sync+restart'].includes(watch.action), where, `watch action ${watch.action}`);
        for (const value of Object.values((body.environment as Yaml) ?? {}))
          ensure(['string', 'number'].includes(typeof value), where, 'environment values are scalars');
      }
    }
  }
}

/**
 * The manifests against the API schemas (kubernetes-models), plus the name rules the schemas leave
 * to the API server: DNS-1035 Service names, DNS-1123 object, container and volume names, unique
 * container and volume names, mounts and claims that refer to what exists.
 */
function checkKubernetes(files: Record<string, string>): void {
  checkKustomization(files);
  const docs = Object.entries(files)
    .filter(([file]) => file.startsWith('kubernetes/') && file !== KUSTOMIZATION)
    .flatMap(([file, text]) =>
      parseAllDocuments(text).map(doc => ({ file, doc: doc.toJS({ maxAliasCount: -1 }) as Yaml })),
    )
    .filter(({ doc }) => doc);
  const claims = new Set(
    docs.filter(({ doc }) => doc.kind === 'PersistentVolumeClaim').map(({ doc }) => doc.metadata.name),
  );
  for (const { file, doc } of docs) {
    const Model = KUBERNETES_MODELS[doc.kind];
    ensure(Model, file, `known kind ${doc.kind}`);
    try {
      new Model(doc as never).validate();
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    ensure(subdomain(doc.metadata.name), file, `metadata.name ${doc.metadata.name}`);
    if (doc.kind === 'Service')
      ensure(
        doc.metadata.name.length <= 63 && DNS_1035_LABEL.test(doc.metadata.name),
        file,
        'Service name is a DNS-1035 label',
      );
    for (const value of Object.values((doc.metadata.labels as Yaml) ?? {}))
      ensure(String(value).length <= 63, file, 'label value');
    if (doc.kind !== 'Deployment' && doc.kind !== 'Job') continue;
    const pod = doc.spec.template.spec;
    const volumes = (pod.volumes as Yaml[]).map(volume => volume.name);
    ensure(
      volumes.every(label) && new Set(volumes).size === volumes.length,
      file,
      `volume names ${volumes.join(', ')}`,
    );
    const containers = [...((pod.initContainers as Yaml[]) ?? []), ...(pod.containers as Yaml[])];
    ensure(
      containers.every(c => label(c.name)) && new Set(containers.map(c => c.name)).size === containers.length,
      file,
      'container names unique labels',
    );
    for (const container of containers) {
      const mounts = ((container.volumeMounts as Yaml[]) ?? []).map(mount => mount.mountPath);
      ensure(new Set(mounts).size === mounts.length, file, 'a mount path twice');
      for (const mount of (container.volumeMounts as Yaml[]) ?? [])
        ensure(volumes.includes(mount.name), file, `mount of volume ${mount.name}`);
    }
    for (const volume of pod.volumes as Yaml[])
      if (volume.persistentVolumeClaim)
        ensure(
          claims.has(volume.persistentVolumeClaim.claimName),
          file,
          `claim ${volume.persistentVolumeClaim.claimName}`,
        );
  }
}

/** A file or directory Apache must not serve: a dotfile (bar empty placeholders) or Python code. */
function servable(path: string): boolean {
  return path
    .split('/')
    .every(
      part => !(part.startsWith('.') && part !== '.gitkeep' && part !== '.keep') && !/\.(py|pyc|pyo|wsgi)$/.test(part),
    );
}

/**
 * What every accepted set's files must satisfy, checked in-process (the Docker checks run on a sample):
 * name rules, Compose and Kubernetes structure, envvars accepting the defaults it is rendered with,
 * a `.dockerignore` that keeps what the build needs, and static directories that serve only public files.
 * @throws Error naming the file and the rule
 */
export function checkAccepted(project: Project, outcome: Extract<Outcome, { accepted: true }>): void {
  const { answers, model, files } = outcome;
  ensure(
    answers.name.length <= 63 && DNS_1035_LABEL.test(answers.name),
    '.yo-rc.json',
    `name ${answers.name} is a DNS-1035 label`,
  );
  for (const [file, text] of Object.entries(files)) {
    const marker = HOSTILE_MARKERS.find(found => text.includes(found));
    ensure(marker === undefined, file, `carries no hostile path (found ${JSON.stringify(marker)})`);
  }
  checkCompose(files, answers.name);
  if (answers.kubernetes) checkKubernetes(files);
  else
    ensure(!Object.keys(files).some(file => file.startsWith('kubernetes/')), 'kubernetes/', 'written only when asked');

  const data = files['docker/wsgi-apache.env'];
  for (const tunable of TUNABLES) {
    ensure(
      new RegExp(`\n${tunable.env}:[^:\n]+:${tunable.min}:${tunable.max}\n`).test(data),
      'docker/wsgi-apache.env',
      `checks ${tunable.env}`,
    );
    if (tunable.answer) {
      const value = answers[tunable.answer];
      ensure(
        value >= tunable.min && value <= tunable.max,
        'docker/wsgi-apache.env',
        `${tunable.env}=${value} in range`,
      );
      ensure(
        data.includes(`\n${tunable.env}:${value}:`),
        'docker/wsgi-apache.env',
        `defaults ${tunable.env} to ${value}`,
      );
    }
  }
  ensure(
    defaultMaxRequestWorkers(answers.processes, answers.threads) <= APACHE_WORKERS.max,
    'docker/envvars',
    'derived Apache workers within range',
  );

  // The build context as the engine sees it: what the Dockerfile COPYs and the entry imports must be in it.
  const ignore = dockerignore().add(files['.dockerignore'].split('\n'));
  const needed = [
    'docker/apache2.conf',
    'docker/envvars',
    'docker/wsgi-apache.env',
    'docker/start-apache',
    'docker/entrypoint',
    ...composeView(model).dependencyFiles,
  ];
  if (model.facts.wheelhouse) needed.push('wheelhouse');
  const entryFile = project.paths.find(
    path =>
      path === `${model.app.entryModule.replaceAll('.', '/')}.py` ||
      path === `${model.app.entryModule.replaceAll('.', '/')}/__init__.py`,
  );
  if (entryFile) needed.push(entryFile);
  if (!model.generatedScript) needed.push(model.app.wsgiScript.replace(`${APP_DIR}/`, ''));
  for (const path of needed) ensure(!ignore.ignores(path), '.dockerignore', `keeps ${path} in the build context`);

  for (const { dir } of answers.static) {
    ensure(dir !== '.', 'docker/apache2.conf', 'does not serve the project root');
    for (const path of project.paths.filter(p => p.startsWith(`${dir}/`)))
      ensure(servable(path.slice(dir.length + 1)), 'docker/apache2.conf', `does not serve ${path}`);
  }
  const volumes = model.dataDirs.map(d => d.volume);
  ensure(
    new Set(volumes).size === volumes.length && volumes.every(label),
    'compose.yaml',
    `data volumes ${volumes.join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Docker, batched

/** Runs a Docker-heavy command under the Docker build lock (docker-lock.ts) where flock exists (one build or container loop at a time on a small machine). */
function dockerHeavy(args: string[], options: { input?: string; cwd?: string } = {}) {
  const [command, ...rest] = underDockerLock(['docker', ...args]);
  return spawnSync(command, rest, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Writes an accepted set's files over a copy of its project: the directory Compose and Apache see. */
export function writeScaffold(project: Project, files: Record<string, string>): string {
  const dir = copyProject(project);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // --secret's values: the generator writes each once, outside the rendered files.
  for (const [, secret] of (files['compose.yaml'] ?? '').matchAll(/^ {4}file: \.\/(\.secrets\/\w+)$/gm)) {
    mkdirSync(dirname(join(dir, secret)), { recursive: true });
    writeFileSync(join(dir, secret), 'value');
  }
  return dir;
}

/**
 * `docker compose config -q` on one scaffold in each of the three shapes (no engine needed:
 * Compose only loads and validates the files; light, so not under the Docker lock).
 * @returns the failures, `shape: stderr`, [] when all three pass
 */
export async function composeConfig(dir: string): Promise<string[]> {
  const failures: string[] = [];
  for (const shape of COMPOSE_SHAPES) {
    try {
      await execFileAsync('docker', ['compose', ...shape.flatMap(file => ['-f', file]), 'config', '-q'], { cwd: dir });
    } catch (error) {
      failures.push(
        `${shape.join(' + ')}: ${String((error as { stderr?: string }).stderr || (error as Error).message).trim()}`,
      );
    }
  }
  return failures;
}

/** A small image with Debian's Apache and mod_wsgi, for `apache2 -t`; tagged by its Dockerfile's hash, so it is built once. */
const APACHE_DOCKERFILE = [
  'FROM debian:trixie-slim',
  'RUN apt-get update && apt-get install -y --no-install-recommends apache2 libapache2-mod-wsgi-py3 && rm -rf /var/lib/apt/lists/*',
  // apache2.conf names User app (the generated image's user, uid 10001): Apache checks it exists.
  'RUN useradd --system --uid 10001 --user-group --no-create-home app',
  // The python base's apache2.conf includes the LoadModule line `mod_wsgi-express module-config`
  // wrote at build time; here the same directive names Debian's module.
  'RUN mkdir -p /opt/venv && echo "LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so" > /opt/venv/mod_wsgi.load',
  '',
].join('\n');
export const APACHE_IMAGE = `wsgi-apache-property-apache:${createHash('sha256').update(APACHE_DOCKERFILE).digest('hex').slice(0, 12)}`;

/**
 * Builds {@link APACHE_IMAGE} unless it exists.
 * @throws Error with the build's output when it cannot be built
 */
export function ensureApacheImage(): void {
  if (spawnSync('docker', ['image', 'inspect', APACHE_IMAGE], { stdio: 'ignore' }).status === 0) return;
  const build = dockerHeavy(['build', '-q', '-t', APACHE_IMAGE, '-'], { input: APACHE_DOCKERFILE });
  if (build.status !== 0) throw new Error(`cannot build ${APACHE_IMAGE}:\n${build.stdout}${build.stderr}`);
}

/**
 * `apache2 -t` on many rendered configurations in ONE container: each case's `docker/envvars` is
 * sourced (it checks the tunables and derives the MPM sizing, as apache2ctl does in the image),
 * then Apache parses its `docker/apache2.conf`.
 * @param cases - scaffold directories holding `docker/apache2.conf` and `docker/envvars`
 * @returns per case, undefined when Apache said "Syntax OK", else its output
 */
export function apacheConfigTest(cases: string[]): (string | undefined)[] {
  const batch = temporaryDirectory('wsgi-apache-property-apache-');
  cases.forEach((dir, i) => {
    mkdirSync(join(batch, String(i)));
    for (const file of ['apache2.conf', 'envvars', 'wsgi-apache.env'])
      cpSync(join(dir, 'docker', file), join(batch, String(i), file));
  });
  const script = [
    'for dir in /cases/*/; do',
    '  n=$(basename "$dir")',
    // A subshell per case: envvars exits on an invalid value, and sets variables the next case must not see.
    '  if out=$( ( WSGI_APACHE_ENV_FILE="$dir/wsgi-apache.env" && . "$dir/envvars" && apache2 -t -f "$dir/apache2.conf" ) 2>&1 ); then echo "case $n ok"; else echo "case $n failed: $(printf %s "$out" | tr "\\n" " ")"; fi',
    'done',
  ].join('\n');
  const run = dockerHeavy([...ISOLATED_RUN, '-v', `${batch}:/cases:ro`, APACHE_IMAGE, 'sh', '-c', script]);
  if (run.status !== 0) throw new Error(`apache2 -t batch did not run: ${run.stderr}`);
  const results = new Map<number, string | undefined>();
  for (const line of run.stdout.split('\n')) {
    const match = /^case (\d+) (ok|failed: (.*))$/.exec(line);
    if (match) results.set(Number(match[1]), match[2] === 'ok' ? undefined : match[3]);
  }
  return cases.map((_, i) => (results.has(i) ? results.get(i) : 'no result'));
}
