// Time from `docker run` to the first 200, per server and app (the cold start a rolling
// deploy or an autoscaler waits for).
import { removeContainer, waitFor200 } from './docker.mjs';
import { startVariant } from './images.mjs';
import { spread } from './stats.mjs';

/**
 * @typedef {object} StartupResult
 * @property {string} variant
 * @property {string} app
 * @property {ReturnType<typeof spread>} seconds  create + start + first 200, seconds
 */

/**
 * Starts the variant `times` times (a fresh container each) and polls its page every 20 ms.
 * @param {{ variant: import('./variants.mjs').Variant, app: import('./apps.mjs').BenchApp, publishPort: number, times: number }} options
 * @returns {Promise<StartupResult>}
 */
export async function measureStartup({ variant, app, publishPort, times }) {
  const page = variant.page ?? { path: app.path };
  const samples = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const container = await startVariant({ variant, app, publishPort, purpose: 'start' });
    try {
      await waitFor200(`http://127.0.0.1:${publishPort}${page.path}`, 60_000, 20);
      samples.push((performance.now() - start) / 1000);
    } finally {
      await removeContainer(container);
    }
  }
  return { variant: variant.id, app: app.id, seconds: spread(samples) };
}
