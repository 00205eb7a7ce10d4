// `npm run bench`: the generated stack against gunicorn (and uWSGI), side by side, on the
// same fixture apps (issue 7), each on its own base: Debian's packages or the official
// python image, standard or optimized Python (issue 15). Prints numbers and writes
// bench/results/<date>[-<name>].{md,json,svg}; it asserts nothing and does not run in CI.
//
// Method (performance-baseline.md): one container at a time, the order of variants
// reversed every other round; per container a 3 s warm-up, then wrk at each connection
// count on each network path; the container's CPU from its cgroup. Ratios are to a
// gunicorn gthread anchor in the same round, reported as median [min-max] over rounds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { APPS, type BenchApp } from './lib/apps.js';
import { type Ceiling, measureCeiling } from './lib/ceiling.js';
import { renderChart } from './lib/chart.js';
import { docker, removeLeftovers } from './lib/docker.js';
import { buildImages, type BuiltImage, COLD_BUILDS, type ColdBuilds, describeImage, imageTag } from './lib/images.js';
import { type LoadRun, loadVariant, type NetworkPath, NETWORK_PATHS } from './lib/load.js';
import { describePythonImage, ensureFaithfulPython, PYTHON_IMAGE, pythonImageBuild } from './lib/python-image.js';
import { measureReload } from './lib/reload.js';
import { type BenchResult, type Machine, renderMarkdown, summarize } from './lib/report.js';
import { measureStartup, type StartupResult } from './lib/startup.js';
import { type BenchTargets, loadTargets } from './lib/targets.js';
import { DEFAULT_VARIANTS, IMAGE_KINDS, type ImageKind, servesApp, type Variant, VARIANTS } from './lib/variants.js';
import { toList } from '../generators/lib/parse.js';

const APP_IDS = APPS.map(app => app.id);
const VARIANT_IDS = VARIANTS.map(variant => variant.id);

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The connection counts wrk may be run at. */
const CONNECTION_LEVELS = ['1', '2', '4', '8', '16', '32', '64', '128', '256'];

/** A benchmark run as the command line asks for it. */
interface RunOptions {
  apps: BenchApp[];
  variants: Variant[];
  connections: number[];
  paths: NetworkPath[];
  rounds: number;
  /** each wrk run's length */
  seconds: number;
  warmupSeconds: number;
  /** the port servers are published on, on 127.0.0.1 */
  publishPort: number;
  /** cold starts per (variant, app); 0 skips them */
  startupRuns: number;
  /** saves per server in the reload measure; 0 skips it */
  reloadEdits: number;
  /** seconds of each app's ceiling measure (bench/ceiling.py) in each round; 0 skips it */
  ceilingSeconds: number;
  /** use the images a previous run built (no build times then) */
  reuseImages: boolean;
  /** measure on the python stand-in as it is, a fast (no PGO/LTO) one too: the report says which */
  pythonAsIs: boolean;
  /** which builds are timed cold */
  cold: ColdBuilds;
  /** where <date>[-<name>].{md,json,svg} go */
  out: string;
  /** the results' name after the date, if any */
  name: string;
}

/** What the command line asks for. */
type Command =
  { kind: 'help'; usage: string } | { kind: 'report-only'; file: string } | { kind: 'run'; options: RunOptions };

/**
 * Reads the command line.
 * @throws Error naming the flag for an unknown id, a value that is not a whole number, or an unknown flag
 */
function parseCommand(args: string[]): Command {
  const { values } = parseArgs({
    args,
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '6' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16,64' },
      paths: { type: 'string', default: NETWORK_PATHS.join(',') },
      apps: { type: 'string', default: APPS.map(app => app.id).join(',') },
      variants: { type: 'string', default: DEFAULT_VARIANTS.map(variant => variant.id).join(',') },
      cold: { type: 'string', default: 'each' },
      name: { type: 'string', default: '' },
      port: { type: 'string', default: '18800' },
      'startup-runs': { type: 'string', default: '5' },
      'reload-edits': { type: 'string', default: '10' },
      'ceiling-seconds': { type: 'string', default: '10' },
      'reuse-images': { type: 'boolean', default: false },
      'python-as-is': { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'bench/results') },
      'report-only': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    const usage = `Usage: npm run bench -- [--rounds 3] [--seconds 6] [--warmup 3] [--connections 16,64]
  [--paths published,direct] [--apps ${APPS.map(a => a.id).join(',')}]
  [--variants ${DEFAULT_VARIANTS.map(v => v.id).join(',')}]
      (also: ${VARIANTS.filter(v => !v.byDefault)
        .map(v => v.id)
        .join(', ')})
  [--startup-runs 5] [--reload-edits 10] [--ceiling-seconds 10] (0 skips) [--reuse-images] [--cold each|first|none]
  [--python-as-is]   no 33-minute faithful rebuild of a fast python stand-in (ratios hold, rates understate)
  [--port 18800] [--out bench/results] [--name NAME]   writes OUT/DATE[-NAME].{md,json,svg}
  [--report-only bench/results/DATE.json]   re-renders DATE.md and DATE.svg from the raw runs
Each image kind has its own base:
${Object.entries(IMAGE_KINDS)
  .map(([kind, spec]) => `  ${kind}: FROM ${spec.baseImage}`)
  .join('\n')}`;
    return { kind: 'help', usage };
  }
  if (values['report-only']) return { kind: 'report-only', file: values['report-only'] };

  const list = (text: string, known: readonly string[], what: string) => {
    const ids = toList(text);
    for (const id of ids)
      if (!known.includes(id)) throw new Error(`--${what}: unknown "${id}"; choose from ${known.join(', ')}`);
    return ids;
  };
  const whole = (text: string, what: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${what}: "${text}" is not a whole number`);
    return n;
  };
  const appIds = list(values.apps, APP_IDS, 'apps');
  const variantIds = list(values.variants, VARIANT_IDS, 'variants');
  return {
    kind: 'run',
    options: {
      apps: APPS.filter(app => appIds.includes(app.id)),
      variants: VARIANTS.filter(variant => variantIds.includes(variant.id)),
      connections: list(values.connections, CONNECTION_LEVELS, 'connections').map(Number),
      paths: list(values.paths, NETWORK_PATHS, 'paths') as NetworkPath[],
      rounds: whole(values.rounds, 'rounds'),
      seconds: whole(values.seconds, 'seconds'),
      warmupSeconds: whole(values.warmup, 'warmup'),
      publishPort: whole(values.port, 'port'),
      startupRuns: whole(values['startup-runs'], 'startup-runs'),
      reloadEdits: whole(values['reload-edits'], 'reload-edits'),
      ceilingSeconds: whole(values['ceiling-seconds'], 'ceiling-seconds'),
      reuseImages: values['reuse-images'],
      pythonAsIs: values['python-as-is'],
      cold: list(values.cold, COLD_BUILDS, 'cold')[0] as ColdBuilds,
      out: values.out,
      name: values.name.replace(/[^\w.-]+/g, '-'),
    },
  };
}

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Re-renders <file>'s md and svg, and its summary, from the raw runs it holds (and today's targets). */
async function reportOnly(file: string, goals: BenchTargets): Promise<void> {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
  const summary = summarize(saved, goals);
  writeFileSync(file, JSON.stringify({ ...saved, summary }, null, 2) + '\n');
  writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(saved, summary));
  writeFileSync(file.replace(/\.json$/, '.svg'), await renderChart(summary, goals.connections));
  console.log(`re-rendered ${file.replace(/\.json$/, '')}.{md,json,svg}`);
}

/** The images a previous run built, with their sizes (their build times are unknown: NaN). */
async function reuseImages(apps: readonly BenchApp[], kinds: ReadonlySet<ImageKind>): Promise<BuiltImage[]> {
  const images: BuiltImage[] = [];
  for (const app of apps)
    for (const kind of kinds)
      images.push(
        await describeImage(
          app.id,
          kind,
          `--reuse-images: ${imageTag(app.id, kind)} does not exist; run once without it`,
        ),
      );
  return images;
}

/** The run itself: images, load in alternating order, cold starts, reload; then the report. */
async function runBenchmark(options: RunOptions, goals: BenchTargets): Promise<void> {
  const { apps, variants, rounds, publishPort } = options;
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
    log('interrupted: removing containers');
    removeLeftovers().finally(() => process.exit(130));
  });

  await docker.ping().catch(() => {
    throw new Error('no Docker engine answers; start one (see README: npm run setup:docker)');
  });
  await removeLeftovers();
  // The python base's figures must come from an interpreter built as users get it.
  const usesPythonBase = variants.some(v => IMAGE_KINDS[v.image].baseImage === PYTHON_IMAGE);
  const pythonImage = usesPythonBase
    ? describePythonImage(options.pythonAsIs ? await pythonImageBuild() : await ensureFaithfulPython(ROOT, log))
    : undefined;
  const startedAt = new Date();

  // 1. Images: cold and cached build times, sizes.
  const kinds = new Set(variants.map(v => v.image));
  const images = options.reuseImages
    ? await reuseImages(apps, kinds)
    : await buildImages({ root: ROOT, apps, kinds, cold: options.cold, log });

  // 2. The ceiling: each app's Python alone, in its gunicorn image on the python base (the
  // interpreter and libraries the python-base variants run), at the start of each round, so that
  // every round's rates are set against the machine's speed in that round.
  const ceilings: Ceiling[] = [];
  const ceilingKind = 'gunicorn-python';
  const measuresCeiling = options.ceilingSeconds > 0 && kinds.has(ceilingKind);
  if (options.ceilingSeconds > 0 && !measuresCeiling)
    log(`ceiling skipped: no ${ceilingKind} variant in this run builds its image`);
  const measureCeilings = async (round: number) => {
    for (const app of apps) {
      const ceiling = await measureCeiling({
        root: ROOT,
        app,
        image: imageTag(app.id, ceilingKind),
        seconds: options.ceilingSeconds,
        cores: cpus().length,
        round,
      });
      log(
        `round ${round} ceiling ${app.id}: ${ceiling.cpuMicrosPerCall.toFixed(0)} µs CPU per call (${ceiling.calls} calls), ${ceiling.requestsPerSecond.toFixed(0)} requests/s on ${ceiling.cores} cores`,
      );
      ceilings.push(ceiling);
    }
  };

  // 3. Load, in alternating order.
  const pairs = apps.flatMap(app => variants.filter(v => servesApp(v, app)).map(variant => ({ app, variant })));
  const runs: LoadRun[] = [];
  for (let round = 1; round <= rounds && !interrupted; round++) {
    const order = round % 2 ? pairs : [...pairs].reverse();
    if (measuresCeiling) await measureCeilings(round);
    for (const { app, variant } of order) {
      const results = await loadVariant({ ...options, round, variant, app });
      for (const r of results) {
        log(
          `round ${round} ${variant.id} ${app.id} ${r.path} c${r.connections}: ${r.rps.toFixed(0)} rps, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.socketErrors}, non-2xx ${r.non2xx}, ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU/req`,
        );
      }
      runs.push(...results);
    }
  }

  // 4. Cold start.
  const startups: StartupResult[] = [];
  if (options.startupRuns > 0) {
    for (const app of apps)
      for (const variant of variants.filter(v => servesApp(v, app) && v.timeStartup)) {
        const result = await measureStartup({ variant, app, publishPort, times: options.startupRuns });
        log(
          `startup ${variant.id} ${app.id}: median ${result.seconds.median.toFixed(2)} s [${result.seconds.min.toFixed(2)}-${result.seconds.max.toFixed(2)}]`,
        );
        startups.push(result);
      }
  }

  // 5. Development reload: generated dev shape vs gunicorn --reload, same app.
  const reloads =
    options.reloadEdits > 0
      ? await measureReload({
          root: ROOT,
          baseImage: IMAGE_KINDS.gunicorn.baseImage,
          publishPort,
          edits: options.reloadEdits,
          log,
        })
      : [];

  // 6. Report.
  const result: BenchResult = {
    date: startedAt.toISOString(),
    machine: { ...(await describeMachine()), pythonImage },
    method: {
      rounds,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      paths: options.paths,
      cold: options.reuseImages ? undefined : options.cold,
      load: 'wrk 4.1 (Debian), -t2, in its own container',
    },
    images,
    runs,
    ceilings,
    startups,
    reloads,
  };
  const summary = summarize(result, goals);
  const stamp = startedAt.toISOString().slice(0, 10) + (options.name ? `-${options.name}` : '');
  mkdirSync(options.out, { recursive: true });
  const markdown = renderMarkdown(result, summary);
  writeFileSync(join(options.out, `${stamp}.json`), JSON.stringify({ ...result, summary }, null, 2) + '\n');
  writeFileSync(join(options.out, `${stamp}.md`), markdown);
  writeFileSync(join(options.out, `${stamp}.svg`), await renderChart(summary, goals.connections));
  console.log(markdown);
  log(`wrote ${join(options.out, stamp)}.{md,json,svg}`);
}

async function describeMachine(): Promise<Machine> {
  const info = await docker.info();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    docker: info.ServerVersion,
    cgroup: info.CgroupVersion,
    node: process.version,
  };
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(command.usage);
    return;
  }
  // Read first: a broken targets file stops the run before 30 minutes of load, not after.
  const goals = loadTargets();
  if (command.kind === 'report-only') await reportOnly(command.file, goals);
  else await runBenchmark(command.options, goals);
}

await main();
