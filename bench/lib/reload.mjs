// Development loop: save -> first response with the new code, for the generated
// development shape (compose.yaml + compose.override.yaml, bind mount, reload monitor)
// and for `gunicorn --reload` serving the same bind-mounted app.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, docker, removeContainer, waitFor200 } from './docker.mjs';
import { imageTag } from './images.mjs';
import { copyFixture, DEV_UID, ownAsDeveloper, scaffold } from './project.mjs';
import { spread } from './stats.mjs';

const ORIGINAL = 'Hello from plain WSGI';

/**
 * @typedef {object} ReloadResult
 * @property {string} server  `generated (development shape)` or `gunicorn --reload`
 * @property {ReturnType<typeof spread>} seconds  save -> first response with the new text
 * @property {number} failedRequests  requests that errored or got a non-200 while reloading
 */

/**
 * Saves the plain fixture's hello.py `edits` times and polls `url` every 10 ms until it
 * shows the new text, then restores the file.
 * @param {{ inPlace?: boolean, pauseMs?: () => number }} [options] inPlace: write over the
 *   file instead of a temporary file + rename (editors do either); pauseMs: wait between
 *   edits (default 1.5 s)
 * @returns {Promise<{ seconds: number[], failedRequests: number }>} save -> new text, seconds;
 *   requests that errored or got a non-200 meanwhile
 * @throws when an edit is not served within 30 s
 */
export async function editAndWait(dir, url, edits, { inPlace = false, pauseMs = () => 1500 } = {}) {
  const source = join(dir, 'hello.py');
  const original = readFileSync(source, 'utf8');
  const seconds = [];
  let failedRequests = 0;
  for (let i = 1; i <= edits; i++) {
    const text = `Hello, edit ${i} ${Math.random()}`;
    const content = original.replace(ORIGINAL, text);
    let start;
    if (inPlace) {
      writeFileSync(source, content);
      start = performance.now();
    } else {
      writeFileSync(`${source}.tmp`, content);
      start = performance.now();
      renameSync(`${source}.tmp`, source);
    }
    for (;;) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        const body = await response.text();
        if (response.status !== 200) failedRequests++;
        else if (body.startsWith(text)) break;
      } catch {
        failedRequests++;
      }
      if (performance.now() - start > 30_000) throw new Error(`${url}: edit ${i} not served within 30 s`);
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    seconds.push((performance.now() - start) / 1000);
    await new Promise(resolve => setTimeout(resolve, pauseMs()));
  }
  writeFileSync(source, original);
  return { seconds, failedRequests };
}

/**
 * Measures both servers on the plain WSGI fixture.
 * @param {{ root: string, baseImage: string, publishPort: number, edits: number, log: (line: string) => void }} options
 * @returns {Promise<ReloadResult[]>}
 */
export async function measureReload({ root, baseImage, publishPort, edits, log }) {
  const results = [];
  const url = `http://127.0.0.1:${publishPort}/`;

  const ours = copyFixture(root, 'plain-wsgi');
  const name = 'wsgi-apache-bench-reload';
  try {
    await scaffold(root, ours, name, ['--base', 'trixie']);
    ownAsDeveloper(ours);
    const env = { ...process.env, PUBLISH_PORT: String(publishPort), UID: String(DEV_UID), GID: String(DEV_UID), BASE_IMAGE: baseImage };
    const compose = (...args) => execFileSync('docker', ['compose', ...args], { cwd: ours, env, stdio: ['ignore', 'ignore', 'pipe'] });
    compose('up', '-d', '--build', '--wait');
    try {
      await waitFor200(url);
      const { seconds, failedRequests } = await editAndWait(ours, url, edits);
      results.push({ server: 'generated (development shape)', seconds: spread(seconds), failedRequests });
    } finally {
      compose('down', '-v', '-t', '5', '--rmi', 'local');
    }
  } finally {
    rmSync(ours, { recursive: true, force: true });
  }

  const theirs = copyFixture(root, 'plain-wsgi');
  try {
    const image = imageTag('hello', 'gunicorn');
    if (!(await docker.getImage(image).inspect().catch(() => undefined))) {
      await buildImage({ tag: image, context: theirs, dockerfile: join(root, 'bench/images/gunicorn.Dockerfile'), buildArgs: { BASE_IMAGE: baseImage } });
    }
    const container = await docker.createContainer({
      name: 'wsgi-apache-bench-reload-gunicorn',
      Image: image,
      Cmd: ['gunicorn', '--reload', '--worker-class', 'gthread', '--workers', '2', '--threads', '5', '--bind', '0.0.0.0:8000', 'hello:application'],
      ExposedPorts: { '8000/tcp': {} },
      HostConfig: { Binds: [`${theirs}:/srv/app:ro`], PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(publishPort) }] } },
    });
    await container.start();
    try {
      await waitFor200(url);
      const { seconds, failedRequests } = await editAndWait(theirs, url, edits);
      results.push({ server: 'gunicorn --reload (gthread 2x5)', seconds: spread(seconds), failedRequests });
    } finally {
      await removeContainer(container);
    }
  } finally {
    rmSync(theirs, { recursive: true, force: true });
  }
  for (const r of results) log(`reload ${r.server}: median ${r.seconds.median.toFixed(2)} s [${r.seconds.min.toFixed(2)}-${r.seconds.max.toFixed(2)}], ${r.failedRequests} failed requests`);
  return results;
}
