// Development loop: save -> first response with the new code, for the generated
// development shape (compose.yaml + compose.override.yaml, bind mount, reload monitor)
// and for `gunicorn --reload` serving the same bind-mounted app.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Spread, spread } from './statistics.js';
import { compose } from '../../test/helpers/compose.js';
import { startPublished } from '../../test/helpers/docker-run.js';
import { FIXTURE_APPS, ownProjectAsDeveloper } from '../../test/helpers/fixture-apps.js';
import { pollUntil } from '../../test/helpers/net.js';
import { buildImage, imageSize, waitFor200 } from './docker.js';
import { benchDockerfile, imageTag } from './images.js';
import { copyFixture, scaffold } from './project.js';
import { gunicornGthread } from './variants.js';

/** The text of the plain fixture's page that each edit replaces. */
const ORIGINAL = 'Hello from plain WSGI';

/** One server's save-to-new-code latency, as saved in the results. */
export interface ReloadResult {
  /** `generated (development shape)` or `gunicorn --reload (gthread 2x5)` */
  server: string;
  /** save -> first response with the new text, seconds */
  seconds: Spread;
  /** requests that errored or got a non-200 while reloading */
  failedRequests: number;
}

/** How {@link editAndWait} saves. */
export interface EditOptions {
  /** write over the file instead of a temporary file + rename (editors do either); default false */
  inPlace?: boolean;
  /** the wait between edits, milliseconds (default 1.5 s) */
  pauseMs?: () => number;
}

/**
 * Saves the plain fixture's hello.py in `dir` `edits` times and polls `url` every 10 ms
 * until it shows the new text, then restores the file.
 * @returns save -> new text, seconds, per edit; requests that errored or got a non-200 meanwhile
 * @throws when an edit is not served within 30 s
 */
export async function editAndWait(
  dir: string,
  url: string,
  edits: number,
  { inPlace = false, pauseMs = () => 1500 }: EditOptions = {},
): Promise<{ seconds: number[]; failedRequests: number }> {
  const source = join(dir, 'hello.py');
  const original = readFileSync(source, 'utf8');
  const seconds: number[] = [];
  let failedRequests = 0;
  for (let i = 1; i <= edits; i++) {
    const text = `Hello, edit ${i} ${Math.random()}`;
    const content = original.replace(ORIGINAL, text);
    let start: number;
    if (inPlace) {
      writeFileSync(source, content);
      start = performance.now();
    } else {
      writeFileSync(`${source}.tmp`, content);
      start = performance.now();
      renameSync(`${source}.tmp`, source);
    }
    const served = (status: number, body: string) => {
      if (status !== 200) failedRequests++;
      return status === 200 && body.startsWith(text);
    };
    await pollUntil(url, served, 30_000, {
      intervalMs: 10,
      requestTimeoutMs: 10_000,
      onError: () => failedRequests++,
    }).catch((error: Error) => Promise.reject(new Error(`edit ${i} not served: ${error.message}`)));
    seconds.push((performance.now() - start) / 1000);
    await new Promise(resolve => setTimeout(resolve, pauseMs()));
  }
  writeFileSync(source, original);
  return { seconds, failedRequests };
}

/** What {@link measureReload} measures, where. */
export interface ReloadOptions {
  /** the repository's root */
  root: string;
  /** both images' FROM */
  baseImage: string;
  /** the port published on 127.0.0.1 */
  publishPort: number;
  /** saves per server */
  edits: number;
  log: (line: string) => void;
}

/**
 * Measures both servers on the plain WSGI fixture: the generated development shape
 * (built, started with `docker compose up --wait`, then removed with its image) and
 * gunicorn --reload on the bench's gunicorn image (built when missing).
 * @returns the generated shape's result, then gunicorn's
 * @throws when a build or start fails or an edit is not served within 30 s
 */
export async function measureReload({
  root,
  baseImage,
  publishPort,
  edits,
  log,
}: ReloadOptions): Promise<ReloadResult[]> {
  const results: ReloadResult[] = [];
  const url = `http://127.0.0.1:${publishPort}/`;

  const ours = await scaffold(FIXTURE_APPS.plain, 'wsgi-apache-bench-reload', {}, 'trixie');
  try {
    ownProjectAsDeveloper(ours);
    const env = { PUBLISH_PORT: String(publishPort), BASE_IMAGE: baseImage };
    compose(ours, ['up', '-d', '--build', '--wait'], env);
    try {
      await waitFor200(url);
      const { seconds, failedRequests } = await editAndWait(ours, url, edits);
      results.push({ server: 'generated (development shape)', seconds: spread(seconds), failedRequests });
    } finally {
      compose(ours, ['down', '-v', '-t', '5', '--rmi', 'local'], env);
    }
  } finally {
    rmSync(ours, { recursive: true, force: true });
  }

  const theirs = copyFixture(FIXTURE_APPS.plain);
  try {
    const image = imageTag('hello', 'gunicorn');
    if ((await imageSize(image)) === undefined) {
      await buildImage({
        tag: image,
        context: theirs,
        dockerfile: benchDockerfile(root, 'gunicorn'),
        buildArgs: { BASE_IMAGE: baseImage },
      });
    }
    const gunicorn = await startPublished({
      name: 'wsgi-apache-bench-reload-gunicorn',
      image,
      command: gunicornGthread('hello:application', '--reload'),
      containerPort: 8000,
      hostPort: publishPort,
      extra: { HostConfig: { Binds: [`${theirs}:/srv/app:ro`] } },
      answerWithinMs: 0,
    });
    try {
      await waitFor200(url);
      const { seconds, failedRequests } = await editAndWait(theirs, url, edits);
      results.push({ server: 'gunicorn --reload (gthread 2x5)', seconds: spread(seconds), failedRequests });
    } finally {
      await gunicorn.remove();
    }
  } finally {
    rmSync(theirs, { recursive: true, force: true });
  }
  for (const r of results)
    log(
      `reload ${r.server}: median ${r.seconds.median.toFixed(2)} s [${r.seconds.min.toFixed(2)}-${r.seconds.max.toFixed(2)}], ${r.failedRequests} failed requests`,
    );
  return results;
}
