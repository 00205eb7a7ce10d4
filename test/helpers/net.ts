export { freePort } from '../../generators/lib/net.js';

/**
 * GETs `url` every 100 ms until `accept(status, body)` holds.
 * @returns the accepted response and the milliseconds it took
 * @throws Error with the last status/body or error after `timeoutMs`
 */
export async function pollUntil(
  url: string,
  accept: (status: number, body: string) => boolean,
  timeoutMs: number,
): Promise<{ status: number; body: string; elapsedMs: number }> {
  const start = performance.now();
  let last = 'no response';
  while (performance.now() - start < timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body = await response.text();
      if (accept(response.status, body)) return { status: response.status, body, elapsedMs: performance.now() - start };
      last = `HTTP ${response.status}: ${body.slice(0, 200)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not give the expected response within ${timeoutMs} ms; last: ${last}`);
}
