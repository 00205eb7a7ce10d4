// `npm run bench:libpython`: how fast each Python build the images use runs the same
// pure-Python loop (loop.py), embedded from its shared libpython as mod_wsgi runs it, and
// by the build's own interpreter as gunicorn runs it:
// - Debian trixie's libpython3.13.so (--base trixie's mod_wsgi) and its static
//   /usr/bin/python3.13 (Debian's gunicorn);
// - the official python:3.13-slim-trixie image's libpython3.13.so (--base python's mod_wsgi)
//   and its python3, which links that same library (gunicorn from pip);
// - the CPython a generated `--python-build optimized` project compiles (its `python-build`
//   stage: PGO, LTO, -ftls-model=initial-exec) and its python3.
// Prints a table and writes bench/results/<date>-libpython.{md,json}; asserts nothing.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { median } from '../lib/statistics.js';
import { FIXTURE_APPS } from '../../test/helpers/fixture-apps.js';
import { buildImage, docker, PREFIX } from '../lib/docker.js';
import { ISOLATED_RUN } from '../../test/helpers/commands.js';
import { imagePythonVersion } from '../../test/helpers/docker-run.js';
import { offlineWheelhouse, pipBuildArgs, scaffold } from '../lib/project.js';
import { describePythonImage, ensureFaithfulPython } from '../lib/python-image.js';
import { IMAGE_KINDS } from '../lib/variants.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = join(ROOT, 'bench/libpython');

/** One Python build, in one image. */
interface Build {
  id: 'debian' | 'official' | 'optimized';
  label: string;
  /** the image holding it and `/bench/embed` */
  tag: string;
  /** its interpreter's command */
  interpreter: string;
  /** who runs it embedded, and who runs its interpreter */
  embeddedBy: string;
  interpreterBy: string;
}

const BUILDS: readonly Build[] = [
  {
    id: 'debian',
    label: "Debian trixie's python3.13 (shared: LTO, no PGO; static binary: PGO + LTO, non-PIC)",
    tag: `${PREFIX}-libpython-debian`,
    interpreter: 'python3.13',
    embeddedBy: 'mod_wsgi, --base trixie',
    interpreterBy: "Debian's gunicorn",
  },
  {
    id: 'official',
    label: `${IMAGE_KINDS['generated-python'].baseImage} (shared, PGO + LTO; python3 links it)`,
    tag: `${PREFIX}-libpython-official`,
    interpreter: 'python3',
    embeddedBy: 'mod_wsgi, --base python',
    interpreterBy: 'gunicorn from pip',
  },
  {
    id: 'optimized',
    label: '--python-build optimized (shared, PGO + LTO, -ftls-model=initial-exec)',
    tag: `${PREFIX}-libpython-optimized`,
    interpreter: 'python3',
    embeddedBy: 'mod_wsgi, --python-build optimized',
    interpreterBy: '(its own python3)',
  },
];

/** One row of the table: a build run one way. */
interface Row {
  build: Build['id'];
  /** `embedded` (libpython via /bench/embed) or `interpreter` */
  how: 'embedded' | 'interpreter';
  runs: string;
  /** best-of-5 loop times, ms, every print of every round */
  samplesMs: number[];
}

/** What one run of this benchmark saves. */
interface LibpythonResult {
  date: string;
  machine: { cpus: number; cpuModel: string | undefined; docker: string; pythonImage: string };
  rounds: number;
  builds: { id: string; label: string; version: string; configArgs: string }[];
  rows: (Row & { medianMs: number; minMs: number; maxMs: number; ratioToDebianStatic: number })[];
}

const log = (line: string) => console.error(`[libpython ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Builds the image of `build` (for the optimized one, first the generated project's python-build stage). */
async function buildFor(build: Build): Promise<void> {
  if (build.id === 'debian') {
    await buildImage({ tag: build.tag, context: HERE, dockerfile: join(HERE, 'Dockerfile') });
    return;
  }
  let base = IMAGE_KINDS['generated-python'].baseImage;
  if (build.id === 'optimized') {
    const { baseImage, recipe } = IMAGE_KINDS['generated-optimized'];
    if (!('generator' in recipe)) throw new Error('generated-optimized is not a generated image');
    const stage = `${PREFIX}-libpython-python-build`;
    const pythonSource = offlineWheelhouse() ? await imagePythonVersion(baseImage) : undefined;
    const dir = await scaffold(FIXTURE_APPS.plain, stage, recipe.flags, recipe.generator, { pythonSource });
    try {
      log(`building the python-build stage of a generated --python-build optimized project (about 15 min uncached)`);
      const seconds = await buildImage({
        tag: stage,
        context: dir,
        target: 'python-build',
        buildArgs: { BASE_IMAGE: baseImage, ...pipBuildArgs() },
      });
      log(`python-build stage: ${seconds.toFixed(0)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    base = stage;
  }
  await buildImage({
    tag: build.tag,
    context: HERE,
    dockerfile: join(HERE, 'python.Dockerfile'),
    buildArgs: { BASE_IMAGE: base },
  });
}

/** Runs `command` in `tag` with KIND set; returns the loop times it printed. */
async function loopTimes(tag: string, kind: string, command: string[]): Promise<number[]> {
  const { stdout } = await run('docker', [...ISOLATED_RUN, '-e', `KIND=${kind}`, tag, ...command]);
  const times = [...stdout.matchAll(/^\S+: ([\d.]+) ms$/gm)].map(match => Number(match[1]));
  if (times.length === 0) throw new Error(`${tag} ${command.join(' ')} printed no loop time:\n${stdout}`);
  return times;
}

/** The interpreter's version and configure line, for the record. */
async function describeBuild(build: Build): Promise<{ version: string; configArgs: string }> {
  const script = 'import sys, sysconfig; print(sys.version.split()[0]); print(sysconfig.get_config_var("CONFIG_ARGS"))';
  const { stdout } = await run('docker', [...ISOLATED_RUN, build.tag, build.interpreter, '-c', script]);
  const [version = '', configArgs = ''] = stdout.trim().split('\n');
  return { version, configArgs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '2' },
      builds: { type: 'string', default: BUILDS.map(b => b.id).join(',') },
      out: { type: 'string', default: join(ROOT, 'bench/results') },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      `Usage: npm run bench:libpython -- [--rounds 2] [--builds ${BUILDS.map(b => b.id).join(',')}] [--out bench/results] [--keep]
  --keep leaves the images (${PREFIX}-libpython-*) in place`,
    );
    return;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds: "${values.rounds}" is not a whole number ≥ 1`);
  const wanted = values.builds.split(',').map(s => s.trim());
  for (const id of wanted)
    if (!BUILDS.some(b => b.id === id))
      throw new Error(`--builds: unknown "${id}"; choose from ${BUILDS.map(b => b.id).join(', ')}`);
  const builds = BUILDS.filter(b => wanted.includes(b.id));
  // The official image's figures must come from an interpreter built as users get it.
  const pythonImage = describePythonImage(await ensureFaithfulPython(ROOT, log));
  const startedAt = new Date();

  for (const build of builds) {
    log(`building ${build.tag}`);
    await buildFor(build);
  }
  const rows: Row[] = builds.flatMap(build => [
    { build: build.id, how: 'embedded' as const, runs: build.embeddedBy, samplesMs: [] },
    { build: build.id, how: 'interpreter' as const, runs: build.interpreterBy, samplesMs: [] },
  ]);
  const buildOf = (id: Build['id']) => builds.find(b => b.id === id) as Build;
  for (let round = 1; round <= rounds; round++) {
    for (const row of round % 2 ? rows : [...rows].reverse()) {
      const build = buildOf(row.build);
      const command = row.how === 'embedded' ? ['/bench/embed'] : [build.interpreter, '/bench/loop.py'];
      const times = await loopTimes(build.tag, `${row.build}-${row.how}`, command);
      log(`round ${round} ${row.build} ${row.how}: ${times.map(t => t.toFixed(1)).join(', ')} ms`);
      row.samplesMs.push(...times);
    }
  }
  const described = await Promise.all(
    builds.map(async build => ({ id: build.id, label: build.label, ...(await describeBuild(build)) })),
  );

  const reference = rows.find(r => r.build === 'debian' && r.how === 'interpreter');
  const referenceMs = reference ? median(reference.samplesMs) : NaN;
  const info = await docker.info();
  const result: LibpythonResult = {
    date: startedAt.toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, docker: info.ServerVersion, pythonImage },
    rounds,
    builds: described,
    rows: rows.map(row => ({
      ...row,
      medianMs: median(row.samplesMs),
      minMs: Math.min(...row.samplesMs),
      maxMs: Math.max(...row.samplesMs),
      ratioToDebianStatic: median(row.samplesMs) / referenceMs,
    })),
  };
  const markdown = renderLibpython(result);
  const stamp = `${startedAt.toISOString().slice(0, 10)}-libpython`;
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(values.out, `${stamp}.md`), markdown);
  console.log(markdown);
  log(`wrote ${join(values.out, stamp)}.{md,json}`);
  if (!values.keep)
    for (const tag of [...builds.map(b => b.tag), `${PREFIX}-libpython-python-build`])
      await docker
        .getImage(tag)
        .remove()
        .catch(() => {});
}

/** The table, with how it was measured. */
function renderLibpython(result: LibpythonResult): string {
  const label = (id: string) => result.builds.find(b => b.id === id);
  const out = [
    `# Python builds: the same loop under each libpython, ${result.date.slice(0, 10)}`,
    '',
    `Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, Docker ${result.machine.docker}. Python base image: ${result.machine.pythonImage}. \`bench/libpython/loop.py\` (300,000 iterations of integer arithmetic and a dict store), best of 5 by thread CPU time, printed 3 times per container; ${result.rounds} rounds in alternating order, one container at a time. **embedded**: \`bench/libpython/embed.c\` linked against the build's shared libpython, as mod_wsgi runs Python; **interpreter**: the build's own python3. Cells are median [min–max] over every print; × is the median's ratio to Debian's static \`/usr/bin/python3.13\` (lower is faster).`,
    '',
    '| Python build | version | run | as in | loop ms | × Debian static |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of result.rows) {
    const build = label(row.build);
    out.push(
      `| ${build?.label ?? row.build} | ${build?.version ?? '?'} | ${row.how} | ${row.runs} | ${row.medianMs.toFixed(1)} [${row.minMs.toFixed(1)}–${row.maxMs.toFixed(1)}] | ${Number.isNaN(row.ratioToDebianStatic) ? 'n/a' : row.ratioToDebianStatic.toFixed(2)} |`,
    );
  }
  out.push('', "Configure lines (`sysconfig` CONFIG_ARGS; Debian's describes its shared build):", '');
  for (const build of result.builds) out.push(`- ${build.id}: \`${build.configArgs}\``);
  out.push('');
  return out.join('\n');
}

await main();
