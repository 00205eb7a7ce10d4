/**
 * Issue 13, "accepted means working", as a property: thousands of generated answer sets, valid
 * and invalid, over small generated projects. Each is either refused with one line that starts
 * with the flag at fault, or renders files that pass: in-process checks for every accepted set
 * (names, the three Compose shapes, Kubernetes manifests against kubernetes-models, envvars
 * ranges, .dockerignore, static directories), `docker compose config -q` for the three shapes on
 * a sample, Apache's own `apache2 -t` on a smaller sample in one container, and the real
 * generator (yeoman-test) on a few, which must agree and write nothing when it refuses.
 *
 * PROPERTY_RUNS (default 5000) and PROPERTY_SEED reproduce or widen a run.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uncheckedEntryFile } from '../../generators/app/entry.js';
import { GENERATED_FILES } from '../../generators/app/files.js';
import { mergeLines } from '../../generators/app/lines.js';
import { runGenerator } from '../helpers/project.js';
import { expectValidSuggestion } from '../helpers/project-names.js';
import {
  apacheConfigTest,
  BAD_ENTRIES,
  BASES,
  checkAccepted,
  composeConfig,
  copyProject,
  ensureApacheImage,
  type Flags,
  flagsArbitrary,
  generate,
  KNOWN_FLAGS,
  makeTree,
  removeTemporaryDirectories,
  RESERVED_PATHS,
  type Project,
  toOptions,
  treeArbitrary,
  writeScaffold,
} from './support.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 5000);
const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Accepted sets checked with `docker compose config` (x3 shapes), with `apache2 -t`, and through the real generator. */
const COMPOSE_SAMPLE = 50;
const APACHE_SAMPLE = 50;
const GENERATOR_SAMPLE = { rejected: 20, accepted: 3 };

interface Sample {
  project: Project;
  flags: Flags;
  files: Record<string, string>;
}

/** `work` on every item, as many at once as the machine has cores, results in order. */
async function pool<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return results;
}

/** One rule an answer set breaks whatever else it holds: the generator must refuse it. */
function mustRefuse(flags: Flags, entryUnchecked = false): string | undefined {
  const number = (value: unknown) =>
    typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  const processes = number(flags.processes) ?? 2;
  const threads = number(flags.threads) ?? 5;
  if (processes >= 1 && processes <= 64 && threads >= 1 && threads <= 256 && processes * threads > 5000)
    return 'processes x threads over 5000';
  if (flags.name !== undefined) {
    const name = String(flags.name).trim().toLowerCase();
    if (!(name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))) return `name ${name} is no DNS-1035 label`;
    // Compose ignores keys that start with x- (extension fields), service names too.
    if (name.startsWith('x-')) return `name ${name} is a Compose extension field`;
  }
  const statics = (flags.static as string[] | undefined) ?? [];
  if (statics.some(item => /=\.?\/?$/.test(item) && item.endsWith('=.'))) return 'static files from the project root';
  const data = ((flags.dataDirs as string[] | undefined) ?? []).map(dir => dir.replace(/\/+$/, ''));
  const reserved = [...RESERVED_PATHS, '.env', 'Dockerfile', 'hello.py', 'requirements.txt', 'manage.py'];
  if (data.some(dir => reserved.includes(dir))) return 'a reserved path or a file as data directory';
  if (data.includes('uploads') && data.includes('Uploads')) return 'uploads and Uploads are one volume';
  // A module the project lacks is taken as one the image installs (the image build checks it) where the project installs packages;
  // and the generator accepts an entry it could not parse (no python3, or python3 starved past 20 s at CI's lowest priority).
  if (typeof flags.entry === 'string' && BAD_ENTRIES.includes(flags.entry) && !entryUnchecked)
    return `entry ${flags.entry} cannot work`;
  const variables = ((flags.setenv as string[] | undefined) ?? []).map(item => item.split('=')[0]);
  const names = new Set(variables);
  if (names.size < variables.length) return 'a --setenv variable given twice';
  if (variables.some(name => !/^[A-Za-z_]\w*$/.test(name) || /^(WSGI_|APACHE_)/.test(name) || name === 'PATH'))
    return 'a --setenv name that is no variable name, or the image own';
  if ((flags.setenv as string[] | undefined)?.some(item => !item.includes('='))) return 'a --setenv without =';
  const secrets = (flags.secrets as string[] | undefined) ?? [];
  if (new Set(secrets).size < secrets.length) return 'a --secret given twice';
  if (secrets.some(name => !/^[A-Za-z_]\w*$/.test(name) || /^(WSGI_|APACHE_)/.test(name)))
    return 'a --secret that is no name';
  if (secrets.some(name => names.has(name))) return 'a --secret also in --setenv';
  return undefined;
}

/** Every file below `dir` with its size and mtime: equal before and after means nothing was written. */
function snapshot(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap(entry => {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    const stat = statSync(join(dir, path));
    return entry.isDirectory() ? [`${path}/`, ...snapshot(dir, path)] : [`${path} ${stat.size} ${stat.mtimeMs}`];
  });
}

const SHARED = GENERATED_FILES.filter(file => file.lines).map(file => file.destination);
const readIfPresent = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

describe('every answer set is refused in one line naming its flag, or yields files that work', () => {
  let projects: Project[] = [];
  const accepted: Sample[] = [];
  const rejected: { project: Project; flags: Flags; flag: string }[] = [];
  const refusedBy = new Map<string, number>();
  let cases = 0;
  let names = 0;
  const started = performance.now();

  beforeAll(() => {
    // The fixtures as they are, then generated trees over them (public assets, dotfiles, code, reserved directories).
    const bare = BASES.map(base => ({ base, files: [], dirs: [] }));
    projects = [...bare, ...fc.sample(treeArbitrary, { numRuns: 9, seed: SEED })].map(makeTree);
  });

  afterAll(() => {
    removeTemporaryDirectories();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const reasons = [...refusedBy]
      .sort((a, b) => b[1] - a[1])
      .map(([flag, n]) => `${flag} ${n}`)
      .join(', ');
    console.log(
      `property: ${cases} answer sets (+ ${names} directory names) over ${projects.length} projects (seed ${SEED}): ${cases - rejected.length} accepted, ${rejected.length} refused (${reasons}); ` +
        `docker compose config on ${Math.min(COMPOSE_SAMPLE, accepted.length)} x 3 shapes, apache2 -t on ${Math.min(APACHE_SAMPLE, accepted.length)}, ` +
        `the real generator on ${GENERATOR_SAMPLE.rejected} refused + ${GENERATOR_SAMPLE.accepted} accepted; ${seconds} s`,
    );
  });

  it(`${RUNS} answer sets, in-process: refusals name a flag in one line; accepted files pass the static checks`, () => {
    const arbitrary = fc
      .integer({ min: 0, max: projects.length - 1 })
      .chain(index => fc.tuple(fc.constant(index), flagsArbitrary(projects[index])));
    fc.assert(
      fc.property(arbitrary, ([index, flags]) => {
        const project = projects[index];
        const outcome = generate(project, flags);
        cases++;
        if (!outcome.accepted) {
          const message = outcome.error.message;
          expect(message).toMatch(/^--[a-z-]+: [^\n]+\. Fix: [^\n]+\.$/);
          const flag = message.slice(0, message.indexOf(':'));
          expect(KNOWN_FLAGS).toContain(flag);
          // The flag at fault is one the user gave (or, for answers detected from the source, its default).
          const given = new Set(Object.keys(toOptions(flags)).map(name => `--${name}`));
          expect([...given, '--entry', '--data-dir', '--init-command'], message).toContain(flag);
          refusedBy.set(flag, (refusedBy.get(flag) ?? 0) + 1);
          rejected.push({ project, flags, flag });
          return;
        }
        expect(
          mustRefuse(
            flags,
            (outcome.answers.entry.kind === 'callable' && outcome.answers.entry.installed === true) ||
              uncheckedEntryFile(outcome.answers.entry, project.root) !== undefined,
          ),
          JSON.stringify(flags),
        ).toBeUndefined();
        checkAccepted(project, outcome);
        // Every seventh accepted set goes to the Docker and real-generator checks: spread over the run, not its first cases.
        if ((cases - rejected.length) % 7 === 0 && accepted.length < COMPOSE_SAMPLE)
          accepted.push({ project, flags, files: outcome.files });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Both outcomes well represented, or the generators above need new weights. With 22 flags
    // each able to refuse, 826-1,060 of 5,000 sets were accepted over this suite's runs: the nine
    // generated trees a seed draws move it by ±120 (seed 1487367937 gave 826). One in ten leaves
    // room for that spread and still checks 500 accepted sets.
    expect(rejected.length).toBeGreaterThan(RUNS / 10);
    expect(cases - rejected.length).toBeGreaterThan(RUNS / 10);
  });

  it('suggestProjectName makes a valid name of any directory name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), text => {
        names++;
        expectValidSuggestion(text);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it(`docker compose config -q accepts the three Compose shapes of ${COMPOSE_SAMPLE} accepted sets`, async () => {
    const failures = (
      await pool(accepted, async sample => {
        const dir = writeScaffold(sample.project, sample.files);
        return (await composeConfig(dir)).map(failure => `${dir} ${JSON.stringify(sample.flags)}: ${failure}`);
      })
    ).flat();
    expect(failures).toEqual([]);
  });

  it(`apache2 -t accepts the envvars and apache2.conf of ${APACHE_SAMPLE} accepted sets, in one container`, () => {
    ensureApacheImage();
    const sample = accepted.slice(0, APACHE_SAMPLE);
    const dirs = sample.map(s => writeScaffold(s.project, s.files));
    const results = apacheConfigTest(dirs);
    const failures = results.flatMap((result, i) =>
      result === undefined ? [] : [`${dirs[i]} ${JSON.stringify(sample[i].flags)}: ${result}`],
    );
    expect(failures).toEqual([]);
    // Docker-heavy steps wait for /tmp/docker.lock where other jobs share the machine: room for that wait.
  }, 900_000);

  it('the real generator agrees: a refused set names the same flag and writes nothing; an accepted one writes the same files', async () => {
    // One refusal per flag first, so each rule is seen through the real generator, then the earliest others.
    const firstPerFlag = [...new Map(rejected.map(r => [r.flag, r])).values()];
    const picked = [...firstPerFlag, ...rejected.filter(r => !firstPerFlag.includes(r))].slice(
      0,
      GENERATOR_SAMPLE.rejected,
    );
    for (const { project, flags, flag } of picked) {
      const dir = copyProject(project);
      const before = snapshot(dir);
      const error = await runGenerator(dir, { yes: true, ...toOptions(flags) }).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(error?.message, JSON.stringify(flags)).toMatch(new RegExp(`^${flag}: [^\\n]+$`));
      expect(snapshot(dir), JSON.stringify(flags)).toEqual(before);
    }
    for (const { project, flags, files } of accepted.slice(0, GENERATOR_SAMPLE.accepted)) {
      const dir = copyProject(project);
      // A file the project shares with the generator (.gitignore) keeps the project's lines first.
      const own = new Map(SHARED.map(path => [path, readIfPresent(join(dir, path))]));
      await runGenerator(dir, { yes: true, ...toOptions(flags) });
      for (const [path, text] of Object.entries(files)) {
        const expected = own.has(path) ? mergeLines(own.get(path), text) : text;
        expect(readFileSync(join(dir, path), 'utf8'), path).toBe(expected);
      }
    }
  });
});
