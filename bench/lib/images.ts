// Builds one image per (app, image kind), each FROM its kind's own base (variants.ts
// IMAGE_KINDS), and times the builds: cold (--no-cache) and cached with nothing changed.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { imagePythonVersion, startPublished } from '../../test/helpers/docker-run.js';
import { aptPackages, type BenchApp } from './apps.js';
import { type BuildSpec, buildImage, docker, imageSize, PREFIX } from './docker.js';
import { listRequirements } from '../../test/helpers/test-base.js';
import { copyFixture, fillWheelhouse, offlineWheelhouse, pipBuildArgs, scaffold } from './project.js';
import { IMAGE_KINDS, type ImageKind, type Variant } from './variants.js';
import { WRK_IMAGE } from './wrk.js';

const run = promisify(execFile);

/** One image built (or reused) for the run, as saved in the results. */
export interface BuiltImage {
  tag: string;
  /** app id */
  app: string;
  kind: ImageKind;
  /** its FROM (runs before the bases had one FROM for all: the method's `base`) */
  baseImage?: string;
  /** `docker build --no-cache`, seconds (NaN when reused or not measured; null in the saved JSON) */
  coldSeconds: number;
  /**
   * the first build of this image on the build cache as the run found it (e.g. the kind's
   * shared stages built for an earlier app), seconds; absent when the build was cold
   */
  warmSeconds?: number;
  /** rebuild with nothing changed, seconds (NaN when reused) */
  cachedSeconds: number;
  sizeBytes: number;
  /**
   * bytes of the image that are the offline wheelhouse (its COPY layers and the app
   * directory's copy): what a build from an index does not have. Absent when built without one.
   */
  wheelhouseBytes?: number;
}

/** The tag of an app's image of a kind, e.g. `wsgi-apache-bench-gunicorn-hello`. */
export const imageTag = (app: string, kind: ImageKind): string => `${PREFIX}-${kind}-${app}`;

/**
 * An app's image of a kind as the engine has it: tag, FROM and size; build times NaN.
 * @throws Error with `missing` when the engine has no such image
 */
export async function describeImage(app: string, kind: ImageKind, missing: string): Promise<BuiltImage> {
  const tag = imageTag(app, kind);
  const sizeBytes = await imageSize(tag);
  if (sizeBytes === undefined) throw new Error(missing);
  return { tag, app, kind, baseImage: IMAGE_KINDS[kind].baseImage, coldSeconds: NaN, cachedSeconds: NaN, sizeBytes };
}

/** bench/images/<name>.Dockerfile (an image kind's, or wrk's). */
export const benchDockerfile = (root: string, name: string): string => join(root, 'bench/images', `${name}.Dockerfile`);

/**
 * Which builds are timed cold (`--no-cache`): `each` image; the `first` app's image of each
 * kind (the others build on the cache it left, as a user's second project does); or `none`.
 */
export type ColdBuilds = 'each' | 'first' | 'none';
export const COLD_BUILDS: readonly ColdBuilds[] = ['each', 'first', 'none'];

/** What {@link buildImages} builds. */
export interface BuildImagesOptions {
  /** the repository's root */
  root: string;
  apps: readonly BenchApp[];
  kinds: ReadonlySet<ImageKind>;
  cold: ColdBuilds;
  log: (line: string) => void;
}

/** A build context made for one image, and how to build it. */
interface Prepared {
  /** directories to remove afterwards */
  dirs: string[];
  spec: BuildSpec;
  withWheelhouse: boolean;
}

/** Scaffolds or copies the app for `kind` and says how to build it. */
async function prepare(root: string, app: BenchApp, kind: ImageKind, tag: string): Promise<Prepared> {
  const { baseImage, recipe } = IMAGE_KINDS[kind];
  if ('generator' in recipe) {
    const optimized = recipe.flags['python-build'] === 'optimized';
    const pythonSource = optimized && offlineWheelhouse() ? await imagePythonVersion(baseImage) : undefined;
    const dir = await scaffold(app.fixture, tag, { ...app.fixture.flags, ...recipe.flags }, recipe.generator, {
      pythonSource,
    });
    const pip = recipe.generator === 'python';
    return {
      dirs: [dir],
      spec: { tag, context: dir, buildArgs: { BASE_IMAGE: baseImage, ...(pip ? pipBuildArgs() : {}) } },
      withWheelhouse: pip && offlineWheelhouse(),
    };
  }
  const dockerfile = benchDockerfile(root, recipe.dockerfile);
  if (!recipe.pip) {
    // Debian's packages: the fixture as it is, the app's packages by name.
    const dir = copyFixture(app.fixture);
    return {
      dirs: [dir],
      spec: { tag, context: dir, dockerfile, buildArgs: { BASE_IMAGE: baseImage, APT_PACKAGES: aptPackages(app) } },
      withWheelhouse: false,
    };
  }
  // pip: app/, requirements.txt and wheelhouse/ side by side (bench/images/gunicorn-python.Dockerfile).
  const from = recipe.optimizedPython ? await buildOptimizedPython(app, baseImage) : baseImage;
  const context = mkdtempSync(join(tmpdir(), `${PREFIX}-${kind}-`));
  const dir = copyFixture(app.fixture);
  renameSync(dir, join(context, 'app'));
  const requirements = join(context, 'requirements.txt');
  if (existsSync(join(context, 'app', 'requirements.txt')))
    copyFileSync(join(context, 'app', 'requirements.txt'), requirements);
  else writeFileSync(requirements, '');
  listRequirements(requirements, app.fixture.libraries ?? []);
  fillWheelhouse(join(context, 'wheelhouse'));
  return {
    dirs: [context],
    spec: { tag, context, dockerfile, buildArgs: { BASE_IMAGE: from, ...pipBuildArgs() } },
    withWheelhouse: offlineWheelhouse(),
  };
}

/** The image of the generated Dockerfile's `python-build` stage: CPython rebuilt for embedding, on `baseImage`. */
export const OPTIMIZED_PYTHON_IMAGE = `${PREFIX}-optimized-python`;

/**
 * Builds {@link OPTIMIZED_PYTHON_IMAGE} from `app` scaffolded with `--python-build optimized`
 * (the stage does not depend on the app: BuildKit reuses the generated-optimized image's layer).
 * @returns its tag
 */
async function buildOptimizedPython(app: BenchApp, baseImage: string): Promise<string> {
  const pythonSource = offlineWheelhouse() ? await imagePythonVersion(baseImage) : undefined;
  const recipe = IMAGE_KINDS['generated-optimized'].recipe;
  if (!('generator' in recipe)) throw new Error('generated-optimized is no longer a generated image');
  const { generator, flags } = recipe;
  const dir = await scaffold(app.fixture, OPTIMIZED_PYTHON_IMAGE, { ...app.fixture.flags, ...flags }, generator, {
    pythonSource,
  });
  try {
    await buildImage({
      tag: OPTIMIZED_PYTHON_IMAGE,
      context: dir,
      target: 'python-build',
      buildArgs: { BASE_IMAGE: baseImage, ...pipBuildArgs() },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return OPTIMIZED_PYTHON_IMAGE;
}

/** Layers made by copying a wheelhouse to /tmp/wheelhouse: BuildKit's and the classic builder's words for it. */
const WHEELHOUSE_COPY = /COPY (?:wheelhouse\/? |dir:\S+ in )\/tmp\/wheelhouse\b/;

/**
 * The bytes of `tag` that are an offline wheelhouse: its layers that copy one to
 * /tmp/wheelhouse, plus `<WorkingDir>/wheelhouse` (the app directory's copy).
 */
export async function wheelhouseBytes(tag: string): Promise<number> {
  const image = docker.getImage(tag);
  const history = (await image.history()) as { CreatedBy: string; Size: number }[];
  const copies = history.filter(layer => WHEELHOUSE_COPY.test(layer.CreatedBy)).reduce((sum, l) => sum + l.Size, 0);
  const workdir = (await image.inspect()).Config.WorkingDir || '/srv/app';
  const inApp = await run('docker', [
    'run',
    '--rm',
    '--entrypoint',
    'du',
    tag,
    '-sb',
    join(workdir, 'wheelhouse'),
  ]).then(
    ({ stdout }) => Number(stdout.split('\t')[0]) || 0,
    () => 0,
  );
  return copies + inApp;
}

/**
 * Builds wrk's image, then for each app an image of each kind, timed (cold as `cold` says,
 * else on the warm cache; then cached with nothing changed).
 * @returns the app images, app by app
 * @throws when a scaffold or a build fails
 */
export async function buildImages({ root, apps, kinds, cold, log }: BuildImagesOptions): Promise<BuiltImage[]> {
  await buildImage({
    tag: WRK_IMAGE,
    context: join(root, 'bench/images'),
    dockerfile: benchDockerfile(root, 'wrk'),
    buildArgs: { BASE_IMAGE: 'debian:trixie-slim' },
  });
  const built: BuiltImage[] = [];
  const coldDone = new Set<ImageKind>();
  for (const app of apps) {
    for (const kind of kinds) {
      const tag = imageTag(app.id, kind);
      const { dirs, spec, withWheelhouse } = await prepare(root, app, kind, tag);
      try {
        const timeCold = cold === 'each' || (cold === 'first' && !coldDone.has(kind));
        coldDone.add(kind);
        const first = await buildImage({ ...spec, noCache: timeCold });
        const cachedSeconds = await buildImage(spec);
        const image: BuiltImage = {
          ...(await describeImage(app.id, kind, `${tag}: built, but the engine does not know it`)),
          coldSeconds: timeCold ? first : NaN,
          ...(timeCold ? {} : { warmSeconds: first }),
          cachedSeconds,
          ...(withWheelhouse ? { wheelhouseBytes: await wheelhouseBytes(tag) } : {}),
        };
        built.push(image);
        log(
          `built ${tag} FROM ${image.baseImage}: ${timeCold ? 'cold' : 'warm cache'} ${first.toFixed(1)} s, cached ${cachedSeconds.toFixed(2)} s, ${(image.sizeBytes / 1e6).toFixed(1)} MB${image.wheelhouseBytes ? ` (${(image.wheelhouseBytes / 1e6).toFixed(1)} MB of it the offline wheelhouse)` : ''}`,
        );
      } finally {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return built;
}

/** Which variant, serving which app, is started where. */
export interface StartVariantOptions {
  variant: Variant;
  app: BenchApp;
  /** the port published on 127.0.0.1 */
  publishPort: number;
  /** a word in the container's name (`load`, `start`), so leftovers say what made them */
  purpose: string;
}

/**
 * Starts one variant serving one app, its port published on 127.0.0.1:publishPort. Does not
 * wait for it to answer: the caller times that.
 * @returns the started container
 * @throws when Docker cannot create or start it (no image: build it first)
 */
export async function startVariant({
  variant,
  app,
  publishPort,
  purpose,
}: StartVariantOptions): Promise<Docker.Container> {
  const { container } = await startPublished({
    name: `${PREFIX}-${purpose}-${variant.id}-${app.id}`,
    image: imageTag(app.id, variant.image),
    command: variant.command(app),
    env: variant.env,
    containerPort: variant.containerPort,
    hostPort: publishPort,
    answerWithinMs: 0,
  });
  return container;
}
