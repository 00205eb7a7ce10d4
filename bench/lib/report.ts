// Turns the raw runs into per-variant summaries, ratios to gunicorn gthread in the same
// round, the targets (bench/targets.json) with pass/fail, and a markdown report.
import { median, spread, type Spread } from '../../generators/lib/stack-checks.js';
import { appLabel } from './apps.js';
import type { BuiltImage } from './images.js';
import type { LoadRun, NetworkPath } from './load.js';
import type { ReloadResult } from './reload.js';
import type { StartupResult } from './startup.js';
import { type BenchTargets, evaluateTargets, fmtSpread, type Target } from './targets.js';
import { REFERENCE_VARIANT, variantLabel } from './variants.js';

/** The machine a run was on. */
export interface Machine {
  cpus: number;
  cpuModel: string | undefined;
  memoryGiB: number;
  /** the engine's version */
  docker: string;
  /** `1` or `2` */
  cgroup: string;
  /** Node's version, e.g. v20.20.2 */
  node: string;
}

/** How a run was made. */
export interface Method {
  rounds: number;
  /** each wrk run's length */
  seconds: number;
  warmupSeconds: number;
  connections: number[];
  paths: NetworkPath[];
  /** every image's FROM */
  base: string;
  /** the load generator, in words */
  load: string;
}

/** One benchmark run: what bench/results/<date>.json holds besides its summary. */
export interface BenchResult {
  /** when the run started, ISO 8601 */
  date: string;
  machine: Machine;
  method: Method;
  images: BuiltImage[];
  runs: LoadRun[];
  startups: StartupResult[];
  reloads: ReloadResult[];
}

/** One (app, variant, path, connections) over all rounds. */
export interface LoadSummary {
  app: string;
  variant: string;
  path: NetworkPath;
  connections: number;
  rps: Spread;
  /** to gunicorn gthread, same round; null without a reference run */
  rpsRatio: Spread | null;
  p50Ms: Spread;
  p99Ms: Spread;
  p99Ratio: Spread | null;
  /** summed over rounds */
  socketErrors: number;
  /** summed over rounds */
  requests: number;
  /** summed over rounds */
  non2xx: number;
  /** median, microseconds */
  cpuMicrosPerRequest: number;
  /** median, MB */
  memoryAtRestMB: number;
  /** highest, MB */
  memoryUnderLoadMB: number;
}

/** A run's summaries and targets (saved beside it in the JSON as `summary`). */
export interface Summary {
  loads: LoadSummary[];
  targets: Target[];
}

const key = (...parts: (string | number)[]) => parts.join('|');

/**
 * Groups the runs by (app, variant, path, connections), in the order they first ran, and
 * checks the targets.
 */
export function summarize({ runs, images, startups, reloads }: BenchResult, goals: BenchTargets): Summary {
  const byRound = new Map(runs.map(r => [key(r.round, r.app, r.variant, r.path, r.connections), r]));
  const groups = new Map<string, LoadRun[]>();
  for (const r of runs) {
    const k = key(r.app, r.variant, r.path, r.connections);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  const ratios = (group: LoadRun[], field: 'rps' | 'p99Ms') => {
    const values = group.flatMap(r => {
      const reference = byRound.get(key(r.round, r.app, REFERENCE_VARIANT, r.path, r.connections));
      return reference ? [r[field] / reference[field]] : [];
    });
    return values.length ? spread(values) : null;
  };
  const loads = [...groups.values()].map((group): LoadSummary => {
    const [first] = group;
    return {
      app: first.app,
      variant: first.variant,
      path: first.path,
      connections: first.connections,
      rps: spread(group.map(r => r.rps)),
      rpsRatio: ratios(group, 'rps'),
      p50Ms: spread(group.map(r => r.p50Ms)),
      p99Ms: spread(group.map(r => r.p99Ms)),
      p99Ratio: ratios(group, 'p99Ms'),
      socketErrors: group.reduce((sum, r) => sum + r.socketErrors, 0),
      requests: group.reduce((sum, r) => sum + r.requests, 0),
      non2xx: group.reduce((sum, r) => sum + r.non2xx, 0),
      cpuMicrosPerRequest: median(group.map(r => r.cpuMicrosPerRequest)),
      memoryAtRestMB: median(group.map(r => r.memoryAtRestBytes)) / 1e6,
      memoryUnderLoadMB: Math.max(...group.map(r => r.memoryUnderLoadBytes)) / 1e6,
    };
  });
  return { loads, targets: evaluateTargets(goals, { runs, loads, images, startups, reloads }) };
}

/** @returns the report as markdown: method, targets, a table per path and load level, images, cold starts, reload */
export function renderMarkdown(result: BenchResult, summary: Summary): string {
  const { machine, method, images, startups, reloads } = result;
  const out: string[] = [];
  out.push(`# Benchmark ${result.date.slice(0, 10)}: generated Apache + mod_wsgi stack vs gunicorn and uWSGI`, '');
  out.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Docker ${machine.docker} (cgroup v${machine.cgroup}), Node ${machine.node}.`,
    `Method: ${method.rounds} rounds, variants in alternating order, one container at a time; ${method.warmupSeconds} s warm-up, then ${method.seconds} s of ${method.load} at ${method.connections.join(' and ')} connections on each path. Every image is FROM \`${method.base}\`.`,
    "Paths: **published** = 127.0.0.1:PORT through Docker's userland proxy (what users get); **direct** = wrk inside the server's network namespace (the servers alone).",
    "Cells are median [min–max] over rounds; **×gthread** is the ratio to gunicorn gthread in the same round. CPU is the server container's cgroup time per request (docker-proxy and dockerd excluded).",
    '',
  );
  out.push('## Targets', '', '| target | goal | measured median [min–max] | met |', '|---|---|---|---|');
  for (const t of summary.targets)
    out.push(
      `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  out.push('');
  const paths = [...new Set(summary.loads.map(l => l.path))];
  const conns = [...new Set(summary.loads.map(l => l.connections))].sort((a, b) => a - b);
  for (const path of paths) {
    for (const c of conns) {
      out.push(
        `## ${path}, ${c} connections`,
        '',
        '| app | variant | requests/s | ×gthread | p50 ms | p99 ms | p99 ×gthread | socket errors | non-2xx | CPU µs/req | memory rest / load MB |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
      );
      for (const l of summary.loads.filter(x => x.path === path && x.connections === c)) {
        out.push(
          `| ${appLabel(l.app)} | ${variantLabel(l.variant)} | ${fmtSpread(l.rps, 0)} | ${fmtSpread(l.rpsRatio)} | ${l.p50Ms.median.toFixed(1)} | ${fmtSpread(l.p99Ms, 1)} | ${fmtSpread(l.p99Ratio)} | ${l.socketErrors} | ${l.non2xx} | ${l.cpuMicrosPerRequest.toFixed(0)} | ${l.memoryAtRestMB.toFixed(0)} / ${l.memoryUnderLoadMB.toFixed(0)} |`,
        );
      }
      out.push('');
    }
  }
  if (images.length) {
    out.push(
      '## Images',
      '',
      '| image | app | size MB | build --no-cache s | cached rebuild s |',
      '|---|---|---|---|---|',
    );
    for (const i of images)
      out.push(
        `| ${i.kind} | ${appLabel(i.app)} | ${(i.sizeBytes / 1e6).toFixed(1)} | ${i.coldSeconds.toFixed(1)} | ${i.cachedSeconds.toFixed(2)} |`,
      );
    out.push('');
  }
  if (startups.length) {
    out.push('## docker run → first 200', '', '| variant | app | seconds median [min–max] | n |', '|---|---|---|---|');
    for (const s of startups)
      out.push(`| ${variantLabel(s.variant)} | ${appLabel(s.app)} | ${fmtSpread(s.seconds)} | ${s.seconds.n} |`);
    out.push('');
  }
  if (reloads.length) {
    out.push(
      '## Development reload (hello-world, bind mount, save = write + rename)',
      '',
      '| server | save → new code, s, median [min–max] | n | failed requests meanwhile |',
      '|---|---|---|---|',
    );
    for (const r of reloads)
      out.push(`| ${r.server} | ${fmtSpread(r.seconds)} | ${r.seconds.n} | ${r.failedRequests} |`);
    out.push('');
  }
  return out.join('\n');
}
