/**
 * Every option of `yo wsgi-apache:check`, declared once: its flag, kind, description
 * (which states the default and range) and parser. The generator's `this.option` calls,
 * `--help` and the settings below are all derived from this table.
 */
import { InputError } from '../lib/input-error.js';
import { parseInteger, toList } from '../lib/parse.js';
import { groupOf, PROCESS_GROUP } from '../lib/image-layout.js';

/** What the check runs with, parsed and defaulted. */
/** One app the check loads: the project's at `/`, or one mounted with `--mount`. */
export interface LoadTarget {
  /** its URL prefix: the project's own app's `--mount-point` (`/`), or a mount's */
  url: string;
  /** its daemon process group */
  group: string;
  /** paths loaded, in turn */
  paths: string[];
  /** false when `paths` is its default: the health path, or the mount's prefix plus `/` */
  pathsGiven: boolean;
}

export interface CheckSettings {
  /** URL paths to load, in turn; the default is the project's health path */
  paths: string[];
  /** false when `paths` is the default, the project's health path */
  pathsGiven: boolean;
  /** the apps loaded at once, each with its share of the paths and connections: `--path`s go to the app whose prefix holds them */
  targets: LoadTarget[];
  /** seconds of measured load */
  durationSeconds: number;
  /** concurrent client connections */
  connections: number;
  /** cap on requests per second over all connections; undefined = none */
  rate?: number;
  /** seconds of unmeasured load first */
  warmupSeconds: number;
  /** fail above this percentage of transport errors + 5xx */
  maxErrorRatePercent: number;
  /** fail when p99 latency exceeds this, milliseconds; undefined = no limit */
  maxP99Ms?: number;
  /** host port on 127.0.0.1; undefined = a free one */
  port?: number;
  shape: 'production' | 'development';
  /** print the report as JSON on stdout */
  json: boolean;
  /** check the image already built (`NAME:latest`, e.g. by a CI workflow's BuildKit step) instead of `docker compose build` */
  skipBuild: boolean;
}

/** What the settings may fall back on: the answers the app generator saved in `.yo-rc.json`. */
export interface StoredProject {
  healthPath?: string;
  /** `--mount`s as `.yo-rc.json` keeps them, `/prefix=entry` */
  mounts?: string[];
  /** where the project's own app answers, `/` when absent */
  mountPoint?: string;
}

interface CheckField {
  flag: string;
  kind: 'boolean' | 'value' | 'list';
  description: string;
  /** sets this field's part of the settings from the raw option (undefined when not given) */
  apply(raw: unknown, settings: CheckSettings, stored: StoredProject): void;
}

const whole = (flag: string, raw: unknown, fallback: number, min: number, max: number) =>
  raw === undefined || raw === '' ? fallback : parseInteger(`--${flag}`, raw, min, max);
const optionalWhole = (flag: string, raw: unknown, min: number, max: number) =>
  raw === undefined || raw === '' ? undefined : parseInteger(`--${flag}`, raw, min, max);

export const CHECK_FIELDS: readonly CheckField[] = [
  {
    flag: 'path',
    kind: 'list',
    description: "Path to load, repeatable (default: the project's --health-path, else /)",
    apply: (raw, settings, stored) => {
      const paths = toList(raw);
      for (const path of paths) {
        if (!path.startsWith('/'))
          throw new InputError('--path', `"${path}" is not a URL path`, 'start it with /, e.g. --path /health');
      }
      settings.paths = paths.length > 0 ? paths : [stored.healthPath ?? '/'];
      settings.pathsGiven = paths.length > 0;
    },
  },
  {
    flag: 'duration',
    kind: 'value',
    description: 'Seconds of load (1-600, default 10)',
    apply: (raw, settings) => (settings.durationSeconds = whole('duration', raw, 10, 1, 600)),
  },
  {
    flag: 'connections',
    kind: 'value',
    description: 'Concurrent connections (1-1024, default 64)',
    apply: (raw, settings) => (settings.connections = whole('connections', raw, 64, 1, 1024)),
  },
  {
    flag: 'rate',
    kind: 'value',
    description: 'Cap on requests per second, all connections together (default: no cap)',
    apply: (raw, settings) => (settings.rate = optionalWhole('rate', raw, 1, 1_000_000)),
  },
  {
    flag: 'warmup',
    kind: 'value',
    description: 'Seconds of warm-up load before measuring (0-60, default 2)',
    apply: (raw, settings) => (settings.warmupSeconds = whole('warmup', raw, 2, 0, 60)),
  },
  {
    flag: 'max-error-rate',
    kind: 'value',
    description: 'Fail above this percent of transport errors + 5xx (default 0)',
    apply: (raw, settings) => {
      const text = String(raw ?? '0');
      if (!/^\d+(\.\d+)?$/.test(text) || Number(text) > 100) {
        throw new InputError(
          '--max-error-rate',
          `"${text}" is not a percentage`,
          'pass a number from 0 to 100, e.g. --max-error-rate 0.1',
        );
      }
      settings.maxErrorRatePercent = Number(text);
    },
  },
  {
    flag: 'max-p99',
    kind: 'value',
    description: 'Fail when p99 latency exceeds this many milliseconds (default: no limit)',
    apply: (raw, settings) => (settings.maxP99Ms = optionalWhole('max-p99', raw, 1, 600_000)),
  },
  {
    flag: 'port',
    kind: 'value',
    description: 'Host port to publish on 127.0.0.1 (default: a free one)',
    apply: (raw, settings) => (settings.port = optionalWhole('port', raw, 1, 65535)),
  },
  {
    flag: 'dev',
    kind: 'boolean',
    description: 'Check the development shape (compose.override.yaml) instead of production',
    apply: (raw, settings) => (settings.shape = raw === true ? 'development' : 'production'),
  },
  {
    flag: 'json',
    kind: 'boolean',
    description: 'Print the report as JSON on stdout',
    apply: (raw, settings) => (settings.json = raw === true),
  },
  {
    flag: 'skip-build',
    kind: 'boolean',
    description: 'Check the image already built (NAME:latest) instead of running docker compose build first',
    apply: (raw, settings) => (settings.skipBuild = raw === true),
  },
];

/**
 * Parses the options against {@link CHECK_FIELDS}.
 * @param options - the generator's options by flag name (absent = not given)
 * @param stored - the project's saved answers, for defaults
 * @throws InputError naming the first invalid flag
 */
export function resolveCheckSettings(options: Readonly<Record<string, unknown>>, stored: StoredProject): CheckSettings {
  const settings: CheckSettings = {
    paths: [],
    pathsGiven: false,
    targets: [],
    durationSeconds: 0,
    connections: 0,
    warmupSeconds: 0,
    maxErrorRatePercent: 0,
    shape: 'production',
    json: false,
    skipBuild: false,
  };
  for (const field of CHECK_FIELDS) field.apply(options[field.flag], settings, stored);
  settings.targets = loadTargets(settings, stored);
  return settings;
}

/**
 * The apps to load: without `--path`, every app with its default path (the health path for
 * the project's own, `/prefix/` for each mount); with `--path`s, the apps they fall under,
 * each path going to the longest mount prefix that holds it, else to the project's own app.
 */
function loadTargets(settings: CheckSettings, stored: StoredProject): LoadTarget[] {
  const mounts = (stored.mounts ?? [])
    .map(text => text.slice(0, text.indexOf('=')).replace(/\/+$/, ''))
    .filter(url => url.startsWith('/') && url.length > 1)
    .sort((a, b) => b.length - a.length);
  const targets: LoadTarget[] = [
    { url: stored.mountPoint ?? '/', group: PROCESS_GROUP, paths: [], pathsGiven: settings.pathsGiven },
    ...mounts.map(url => ({ url, group: groupOf(url), paths: [], pathsGiven: settings.pathsGiven })),
  ];
  if (!settings.pathsGiven) {
    targets[0].paths = settings.paths;
    for (const target of targets.slice(1)) target.paths = [`${target.url}/`];
    return targets;
  }
  for (const path of settings.paths) {
    const owner = targets.slice(1).find(t => path === t.url || path.startsWith(`${t.url}/`)) ?? targets[0];
    owner.paths.push(path);
  }
  return targets.filter(target => target.paths.length > 0);
}
