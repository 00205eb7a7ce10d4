// The benchmark's targets: goals as data (bench/targets.json), checked against a run's
// raw runs and summaries. Every ratio is to a named anchor variant in the same round; the
// report lists each goal with median [min–max] over rounds and met / not met / not measured.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spread, type Spread } from './statistics.js';
import { APPS } from './apps.js';
import { type Ceiling, ceilingOf } from './ceiling.js';
import type { BuiltImage } from './images.js';
import { type LoadRun, type NetworkPath, NETWORK_PATHS } from './load.js';
import type { ReloadResult } from './reload.js';
import type { StartupResult } from './startup.js';
import { IMAGE_KINDS, type ImageKind, VARIANTS } from './variants.js';

/** bench/targets.json, the goals as the repository keeps them. */
export const TARGETS_FILE = fileURLToPath(new URL('../targets.json', import.meta.url));

/** What a ratio goal bounds: a field of each run, as a ratio to the anchor's in the same round. */
export const RATIO_METRICS = {
  minRps: { field: 'rps', label: 'requests/s', bound: 'min' },
  maxP99: { field: 'p99Ms', label: 'p99', bound: 'max' },
  maxCpuPerRequest: { field: 'cpuMicrosPerRequest', label: 'CPU per request', bound: 'max' },
} as const satisfies Record<string, { field: keyof LoadRun; label: string; bound: 'min' | 'max' }>;
export type RatioMetric = keyof typeof RATIO_METRICS;

/** Ratios of `variants` to `anchor` on `apps`: each bound given is a goal. */
export type RatioGoal = {
  /** the variants held to it */
  variants: string[];
  /** the variant each ratio is to (same round, app, path and connections) */
  anchor: string;
  apps: string[];
} & Partial<Record<RatioMetric, number>>;

/** The goals (bench/targets.json); every ratio and cost is at `connections` on each of `paths`. */
export interface BenchTargets {
  /** the load level the goals are at */
  connections: number;
  paths: NetworkPath[];
  /** ratio goals, in the report's order (variant by variant) */
  ratios: RatioGoal[];
  /** for every app: highest throughput cost of `variant`'s default access log against `offVariant`, percent */
  accessLog: { variant: string; offVariant: string; maxCostPercent: number };
  /** most socket errors of each variant held to a ratio goal, over every app and path */
  maxSocketErrors: number;
  /** for every app: highest size ratio of `kind`'s image to `reference`'s (less any offline wheelhouse) */
  imageSize: { kind: ImageKind; reference: ImageKind; maxRatio: number }[];
  /** highest median `docker run` to first 200 of each variant held to a ratio goal, seconds */
  maxStartupSeconds: number;
  /** highest median save-to-new-code latency as a ratio to gunicorn --reload's */
  reload: { maxRatioToGunicorn: number };
  /** lowest share of each app's ceiling (bench/ceiling.py) `variants` must reach, at `connections` on each path */
  ceiling?: { variants: string[]; apps: string[]; minShare: number };
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
  return checkTargets(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * Checks goals read from `file` (named in errors).
 * @throws as {@link loadTargets}
 */
export function checkTargets(data: BenchTargets, file: string): BenchTargets {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const appIds = APPS.map(app => app.id);
  const variantIds = VARIANTS.map(variant => variant.id);
  const kinds = Object.keys(IMAGE_KINDS);
  const variant = (value: unknown, key: string) => {
    if (!variantIds.includes(value as string)) fail(`${key} must be one of ${variantIds.join(', ')}`);
  };
  if (!isNumber(data.connections)) fail('"connections" must be a number');
  if (!Array.isArray(data.paths) || !data.paths.every(path => NETWORK_PATHS.includes(path)))
    fail(`"paths" must list some of ${NETWORK_PATHS.join(', ')}`);
  if (!Array.isArray(data.ratios)) fail('"ratios" must be a list');
  for (const [i, goal] of data.ratios.entries()) {
    if (!Array.isArray(goal.variants) || goal.variants.length === 0) fail(`ratios[${i}].variants must list variants`);
    goal.variants.forEach((id, j) => variant(id, `ratios[${i}].variants[${j}]`));
    variant(goal.anchor, `ratios[${i}].anchor`);
    if (!Array.isArray(goal.apps) || goal.apps.length === 0) fail(`ratios[${i}].apps must list apps`);
    for (const [j, app] of goal.apps.entries())
      if (!appIds.includes(app)) fail(`ratios[${i}].apps[${j}] must be one of ${appIds.join(', ')}`);
    const bounds = Object.keys(RATIO_METRICS) as RatioMetric[];
    if (!bounds.some(bound => goal[bound] !== undefined)) fail(`ratios[${i}] must set one of ${bounds.join(', ')}`);
    for (const bound of bounds)
      if (goal[bound] !== undefined && !isNumber(goal[bound]))
        fail(`ratios[${i}].${bound} must be a number when given`);
  }
  variant(data.accessLog?.variant, 'accessLog.variant');
  variant(data.accessLog.offVariant, 'accessLog.offVariant');
  if (!isNumber(data.accessLog.maxCostPercent)) fail('accessLog.maxCostPercent must be a number');
  if (!isNumber(data.maxSocketErrors)) fail('"maxSocketErrors" must be a number');
  if (!Array.isArray(data.imageSize)) fail('"imageSize" must be a list');
  for (const [i, goal] of data.imageSize.entries()) {
    if (!kinds.includes(goal.kind)) fail(`imageSize[${i}].kind must be one of ${kinds.join(', ')}`);
    if (!kinds.includes(goal.reference)) fail(`imageSize[${i}].reference must be one of ${kinds.join(', ')}`);
    if (!isNumber(goal.maxRatio)) fail(`imageSize[${i}].maxRatio must be a number`);
  }
  if (!isNumber(data.maxStartupSeconds)) fail('"maxStartupSeconds" must be a number');
  if (!isNumber(data.reload?.maxRatioToGunicorn)) fail('reload.maxRatioToGunicorn must be a number');
  if (data.ceiling !== undefined) {
    if (!Array.isArray(data.ceiling.variants)) fail('ceiling.variants must list variants');
    data.ceiling.variants.forEach((id, j) => variant(id, `ceiling.variants[${j}]`));
    if (!Array.isArray(data.ceiling.apps) || !data.ceiling.apps.every(app => appIds.includes(app)))
      fail(`ceiling.apps must list some of ${appIds.join(', ')}`);
    if (!isNumber(data.ceiling.minShare)) fail('ceiling.minShare must be a number');
  }
  return data;
}

/** A ratio goal with one decimal, two where it has them: 1.0, 1.2, 1.05. */
const ratioGoal = (limit: number): string =>
  Number.isInteger(Number((limit * 10).toFixed(6))) ? limit.toFixed(1) : limit.toFixed(2);

/** `median [min–max]` with `digits` decimals, `n/a` for nothing measured. */
export const fmtSpread = (s: Spread | null | undefined, digits = 2): string =>
  s ? `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]` : 'n/a';

/** Which runs a ratio compares: one variant to an anchor on one app, path and load level. */
export interface RatioQuery {
  variant: string;
  anchor: string;
  app: string;
  path: string;
  connections: number;
  field: 'rps' | 'p99Ms' | 'cpuMicrosPerRequest';
}

/**
 * The variant's value over the anchor's, round by round (rounds where both ran).
 * @returns the ratios' spread; null when no round has both
 */
export function roundRatios(runs: readonly LoadRun[], q: RatioQuery): Spread | null {
  const values = runs
    .filter(r => r.variant === q.variant && r.app === q.app && r.path === q.path && r.connections === q.connections)
    .flatMap(r => {
      const anchor = runs.find(
        a =>
          a.variant === q.anchor &&
          a.round === r.round &&
          a.app === r.app &&
          a.path === r.path &&
          a.connections === r.connections,
      );
      return anchor && anchor[q.field] > 0 ? [r[q.field] / anchor[q.field]] : [];
    });
  return values.length ? spread(values) : null;
}

/** What the targets are checked against: the raw runs and their summaries. */
export interface Measured {
  runs: readonly LoadRun[];
  loads: readonly {
    app: string;
    variant: string;
    path: string;
    connections: number;
    socketErrors: number;
    requests: number;
  }[];
  images: readonly BuiltImage[];
  startups: readonly StartupResult[];
  reloads: readonly ReloadResult[];
  /** absent in runs before issue 30 */
  ceilings?: readonly Ceiling[];
}

/** The variants held to ratio goals, in the order targets.json first names them. */
export const heldVariants = (goals: BenchTargets): string[] => [...new Set(goals.ratios.flatMap(g => g.variants))];

/** Variants held to goals that the run did not load at all: their goals are left out of the report. */
export function variantsNotRun(goals: BenchTargets, runs: readonly LoadRun[]): string[] {
  const ran = new Set(runs.map(r => r.variant));
  return heldVariants(goals).filter(id => !ran.has(id));
}

/** An image's size less the offline wheelhouse in it. */
const netSize = (image: BuiltImage) => image.sizeBytes - (image.wheelhouseBytes ?? 0);

/**
 * Checks every goal against what was measured, in the report's order: per variant held to
 * goals its ratios (per path, goal, app and metric), then the access log's cost, socket
 * errors, image sizes, cold starts, reload.
 * @returns one entry per goal; a ratio of a variant that ran but lacks the anchor, app or
 *   path is `met: null`; goals of a variant the run did not load, and the other goals the
 *   run did not measure, are left out
 */
export function evaluateTargets(
  goals: BenchTargets,
  { runs, loads, images, startups, reloads, ceilings = [] }: Measured,
): Target[] {
  const targets: Target[] = [];
  const c = goals.connections;
  const notRun = new Set(variantsNotRun(goals, runs));
  const held = heldVariants(goals).filter(id => !notRun.has(id));
  for (const variant of held) {
    for (const path of goals.paths) {
      for (const goal of goals.ratios.filter(g => g.variants.includes(variant))) {
        for (const app of goal.apps) {
          for (const [bound, metric] of Object.entries(RATIO_METRICS) as [
            RatioMetric,
            (typeof RATIO_METRICS)[RatioMetric],
          ][]) {
            const limit = goal[bound];
            if (limit === undefined) continue;
            const ratio = roundRatios(runs, {
              variant,
              anchor: goal.anchor,
              app,
              path,
              connections: c,
              field: metric.field,
            });
            const met = ratio ? (metric.bound === 'min' ? ratio.median >= limit : ratio.median <= limit) : null;
            targets.push({
              name: `${variant}, ${app}: ${metric.label} ×${goal.anchor} at ${c} connections (${path})`,
              goal: `${metric.bound === 'min' ? '≥' : '≤'} ${ratioGoal(limit)}×`,
              measured: fmtSpread(ratio),
              met,
            });
          }
        }
      }
    }
  }
  // The ceiling: each round's requests/s over the app's ceiling in that round.
  for (const variant of goals.ceiling?.variants.filter(id => !notRun.has(id) && runs.some(r => r.variant === id)) ??
    []) {
    for (const path of goals.paths) {
      for (const app of goals.ceiling?.apps ?? []) {
        const shares = runs
          .filter(r => r.variant === variant && r.app === app && r.path === path && r.connections === c)
          .map(r => r.rps / (ceilingOf(ceilings, app, r.round)?.requestsPerSecond ?? NaN));
        const share = shares.length && shares.every(Number.isFinite) ? spread(shares.map(x => x * 100)) : null;
        const minShare = goals.ceiling?.minShare ?? 0;
        targets.push({
          name: `${variant}, ${app}: requests/s as a share of the app's ceiling at ${c} connections (${path})`,
          goal: `≥ ${(minShare * 100).toFixed(0)} %`,
          measured: share ? `${fmtSpread(share, 0)} %` : 'n/a',
          met: share ? share.median >= minShare * 100 : null,
        });
      }
    }
  }
  // Access log cost: 1 - rps(log on) / rps(log off), same round, app, path and connections.
  const { variant: logVariant, offVariant, maxCostPercent } = goals.accessLog;
  for (const path of goals.paths) {
    for (const app of APPS.map(a => a.id)) {
      const ratio = roundRatios(runs, {
        variant: logVariant,
        anchor: offVariant,
        app,
        path,
        connections: c,
        field: 'rps',
      });
      if (!ratio) continue;
      const cost = {
        median: (1 - ratio.median) * 100,
        min: (1 - ratio.max) * 100,
        max: (1 - ratio.min) * 100,
        n: ratio.n,
      };
      targets.push({
        name: `${logVariant}, ${app}: access log on (default), throughput cost vs off at ${c} connections (${path})`,
        goal: `≤ ${maxCostPercent}%`,
        measured: `${fmtSpread(cost, 1)} %`,
        met: cost.median <= maxCostPercent,
      });
    }
  }
  for (const variant of held) {
    const atLevel = loads.filter(l => l.variant === variant && l.connections === c);
    const errors = atLevel.reduce((sum, l) => sum + l.socketErrors, 0);
    targets.push({
      name: `${variant}: socket errors at ${c} connections (all apps and paths)`,
      goal: goals.maxSocketErrors === 0 ? '0' : `≤ ${goals.maxSocketErrors}`,
      measured: atLevel.length ? `${errors} of ${atLevel.reduce((sum, l) => sum + l.requests, 0)} requests` : 'n/a',
      met: atLevel.length ? errors <= goals.maxSocketErrors : null,
    });
  }
  for (const { kind, reference, maxRatio } of goals.imageSize) {
    for (const app of APPS.map(a => a.id)) {
      const ours = images.find(i => i.app === app && i.kind === kind);
      const theirs = images.find(i => i.app === app && i.kind === reference);
      if (!ours || !theirs) continue;
      const ratio = netSize(ours) / netSize(theirs);
      const offline = ours.wheelhouseBytes || theirs.wheelhouseBytes ? ', less the offline wheelhouse' : '';
      targets.push({
        name: `${app}: image size, ${kind} ×${reference}${offline}`,
        goal: `≤ ${maxRatio.toFixed(1)}×`,
        measured: `${ratio.toFixed(2)}× (${(netSize(ours) / 1e6).toFixed(0)} / ${(netSize(theirs) / 1e6).toFixed(0)} MB)`,
        met: ratio <= maxRatio,
      });
    }
  }
  for (const s of startups.filter(s => held.includes(s.variant))) {
    const max = goals.maxStartupSeconds;
    targets.push({
      name: `${s.variant}, ${s.app}: docker run → first 200 (s)`,
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
