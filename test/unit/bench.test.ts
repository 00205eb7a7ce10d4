/**
 * The benchmark's pure parts: wrk's report and Docker's stats samples parsed, the
 * statistics, the targets file, and the report rebuilt from the committed raw runs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countersFromStats } from '../../bench/lib/docker.js';
import { type BenchResult, renderMarkdown, summarize } from '../../bench/lib/report.js';
import { loadTargets, TARGETS_FILE } from '../../bench/lib/targets.js';
import { parseWrk } from '../../bench/lib/wrk.js';
import { percentile } from '../../generators/lib/stack-checks.js';
import { median, spread } from '../../bench/lib/statistics.js';
import { REPO_ROOT } from '../helpers/project.js';

/** wrk 4.1's report with --latency, as Debian's wrk prints it. */
const WRK_REPORT = `Running 6s test @ http://127.0.0.1:18800/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.12ms    1.03ms  22.51ms   85.12%
    Req/Sec     7.80k   512.34     8.90k    70.00%
  Latency Distribution
     50%  661.00us
     75%    4.51ms
     90%    5.20ms
     99%    1.95s
  93184 requests in 6.10s, 15.37MB read
  Socket errors: connect 1, read 12, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:  15527.85
Transfer/sec:      2.56MB
`;

describe('parseWrk', () => {
  it('reads requests, duration, rate, latencies in every unit, socket errors and non-2xx', () => {
    const result = parseWrk(WRK_REPORT);
    expect(result).toEqual({
      requests: 93184,
      seconds: 6.1,
      rps: 15527.85,
      p50Ms: 0.661,
      p99Ms: 1950,
      socketErrors: 16,
      socketErrorKinds: { connect: 1, read: 12, write: 0, timeout: 3 },
      non2xx: 5,
    });
  });

  it('counts no errors and no non-2xx when wrk prints neither line', () => {
    const clean = WRK_REPORT.replace(/ {2}Socket errors.*\n/, '').replace(/ {2}Non-2xx.*\n/, '');
    const result = parseWrk(clean);
    expect(result.socketErrors).toBe(0);
    expect(result.socketErrorKinds).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
    expect(result.non2xx).toBe(0);
  });

  it("reads wrk's own CPU from the shell's `times` lines after the report (its children's user + system)", () => {
    const withTimes = `${WRK_REPORT}0m0.010000s 0m0.020000s\n1m2.500000s 0m3.250000s\n`;
    expect(parseWrk(withTimes).loadCpuSeconds).toBeCloseTo(65.75, 6);
    expect(parseWrk(WRK_REPORT).loadCpuSeconds).toBeUndefined();
  });

  it('reads minutes as durations', () => {
    expect(parseWrk(WRK_REPORT.replace('in 6.10s', 'in 1.50m')).seconds).toBe(90);
  });

  it.each([
    ['the request count', /^ {2}93184 requests.*\n/m, 'request count'],
    ['the rate', /^Requests\/sec.*\n/m, 'Requests'],
    ['the 99% latency', /^ +99%.*\n/m, '99% latency'],
  ])('throws, quoting the output, without %s', (_, line, named) => {
    const broken = WRK_REPORT.replace(line, '');
    expect(() => parseWrk(broken)).toThrow(named);
    expect(() => parseWrk(broken)).toThrow('2 threads and 64 connections');
  });
});

describe('countersFromStats', () => {
  const cpu = { cpu_usage: { total_usage: 5_000_000_000 } };

  it('subtracts cgroup v1 total_inactive_file, as docker stats does', () => {
    const counters = countersFromStats({
      cpu_stats: cpu,
      memory_stats: { usage: 50_000_000, stats: { total_inactive_file: 8_000_000, cache: 12_000_000 } },
    });
    expect(counters).toEqual({ cpuNanos: 5_000_000_000, memoryBytes: 42_000_000 });
  });

  it.each([
    ['subtracts cgroup v2 inactive_file', { inactive_file: 1_000_000 }, 29_000_000],
    ['falls back to cgroup v1 cache', { cache: 2_000_000 }, 28_000_000],
  ])('%s', (_name, stats, memoryBytes) => {
    expect(countersFromStats({ cpu_stats: cpu, memory_stats: { usage: 30_000_000, stats } }).memoryBytes).toBe(
      memoryBytes,
    );
  });

  it('reads a sample without memory figures (a stopped container) as 0 bytes', () => {
    expect(countersFromStats({ cpu_stats: cpu, memory_stats: {} })).toEqual({
      cpuNanos: 5_000_000_000,
      memoryBytes: 0,
    });
    expect(countersFromStats({ cpu_stats: cpu })).toEqual({ cpuNanos: 5_000_000_000, memoryBytes: 0 });
  });
});

describe('statistics', () => {
  it('percentile is the nearest rank: always a measured value', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 95)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 99)).toBe(0);
  });

  it('median averages the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });

  it('spread gives median, min, max and n', () => {
    expect(spread([0.5, 0.2, 0.9])).toEqual({ median: 0.5, min: 0.2, max: 0.9, n: 3 });
  });
});

describe('targets', () => {
  it('the committed bench/targets.json loads', () => {
    const goals = loadTargets();
    expect(goals.connections).toBe(64);
    expect(goals.ratios.flatMap(goal => goal.apps)).toEqual(expect.arrayContaining(['flask', 'django', 'hello']));
  });

  it('a targets file with an unknown app or a missing goal is refused, naming the file and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-targets-'));
    try {
      const good = JSON.parse(readFileSync(TARGETS_FILE, 'utf8'));
      const file = join(dir, 'targets.json');
      const ratio = { variants: ['generated'], anchor: 'gunicorn-gthread', apps: ['rails'], minRps: 1 };
      writeFileSync(file, JSON.stringify({ ...good, ratios: [ratio] }));
      expect(() => loadTargets(file)).toThrow(`${file}: ratios[0].apps[0] must be one of hello, flask, django`);
      writeFileSync(file, JSON.stringify({ ...good, maxStartupSeconds: undefined }));
      expect(() => loadTargets(file)).toThrow('"maxStartupSeconds" must be a number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report', () => {
  // The committed report is what `npm run bench -- --report-only` makes of the committed runs.
  it.each([
    '2026-11-21',
    '2026-11-22-images-on-slim-base',
    '2026-11-23-bases',
    '2026-11-23-bases-cold-builds',
    '2026-12-05-ceiling',
    '2026-12-05-optimized-and-embedded',
  ])('rebuilds bench/results/%s.md and its summary from its raw runs', name => {
    const saved = JSON.parse(readFileSync(join(REPO_ROOT, 'bench/results', `${name}.json`), 'utf8')) as BenchResult & {
      summary: unknown;
    };
    const summary = summarize(saved, loadTargets());
    expect(JSON.parse(JSON.stringify(summary))).toEqual(saved.summary);
    expect(renderMarkdown(saved, summary)).toBe(readFileSync(join(REPO_ROOT, 'bench/results', `${name}.md`), 'utf8'));
  });
});
