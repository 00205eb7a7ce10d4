// The load: Debian's wrk 4.1 in a container of its own, so the benchmark needs nothing
// on the host but Docker, and its CPU is never counted as the server's.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The wrk image's tag (built from bench/images/wrk.Dockerfile). */
export const WRK_IMAGE = 'wsgi-apache-bench-wrk';

/** Socket errors by kind, as wrk counts them. */
export interface SocketErrorKinds {
  connect: number;
  read: number;
  write: number;
  timeout: number;
}

/** What one wrk run measured. */
export interface WrkResult {
  /** completed requests */
  requests: number;
  /** measured duration, seconds */
  seconds: number;
  /** requests per second */
  rps: number;
  /** latency percentiles, milliseconds */
  p50Ms: number;
  p99Ms: number;
  /** connect + read + write + timeout errors */
  socketErrors: number;
  socketErrorKinds: SocketErrorKinds;
  /** responses with status >= 400 (wrk counts > 399) */
  non2xx: number;
  /**
   * wrk's own CPU time (user + system), seconds, from its shell's `times` (clock ticks, 10 ms):
   * the load generator shares the server's cores. Undefined in results saved before it was measured.
   */
  loadCpuSeconds?: number;
}

/** One wrk load. */
export interface WrkSpec {
  /** `host` (through the published port, i.e. docker-proxy) or `container:<id>` (the server's own loopback, no proxy) */
  network: string;
  /** the page, on 127.0.0.1 */
  url: string;
  connections: number;
  seconds: number;
  /** wrk threads (default 2) */
  threads?: number;
}

/**
 * Runs one wrk load.
 * @throws when the url is not on 127.0.0.1, or wrk fails or prints something unparseable
 */
export async function runWrk({ network, url, connections, seconds, threads = 2 }: WrkSpec): Promise<WrkResult> {
  if (!new URL(url).hostname.startsWith('127.')) throw new Error(`load only goes to 127.0.0.1, not ${url}`);
  const { stdout } = await run(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      network,
      '--entrypoint',
      '/bin/sh',
      WRK_IMAGE,
      // `times` prints the shell's, then its children's (wrk's), user and system time.
      '-c',
      'wrk "$@"; status=$?; times; exit $status',
      'wrk',
      `-t${threads}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '--latency',
      url,
    ],
    { maxBuffer: 1 << 20 },
  );
  return parseWrk(stdout);
}

/** Milliseconds per unit of wrk's durations. */
const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Seconds in a `times` field such as `1m2.340000s`. */
const timesSeconds = (minutes: string, seconds: string) => Number(minutes) * 60 + Number(seconds);

/**
 * Parses wrk 4.1's report (run with --latency), and the `times` lines after it when present.
 * @throws when the request count, requests/s or the 50% or 99% latency is missing
 */
export function parseWrk(text: string): WrkResult {
  const number = (pattern: RegExp, fallback?: number): number => {
    const match = text.match(pattern);
    if (!match) {
      if (fallback !== undefined) return fallback;
      throw new Error(`wrk output lacks ${pattern}:\n${text}`);
    }
    return Number(match[1]);
  };
  const percentile = (p: number): number => {
    const match = text.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'));
    if (!match) throw new Error(`wrk output lacks the ${p}% latency:\n${text}`);
    return Number(match[1]) * UNIT_MS[match[2]];
  };
  const errors = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrorKinds: SocketErrorKinds = errors
    ? { connect: Number(errors[1]), read: Number(errors[2]), write: Number(errors[3]), timeout: Number(errors[4]) }
    : { connect: 0, read: 0, write: 0, timeout: 0 };
  // `times`: the shell's own line, then its children's (user, system).
  const children = text.match(/^\d+m[\d.]+s \d+m[\d.]+s\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/m);
  const completed = text.match(/(\d+) requests in ([\d.]+)(us|ms|s|m)/);
  if (!completed) throw new Error(`wrk output lacks the request count:\n${text}`);
  return {
    requests: Number(completed[1]),
    seconds: (Number(completed[2]) * UNIT_MS[completed[3]]) / 1000,
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    socketErrors: Object.values(socketErrorKinds).reduce((a, b) => a + b, 0),
    socketErrorKinds,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/, 0),
    ...(children && {
      loadCpuSeconds: timesSeconds(children[1], children[2]) + timesSeconds(children[3], children[4]),
    }),
  };
}
