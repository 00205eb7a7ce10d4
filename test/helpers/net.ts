import { connect } from 'node:net';
export { freePort } from '../../generators/lib/net.js';

/** How {@link pollUntil} polls. */
export interface PollOptions {
  /** pause between requests, milliseconds (default 100) */
  intervalMs?: number;
  /** one request's timeout, milliseconds (default 5 000) */
  requestTimeoutMs?: number;
  /** told of every request that failed without a response (refused, reset, timed out) */
  onError?: (error: unknown) => void;
}

/**
 * GETs `url` every `intervalMs` until `accept(status, body)` holds.
 * @returns the accepted response and the milliseconds it took
 * @throws Error with the last status/body or error after `timeoutMs`
 */
export async function pollUntil(
  url: string,
  accept: (status: number, body: string) => boolean,
  timeoutMs: number,
  { intervalMs = 100, requestTimeoutMs = 5_000, onError }: PollOptions = {},
): Promise<{ status: number; body: string; elapsedMs: number }> {
  const start = performance.now();
  let last = 'no response';
  while (performance.now() - start < timeoutMs) {
    // A ref'd timer, not AbortSignal.timeout (unref'd): a fetch whose connection
    // docker-proxy accepts and drops while the server starts can stay pending with no
    // other handle alive, and Node would exit mid-await (code 13).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), requestTimeoutMs);
    try {
      const response = await fetch(url, { signal: controller.signal });
      const body = await response.text();
      if (accept(response.status, body)) return { status: response.status, body, elapsedMs: performance.now() - start };
      last = `HTTP ${response.status}: ${body.slice(0, 200)}`;
    } catch (error) {
      onError?.(error);
      // fetch says only "fetch failed"; the cause names the socket error (ECONNREFUSED, ...).
      const code = (error as { cause?: { code?: string } }).cause?.code;
      last = code ? `${String(error)} (${code})` : String(error);
    } finally {
      clearTimeout(timer);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not give the expected response within ${timeoutMs} ms; last: ${last}`);
}

/**
 * Writes `request` as is on a new connection to `baseUrl` (for what fetch will not send: other
 * methods, HTTP/0.9) and returns the first line of the answer, e.g. `HTTP/1.1 400 Bad Request`.
 * @throws Error when nothing ends the answer within 10 s, or the connection fails
 */
export function rawRequest(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(request)}`)));
    socket.on('data', chunk => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer.split('\r\n')[0]!));
    socket.on('error', reject);
  });
}
