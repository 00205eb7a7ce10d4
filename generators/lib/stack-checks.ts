/**
 * The load `yo wsgi-apache:check` (and the project's own tests and benchmark) put on a running
 * stack, and its figures. The tests' assertions on a load are in test/helpers/load-checks.ts.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  /** base URL, e.g. http://127.0.0.1:8000 */
  baseUrl: string;
  path: string;
  /** more paths, requested in turn after `path` */
  morePaths?: string[];
  /** overall request rate cap, requests per second (default: as fast as it goes) */
  rate?: number;
  /** concurrent connections (keep-alive) */
  connections: number;
  /** total requests; leave out to run for `durationSeconds` instead (autocannon lets amount win) */
  amount?: number;
  /** how long to run when no `amount` is given, and the bound on any run; default 120 */
  durationSeconds?: number;
  /** a body is correct when this holds; wrong ones count as mismatches */
  verifyBody?: (body: string) => boolean;
  /** per-request timeout, seconds */
  timeoutSeconds?: number;
}

export interface LoadReport {
  path: string;
  connections: number;
  /** completed responses */
  requests: number;
  /** wall time, seconds */
  durationSeconds: number;
  requestsPerSecond: number;
  /** latency percentiles of every response, milliseconds (0.1 ms resolution) */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** responses per HTTP status */
  statusCodes: Record<string, number>;
  /** connection errors, including timeouts */
  errors: number;
  timeouts: number;
  non2xx: number;
  status5xx: number;
  mismatches: number;
  /**
   * keep-alive connections the server closed while the client still wanted them. Each
   * drops one request that autocannon counted as sent (it reissues it on a new connection
   * and counts it again), so a clean `amount` run answers `amount - serverClosed` requests.
   */
  serverClosed: number;
}

/**
 * The part of autocannon's client (lib/httpClient.js, 8.x) that counts server-closed
 * connections: `_connect` opens each connection; `conn` is the current socket.
 */
interface AutocannonClientInternals {
  conn?: NodeJS.EventEmitter;
  destroyed: boolean;
  _connect(): void;
}

/**
 * Counts, for `setupClient`, the connections the server ends while the client is not done.
 * autocannon reconnects on 'end' and sends a fresh request, so such an 'end' is not an error.
 */
function countServerClosed(onClose: () => void): (client: autocannon.Client) => void {
  return client => {
    const internals = client as unknown as AutocannonClientInternals;
    const connect = internals._connect.bind(internals);
    internals._connect = () => {
      connect();
      internals.conn?.on('end', () => {
        if (!internals.destroyed) onClose();
      });
    };
  };
}

/** Runs a bounded autocannon load: `amount` requests (within 120 s), or `durationSeconds` of load. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const start = performance.now();
  let lastResponse = start;
  const latencies: number[] = [];
  const paths = [options.path, ...(options.morePaths ?? [])];
  let serverClosed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl + options.path,
        connections: options.connections,
        amount: options.amount,
        duration: options.durationSeconds ?? 120,
        timeout: options.timeoutSeconds ?? 30,
        verifyBody: options.verifyBody ? (body: unknown) => options.verifyBody!(String(body ?? '')) : undefined,
        ...(paths.length > 1 ? { requests: paths.map(path => ({ method: 'GET' as const, path })) } : {}),
        ...(options.rate ? { overallRate: options.rate } : {}),
        setupClient: countServerClosed(() => (serverClosed += 1)),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // autocannon ends a run on its next 1-second tick; time the load to its last response.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      lastResponse = performance.now();
      latencies.push(Math.round(responseTime * 10) / 10);
    });
  });
  const durationSeconds = (lastResponse - start) / 1000;
  // requests.total leaves out the last partial second; the status-class counters do not.
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    path: options.path,
    connections: options.connections,
    requests: completed,
    durationSeconds,
    requestsPerSecond: completed / durationSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.reduce((highest, value) => Math.max(highest, value), 0),
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat?.count ?? 0]),
    ),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    status5xx: result['5xx'],
    mismatches: result.mismatches,
    serverClosed,
  };
}

// Nearest rank, not an interpolating quantile (as statistics libraries compute it): every
// reported percentile is a latency that was measured. The benchmark's median and spread are
// in bench/lib/statistics.ts.

/** The p-th percentile (nearest rank) of `values`, 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
