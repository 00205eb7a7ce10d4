// The results chart: requests/s and p99 per variant and app, at each path, rendered to
// SVG by Vega-Lite (no canvas or browser needed).
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { APPS } from './apps.mjs';
import { VARIANTS } from './variants.mjs';

/**
 * @param {{ loads: import('./report.mjs').LoadSummary[] }} summary
 * @param {number} [connections] the load level charted (64: the targets)
 * @returns {Promise<string>} an SVG document
 */
export async function renderChart(summary, connections = 64) {
  const values = summary.loads
    .filter(l => l.connections === connections)
    .map(l => ({
      app: APPS.find(a => a.id === l.app)?.label ?? l.app,
      variant: VARIANTS.find(v => v.id === l.variant)?.label ?? l.variant,
      path: l.path === 'published' ? 'published port (docker-proxy)' : 'direct (no proxy)',
      rps: Math.round(l.rps.median),
      rpsMin: Math.round(l.rps.min),
      rpsMax: Math.round(l.rps.max),
      p99: Number(l.p99Ms.median.toFixed(1)),
    }));
  const variantOrder = VARIANTS.map(v => v.label);
  const panel = (field, title) => ({
    facet: { column: { field: 'app', title: null, sort: APPS.map(a => a.label) }, row: { field: 'path', title: null } },
    // hello-world runs at ~20x Django's rate: each app gets its own axis.
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 170,
      height: 120,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'variant', type: 'nominal', sort: variantOrder, axis: null },
        y: { field, type: 'quantitative', title },
        color: { field: 'variant', type: 'nominal', sort: variantOrder, title: 'server' },
      },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Requests/s (higher is better) and p99 latency (lower is better) at ${connections} connections, median over rounds`,
    data: { values },
    vconcat: [panel('rps', 'requests/s'), panel('p99', 'p99 ms')],
    config: { font: 'sans-serif' },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
