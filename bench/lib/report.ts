// Turns the raw runs into per-variant summaries, ratios to the gunicorn gthread anchor on
// the same base image in the same round, the targets (bench/targets.json) with pass/fail,
// and a markdown report.
import { median, spread, type Spread } from './statistics.js';
import { appLabel } from './apps.js';
import { type Ceiling, ceilingOf } from './ceiling.js';
import type { BuiltImage, ColdBuilds } from './images.js';
import type { LoadRun, NetworkPath } from './load.js';
import type { ReloadResult } from './reload.js';
import type { StartupResult } from './startup.js';
import { type BenchTargets, evaluateTargets, fmtSpread, roundRatios, type Target, variantsNotRun } from './targets.js';
import { familyAnchor, IMAGE_KINDS, type ImageKind, VARIANTS, variantLabel } from './variants.js';

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
  /** which python:3.13-slim-trixie the python base was built FROM (python-image.ts); absent in older results */
  pythonImage?: string;
}

/** How a run was made. */
export interface Method {
  rounds: number;
  /** each wrk run's length */
  seconds: number;
  warmupSeconds: number;
  connections: number[];
  paths: NetworkPath[];
  /** runs before the bases: every image's FROM (since then each image's is in `images`) */
  base?: string;
  /** which builds were timed cold (absent before the bases: every image) */
  cold?: ColdBuilds;
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
  /** each app's Python cost alone and the requests/s it caps every server at (absent before issue 30) */
  ceilings?: Ceiling[];
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
  /** the gunicorn gthread variant on the same base image, which the ratios are to */
  anchor: string;
  /** to the anchor, same round; null without an anchor run */
  rpsRatio: Spread | null;
  p50Ms: Spread;
  p99Ms: Spread;
  p99Ratio: Spread | null;
  /** CPU per request to the anchor's, same round */
  cpuRatio: Spread | null;
  /** summed over rounds */
  socketErrors: number;
  /** summed over rounds */
  requests: number;
  /** summed over rounds */
  non2xx: number;
  /** median, microseconds */
  cpuMicrosPerRequest: number;
  /** the median requests/s as a share of the app's ceiling (0.85 = 85 %); null without a ceiling */
  ofCeiling: number | null;
  /**
   * the server container's share of the machine's CPU under this load (CPU per request × requests/s
   * over cores); the rest went to wrk, Docker's proxy and the kernel outside the container
   */
  serverCpuShare: number;
  /**
   * wrk's own share of the machine's CPU under this load (its CPU seconds over cores × the run's
   * seconds), median; null for runs saved before it was measured
   */
  loadCpuShare: number | null;
  /** median, MB */
  memoryAtRestMB: number;
  /** highest, MB */
  memoryUnderLoadMB: number;
}

/** A run's summaries and targets (saved beside it in the JSON as `summary`). */
export interface Summary {
  loads: LoadSummary[];
  targets: Target[];
  /** variants held to goals that the run did not load: their goals are left out */
  notRun: string[];
}

const key = (...parts: (string | number)[]) => parts.join('|');

/**
 * Groups the runs by (app, variant, path, connections), in the order they first ran, and
 * checks the targets.
 */
export function summarize(
  { runs, images, startups, reloads, ceilings = [], machine }: BenchResult,
  goals: BenchTargets,
): Summary {
  const groups = new Map<string, LoadRun[]>();
  for (const r of runs) {
    const k = key(r.app, r.variant, r.path, r.connections);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  const loads = [...groups.values()].map((group): LoadSummary => {
    const [first] = group;
    const rps = spread(group.map(r => r.rps));
    const cpuMicrosPerRequest = median(group.map(r => r.cpuMicrosPerRequest));
    const shares = group.map(r => r.rps / (ceilingOf(ceilings, r.app, r.round)?.requestsPerSecond ?? NaN));
    const anchor = familyAnchor(first.variant);
    const ratio = (field: 'rps' | 'p99Ms' | 'cpuMicrosPerRequest') =>
      roundRatios(runs, {
        variant: first.variant,
        anchor,
        app: first.app,
        path: first.path,
        connections: first.connections,
        field,
      });
    return {
      app: first.app,
      variant: first.variant,
      path: first.path,
      connections: first.connections,
      rps,
      anchor,
      rpsRatio: ratio('rps'),
      p50Ms: spread(group.map(r => r.p50Ms)),
      p99Ms: spread(group.map(r => r.p99Ms)),
      p99Ratio: ratio('p99Ms'),
      cpuRatio: ratio('cpuMicrosPerRequest'),
      socketErrors: group.reduce((sum, r) => sum + r.socketErrors, 0),
      requests: group.reduce((sum, r) => sum + r.requests, 0),
      non2xx: group.reduce((sum, r) => sum + r.non2xx, 0),
      cpuMicrosPerRequest,
      ofCeiling: shares.every(Number.isFinite) ? median(shares) : null,
      serverCpuShare: (cpuMicrosPerRequest * rps.median) / (machine.cpus * 1e6),
      loadCpuShare: group.every(r => r.loadCpuSeconds !== undefined)
        ? median(group.map(r => (r.loadCpuSeconds ?? 0) / (machine.cpus * r.seconds)))
        : null,
      memoryAtRestMB: median(group.map(r => r.memoryAtRestBytes)) / 1e6,
      memoryUnderLoadMB: Math.max(...group.map(r => r.memoryUnderLoadBytes)) / 1e6,
    };
  });
  return {
    loads,
    targets: evaluateTargets(goals, { runs, loads, images, startups, reloads, ceilings }),
    notRun: variantsNotRun(goals, runs),
  };
}

/** Seconds with `digits` decimals; a dash for not measured (NaN, which the JSON keeps as null, or absent). */
const seconds = (value: number | null | undefined, digits: number) =>
  value === undefined || value === null || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** A share as a whole percentage; a dash for none (null, undefined: a run without that measure). */
const percent = (share: number | null | undefined) =>
  share === null || share === undefined || Number.isNaN(share) ? '–' : `${(share * 100).toFixed(0)} %`;

/** The FROM of an image, as recorded or (runs before the bases) the method's one base. */
const baseOf = (image: BuiltImage, method: Method) =>
  image.baseImage ?? method.base ?? IMAGE_KINDS[image.kind as ImageKind]?.baseImage ?? '?';

/**
 * The ceiling's table: one row per app measured once (runs before per-round ceilings), or per
 * app its median [min–max] over the rounds, each measured at its round's start.
 */
function ceilingTable(ceilings: readonly Ceiling[]): string[] {
  if (ceilings.every(c => c.round === undefined))
    return [
      '| app | CPU µs per call | wall µs per call | calls | ceiling requests/s |',
      '|---|---|---|---|---|',
      ...ceilings.map(
        c =>
          `| ${appLabel(c.app)} | ${c.cpuMicrosPerCall.toFixed(0)} | ${c.wallMicrosPerCall.toFixed(0)} | ${c.calls} | ${c.requestsPerSecond.toFixed(0)} on ${c.cores} cores |`,
      ),
    ];
  const apps = [...new Set(ceilings.map(c => c.app))];
  return [
    "Measured at the start of each round: each load run's share is against its own round's ceiling.",
    '',
    '| app | rounds | CPU µs per call | ceiling requests/s |',
    '|---|---|---|---|',
    ...apps.map(app => {
      const own = ceilings.filter(c => c.app === app);
      return `| ${appLabel(app)} | ${own.length} | ${fmtSpread(spread(own.map(c => c.cpuMicrosPerCall)), 0)} | ${fmtSpread(spread(own.map(c => c.requestsPerSecond)), 0)} on ${own[0].cores} cores |`;
    }),
  ];
}

/** @returns the report as markdown: method, targets, a table per path and load level, images, cold starts, reload */
export function renderMarkdown(result: BenchResult, summary: Summary): string {
  const { machine, method, images, startups, reloads } = result;
  const out: string[] = [];
  out.push(`# Benchmark ${result.date.slice(0, 10)}: generated Apache + mod_wsgi stack vs gunicorn and uWSGI`, '');
  const bases = method.base
    ? `Every image is FROM \`${method.base}\`.`
    : "Each image is FROM its own base (images table): Debian's `debian:trixie-slim` or the official `python:3.13-slim-trixie`.";
  out.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Docker ${machine.docker} (cgroup v${machine.cgroup}), Node ${machine.node}.`,
    ...(machine.pythonImage ? [`Python base image: ${machine.pythonImage}.`] : []),
    `Method: ${method.rounds} rounds, variants in alternating order, one container at a time; ${method.warmupSeconds} s warm-up, then ${method.seconds} s of ${method.load} at ${method.connections.join(' and ')} connections on each path. ${bases}`,
    "Paths: **published** = 127.0.0.1:PORT through Docker's userland proxy (what users get); **direct** = wrk inside the server's network namespace (the servers alone).",
    "Cells are median [min–max] over rounds; **×gthread** is the ratio to gunicorn gthread on the same base image in the same round (gunicorn-gthread for Debian's images, gunicorn-gthread-python for the python image's). Each target's ratio is to the anchor variant it names, in the same round. CPU is the server container's cgroup time per request (docker-proxy and dockerd excluded).",
    '',
  );
  out.push('## Targets', '', '| target | goal | measured median [min–max] | met |', '|---|---|---|---|');
  for (const t of summary.targets)
    out.push(
      `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  out.push('');
  if (summary.notRun.length)
    out.push(`Not run, so their goals are left out: ${summary.notRun.map(id => `\`${id}\``).join(', ')}.`, '');
  if (result.ceilings?.length) {
    out.push(
      '## Ceiling: the app alone',
      '',
      "Each app's WSGI callable called in a loop in one process and one thread, with a canned environ for the page under load and no server (bench/ceiling.py), in its gunicorn image on the python base. No server can serve more than cores / (CPU per call) requests per second; **% of ceiling** in the tables below is each server's rate against it. **server CPU %** is the server container's share of the machine under that load; **wrk CPU %** is the load generator's own (on the same cores, from its shell's `times`); the rest went to Docker's proxy (published path) and the kernel outside the containers.",
      '',
    );
    out.push(...ceilingTable(result.ceilings), '');
  }
  const paths = [...new Set(summary.loads.map(l => l.path))];
  const conns = [...new Set(summary.loads.map(l => l.connections))].sort((a, b) => a - b);
  for (const path of paths) {
    for (const c of conns) {
      out.push(
        `## ${path}, ${c} connections`,
        '',
        '| app | variant | requests/s | ×gthread | % of ceiling | p50 ms | p99 ms | p99 ×gthread | socket errors | non-2xx | CPU µs/req | CPU ×gthread | server CPU % | wrk CPU % | memory rest / load MB |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      );
      for (const l of summary.loads.filter(x => x.path === path && x.connections === c)) {
        out.push(
          `| ${appLabel(l.app)} | ${variantLabel(l.variant)} | ${fmtSpread(l.rps, 0)} | ${fmtSpread(l.rpsRatio)} | ${percent(l.ofCeiling)} | ${l.p50Ms.median.toFixed(1)} | ${fmtSpread(l.p99Ms, 1)} | ${fmtSpread(l.p99Ratio)} | ${l.socketErrors} | ${l.non2xx} | ${l.cpuMicrosPerRequest.toFixed(0)} | ${fmtSpread(l.cpuRatio)} | ${percent(l.serverCpuShare)} | ${percent(l.loadCpuShare)} | ${l.memoryAtRestMB.toFixed(0)} / ${l.memoryUnderLoadMB.toFixed(0)} |`,
        );
      }
      out.push('');
    }
  }
  if (images.length) {
    const ran = [...new Set(result.runs.map(r => r.variant))];
    const users = (kind: string) => {
      const ids = VARIANTS.filter(v => v.image === kind && (ran.length === 0 || ran.includes(v.id))).map(v => v.id);
      return ids.length ? ids.join(', ') : '–';
    };
    const offline = images.some(i => i.wheelhouseBytes);
    out.push(
      '## Images',
      '',
      '| image | variants | FROM | app | size MB | of it offline wheelhouse MB | build --no-cache s | build on the cache as found s | cached rebuild s |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const i of images)
      out.push(
        `| ${i.kind} | ${users(i.kind)} | \`${baseOf(i, method)}\` | ${appLabel(i.app)} | ${(i.sizeBytes / 1e6).toFixed(1)} | ${i.wheelhouseBytes ? (i.wheelhouseBytes / 1e6).toFixed(1) : '–'} | ${seconds(i.coldSeconds, 1)} | ${seconds(i.warmSeconds, 1)} | ${seconds(i.cachedSeconds, 2)} |`,
      );
    out.push('');
    if (offline)
      out.push(
        "Built without an index: the python image's pip installs came from the offline wheelhouse (images/build-wheelhouse.sh) copied into the build context. Its copies in the image (the generated Dockerfile's `COPY wheelhouse/` layer and the app directory's `wheelhouse/`) are what a build from PyPI would not have; size targets leave them out.",
        '',
      );
    if (method.cold && method.cold !== 'each')
      out.push(
        method.cold === 'first'
          ? "Cold builds (`--no-cache`) were timed for each image kind's first app; the kind's other apps were built on the cache it left, as a user's second project would be."
          : 'No cold builds were timed: every image was built on the cache as the run found it.',
        '',
      );
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
