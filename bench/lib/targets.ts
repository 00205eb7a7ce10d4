// The benchmark's targets: goals as data (bench/targets.json), checked against a run's
// summaries. The report lists them with met / not met / not measured.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spread, type Spread } from '../../generators/lib/stack-checks.js';
import { APPS } from './apps.js';
import type { BuiltImage } from './images.js';
import { type LoadRun, type NetworkPath, NETWORK_PATHS } from './load.js';
import type { ReloadResult } from './reload.js';
import type { StartupResult } from './startup.js';
import { type ImageKind, VARIANTS } from './variants.js';

/** bench/targets.json, the goals as the repository keeps them. */
export const TARGETS_FILE = fileURLToPath(new URL('../targets.json', import.meta.url));

/** The goals (bench/targets.json); every ratio and cost is at `connections` on each of `paths`. */
export interface BenchTargets {
  /** the variant held to the goals (the generated stack) */
  variant: string;
  /** the load level the goals are at */
  connections: number;
  paths: NetworkPath[];
  /** per app: lowest requests/s ratio to gunicorn gthread, highest p99 ratio (none: not a goal) */
  throughput: { app: string; minRpsRatio: number; maxP99Ratio?: number }[];
  /** for every app: highest throughput cost of the default access log against `offVariant`, percent */
  accessLog: { offVariant: string; maxCostPercent: number };
  /** most socket errors over every app and path */
  maxSocketErrors: number;
  /** for every app: highest image size ratio to the `reference` kind's image */
  imageSize: { reference: ImageKind; maxRatio: number };
  /** highest median `docker run` to first 200, seconds */
  maxStartupSeconds: number;
  /** highest median save-to-new-code latency as a ratio to gunicorn --reload's */
  reload: { maxRatioToGunicorn: number };
}

/** One target as the report shows it (and the results JSON keeps it). */
export interface Target {
  name: string;
  goal: string;
  measured: string;
  /** null when the run did not measure it */
  met: boolean | null;
}

/**
 * Reads and checks the goals.
 * @throws Error naming the file and the first key that is missing, of the wrong type, or
 *   names an app, variant, path or image kind the benchmark does not have
 */
export function loadTargets(file = TARGETS_FILE): BenchTargets {
  const data = JSON.parse(readFileSync(file, 'utf8')) as BenchTargets;
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const appIds = APPS.map(app => app.id);
  const variantIds = VARIANTS.map(variant => variant.id);
  if (!variantIds.includes(data.variant)) fail(`"variant" must be one of ${variantIds.join(', ')}`);
  if (!isNumber(data.connections)) fail('"connections" must be a number');
  if (!Array.isArray(data.paths) || !data.paths.every(path => NETWORK_PATHS.includes(path)))
    fail(`"paths" must list some of ${NETWORK_PATHS.join(', ')}`);
  if (!Array.isArray(data.throughput)) fail('"throughput" must be a list');
  for (const [i, goal] of data.throughput.entries()) {
    if (!appIds.includes(goal.app)) fail(`throughput[${i}].app must be one of ${appIds.join(', ')}`);
    if (!isNumber(goal.minRpsRatio)) fail(`throughput[${i}].minRpsRatio must be a number`);
    if (goal.maxP99Ratio !== undefined && !isNumber(goal.maxP99Ratio))
      fail(`throughput[${i}].maxP99Ratio must be a number when given`);
  }
  if (!variantIds.includes(data.accessLog?.offVariant))
    fail(`accessLog.offVariant must be one of ${variantIds.join(', ')}`);
  if (!isNumber(data.accessLog.maxCostPercent)) fail('accessLog.maxCostPercent must be a number');
  if (!isNumber(data.maxSocketErrors)) fail('"maxSocketErrors" must be a number');
  if (!['generated', 'gunicorn', 'uwsgi'].includes(data.imageSize?.reference))
    fail('imageSize.reference must be generated, gunicorn or uwsgi');
  if (!isNumber(data.imageSize.maxRatio)) fail('imageSize.maxRatio must be a number');
  if (!isNumber(data.maxStartupSeconds)) fail('"maxStartupSeconds" must be a number');
  if (!isNumber(data.reload?.maxRatioToGunicorn)) fail('reload.maxRatioToGunicorn must be a number');
  return data;
}

/** `median [min–max]` with `digits` decimals, `n/a` for nothing measured. */
export const fmtSpread = (s: Spread | null | undefined, digits = 2): string =>
  s ? `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]` : 'n/a';

/** What the targets are checked against: the raw runs and their summaries. */
export interface Measured {
  runs: readonly LoadRun[];
  loads: readonly {
    app: string;
    variant: string;
    path: string;
    connections: number;
    rpsRatio: Spread | null;
    p99Ratio: Spread | null;
    socketErrors: number;
    requests: number;
  }[];
  images: readonly BuiltImage[];
  startups: readonly StartupResult[];
  reloads: readonly ReloadResult[];
}

/**
 * Checks every goal against what was measured, in the report's order: throughput and p99
 * per path and app, the access log's cost, socket errors, image sizes, cold starts, reload.
 * @returns one entry per goal; a goal the run did not measure is `met: null` (throughput)
 *   or left out (the others)
 */
export function evaluateTargets(goals: BenchTargets, { runs, loads, images, startups, reloads }: Measured): Target[] {
  const targets: Target[] = [];
  const { variant, connections: c } = goals;
  const find = (app: string, path: string) =>
    loads.find(l => l.app === app && l.variant === variant && l.path === path && l.connections === c);
  for (const path of goals.paths) {
    for (const { app, minRpsRatio, maxP99Ratio } of goals.throughput) {
      const load = find(app, path);
      targets.push({
        name: `${app}: requests/s at ${c} connections, ×gthread (${path})`,
        goal: `≥ ${minRpsRatio.toFixed(1)}×`,
        measured: fmtSpread(load?.rpsRatio),
        met: load?.rpsRatio ? load.rpsRatio.median >= minRpsRatio : null,
      });
      if (maxP99Ratio !== undefined) {
        targets.push({
          name: `${app}: p99 at ${c} connections, ×gthread (${path})`,
          goal: `≤ ${maxP99Ratio.toFixed(1)}×`,
          measured: fmtSpread(load?.p99Ratio),
          met: load?.p99Ratio ? load.p99Ratio.median <= maxP99Ratio : null,
        });
      }
    }
  }
  // Access log cost: 1 - rps(log on) / rps(log off), same round, app, path and connections.
  const { offVariant, maxCostPercent } = goals.accessLog;
  for (const path of goals.paths) {
    for (const app of APPS.map(a => a.id)) {
      const costs = runs
        .filter(r => r.variant === variant && r.app === app && r.path === path && r.connections === c)
        .flatMap(r => {
          const off = runs.find(
            o =>
              o.variant === offVariant &&
              o.round === r.round &&
              o.app === r.app &&
              o.path === r.path &&
              o.connections === r.connections,
          );
          return off ? [(1 - r.rps / off.rps) * 100] : [];
        });
      if (!costs.length) continue;
      const cost = spread(costs);
      targets.push({
        name: `${app}: access log on (default), throughput cost vs off at ${c} connections (${path})`,
        goal: `≤ ${maxCostPercent}%`,
        measured: `${fmtSpread(cost, 1)} %`,
        met: cost.median <= maxCostPercent,
      });
    }
  }
  const atLevel = loads.filter(l => l.variant === variant && l.connections === c);
  const errors = atLevel.reduce((sum, l) => sum + l.socketErrors, 0);
  targets.push({
    name: `socket errors at ${c} connections (${variant}, all apps and paths)`,
    goal: goals.maxSocketErrors === 0 ? '0' : `≤ ${goals.maxSocketErrors}`,
    measured: atLevel.length ? `${errors} of ${atLevel.reduce((sum, l) => sum + l.requests, 0)} requests` : 'n/a',
    met: atLevel.length ? errors <= goals.maxSocketErrors : null,
  });
  const ourKind = VARIANTS.find(v => v.id === variant)?.image;
  const { reference, maxRatio } = goals.imageSize;
  for (const app of APPS.map(a => a.id)) {
    const ours = images.find(i => i.app === app && i.kind === ourKind);
    const theirs = images.find(i => i.app === app && i.kind === reference);
    if (!ours || !theirs) continue;
    const ratio = ours.sizeBytes / theirs.sizeBytes;
    targets.push({
      name: `${app}: image size ×${reference} image`,
      goal: `≤ ${maxRatio.toFixed(1)}×`,
      measured: `${ratio.toFixed(2)}× (${(ours.sizeBytes / 1e6).toFixed(0)} / ${(theirs.sizeBytes / 1e6).toFixed(0)} MB)`,
      met: ratio <= maxRatio,
    });
  }
  for (const s of startups.filter(s => s.variant === variant)) {
    const max = goals.maxStartupSeconds;
    targets.push({
      name: `${s.app}: docker run → first 200 (s)`,
      goal: `≤ ${max} s`,
      measured: fmtSpread(s.seconds),
      met: s.seconds.median <= max,
    });
  }
  const ours = reloads.find(r => r.server.startsWith('generated'));
  const theirs = reloads.find(r => r.server.startsWith('gunicorn'));
  if (ours && theirs) {
    const limit = theirs.seconds.median * goals.reload.maxRatioToGunicorn;
    targets.push({
      name: 'reload: save → new code served (s), vs gunicorn --reload',
      goal: `≤ ${limit.toFixed(2)} s`,
      measured: fmtSpread(ours.seconds),
      met: ours.seconds.median <= limit,
    });
  }
  return targets;
}
