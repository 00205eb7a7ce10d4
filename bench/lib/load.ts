// One variant serving one app: start it, check it serves that app's page, warm it up,
// then load it at each connection count on each network path, reading its cgroup.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchApp } from './apps.js';
import { readCounters, removeContainer, waitFor200 } from './docker.js';
import { startVariant } from './images.js';
import type { Variant } from './variants.js';
import { runWrk, type WrkResult } from './wrk.js';

const run = promisify(execFile);

/**
 * How the load reaches the server:
 * - `published`: 127.0.0.1:PORT on the host, through Docker's userland proxy (what users get);
 * - `direct`: the container's own loopback, wrk sharing its network namespace (the server
 *   alone, free of the proxy; performance-baseline.md §1 shows the proxy's cost).
 */
export type NetworkPath = 'published' | 'direct';

/** Every network path, in the report's order. */
export const NETWORK_PATHS: readonly NetworkPath[] = ['published', 'direct'];

/** One wrk run against one variant serving one app, as saved in the results. */
export interface LoadRun extends WrkResult {
  round: number;
  /** variant id */
  variant: string;
  /** app id */
  app: string;
  path: NetworkPath;
  connections: number;
  /** the container's CPU time / completed requests, microseconds */
  cpuMicrosPerRequest: number;
  /** after the first 200, before any load, bytes */
  memoryAtRestBytes: number;
  /** highest 1 s sample during this run, bytes */
  memoryUnderLoadBytes: number;
}

/** The page a variant is loaded on: its own (the static ceiling) or the app's. */
export function pageOf(variant: Variant, app: BenchApp): { path: string; verifyBody: (body: string) => boolean } {
  return variant.page ?? { path: app.fixture.loadPath, verifyBody: app.fixture.verifyBody };
}

/** One variant and app, loaded how. */
export interface LoadOptions {
  round: number;
  variant: Variant;
  app: BenchApp;
  /** the port published on 127.0.0.1 */
  publishPort: number;
  /** connection counts, each a run */
  connections: readonly number[];
  paths: readonly NetworkPath[];
  /** each run's length */
  seconds: number;
  /** one wrk run at 16 connections before the measured ones */
  warmupSeconds: number;
}

/**
 * Starts the variant, waits for its page (60 s), warms it up, and runs wrk at each
 * connection count on each path; removes the container whatever happens.
 * @returns one run per (path, connections), paths outermost
 * @throws when the server does not come up, serves another page than the app's, or wrk fails
 */
export async function loadVariant({
  round,
  variant,
  app,
  publishPort,
  connections,
  paths,
  seconds,
  warmupSeconds,
}: LoadOptions): Promise<LoadRun[]> {
  const page = pageOf(variant, app);
  const container = await startVariant({ variant, app, publishPort, purpose: 'load' });
  try {
    const publishedUrl = `http://127.0.0.1:${publishPort}${page.path}`;
    const body = await waitFor200(publishedUrl).catch(async (error: Error) => {
      const logs = await run('docker', ['logs', '--tail', '20', container.id]).then(
        ({ stdout, stderr }) => stdout + stderr,
        () => '(no logs)',
      );
      throw new Error(`${variant.id} on ${app.id} did not serve: ${error.message}\ncontainer's last lines:\n${logs}`);
    });
    if (!page.verifyBody(body))
      throw new Error(`${variant.id} on ${app.id}: ${page.path} served something else:\n${body.slice(0, 300)}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
    const { memoryBytes: memoryAtRestBytes } = await readCounters(container);
    await runWrk({ network: 'host', url: publishedUrl, connections: 16, seconds: warmupSeconds });

    const runs: LoadRun[] = [];
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
