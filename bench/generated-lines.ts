// What lands in a user's project from `yo wsgi-apache --yes` (issue 28: "small and upgradable"):
// each generated file's lines per fixture, grouped into what the user reads and owns (Dockerfile,
// Compose files, Apache config, DOCKER.md, manifests), the managed runtime (programs copied from
// runtime/ as they are) and the small per-project data and scripts, plus the upgrade record
// (.yo-rc.json, .yo-wsgi-apache-base.json) and the places each tunable's default is written in
// the package. Classified by destination, so the same script measures an older commit too.
// Prints numbers; asserts nothing. Usage: npm run bench:lines [-- --files]
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_FILES } from '../generators/app/files.js';
import { defaultPlaces } from '../test/helpers/default-places.js';
import { makeProject, runGenerator } from '../test/helpers/project.js';
import { djangoProject } from '../test/helpers/python-sources.js';

const CASES: { label: string; fixture?: string; files?: Record<string, string>; flags: Record<string, unknown> }[] = [
  { label: 'Flask factory', fixture: 'flask-factory', flags: {} },
  {
    label: 'Django',
    files: djangoProject("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"),
    flags: {},
  },
  {
    label: 'Django + --kubernetes',
    files: djangoProject("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"),
    flags: { kubernetes: true },
  },
];

type Kind = 'owned' | 'runtime' | 'data';

/** What the user reads and owns; the programs the generator manages; the per-project data and short scripts. */
function kindOf(destination: string): Kind {
  if (
    /^(Dockerfile|compose\..*|DOCKER\.md|\.dockerignore|\.git\w+|docker\/apache2\.conf|docker\/apache\/.*|kubernetes\/.*)$/.test(
      destination,
    )
  )
    return 'owned';
  if (
    /^docker\/(wsgi-apache\.(env|json)|init|app\.wsgi|mount\.wsgi|django\/wsgi_apache_settings\.py)$/.test(destination)
  )
    return 'data';
  return 'runtime';
}

const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

async function main(): Promise<void> {
  const perFile = process.argv.includes('--files');
  const rows: Map<string, Record<string, number>> = new Map();
  console.log(
    '| project | files | owned (read by the user) | managed runtime | per-project data and scripts | .yo-rc.json | upgrade base file |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const { label, fixture, files, flags } of CASES) {
    const dir = makeProject({ fixture, files });
    const before = new Set(Object.keys(files ?? {}));
    await runGenerator(dir, { yes: true, 'skip-build': true, ...flags });
    const totals: Record<Kind, number> = { owned: 0, runtime: 0, data: 0 };
    let count = 0;
    for (const file of GENERATED_FILES) {
      const path = join(dir, file.destination);
      if (before.has(file.destination) || !existsSync(path)) continue;
      const n = lines(readFileSync(path, 'utf8'));
      count += 1;
      totals[kindOf(file.destination)] += n;
      rows.set(file.destination, { ...rows.get(file.destination), [label]: n });
    }
    const config = lines(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
    const baseFile = join(dir, '.yo-wsgi-apache-base.json');
    const base = existsSync(baseFile) ? `${(statSync(baseFile).size / 1000).toFixed(1)} kB` : 'none';
    console.log(`| ${label} | ${count} | ${totals.owned} | ${totals.runtime} | ${totals.data} | ${config} | ${base} |`);
  }
  if (perFile) {
    console.log(`\n| file | kind | ${CASES.map(c => c.label).join(' | ')} |`);
    console.log(`|---|---|${CASES.map(() => '---').join('|')}|`);
    for (const [file, counts] of rows)
      console.log(`| ${file} | ${kindOf(file)} | ${CASES.map(c => counts[c.label] ?? '').join(' | ')} |`);
  }
  console.log('\n| tunable | default | places written |');
  console.log('|---|---|---|');
  for (const { env, value, places } of defaultPlaces())
    console.log(`| ${env} | ${value} | ${places.length}: ${places.join(', ')} |`);
}

await main();
