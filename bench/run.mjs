#!/usr/bin/env node
// `npm run bench`: the generated stack against gunicorn and uWSGI, side by side, on the
// same base image and the same fixture apps (issue 7). Prints numbers and writes
// bench/results/<date>.{md,json,svg}; it asserts nothing and does not run in CI.
//
// Method (performance-baseline.md): one container at a time, the order of variants
// reversed every other round; per container a 3 s warm-up, then wrk at each connection
// count on each network path; the container's CPU from its cgroup. Ratios are to
// gunicorn gthread in the same round, reported as median [min-max] over rounds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { APPS } from './lib/apps.mjs';
import { docker, removeLeftovers } from './lib/docker.mjs';
import { buildImages, imageTag } from './lib/images.mjs';
import { loadVariant } from './lib/load.mjs';
import { measureReload } from './lib/reload.mjs';
import { renderChart } from './lib/chart.mjs';
import { renderMarkdown, summarize } from './lib/report.mjs';
import { measureStartup } from './lib/startup.mjs';
import { VARIANTS } from './lib/variants.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16,64' },
    paths: { type: 'string', default: 'published,direct' },
    apps: { type: 'string', default: APPS.map(app => app.id).join(',') },
    variants: { type: 'string', default: VARIANTS.map(variant => variant.id).join(',') },
    base: { type: 'string', default: 'debian:trixie-slim' },
    port: { type: 'string', default: '18800' },
    'startup-runs': { type: 'string', default: '5' },
    'reload-edits': { type: 'string', default: '10' },
    'reuse-images': { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench/results') },
    'report-only': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`Usage: npm run bench -- [--rounds 3] [--seconds 6] [--warmup 3] [--connections 16,64]
  [--paths published,direct] [--apps ${APPS.map(a => a.id).join(',')}]
  [--variants ${VARIANTS.map(v => v.id).join(',')}]
  [--startup-runs 5] [--reload-edits 10] (0 skips) [--reuse-images] [--base debian:trixie-slim] [--port 18800] [--out bench/results]
  [--report-only bench/results/DATE.json]   re-renders DATE.md and DATE.svg from the raw runs`);
  process.exit(0);
}
if (options['report-only']) {
  const file = options['report-only'];
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  const summary = summarize(saved);
  writeFileSync(file, JSON.stringify({ ...saved, summary }, null, 2) + '\n');
  writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(saved, summary));
  writeFileSync(file.replace(/\.json$/, '.svg'), await renderChart(summary));
  console.log(`re-rendered ${file.replace(/\.json$/, '')}.{md,json,svg}`);
  process.exit(0);
}

const list = (text, known, what) => {
  const ids = text.split(',').map(s => s.trim()).filter(Boolean);
  for (const id of ids) if (!known.includes(id)) throw new Error(`--${what}: unknown "${id}"; choose from ${known.join(', ')}`);
  return ids;
};
const positive = (text, what) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${what}: "${text}" is not a whole number`);
  return n;
};
const apps = APPS.filter(app => list(options.apps, APPS.map(a => a.id), 'apps').includes(app.id));
const variants = VARIANTS.filter(v => list(options.variants, VARIANTS.map(x => x.id), 'variants').includes(v.id));
const connections = list(options.connections, ['1', '2', '4', '8', '16', '32', '64', '128', '256'], 'connections').map(Number);
const paths = list(options.paths, ['published', 'direct'], 'paths');
const rounds = positive(options.rounds, 'rounds');
const seconds = positive(options.seconds, 'seconds');
const warmupSeconds = positive(options.warmup, 'warmup');
const publishPort = positive(options.port, 'port');
const log = line => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const servesApp = (variant, app) => !variant.apps || variant.apps.includes(app.id);

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
const startedAt = new Date();

// 1. Images: cold and cached build times, sizes.
const kinds = new Set(variants.map(v => v.image));
let images = [];
if (options['reuse-images']) {
  for (const app of apps)
    for (const kind of kinds) {
      const tag = imageTag(app.id, kind);
      const info = await docker.getImage(tag).inspect().catch(() => undefined);
      if (!info) throw new Error(`--reuse-images: ${tag} does not exist; run once without it`);
      images.push({ tag, app: app.id, kind, coldSeconds: NaN, cachedSeconds: NaN, sizeBytes: info.Size });
    }
} else {
  images = await buildImages({ root, baseImage: options.base, apps, kinds, log });
}

// 2. Load, in alternating order.
const pairs = apps.flatMap(app => variants.filter(v => servesApp(v, app)).map(variant => ({ app, variant })));
const runs = [];
for (let round = 1; round <= rounds && !interrupted; round++) {
  const order = round % 2 ? pairs : [...pairs].reverse();
  for (const { app, variant } of order) {
    const results = await loadVariant({ round, variant, app, publishPort, connections, paths, seconds, warmupSeconds });
    for (const r of results) {
      log(`round ${round} ${variant.id} ${app.id} ${r.path} c${r.connections}: ${r.rps.toFixed(0)} rps, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, errors ${r.socketErrors}, non-2xx ${r.non2xx}, ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU/req`);
    }
    runs.push(...results);
  }
}

// 3. Cold start.
const startups = [];
const startupRuns = positive(options['startup-runs'], 'startup-runs');
if (startupRuns > 0) {
  for (const app of apps)
    for (const variant of variants.filter(v => servesApp(v, app) && v.id !== 'generated-log-off' && v.id !== 'apache-static')) {
      const result = await measureStartup({ variant, app, publishPort, times: startupRuns });
      log(`startup ${variant.id} ${app.id}: median ${result.seconds.median.toFixed(2)} s [${result.seconds.min.toFixed(2)}-${result.seconds.max.toFixed(2)}]`);
      startups.push(result);
    }
}

// 4. Development reload: generated dev shape vs gunicorn --reload, same app.
const reloadEdits = positive(options['reload-edits'], 'reload-edits');
const reloads = reloadEdits > 0 ? await measureReload({ root, baseImage: options.base, publishPort, edits: reloadEdits, log }) : [];

// 5. Report.
const result = {
  date: startedAt.toISOString(),
  machine: await describeMachine(),
  method: { rounds, seconds, warmupSeconds, connections, paths, base: options.base, load: 'wrk 4.1 (Debian), -t2, in its own container' },
  images,
  runs,
  startups,
  reloads,
};
const summary = summarize(result);
const stamp = startedAt.toISOString().slice(0, 10);
mkdirSync(options.out, { recursive: true });
const markdown = renderMarkdown(result, summary);
writeFileSync(join(options.out, `${stamp}.json`), JSON.stringify({ ...result, summary }, null, 2) + '\n');
writeFileSync(join(options.out, `${stamp}.md`), markdown);
writeFileSync(join(options.out, `${stamp}.svg`), await renderChart(summary));
console.log(markdown);
log(`wrote ${join(options.out, stamp)}.{md,json,svg}`);

async function describeMachine() {
  const { cpus, totalmem } = await import('node:os');
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
