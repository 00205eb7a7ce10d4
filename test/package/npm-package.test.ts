/**
 * The npm package as a new user gets it: `npm pack`, then the tarball and `yo` (latest, as
 * users install it today) into a fresh global prefix, then `yo wsgi-apache` with flags only,
 * run as an unprivileged user in a fixture project. Catches templates or USAGE missing from
 * `files`, a wrong lookup path, and ESM/CJS mistakes that importing the class never sees.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_FILES } from '../../generators/app/files.js';
import { FIXTURES, makeProject, REPO_ROOT } from '../helpers/project.js';
import { chownTree, freshHome, type Ids, run, runOk, unprivilegedIds } from '../helpers/commands.js';
import { MISSPELT_OPTIONS } from '../helpers/misspelt-options.js';
import { declaredOptions, expectHelpListsEveryOption, expectSameAsSource, listFiles, scaffoldArgs } from './support.js';

/** `npm pack --json`'s description of one tarball. */
interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

describe('the packed npm package under the real yo', () => {
  const work = mkdtempSync(join(tmpdir(), 'wsgi-apache-package-'));
  const prefix = join(work, 'prefix');
  let packed: PackResult;
  let ids: Ids;
  let userEnv: Record<string, string>;
  const yo = (args: string[], cwd: string) => run('yo', args, { cwd, env: userEnv, as: ids });

  beforeAll(() => {
    // mkdtemp makes 0700; the unprivileged user must reach the installed prefix.
    chmodSync(work, 0o755);
    const asRunner = { cwd: REPO_ROOT, env: process.env };
    runOk('npm', ['run', 'build'], asRunner);
    packed = (
      JSON.parse(
        runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], asRunner).stdout,
      ) as PackResult[]
    )[0]!;
    const install = runOk(
      'npm',
      // --prefer-offline: npm's cache before the registry (60 -> 24 s on a warm machine; a cold one fetches as before).
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        'yo@latest',
        join(work, packed.filename),
      ],
      { cwd: work, env: process.env },
    );
    ids = unprivilegedIds();
    userEnv = {
      // A new user's shell: the global prefix's bin, the Node that runs these tests, the system.
      PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: freshHome(ids),
      LANG: 'C.UTF-8',
      NO_UPDATE_NOTIFIER: '1',
    };
    const yoVersion = yo(['--version'], work).stdout.trim();
    console.log(
      `[package] ${packed.filename}: ${(packed.size / 1000).toFixed(1)} kB packed, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked, ` +
        `${packed.entryCount} files; npm install -g with yo ${yoVersion}: ${install.seconds.toFixed(1)} s; running as uid ${ids.uid}`,
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs a small package: the built generators, every template, USAGE; no sources, tests or maps', () => {
    const paths = packed.files.map(file => file.path);
    for (const file of GENERATED_FILES) expect(paths).toContain(posix.normalize(`templates/${file.template}`));
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'USAGE',
      'dist/generators/app/index.js',
      'dist/generators/check/index.js',
    ]) {
      expect(paths).toContain(file);
    }
    const unwanted = paths.filter(
      path => /\.(map|ts)$/.test(path) || /^(test|bench|generators|container|\.ci)\//.test(path),
    );
    expect(unwanted).toEqual([]);
    // A budget, not a measurement: 111 kB packed / 345 kB unpacked once --mount, --proxy and the
    // user's Apache include were in, 129 / 398 kB once the README and images/ told set-up times step by
    // step (issue 24), 137 / 420 kB with the container limits, the stop log, the check's failure
    // document and the module hint (issues 25-27), 147 / 450 kB with the runtime files, --setenv/--secret and
    // the README's measured tables, 163 / 502 kB with --service (and images/services/, the
    // stand-ins' recipes), --worker, the check's database count and their docs, 178 / 552 kB with
    // write-watch, the data-directory detection and upgrades that merge (issues 27-28), 195 / 604 kB
    // with --image, --ingress-host, the init Job, --ci github and the check's --skip-build (issue 29),
    // 205 / 632 kB with --https, the build secret and the rootless-Podman, lock-file and pids notes
    // (issue 29, stop 38), 213 / 660 kB with embedded mode (runtime/embedded.wsgi, its DOCKER.md
    // section, the check's mode; issue 30), 214 / 662 kB once the README's CI history moved to
    // .ci/RUNS.md (it grew a row each run and broke this budget at 932fabb); a jump past it means
    // something unintended got packed.
    expect(packed.size).toBeLessThan(218_000);
    expect(packed.unpackedSize).toBeLessThan(670_000);
  });

  it('has a package.json ready to publish', () => {
    const pkg = JSON.parse(
      readFileSync(join(prefix, 'lib', 'node_modules', 'generator-wsgi-apache', 'package.json'), 'utf8'),
    );
    expect(pkg.name).toBe('generator-wsgi-apache');
    expect(pkg.description.length).toBeGreaterThan(20);
    expect(pkg.keywords).toContain('yeoman-generator');
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.license).toBe('MIT');
    expect(pkg.engines.node).toBe('^20.18.1 || ^22.13.0 || ^24.0.0');
    expect(pkg.type).toBe('module');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/generators', 'templates', 'USAGE']));
  });

  it('is found by yo --generators, with its sub-generator', () => {
    const result = yo(['--generators'], work);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}wsgi-apache\n {4}check$/m);
  });

  /** `yo <namespace> --help`, expected to succeed and list every option `which` declares; its output. */
  const helpListingEveryOption = async (namespace: string, which: 'app' | 'check') => {
    const result = yo([namespace, '--help'], work);
    expect(result.status, result.stderr).toBe(0);
    expectHelpListsEveryOption(result.stdout, await declaredOptions(which), which);
    return result.stdout;
  };

  it('yo wsgi-apache --help lists every option with its description, and USAGE', async () => {
    const help = await helpListingEveryOption('wsgi-apache', 'app');
    expect(help).toMatch(/^ +--force +# Overwrite a changed file that no earlier run recorded, without asking/m);
    expect(help).toContain(readFileSync(join(REPO_ROOT, 'USAGE'), 'utf8').split('\n')[1]!.trim());
  });

  it('yo wsgi-apache:check --help lists every option with its description', async () => {
    await helpListingEveryOption('wsgi-apache:check', 'check');
  });

  it('yo wsgi-apache with flags only writes what the source writes, as the user', async () => {
    const project = makeProject({ fixture: 'plain-wsgi' });
    chownTree(project, ids);
    const result = yo(['wsgi-apache', ...scaffoldArgs()], project);
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    console.log(`[package] yo wsgi-apache ${scaffoldArgs().join(' ')}: ${result.seconds.toFixed(1)} s`);
    const reference = makeProject({ fixture: 'plain-wsgi' });
    try {
      await expectSameAsSource(project, reference, ids.uid);
    } finally {
      for (const dir of [project, reference]) rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('flags behave like flags, and a refused run writes nothing (issue 13), as the user, without a terminal', () => {
    /** A fixture project owned by the user, plus its parent (also the user's) to run yo from elsewhere. */
    const userProject = (files: Record<string, string> = {}) => {
      const parent = mkdtempSync(join(work, 'flags-'));
      chmodSync(parent, 0o755);
      const project = join(parent, 'plain');
      cpSync(join(FIXTURES, 'plain-wsgi'), project, { recursive: true });
      for (const [path, content] of Object.entries(files)) writeFileSync(join(project, path), content);
      mkdirSync(join(parent, 'elsewhere'));
      chownTree(parent, ids);
      return { parent, project, elsewhere: join(parent, 'elsewhere') };
    };
    const contents = (dir: string) =>
      Object.fromEntries(listFiles(dir).map(file => [file, readFileSync(join(dir, file), 'utf8')]));
    /**
     * yo's failure: exit 1; on stderr only yeoman's and yo's headers ("✖ An error occured while
     * running wsgi-apache:app#<phase>", "Error wsgi-apache <argv>"), then our message as one line.
     */
    const expectRefused = (result: { status: number | null; stdout: string; stderr: string }, message: RegExp) => {
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(1);
      const lines = result.stderr.split('\n').filter(line => line.trim() !== '');
      const headers = lines.slice(0, -1);
      expect(
        headers.every(line =>
          /^(✖ An error occured while running wsgi-apache:app#\w+|Error wsgi-apache .*)$/.test(line),
        ),
        result.stderr,
      ).toBe(true);
      expect(lines.at(-1)).toMatch(message);
    };

    it('yo wsgi-apache -y --skip-build ../plain scaffolds ../plain, not the current directory', () => {
      const { project, elsewhere } = userProject();
      const result = yo(['wsgi-apache', '-y', '--skip-build', '../plain'], elsewhere);
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(readFileSync(join(project, 'docker', 'app.wsgi'), 'utf8')).toContain('from hello import application');
      expect(readdirSync(elsewhere)).toEqual([]);
    });

    it.each([
      ...MISSPELT_OPTIONS,
      [['--port'], /^--port: needs a value \(.*\)\. Fix: write --port VALUE or --port=VALUE\.$/],
    ])('yo wsgi-apache --yes --skip-build %j: one line naming the flag, nothing written', (words, message) => {
      const { project } = userProject();
      const before = contents(project);
      expectRefused(yo(['wsgi-apache', '--yes', '--skip-build', ...words], project), message);
      expect(contents(project)).toEqual(before);
    });

    it('a project with its own Dockerfile and compose.yaml, --yes: lists them with the way out, nothing written', () => {
      const { project } = userProject({
        Dockerfile: 'FROM python:3\n',
        'compose.yaml': 'services:\n  web:\n    build: .\n',
      });
      const before = contents(project);
      expectRefused(
        yo(['wsgi-apache', '--yes', '--skip-build'], project),
        /^Dockerfile, compose\.yaml: are not as yo wsgi-apache last wrote them.*Fix: pass --force to overwrite them, or move them away/,
      );
      expect(contents(project)).toEqual(before);
      const forced = yo(['wsgi-apache', '--yes', '--skip-build', '--force'], project);
      expect(forced.status, forced.stderr).toBe(0);
      expect(readFileSync(join(project, 'Dockerfile'), 'utf8')).toMatch(/^# Generated by generator-wsgi-apache/);
    });

    it('a read-only project directory: one line naming it, nothing written', () => {
      const { project } = userProject();
      chmodSync(project, 0o555);
      const before = contents(project);
      expectRefused(
        yo(['wsgi-apache', '--yes', '--skip-build'], project),
        new RegExp(
          `^${project}: is not writable \\(EACCES: permission denied\\), so \\d+ paths cannot be written; nothing was written\\. Fix: make ${project} writable`,
        ),
      );
      expect(contents(project)).toEqual(before);
    });

    it("saved answers: --no-kubernetes and --static '' clear them, a hand-edited .yo-rc.json is named as the culprit", () => {
      const { project } = userProject();
      const first = yo(
        ['wsgi-apache', '--yes', '--skip-build', '--kubernetes', '--static', '/static=static', '--port', '8001'],
        project,
      );
      expect(first.status, first.stderr).toBe(0);
      const again = yo(['wsgi-apache', '--skip-build', '--no-kubernetes', '--static', '', '--port', '8002'], project);
      expect(again.status, again.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'));
      expect(config['generator-wsgi-apache']).toMatchObject({ kubernetes: false, static: [], port: 8002 });

      config['generator-wsgi-apache'].port = 'abc';
      writeFileSync(join(project, '.yo-rc.json'), JSON.stringify(config, null, 2));
      const before = contents(project);
      expectRefused(
        yo(['wsgi-apache', '--skip-build'], project),
        /^\.yo-rc\.json "port": "abc" is not a whole number\. Fix: .*give --port to replace the saved value\)\.$/,
      );
      expect(contents(project)).toEqual(before);
    });

    // Last: it turns the installed package into a newer one.
    it('an upgrade merges (issue 28): a newer package updates untouched files, merges a changed one, marks a conflict', () => {
      const { project } = userProject();
      const first = yo(['wsgi-apache', '--yes', '--skip-build'], project);
      expect(first.status, first.stderr).toBe(0);
      // The user's changes: a comment at the end of compose.yaml, a line in the middle of the Dockerfile.
      const composeYaml = join(project, 'compose.yaml');
      writeFileSync(composeYaml, `${readFileSync(composeYaml, 'utf8')}# mine: keep this\n`);
      const dockerfile = join(project, 'Dockerfile');
      const theirs = readFileSync(dockerfile, 'utf8').split('\n');
      const middle = Math.floor(theirs.length / 2);
      writeFileSync(
        dockerfile,
        [...theirs.slice(0, middle), '# mine: in the middle', ...theirs.slice(middle)].join('\n'),
      );

      // The newer package: another version, and a changed line in compose.yaml's template.
      const installed = join(prefix, 'lib', 'node_modules', 'generator-wsgi-apache');
      const pkgFile = join(installed, 'package.json');
      writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace(/"version": "[^"]+"/, '"version": "99.0.0"'));
      const template = join(installed, 'templates', 'compose.yaml.mustache');
      const original = readFileSync(template, 'utf8');
      expect(original).toContain('\nname: {{name}}\n');
      writeFileSync(template, original.replace('\nname: {{name}}\n', '\nname: {{name}}\n# new in 99.0.0\n'));

      const upgrade = yo(['wsgi-apache', '--skip-build'], project);
      expect(upgrade.status, `${upgrade.stdout}\n${upgrade.stderr}`).toBe(0);
      const merged = readFileSync(composeYaml, 'utf8');
      expect(merged).toMatch(/^# Generated by generator-wsgi-apache 99\.0\.0\.$/m);
      expect(merged).toContain('\n# new in 99.0.0\n');
      expect(merged.endsWith('# mine: keep this\n')).toBe(true);
      const dockerfileNow = readFileSync(dockerfile, 'utf8');
      expect(dockerfileNow).toContain('\n# mine: in the middle\n');
      expect(dockerfileNow).toMatch(/^# Generated by generator-wsgi-apache 99\.0\.0/);
      // A file the user never touched: replaced without asking.
      expect(readFileSync(join(project, '.dockerignore'), 'utf8')).toMatch(
        /^# Generated by generator-wsgi-apache 99\.0\.0:/,
      );
      const config = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'));
      expect(config['generator-wsgi-apache'].written.version).toBe('99.0.0');

      // The user changes the line the next version changes too: a conflict, named, exit 1, markers in the file.
      writeFileSync(composeYaml, readFileSync(composeYaml, 'utf8').replace('# new in 99.0.0\n', '# mine: instead\n'));
      writeFileSync(template, original.replace('\nname: {{name}}\n', '\nname: {{name}}\n# changed in 99.0.0\n'));
      // Exit 1, the message as the last line; before it, the files written (Yeoman's log, on stderr).
      const conflict = yo(['wsgi-apache', '--skip-build'], project);
      expect(conflict.status, `${conflict.stdout}\n${conflict.stderr}`).toBe(1);
      expect(conflict.stderr).toMatch(/^ +force compose\.yaml$/m);
      expect(conflict.stderr.trim().split('\n').at(-1)).toMatch(
        /^compose\.yaml: has your changes and yo wsgi-apache's in the same lines: written with conflict markers .*Fix: edit it/,
      );
      expect(readFileSync(composeYaml, 'utf8')).toContain(
        '<<<<<<< compose.yaml (yours)\n# mine: instead\n||||||| yo wsgi-apache 99.0.0\n# new in 99.0.0\n=======\n# changed in 99.0.0\n>>>>>>> yo wsgi-apache 99.0.0\n',
      );
      expect(readFileSync(composeYaml, 'utf8').endsWith('# mine: keep this\n')).toBe(true);
    });
  });
});
