// What lands in a user's project from `yo wsgi-apache --yes` (issue 28: "small and upgradable"):
// files and lines per fixture, split into what is generated for the project (templates/) and the
// managed runtime files copied as they are (runtime/), plus the upgrade record (.yo-rc.json's
// hashes and .yo-wsgi-apache-base.json, which holds the texts again). Prints numbers; asserts
// nothing. Usage: npm run bench:lines
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_FILES } from '../generators/app/files.js';
import { BASE_FILE } from '../generators/app/upgrade.js';
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

const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

async function main(): Promise<void> {
  console.log('| project | files | lines | generated (templates/) | managed (runtime/) | upgrade base file |');
  console.log('|---|---|---|---|---|---|');
  for (const { label, fixture, files, flags } of CASES) {
    const dir = makeProject({ fixture, files });
    const before = new Set(Object.keys(files ?? {}));
    await runGenerator(dir, { yes: true, ...flags });
    let generated = 0;
    let managed = 0;
    let count = 0;
    for (const file of GENERATED_FILES) {
      let text: string;
      try {
        text = readFileSync(join(dir, file.destination), 'utf8');
      } catch {
        continue; // not written for this project
      }
      if (before.has(file.destination)) continue;
      count += 1;
      if (file.verbatim) managed += lines(text);
      else generated += lines(text);
    }
    const config = readFileSync(join(dir, '.yo-rc.json'), 'utf8');
    const base = statSync(join(dir, BASE_FILE)).size;
    console.log(
      `| ${label} | ${count + 1} (+ ${BASE_FILE}) | ${generated + managed + lines(config)} | ${generated} + .yo-rc.json ${lines(config)} | ${managed} | ${(base / 1000).toFixed(1)} kB |`,
    );
  }
}

await main();
