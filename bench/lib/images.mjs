// Builds one image per (app, server kind), every one FROM the same base, and times the
// builds: cold (--no-cache) then cached with nothing changed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, imageSize, PREFIX, startServer } from './docker.mjs';
import { copyFixture, scaffold } from './project.mjs';
import { WRK_IMAGE } from './wrk.mjs';

/**
 * @typedef {object} BuiltImage
 * @property {string} tag
 * @property {string} app          app id
 * @property {import('./variants.mjs').ImageKind} kind
 * @property {number} coldSeconds  `docker build --no-cache`
 * @property {number} cachedSeconds  rebuild, nothing changed
 * @property {number} sizeBytes
 */

/** The tag of an app's image of a kind. */
export const imageTag = (app, kind) => `${PREFIX}-${kind}-${app}`;

/**
 * Builds the images the chosen apps and variants need.
 * @param {{ root: string, baseImage: string, apps: import('./apps.mjs').BenchApp[], kinds: Set<string>, log: (line: string) => void }} options
 * @returns {Promise<BuiltImage[]>}
 */
export async function buildImages({ root, baseImage, apps, kinds, log }) {
  await buildImage({ tag: WRK_IMAGE, context: join(root, 'bench/images'), dockerfile: join(root, 'bench/images/wrk.Dockerfile'), buildArgs: { BASE_IMAGE: baseImage } });
  const built = [];
  for (const app of apps) {
    for (const kind of kinds) {
      const tag = imageTag(app.id, kind);
      const dir = copyFixture(root, app.fixture);
      try {
        let spec;
        if (kind === 'generated') {
          await scaffold(root, dir, tag, [...app.generatorArgs, '--base', 'trixie']);
          spec = { tag, context: dir, buildArgs: { BASE_IMAGE: baseImage } };
        } else {
          spec = { tag, context: dir, dockerfile: join(root, 'bench/images', `${kind}.Dockerfile`), buildArgs: { BASE_IMAGE: baseImage, APT_PACKAGES: app.aptPackages } };
        }
        const coldSeconds = await buildImage({ ...spec, noCache: true });
        const cachedSeconds = await buildImage(spec);
        const sizeBytes = await imageSize(tag);
        built.push({ tag, app: app.id, kind, coldSeconds, cachedSeconds, sizeBytes });
        log(`built ${tag}: cold ${coldSeconds.toFixed(1)} s, cached ${cachedSeconds.toFixed(2)} s, ${(sizeBytes / 1e6).toFixed(1)} MB`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return built;
}

/**
 * Starts one variant serving one app, its port published on 127.0.0.1:publishPort.
 * @param {{ variant: import('./variants.mjs').Variant, app: import('./apps.mjs').BenchApp, publishPort: number, purpose: string }} options
 *   purpose: a word in the container's name (`load`, `start`)
 * @returns {Promise<import('dockerode').Container>}
 */
export function startVariant({ variant, app, publishPort, purpose }) {
  return startServer({
    name: `${PREFIX}-${purpose}-${variant.id}-${app.id}`,
    image: imageTag(app.id, variant.image),
    command: variant.command(app),
    env: variant.env,
    containerPort: variant.containerPort,
    publishPort,
  });
}
