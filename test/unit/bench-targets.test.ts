/**
 * The benchmark's targets on synthetic results: each ratio to its named anchor variant,
 * round by round, as median [min–max]; met, not met, not measured, or left out when the
 * variant did not run; and the report that shows them.
 */
import { describe, expect, it } from 'vitest';
import type { BuiltImage } from '../../bench/lib/images.js';
import type { LoadRun, NetworkPath } from '../../bench/lib/load.js';
import { type BenchResult, renderMarkdown, summarize } from '../../bench/lib/report.js';
import {
  type BenchTargets,
  checkTargets,
  evaluateTargets,
  loadTargets,
  roundRatios,
  type Target,
} from '../../bench/lib/targets.js';
import { DEFAULT_VARIANTS, familyAnchor, IMAGE_KINDS, VARIANTS } from '../../bench/lib/variants.js';

/** A target as `evaluate` reports it. */
/** A target as one line, `name: goal → measured (met|not met|not measured)`, so a test reads like the report. */
function line(target: { name: string; goal: string; measured: string; met: boolean | null }): string {
  const verdict = target.met === null ? 'not measured' : target.met ? 'met' : 'not met';
  return `${target.name}: ${target.goal} → ${target.measured} (${verdict})`;
}

/** The targets `goals` sets for `runs` whose name holds `part`, each as its `line`. */
function linesAbout(part: string, ...args: Parameters<typeof evaluate>): string[] {
  return evaluate(...args)
    .filter(t => t.name.includes(part))
    .map(line);
}

/** What a synthetic run measured; the rest is filled in. */
interface Sample {
  rps: number;
  p99Ms?: number;
  cpu?: number;
  socketErrors?: number;
}

/** One wrk run of `variant` on `app` in `round` at 64 connections. */
function loadRun(
  variant: string,
  app: string,
  round: number,
  sample: Sample,
  path: NetworkPath = 'published',
): LoadRun {
  const { rps, p99Ms = 50, cpu = 400, socketErrors = 0 } = sample;
  return {
    round,
    variant,
    app,
    path,
    connections: 64,
    requests: rps * 6,
    seconds: 6,
    rps,
    p50Ms: p99Ms / 4,
    p99Ms,
    socketErrors,
    socketErrorKinds: { connect: 0, read: socketErrors, write: 0, timeout: 0 },
    non2xx: 0,
    cpuMicrosPerRequest: cpu,
    memoryAtRestBytes: 50e6,
    memoryUnderLoadBytes: 80e6,
  };
}

/** Runs of each variant on one app over rounds 1, 2, 3: `samples[variant][round - 1]`. */
function rounds(app: string, samples: Record<string, Sample[]>, path: NetworkPath = 'published'): LoadRun[] {
  return Object.entries(samples).flatMap(([variant, perRound]) =>
    perRound.map((sample, i) => loadRun(variant, app, i + 1, sample, path)),
  );
}

/** Goals with one path and nothing but what a test sets. */
function goals(extra: Partial<BenchTargets> = {}): BenchTargets {
  return {
    connections: 64,
    paths: ['published'],
    ratios: [],
    accessLog: { variant: 'generated', offVariant: 'generated-log-off', maxCostPercent: 10 },
    maxSocketErrors: 0,
    imageSize: [],
    maxStartupSeconds: 0.5,
    reload: { maxRatioToGunicorn: 1 },
    ...extra,
  };
}

/** A run's results around `runs`, as bench/results/<date>.json holds them. */
function result(runs: LoadRun[], images: BuiltImage[] = []): BenchResult {
  return {
    date: '2026-11-23T12:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'AMD EPYC', memoryGiB: 24, docker: '20.10.24', cgroup: '1', node: 'v20.20.2' },
    method: {
      rounds: 3,
      seconds: 6,
      warmupSeconds: 3,
      connections: [64],
      paths: ['published'],
      cold: 'first',
      load: 'wrk',
    },
    images,
    runs,
    startups: [],
    reloads: [],
  };
}

const evaluate = (g: BenchTargets, runs: LoadRun[], images: BuiltImage[] = []): Target[] =>
  summarize(result(runs, images), g).targets;

const named = (targets: Target[], name: string): Target => {
  const found = targets.find(t => t.name === name);
  if (!found) throw new Error(`no target "${name}" in:\n${targets.map(t => t.name).join('\n')}`);
  return found;
};

const FLASK_VS_PYTHON_GTHREAD = goals({
  ratios: [
    {
      variants: ['generated-python', 'generated-optimized'],
      anchor: 'gunicorn-gthread-python',
      apps: ['flask'],
      minRps: 1.2,
      maxP99: 1.0,
      maxCpuPerRequest: 1.0,
    },
  ],
});

describe('ratio targets', () => {
  it('take each round against the anchor of the same round, and report median [min–max]', () => {
    // Round 2 is slow for everyone: its ratio is still 1.25, which a ratio of medians would not show.
    const runs = rounds('flask', {
      'generated-python': [{ rps: 1300 }, { rps: 500 }, { rps: 1320 }],
      'gunicorn-gthread-python': [{ rps: 1000 }, { rps: 400 }, { rps: 1200 }],
    });
    const ratio = roundRatios(runs, {
      variant: 'generated-python',
      anchor: 'gunicorn-gthread-python',
      app: 'flask',
      path: 'published',
      connections: 64,
      field: 'rps',
    });
    expect(ratio).toEqual({ median: 1.25, min: 1.1, max: 1.3, n: 3 });
    const target = named(
      evaluate(FLASK_VS_PYTHON_GTHREAD, runs),
      'generated-python, flask: requests/s ×gunicorn-gthread-python at 64 connections (published)',
    );
    expect(line(target)).toBe(
      'generated-python, flask: requests/s ×gunicorn-gthread-python at 64 connections (published): ≥ 1.2× → 1.25 [1.10–1.30] (met)',
    );
  });

  it('are met by the median: a lower requests/s median, a higher p99 or CPU median is not met', () => {
    const runs = rounds('flask', {
      'generated-python': [
        { rps: 1150, p99Ms: 40, cpu: 420 },
        { rps: 1300, p99Ms: 60, cpu: 380 },
        { rps: 1100, p99Ms: 55, cpu: 412 },
      ],
      'gunicorn-gthread-python': [
        { rps: 1000, p99Ms: 50, cpu: 400 },
        { rps: 1000, p99Ms: 50, cpu: 400 },
        { rps: 1000, p99Ms: 50, cpu: 400 },
      ],
    });
    const targets = evaluate(FLASK_VS_PYTHON_GTHREAD, runs);
    const at = (metric: string) =>
      named(targets, `generated-python, flask: ${metric} ×gunicorn-gthread-python at 64 connections (published)`);
    expect(at('requests/s')).toMatchObject({ goal: '≥ 1.2×', measured: '1.15 [1.10–1.30]', met: false });
    expect(at('p99')).toMatchObject({ goal: '≤ 1.0×', measured: '1.10 [0.80–1.20]', met: false });
    expect(at('CPU per request')).toMatchObject({ goal: '≤ 1.0×', measured: '1.03 [0.95–1.05]', met: false });
  });

  it('meet a bound exactly at the limit', () => {
    const runs = rounds('flask', {
      'generated-python': [{ rps: 1200, p99Ms: 50, cpu: 400 }],
      'gunicorn-gthread-python': [{ rps: 1000, p99Ms: 50, cpu: 400 }],
    });
    const targets = evaluate(FLASK_VS_PYTHON_GTHREAD, runs).filter(t => t.name.startsWith('generated-python, flask'));
    expect(targets.map(t => t.met)).toEqual([true, true, true]);
  });

  it('use the anchor each goal names, not the variant family', () => {
    const g = goals({
      ratios: [
        { variants: ['generated-optimized'], anchor: 'gunicorn-gthread-python', apps: ['django'], minRps: 1.2 },
        { variants: ['generated-optimized'], anchor: 'gunicorn-gthread', apps: ['django'], minRps: 1.0 },
      ],
    });
    const runs = rounds('django', {
      'generated-optimized': [{ rps: 900 }, { rps: 910 }, { rps: 905 }],
      'gunicorn-gthread-python': [{ rps: 700 }, { rps: 700 }, { rps: 700 }],
      'gunicorn-gthread': [{ rps: 1000 }, { rps: 1000 }, { rps: 1000 }],
    });
    expect(linesAbout('requests/s', g, runs)).toEqual([
      'generated-optimized, django: requests/s ×gunicorn-gthread-python at 64 connections (published): ≥ 1.2× → 1.29 [1.29–1.30] (met)',
      'generated-optimized, django: requests/s ×gunicorn-gthread at 64 connections (published): ≥ 1.0× → 0.91 [0.90–0.91] (not met)',
    ]);
  });

  it('are not measured when the variant ran but its anchor did not, or not on that path', () => {
    const g = goals({
      paths: ['published', 'direct'],
      ratios: [{ variants: ['generated-python'], anchor: 'gunicorn-gthread-python', apps: ['hello'], minRps: 1.0 }],
    });
    const runs = [
      ...rounds('hello', { 'generated-python': [{ rps: 5000 }], 'gunicorn-gthread-python': [{ rps: 4000 }] }),
      ...rounds('hello', { 'generated-python': [{ rps: 9000 }] }, 'direct'),
    ];
    expect(linesAbout('×', g, runs)).toEqual([
      'generated-python, hello: requests/s ×gunicorn-gthread-python at 64 connections (published): ≥ 1.0× → 1.25 [1.25–1.25] (met)',
      'generated-python, hello: requests/s ×gunicorn-gthread-python at 64 connections (direct): ≥ 1.0× → n/a (not measured)',
    ]);
  });

  it('of a variant the run did not load are left out, and the summary names it', () => {
    const runs = rounds('flask', {
      'generated-python': [{ rps: 1300 }],
      'gunicorn-gthread-python': [{ rps: 1000 }],
    });
    const summary = summarize(result(runs), FLASK_VS_PYTHON_GTHREAD);
    expect(summary.notRun).toEqual(['generated-optimized']);
    expect(summary.targets.some(t => t.name.includes('generated-optimized'))).toBe(false);
    expect(renderMarkdown(result(runs), summary)).toContain(
      'Not run, so their goals are left out: `generated-optimized`.',
    );
  });
});

describe('other targets', () => {
  it('socket errors are counted per variant held to a goal', () => {
    const runs = rounds('flask', {
      'generated-python': [{ rps: 1300, socketErrors: 3 }],
      'generated-optimized': [{ rps: 1400 }],
      'gunicorn-gthread-python': [{ rps: 1000, socketErrors: 9 }],
    });
    expect(linesAbout('socket errors', FLASK_VS_PYTHON_GTHREAD, runs)).toEqual([
      'generated-python: socket errors at 64 connections (all apps and paths): 0 → 3 of 7800 requests (not met)',
      'generated-optimized: socket errors at 64 connections (all apps and paths): 0 → 0 of 8400 requests (met)',
    ]);
  });

  it('the access log cost is against its off variant, round by round', () => {
    const runs = rounds('hello', {
      generated: [{ rps: 900 }, { rps: 950 }, { rps: 800 }],
      'generated-log-off': [{ rps: 1000 }, { rps: 1000 }, { rps: 1000 }],
    });
    expect(linesAbout('access log', goals(), runs)).toEqual([
      'generated, hello: access log on (default), throughput cost vs off at 64 connections (published): ≤ 10% → 10.0 [5.0–20.0] % (met)',
    ]);
  });

  it('image size ratios leave out the offline wheelhouse an image carries', () => {
    const image = (kind: BuiltImage['kind'], sizeBytes: number, wheelhouseBytes?: number): BuiltImage => ({
      tag: `t-${kind}`,
      app: 'hello',
      kind,
      baseImage: IMAGE_KINDS[kind].baseImage,
      coldSeconds: 10,
      cachedSeconds: 0.1,
      sizeBytes,
      ...(wheelhouseBytes === undefined ? {} : { wheelhouseBytes }),
    });
    const g = goals({ imageSize: [{ kind: 'generated-python', reference: 'gunicorn-python', maxRatio: 1.1 }] });
    const targets = evaluate(g, [], [image('generated-python', 260e6, 40e6), image('gunicorn-python', 210e6, 0)]);
    expect(targets.map(line)).toEqual([
      'hello: image size, generated-python ×gunicorn-python, less the offline wheelhouse: ≤ 1.1× → 1.05× (220 / 210 MB) (met)',
    ]);
  });
});

describe('summaries', () => {
  it('take ×gthread against the gthread anchor on the same base image', () => {
    // mod-wsgi-express: results from before the bases name variants that ran on Debian only.
    const anchorOf = {
      generated: 'gunicorn-gthread',
      'generated-log-off': 'gunicorn-gthread',
      'generated-python': 'gunicorn-gthread-python',
      'generated-optimized': 'gunicorn-gthread-python',
      'gunicorn-gthread-python': 'gunicorn-gthread-python',
      'generated-bookworm': 'gunicorn-gthread-bookworm',
      'mod-wsgi-express': 'gunicorn-gthread',
    };
    expect(Object.fromEntries(Object.keys(anchorOf).map(id => [id, familyAnchor(id)]))).toEqual(anchorOf);
    const runs = [
      ...rounds('flask', {
        'generated-python': [{ rps: 1300, cpu: 300 }],
        'gunicorn-gthread-python': [{ rps: 1000, cpu: 400 }],
      }),
      ...rounds('flask', { generated: [{ rps: 900 }], 'gunicorn-gthread': [{ rps: 1000 }] }),
    ];
    const loads = summarize(result(runs), goals()).loads;
    const of = (variant: string) => loads.find(l => l.variant === variant);
    expect(of('generated-python')).toMatchObject({
      anchor: 'gunicorn-gthread-python',
      rpsRatio: { median: 1.3 },
      cpuRatio: { median: 0.75 },
    });
    expect(of('generated')).toMatchObject({ anchor: 'gunicorn-gthread', rpsRatio: { median: 0.9 } });
  });

  it('the images table gives each image its FROM and the variants that run it, and – for a time not measured', () => {
    const images: BuiltImage[] = [
      {
        tag: 'a',
        app: 'flask',
        kind: 'generated-optimized',
        baseImage: 'python:3.13-slim-trixie',
        coldSeconds: NaN,
        warmSeconds: 41.5,
        cachedSeconds: 0.5,
        sizeBytes: 300e6,
        wheelhouseBytes: 60e6,
      },
    ];
    const runs = rounds('flask', { 'generated-optimized': [{ rps: 1 }] });
    // As --report-only reads it back: the JSON keeps NaN as null.
    const saved = JSON.parse(JSON.stringify(result(runs, images))) as BenchResult;
    expect(saved.images[0].coldSeconds).toBeNull();
    const markdown = renderMarkdown(saved, summarize(saved, goals()));
    expect(markdown).toContain(
      '| generated-optimized | generated-optimized | `python:3.13-slim-trixie` | Flask page | 300.0 | 60.0 | – | 41.5 | 0.50 |',
    );
  });
});

describe("the ceiling (issue 30): each server's requests/s against cores / the app's own Python cost", () => {
  const ceiling = {
    app: 'flask',
    image: 'x',
    calls: 5000,
    cpuMicrosPerCall: 1000,
    wallMicrosPerCall: 1010,
    cores: 2,
    requestsPerSecond: 2000,
  };
  const withCeiling = (runs: LoadRun[]) => ({ ...result(runs), ceilings: [ceiling] });
  const CEILING_GOAL = goals({ ceiling: { variants: ['generated-python'], apps: ['flask'], minShare: 0.85 } });

  it('is a target per variant, app and path: met by the median share of the rounds', () => {
    const runs = rounds('flask', { 'generated-python': [{ rps: 1600 }, { rps: 1800 }, { rps: 1750 }] });
    expect(summarize(withCeiling(runs), CEILING_GOAL).targets.map(line)).toEqual([
      "generated-python, flask: requests/s as a share of the app's ceiling at 64 connections (published): ≥ 85 % → 88 [80–90] % (met)",
    ]);
    const slower = rounds('flask', { 'generated-python': [{ rps: 1600 }, { rps: 1650 }, { rps: 1750 }] });
    expect(summarize(withCeiling(slower), CEILING_GOAL).targets[0].met).toBe(false);
    // Without a ceiling measured (an older run, or --ceiling-seconds 0): not measured.
    expect(summarize(result(runs), CEILING_GOAL).targets.map(line)).toEqual([
      "generated-python, flask: requests/s as a share of the app's ceiling at 64 connections (published): ≥ 85 % → n/a (not measured)",
    ]);
  });

  it("measured each round: each round's rate is set against that round's ceiling, and the table gives their spread", () => {
    // The machine slows in round 2 and speeds up in round 3: the server's rate and the ceiling move together.
    const perRound = [2000, 1800, 2500].map((requestsPerSecond, i) => ({
      ...ceiling,
      round: i + 1,
      requestsPerSecond,
      cpuMicrosPerCall: 2e6 / requestsPerSecond,
    }));
    const runs = rounds('flask', { 'generated-python': [{ rps: 1600 }, { rps: 1800 }, { rps: 1750 }] });
    const saved = { ...result(runs), ceilings: perRound };
    const summary = summarize(saved, CEILING_GOAL);
    // 1600/2000, 1800/1800, 1750/2500: 80, 100 and 70 %; against one ceiling of 2000 it would be 88 %.
    expect(summary.targets.map(line)).toEqual([
      "generated-python, flask: requests/s as a share of the app's ceiling at 64 connections (published): ≥ 85 % → 80 [70–100] % (not met)",
    ]);
    expect(summary.loads[0].ofCeiling).toBeCloseTo(0.8);
    const markdown = renderMarkdown(saved, summary);
    expect(markdown).toContain('| app | rounds | CPU µs per call | ceiling requests/s |');
    expect(markdown).toContain('| Flask page | 3 | 1000 [800–1111] | 2000 [1800–2500] on 2 cores |');
    // A round with no ceiling of its own, in a run that has some: not measured, never another round's.
    const missing = { ...saved, ceilings: perRound.slice(0, 2) };
    expect(summarize(missing, CEILING_GOAL).targets[0].met).toBeNull();
  });

  it("the report gives the ceiling's table, each load's share of it and the server's share of the machine's CPU", () => {
    const runs = rounds('flask', { 'generated-python': [{ rps: 1500, cpu: 1200 }] });
    const saved = withCeiling(runs);
    const markdown = renderMarkdown(saved, summarize(saved, goals()));
    expect(markdown).toContain('| Flask page | 1000 | 1010 | 5000 | 2000 on 2 cores |');
    // 1500 of 2000 requests/s; 1200 µs × 1500/s over 2 cores is 90 % of the machine.
    expect(markdown).toMatch(
      /\| Flask page \| [^|]+ \| 1500 \[1500–1500\] \| n\/a \| 75 % \| .* \| 1200 \| n\/a \| 90 % \|/,
    );
    // A run from before the ceiling: a dash.
    const old = renderMarkdown(result(runs), summarize(result(runs), goals()));
    expect(old).not.toContain('## Ceiling');
    expect(old).toMatch(/\| 1500 \[1500–1500\] \| n\/a \| – \|/);
  });

  it('bench/targets.json holds the 85 % goal for the python-base stacks, daemon and embedded, on the Flask and Django pages', () => {
    expect(loadTargets().ceiling).toMatchObject({
      variants: [
        'generated-python',
        'generated-optimized',
        'generated-embedded-python',
        'generated-embedded-optimized',
      ],
      apps: ['flask', 'django'],
      minShare: 0.85,
    });
  });
});

describe('bench/targets.json', () => {
  it("holds issue 30's goals: each python-base stack against gunicorn on the same CPython, standard or optimized", () => {
    const { connections, paths, ratios } = loadTargets();
    expect(connections).toBe(64);
    expect(paths).toEqual(['published', 'direct']);
    const goal = (variant: string, anchor: string, app: string) =>
      ratios
        .filter(g => g.variants.includes(variant) && g.anchor === anchor && g.apps.includes(app))
        .map(({ minRps, maxP99, maxCpuPerRequest }) => ({ minRps, maxP99, maxCpuPerRequest }));
    for (const app of ['flask', 'django']) {
      expect(goal('generated-python', 'gunicorn-gthread-python', app)).toEqual([
        { minRps: 1.05, maxP99: 1.0, maxCpuPerRequest: 1.0 },
      ]);
      expect(goal('generated-optimized', 'gunicorn-gthread-optimized', app)).toEqual([
        { minRps: 1.2, maxP99: 1.0, maxCpuPerRequest: undefined },
      ]);
      // Issue 15's: the optimized build against Debian's static (PGO + LTO, non-PIC) python3.13.
      expect(goal('generated-optimized', 'gunicorn-gthread', app)).toEqual([
        { minRps: 1.0, maxP99: undefined, maxCpuPerRequest: undefined },
      ]);
    }
    expect(goal('generated-python', 'gunicorn-gthread-python', 'hello')).toEqual([
      { minRps: 1.3, maxP99: 1.0, maxCpuPerRequest: undefined },
    ]);
    expect(goal('generated-optimized', 'gunicorn-gthread-optimized', 'hello')).toEqual([
      { minRps: 1.3, maxP99: 1.0, maxCpuPerRequest: undefined },
    ]);
  });

  it('names only variants and anchors the benchmark has, and the default run loads them all', () => {
    const { ratios } = loadTargets();
    const ids = VARIANTS.map(v => v.id);
    const defaults = DEFAULT_VARIANTS.map(v => v.id);
    for (const { variants, anchor } of ratios) {
      expect(ids).toContain(anchor);
      expect(defaults).toContain(anchor);
      for (const variant of variants) expect(defaults).toContain(variant);
    }
  });

  it('a goal with an unknown anchor, without a bound, or with a bound that is not a number is refused', () => {
    const good = loadTargets();
    const file = 'targets.json';
    const withRatio = (ratio: object) => ({ ...good, ratios: [ratio] }) as BenchTargets;
    const base = { variants: ['generated-python'], anchor: 'gunicorn-gthread-python', apps: ['flask'] };
    expect(() => checkTargets(withRatio({ ...base, anchor: 'waitress', minRps: 1 }), file)).toThrow(
      'targets.json: ratios[0].anchor must be one of',
    );
    expect(() => checkTargets(withRatio(base), file)).toThrow(
      'ratios[0] must set one of minRps, maxP99, maxCpuPerRequest',
    );
    expect(() => checkTargets(withRatio({ ...base, maxP99: '1.0' }), file)).toThrow(
      'ratios[0].maxP99 must be a number when given',
    );
    expect(() => checkTargets(withRatio({ ...base, variants: ['generated-pypy'], minRps: 1 }), file)).toThrow(
      'ratios[0].variants[0] must be one of',
    );
    expect(() => checkTargets(withRatio({ ...base, apps: ['rails'], minRps: 1 }), file)).toThrow(
      'ratios[0].apps[0] must be one of hello, flask, django',
    );
    expect(() =>
      checkTargets({ ...good, imageSize: [{ kind: 'generated', reference: 'waitress', maxRatio: 1 }] } as never, file),
    ).toThrow('imageSize[0].reference must be one of');
  });
});

describe('evaluateTargets', () => {
  it('leaves every goal out of a run that loaded nothing (an images-only run)', () => {
    expect(evaluateTargets(loadTargets(), { runs: [], loads: [], images: [], startups: [], reloads: [] })).toEqual([]);
  });
});
