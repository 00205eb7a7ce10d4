// One variant serving one app: start it, check it serves that app's page, warm it up,
// then load it at each connection count on each network path, reading its cgroup.
import { readCounters, removeContainer, waitFor200 } from './docker.mjs';
import { startVariant } from './images.mjs';
import { runWrk } from './wrk.mjs';

/**
 * How the load reaches the server:
 * - `published`: 127.0.0.1:PORT on the host, through Docker's userland proxy (what users get);
 * - `direct`: the container's own loopback, wrk sharing its network namespace (the server
 *   alone, free of the proxy; performance-baseline.md §1 shows the proxy's cost).
 * @typedef {'published' | 'direct'} NetworkPath
 */

/**
 * @typedef {object} LoadRun
 * @property {number} round
 * @property {string} variant
 * @property {string} app
 * @property {NetworkPath} path
 * @property {number} connections
 * @property {number} rps
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} requests
 * @property {number} socketErrors
 * @property {import('./wrk.mjs').WrkResult['socketErrorKinds']} socketErrorKinds
 * @property {number} non2xx
 * @property {number} cpuMicrosPerRequest  the container's CPU time / completed requests (µs)
 * @property {number} memoryAtRestBytes    after the first 200, before any load
 * @property {number} memoryUnderLoadBytes highest 1 s sample during this run
 */

/**
 * @param {{ round: number, variant: import('./variants.mjs').Variant, app: import('./apps.mjs').BenchApp,
 *   publishPort: number, connections: number[], paths: NetworkPath[], seconds: number, warmupSeconds: number }} options
 * @returns {Promise<LoadRun[]>}
 * @throws when the server does not come up or serves another page than the app's
 */
export async function loadVariant({ round, variant, app, publishPort, connections, paths, seconds, warmupSeconds }) {
  const page = variant.page ?? { path: app.path, verifyBody: app.verifyBody };
  const container = await startVariant({ variant, app, publishPort, purpose: 'load' });
  try {
    const publishedUrl = `http://127.0.0.1:${publishPort}${page.path}`;
    const body = await waitFor200(publishedUrl);
    if (!page.verifyBody(body)) throw new Error(`${variant.id} on ${app.id}: ${page.path} served something else:\n${body.slice(0, 300)}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
    const { memoryBytes: memoryAtRestBytes } = await readCounters(container);
    await runWrk({ network: 'host', url: publishedUrl, connections: 16, seconds: warmupSeconds });

    const runs = [];
    for (const path of paths) {
      const url = path === 'published' ? publishedUrl : `http://127.0.0.1:${variant.containerPort}${page.path}`;
      const network = path === 'published' ? 'host' : `container:${container.id}`;
      for (const c of connections) {
        const before = await readCounters(container);
        let memoryUnderLoadBytes = 0;
        const sampler = setInterval(() => {
          readCounters(container).then(
            now => (memoryUnderLoadBytes = Math.max(memoryUnderLoadBytes, now.memoryBytes)),
            () => {},
          );
        }, 1000);
        const result = await runWrk({ network, url, connections: c, seconds }).finally(() => clearInterval(sampler));
        const after = await readCounters(container);
        runs.push({
          round,
          variant: variant.id,
          app: app.id,
          path,
          connections: c,
          ...result,
          cpuMicrosPerRequest: (after.cpuNanos - before.cpuNanos) / 1000 / Math.max(1, result.requests),
          memoryAtRestBytes,
          memoryUnderLoadBytes,
        });
      }
    }
    return runs;
  } finally {
    await removeContainer(container);
  }
}
