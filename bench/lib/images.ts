// Builds one image per (app, server kind), every one FROM the same base, and times the
// builds: cold (--no-cache) then cached with nothing changed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { startPublished } from '../../test/helpers/docker-run.js';
import { aptPackages, type BenchApp } from './apps.js';
import { type BuildSpec, buildImage, imageSize, PREFIX } from './docker.js';
import { copyFixture, scaffold } from './project.js';
import type { ImageKind, Variant } from './variants.js';
import { WRK_IMAGE } from './wrk.js';

/** One image built (or reused) for the run, as saved in the results. */
export interface BuiltImage {
  tag: string;
  /** app id */
  app: string;
  kind: ImageKind;
  /** `docker build --no-cache`, seconds (NaN when reused) */
  coldSeconds: number;
  /** rebuild with nothing changed, seconds (NaN when reused) */
  cachedSeconds: number;
  sizeBytes: number;
}

/** The tag of an app's image of a kind, e.g. `wsgi-apache-bench-gunicorn-hello`. */
export const imageTag = (app: string, kind: ImageKind): string => `${PREFIX}-${kind}-${app}`;

/** The Dockerfile of a kind other than the generated one, and of wrk. */
export const benchDockerfile = (root: string, kind: Exclude<ImageKind, 'generated'> | 'wrk'): string =>
  join(root, 'bench/images', `${kind}.Dockerfile`);

/** What {@link buildImages} builds. */
export interface BuildImagesOptions {
  /** the repository's root */
  root: string;
  /** every image's FROM, e.g. `debian:trixie-slim` */
  baseImage: string;
  apps: readonly BenchApp[];
  kinds: ReadonlySet<ImageKind>;
  log: (line: string) => void;
}

/**
 * Builds wrk's image, then for each app an image of each kind, timed cold and cached.
 * @returns the app images, app by app
 * @throws when a scaffold or a build fails
 */
export async function buildImages({ root, baseImage, apps, kinds, log }: BuildImagesOptions): Promise<BuiltImage[]> {
  await buildImage({
    tag: WRK_IMAGE,
    context: join(root, 'bench/images'),
    dockerfile: benchDockerfile(root, 'wrk'),
    buildArgs: { BASE_IMAGE: baseImage },
  });
  const built: BuiltImage[] = [];
  for (const app of apps) {
    for (const kind of kinds) {
      const tag = imageTag(app.id, kind);
      // The generated kind is scaffolded into the copy; the others build the fixture as it is.
      const dir =
        kind === 'generated'
          ? await scaffold(app.fixture, tag, { ...app.fixture.flags, base: 'trixie' })
          : copyFixture(app.fixture);
      try {
        const spec: BuildSpec =
          kind === 'generated'
            ? { tag, context: dir, buildArgs: { BASE_IMAGE: baseImage } }
            : {
                tag,
                context: dir,
                dockerfile: benchDockerfile(root, kind),
                buildArgs: { BASE_IMAGE: baseImage, APT_PACKAGES: aptPackages(app) },
              };
        const coldSeconds = await buildImage({ ...spec, noCache: true });
        const cachedSeconds = await buildImage(spec);
        const sizeBytes = await imageSize(tag);
        if (sizeBytes === undefined) throw new Error(`${tag}: built, but the engine does not know it`);
        built.push({ tag, app: app.id, kind, coldSeconds, cachedSeconds, sizeBytes });
        log(
          `built ${tag}: cold ${coldSeconds.toFixed(1)} s, cached ${cachedSeconds.toFixed(2)} s, ${(sizeBytes / 1e6).toFixed(1)} MB`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
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
