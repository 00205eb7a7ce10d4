/**
 * Checks that a running stack serves under concurrent load, shared by the project's own
 * test suite and `yo wsgi-apache:check`. Each check throws an Error whose message says
 * what was wrong (errors, 5xx, wrong bodies, serialised requests, missing daemon
 * processes), so a broken stack fails with a reason, not a timeout.
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

/**
 * @throws Error listing every problem: transport errors, timeouts, non-2xx and 5xx
 *   responses, wrong bodies, or fewer responses than requested
 */
export function assertCleanLoad(report: LoadReport, expectedRequests: number): void {
  const problems: string[] = [];
  if (report.errors > 0) problems.push(`${report.errors} transport errors (${report.timeouts} timeouts)`);
  if (report.status5xx > 0) problems.push(`${report.status5xx} responses with a 5xx status`);
  else if (report.non2xx > 0) problems.push(`${report.non2xx} responses with a non-2xx status`);
  if (report.mismatches > 0) problems.push(`${report.mismatches} responses with a wrong body`);
  if (report.requests + report.serverClosed < expectedRequests)
    problems.push(
      `only ${report.requests} of ${expectedRequests} requests completed (${report.serverClosed} reissued after the server closed a keep-alive connection)`,
    );
  if (problems.length > 0) {
    throw new Error(`load on ${report.path} with ${report.connections} connections failed: ${problems.join('; ')}`);
  }
}

export interface ConcurrencyReport {
  /** wall time for all requests, milliseconds */
  elapsedMs: number;
  /** distinct daemon process ids that answered */
  pids: number[];
  /** distinct (pid, thread) pairs that answered */
  threads: number;
  uids: number[];
}

/**
 * Sends 2 x processes x threads requests at once to `whoamiPath?sleep=sleepMs` (an
 * endpoint answering JSON `{pid, thread, uid}` after sleeping). With real concurrency
 * they finish in about two sleeps; one at a time they would take 2 x P x T sleeps.
 * @throws Error when they take 3 sleeps or more (requests are being serialised), when
 *   fewer than `processes` daemon processes answered, or when a request failed
 */
export async function checkConcurrency(
  baseUrl: string,
  whoamiPath: string,
  processes: number,
  threads: number,
  // 1 s, not less: on a loaded 2-core CI machine 20 requests of 300 ms took 1,006 ms, past the
  // 3-sleep limit with nothing serialised; one at a time they would take 20 sleeps.
  sleepMs = 1_000,
): Promise<ConcurrencyReport> {
  const count = 2 * processes * threads;
  const start = performance.now();
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await fetch(`${baseUrl}${whoamiPath}?sleep=${sleepMs}&n=${i}`, {
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`concurrency probe: ${whoamiPath} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { pid: number; thread: number; uid: number };
    }),
  );
  const elapsedMs = performance.now() - start;
  const pids = [...new Set(answers.map(a => a.pid))].sort((a, b) => a - b);
  const report = {
    elapsedMs,
    pids,
    threads: new Set(answers.map(a => `${a.pid}/${a.thread}`)).size,
    uids: [...new Set(answers.map(a => a.uid))],
  };
  const limit = 3 * sleepMs;
  if (elapsedMs >= limit) {
    throw new Error(
      `concurrency: ${count} requests sleeping ${sleepMs} ms took ${Math.round(elapsedMs)} ms (limit ${limit} ms); ` +
        `expected ${processes} processes x ${threads} threads in parallel, saw ${pids.length} processes and ${report.threads} threads`,
    );
  }
  if (pids.length < processes) {
    throw new Error(
      `concurrency: expected ${processes} daemon processes, only ${pids.length} answered (pids ${pids.join(', ')})`,
    );
  }
  return report;
}

// The statistics of the check and the benchmark (bench/), kept here once. Nearest rank, not
// an interpolating quantile (as statistics libraries compute it): every reported
// percentile is a latency that was measured.

/** The p-th percentile (nearest rank) of `values`, 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The median of `values` (the mean of the middle two when their number is even), NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Repeated measurements of one quantity, in its unit: median, lowest, highest, and how many. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The {@link Spread} of `values` (for none: NaN median, min Infinity, max -Infinity, n 0). */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}
