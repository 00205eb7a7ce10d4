// Time from `docker run` to the first 200, per server and app (the cold start a rolling
// deploy or an autoscaler waits for).
import { type Spread, spread } from './statistics.js';
import type { BenchApp } from './apps.js';
import { removeContainer, waitFor200 } from './docker.js';
import { startVariant } from './images.js';
import { pageOf } from './load.js';
import type { Variant } from './variants.js';

/** One variant's cold starts serving one app, as saved in the results. */
export interface StartupResult {
  /** variant id */
  variant: string;
  /** app id */
  app: string;
  /** create + start + first 200, seconds */
  seconds: Spread;
}

/**
 * Starts the variant `times` times (a fresh container each) and polls its page every 20 ms.
 * @throws when a start gives no 200 within 60 s (the container is removed)
 */
export async function measureStartup({
  variant,
  app,
  publishPort,
  times,
}: {
  variant: Variant;
  app: BenchApp;
  publishPort: number;
  times: number;
}): Promise<StartupResult> {
  const { path } = pageOf(variant, app);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const container = await startVariant({ variant, app, publishPort, purpose: 'start' });
    try {
      await waitFor200(`http://127.0.0.1:${publishPort}${path}`);
      samples.push((performance.now() - start) / 1000);
    } finally {
      await removeContainer(container);
    }
  }
  return { variant: variant.id, app: app.id, seconds: spread(samples) };
}
