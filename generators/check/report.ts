import type { WsgiMode } from '../lib/tunables.js';
/**
 * The check's result, as JSON (`--json`) and as a terminal table, and the pass/fail
 * verdict against the thresholds.
 */
import type { LoadReport } from '../lib/stack-checks.js';
import type { DatabaseConnections } from './database-connections.js';

/** What a load measured: of one app, or of all together (see {@link CheckReport}). */
export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  /** milliseconds */
  latency: { p50: number; p95: number; p99: number; max: number };
  /** responses per HTTP status code */
  statusCodes: Record<string, number>;
  /** connection errors and timeouts (no HTTP response at all) */
  transportErrors: number;
  timeouts: number;
  /** (transport errors + 5xx) / requests sent, percent */
  errorRatePercent: number;
  /**
   * the app's processes seen in the container during the load: mod_wsgi daemon processes, or in
   * embedded mode (`config.wsgiMode`) Apache's children
   */
  daemonProcesses: number;
}

/** What the image's envvars makes of the container's environment for one app (`WSGI_MODE`, processes x threads). */
export interface GroupConfig {
  processes: number;
  threads: number;
  /** daemon, or embedded (WSGI_MODE=embedded in production) */
  wsgiMode: WsgiMode;
}

/** One app's part of the check: the project's own at its mount point, or a `--mount`ed one. */
export interface AppReport extends LoadFigures {
  /** its URL prefix, `/` for the project's own app */
  url: string;
  /** its daemon process group */
  group: string;
  paths: string[];
  /** its share of the client connections */
  connections: number;
  /** its configuration in force in the container (its WSGI_<GROUP>_* or the global values) */
  config: GroupConfig;
  /** why it failed, one line each */
  failures: string[];
}

/**
 * The whole check. With one app the top-level figures are that app's; with mounted apps, loaded
 * at the same time, they are the totals (requests, status codes, errors, processes), the worst
 * latency of any app, and the project app's configuration, and `apps` has each app's own.
 */
export interface CheckReport extends LoadFigures {
  project: string;
  shape: 'production' | 'development';
  /** the configuration in force in the container, for the project's own app */
  config: GroupConfig;
  load: { paths: string[]; durationSeconds: number; connections: number; rate: number | null };
  /** peaks from the Docker stats API during the load */
  peakMemoryBytes: number;
  /** percent of one core */
  peakCpuPercent: number;
  thresholds: { maxErrorRatePercent: number; maxP99Ms: number | null };
  passed: boolean;
  /** why it failed, one line each (prefixed with the app's URL prefix when there are several) */
  failures: string[];
  /** each app loaded, the project's own first */
  apps: AppReport[];
  /**
   * docker/write-watch.py's lines from the container's error log, each once: writes into the
   * project that production's read-only image refuses, with the `--data-dir` to give
   */
  writesIntoProject?: string[];
  /** with `--service postgres`: the app's connections seen on the server during the load; null otherwise */
  database: DatabaseConnections | null;
}

/** Where a check stopped before its report: building the image, starting the stack, warming up, loading. */
export type CheckStage = 'build' | 'start' | 'warm-up' | 'load';

/**
 * What `--json` prints when the check stops before its load ends, so a CI step that parses
 * stdout always gets a document and the reason (issue 26, finding 6).
 */
export interface CheckAbort {
  project: string;
  shape: 'production' | 'development';
  passed: false;
  stage: CheckStage;
  /** the error's message, one entry (a build's ends with its last lines of output) */
  failures: string[];
}

/** Sums of what adds up over the apps; the worst of each latency percentile. */
export function totals(
  apps: readonly AppReport[],
): Pick<
  CheckReport,
  'requests' | 'requestsPerSecond' | 'latency' | 'statusCodes' | 'transportErrors' | 'timeouts' | 'daemonProcesses'
> {
  const sum = (pick: (app: AppReport) => number) => apps.reduce((total, app) => total + pick(app), 0);
  const worst = (pick: (app: AppReport) => number) => Math.max(...apps.map(pick));
  const statusCodes: Record<string, number> = {};
  for (const app of apps)
    for (const [code, count] of Object.entries(app.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    requests: sum(app => app.requests),
    requestsPerSecond: sum(app => app.requestsPerSecond),
    latency: {
      p50: worst(app => app.latency.p50),
      p95: worst(app => app.latency.p95),
      p99: worst(app => app.latency.p99),
      max: worst(app => app.latency.max),
    },
    statusCodes,
    transportErrors: sum(app => app.transportErrors),
    timeouts: sum(app => app.timeouts),
    daemonProcesses: sum(app => app.daemonProcesses),
  };
}

export interface Thresholds {
  maxErrorRatePercent: number;
  maxP99Ms?: number;
}

/** Judges a load report against the thresholds. @returns one line per failed threshold */
export function judge(load: LoadReport, thresholds: Thresholds): { errorRatePercent: number; failures: string[] } {
  const sent = load.requests + load.errors;
  const errorRatePercent = sent === 0 ? 100 : ((load.errors + load.status5xx) / sent) * 100;
  const failures: string[] = [];
  if (load.requests === 0) failures.push('no request got a response');
  if (errorRatePercent > thresholds.maxErrorRatePercent) {
    failures.push(
      `error rate ${errorRatePercent.toFixed(2)} % (${load.errors} transport errors, ${load.status5xx} 5xx of ${sent}) is above --max-error-rate ${thresholds.maxErrorRatePercent} %`,
    );
  }
  if (thresholds.maxP99Ms !== undefined && load.p99 > thresholds.maxP99Ms) {
    failures.push(`p99 latency ${load.p99} ms is above --max-p99 ${thresholds.maxP99Ms} ms`);
  }
  return { errorRatePercent, failures };
}

/** The report as a two-column table for the terminal. */
export function formatTable(report: CheckReport): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const rows: [string, string][] = [
    ['project / shape', `${report.project} / ${report.shape}`],
    ['processes x threads', `${report.config.processes} x ${report.config.threads}`],
    [
      'load',
      `${report.load.paths.join(', ')} for ${report.load.durationSeconds} s, ${report.load.connections} connections${report.load.rate ? `, ${report.load.rate} req/s cap` : ''}`,
    ],
    ['requests', `${report.requests} (${report.requestsPerSecond.toFixed(1)} req/s)`],
    [
      'latency p50 / p95 / p99 / max',
      `${report.latency.p50} / ${report.latency.p95} / ${report.latency.p99} / ${report.latency.max} ms`,
    ],
    [
      'status codes',
      Object.entries(report.statusCodes)
        .map(([code, count]) => `${code}: ${count}`)
        .join(', ') || 'none',
    ],
    ['transport errors (timeouts)', `${report.transportErrors} (${report.timeouts})`],
    ['error rate', `${report.errorRatePercent.toFixed(2)} % (max ${report.thresholds.maxErrorRatePercent} %)`],
    [
      report.config.wsgiMode === 'embedded'
        ? "app processes seen (embedded: Apache's children)"
        : 'daemon processes seen',
      String(report.daemonProcesses),
    ],
    ...(report.database
      ? [
          [
            `${report.database.service} connections (peak)`,
            `${report.database.peak} of ${report.database.limit} daemon threads`,
          ] as [string, string],
        ]
      : []),
    ['peak memory / CPU', `${mib(report.peakMemoryBytes)} / ${report.peakCpuPercent.toFixed(0)} % of one core`],
    // One line per app when several were loaded at once.
    ...(report.apps.length > 1
      ? report.apps.map((app): [string, string] => [
          `${app.url} (group ${app.group})`,
          `${app.config.processes} x ${app.config.threads}, ${app.daemonProcesses} processes seen, ${app.requests} requests (${app.requestsPerSecond.toFixed(1)} req/s), p99 ${app.latency.p99} ms, errors ${app.errorRatePercent.toFixed(2)} %`,
        ])
      : []),
    ['result', report.passed ? 'PASS' : `FAIL: ${report.failures.join('; ')}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
