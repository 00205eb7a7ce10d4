// Turns the raw runs into per-variant summaries, ratios to gunicorn gthread in the same
// round, the targets with pass/fail, and a markdown report.
import { median, spread } from './stats.mjs';
import { REFERENCE_VARIANT, VARIANTS } from './variants.mjs';
import { APPS } from './apps.mjs';

/**
 * @typedef {object} LoadSummary  one (app, variant, path, connections) over all rounds
 * @property {string} app
 * @property {string} variant
 * @property {string} path
 * @property {number} connections
 * @property {ReturnType<typeof spread>} rps
 * @property {ReturnType<typeof spread> | null} rpsRatio   to gunicorn gthread, same round
 * @property {ReturnType<typeof spread>} p50Ms
 * @property {ReturnType<typeof spread>} p99Ms
 * @property {ReturnType<typeof spread> | null} p99Ratio
 * @property {number} socketErrors   summed over rounds
 * @property {number} requests       summed over rounds
 * @property {number} non2xx         summed over rounds
 * @property {number} cpuMicrosPerRequest  median
 * @property {number} memoryAtRestMB       median
 * @property {number} memoryUnderLoadMB    highest
 */

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} goal
 * @property {string} measured
 * @property {boolean | null} met   null when the run did not measure it
 */

const key = (...parts) => parts.join('|');

/**
 * @param {{ runs: import('./load.mjs').LoadRun[], images: import('./images.mjs').BuiltImage[],
 *   startups: import('./startup.mjs').StartupResult[], reloads: import('./reload.mjs').ReloadResult[] }} result
 * @returns {{ loads: LoadSummary[], targets: Target[] }}
 */
export function summarize({ runs, images, startups, reloads }) {
  const byRound = new Map(runs.map(r => [key(r.round, r.app, r.variant, r.path, r.connections), r]));
  const groups = new Map();
  for (const r of runs) {
    const k = key(r.app, r.variant, r.path, r.connections);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const ratios = (group, field) => {
    const values = group
      .map(r => {
        const reference = byRound.get(key(r.round, r.app, REFERENCE_VARIANT, r.path, r.connections));
        return reference ? r[field] / reference[field] : undefined;
      })
      .filter(v => v !== undefined);
    return values.length ? spread(values) : null;
  };
  const loads = [...groups.values()].map(group => {
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
  return { loads, targets: evaluateTargets({ runs, loads, images, startups, reloads }) };
}

const fmtSpread = (s, digits = 2) => (s ? `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]` : 'n/a');

function evaluateTargets({ runs, loads, images, startups, reloads }) {
  const targets = [];
  const find = (app, variant, path, connections) => loads.find(l => l.app === app && l.variant === variant && l.path === path && l.connections === connections);
  for (const path of ['published', 'direct']) {
    for (const app of ['flask', 'django', 'hello']) {
      const load = find(app, 'generated', path, 64);
      const goal = app === 'hello' ? 0.8 : 1.0;
      targets.push({
        name: `${app}: requests/s at 64 connections, ×gthread (${path})`,
        goal: `≥ ${goal.toFixed(1)}×`,
        measured: fmtSpread(load?.rpsRatio),
        met: load?.rpsRatio ? load.rpsRatio.median >= goal : null,
      });
      if (app !== 'hello') {
        targets.push({
          name: `${app}: p99 at 64 connections, ×gthread (${path})`,
          goal: '≤ 1.0×',
          measured: fmtSpread(load?.p99Ratio),
          met: load?.p99Ratio ? load.p99Ratio.median <= 1.0 : null,
        });
      }
    }
  }
  // Access log cost: 1 - rps(log on) / rps(log off), same round, app, path, 64 connections.
  for (const path of ['published', 'direct']) {
    for (const app of APPS.map(a => a.id)) {
      const costs = runs
        .filter(r => r.variant === 'generated' && r.app === app && r.path === path && r.connections === 64)
        .map(r => {
          const off = runs.find(o => o.variant === 'generated-log-off' && o.round === r.round && o.app === r.app && o.path === r.path && o.connections === r.connections);
          return off ? (1 - r.rps / off.rps) * 100 : undefined;
        })
        .filter(v => v !== undefined);
      if (!costs.length) continue;
      const cost = spread(costs);
      targets.push({
        name: `${app}: access log on (default), throughput cost vs off at 64 connections (${path})`,
        goal: '≤ 10%',
        measured: `${fmtSpread(cost, 1)} %`,
        met: cost.median <= 10,
      });
    }
  }
  const c64 = loads.filter(l => l.variant === 'generated' && l.connections === 64);
  const errors = c64.reduce((sum, l) => sum + l.socketErrors, 0);
  targets.push({
    name: 'socket errors at 64 connections (generated, all apps and paths)',
    goal: '0',
    measured: c64.length ? `${errors} of ${c64.reduce((sum, l) => sum + l.requests, 0)} requests` : 'n/a',
    met: c64.length ? errors === 0 : null,
  });
  for (const app of APPS.map(a => a.id)) {
    const ours = images.find(i => i.app === app && i.kind === 'generated');
    const theirs = images.find(i => i.app === app && i.kind === 'gunicorn');
    if (!ours || !theirs) continue;
    const ratio = ours.sizeBytes / theirs.sizeBytes;
    targets.push({
      name: `${app}: image size ×gunicorn image`,
      goal: '≤ 1.1×',
      measured: `${ratio.toFixed(2)}× (${(ours.sizeBytes / 1e6).toFixed(0)} / ${(theirs.sizeBytes / 1e6).toFixed(0)} MB)`,
      met: ratio <= 1.1,
    });
  }
  for (const s of startups.filter(s => s.variant === 'generated')) {
    targets.push({ name: `${s.app}: docker run → first 200 (s)`, goal: '≤ 0.5 s', measured: fmtSpread(s.seconds), met: s.seconds.median <= 0.5 });
  }
  const ours = reloads.find(r => r.server.startsWith('generated'));
  const theirs = reloads.find(r => r.server.startsWith('gunicorn'));
  if (ours && theirs) {
    targets.push({
      name: 'reload: save → new code served (s), vs gunicorn --reload',
      goal: `≤ ${theirs.seconds.median.toFixed(2)} s`,
      measured: fmtSpread(ours.seconds),
      met: ours.seconds.median <= theirs.seconds.median,
    });
  }
  return targets;
}

const label = id => VARIANTS.find(v => v.id === id)?.label ?? id;
const appLabel = id => APPS.find(a => a.id === id)?.label ?? id;

/** @returns {string} the report as markdown */
export function renderMarkdown(result, summary) {
  const { machine, method, images, startups, reloads } = result;
  const out = [];
  out.push(`# Benchmark ${result.date.slice(0, 10)}: generated Apache + mod_wsgi stack vs gunicorn and uWSGI`, '');
  out.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Docker ${machine.docker} (cgroup v${machine.cgroup}), Node ${machine.node}.`,
    `Method: ${method.rounds} rounds, variants in alternating order, one container at a time; ${method.warmupSeconds} s warm-up, then ${method.seconds} s of ${method.load} at ${method.connections.join(' and ')} connections on each path. Every image is FROM \`${method.base}\`.`,
    'Paths: **published** = 127.0.0.1:PORT through Docker\'s userland proxy (what users get); **direct** = wrk inside the server\'s network namespace (the servers alone).',
    'Cells are median [min–max] over rounds; **×gthread** is the ratio to gunicorn gthread in the same round. CPU is the server container\'s cgroup time per request (docker-proxy and dockerd excluded).',
    '',
  );
  out.push('## Targets', '', '| target | goal | measured median [min–max] | met |', '|---|---|---|---|');
  for (const t of summary.targets) out.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`);
  out.push('');
  const paths = [...new Set(summary.loads.map(l => l.path))];
  const conns = [...new Set(summary.loads.map(l => l.connections))].sort((a, b) => a - b);
  for (const path of paths) {
    for (const c of conns) {
      out.push(`## ${path}, ${c} connections`, '', '| app | variant | requests/s | ×gthread | p50 ms | p99 ms | p99 ×gthread | socket errors | non-2xx | CPU µs/req | memory rest / load MB |', '|---|---|---|---|---|---|---|---|---|---|---|');
      for (const l of summary.loads.filter(x => x.path === path && x.connections === c)) {
        out.push(
          `| ${appLabel(l.app)} | ${label(l.variant)} | ${fmtSpread(l.rps, 0)} | ${fmtSpread(l.rpsRatio)} | ${l.p50Ms.median.toFixed(1)} | ${fmtSpread(l.p99Ms, 1)} | ${fmtSpread(l.p99Ratio)} | ${l.socketErrors} | ${l.non2xx} | ${l.cpuMicrosPerRequest.toFixed(0)} | ${l.memoryAtRestMB.toFixed(0)} / ${l.memoryUnderLoadMB.toFixed(0)} |`,
        );
      }
      out.push('');
    }
  }
  if (images.length) {
    out.push('## Images', '', '| image | app | size MB | build --no-cache s | cached rebuild s |', '|---|---|---|---|---|');
    for (const i of images) out.push(`| ${i.kind} | ${appLabel(i.app)} | ${(i.sizeBytes / 1e6).toFixed(1)} | ${i.coldSeconds.toFixed(1)} | ${i.cachedSeconds.toFixed(2)} |`);
    out.push('');
  }
  if (startups.length) {
    out.push('## docker run → first 200', '', '| variant | app | seconds median [min–max] | n |', '|---|---|---|---|');
    for (const s of startups) out.push(`| ${label(s.variant)} | ${appLabel(s.app)} | ${fmtSpread(s.seconds)} | ${s.seconds.n} |`);
    out.push('');
  }
  if (reloads.length) {
    out.push('## Development reload (hello-world, bind mount, save = write + rename)', '', '| server | save → new code, s, median [min–max] | n | failed requests meanwhile |', '|---|---|---|---|');
    for (const r of reloads) out.push(`| ${r.server} | ${fmtSpread(r.seconds)} | ${r.seconds.n} | ${r.failedRequests} |`);
    out.push('');
  }
  return out.join('\n');
}
