/**
 * The npm package as a new user gets it: `npm pack`, then the tarball and `yo` (latest, as
 * users install it today) into a fresh global prefix, then `yo wsgi-apache` with flags only,
 * run as an unprivileged user in a fixture project. Catches templates or USAGE missing from
 * `files`, a wrong lookup path, and ESM/CJS mistakes that importing the class never sees.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_FILES } from '../../generators/app/files.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { chownTree, freshHome, type Ids, run, runOk, unprivilegedIds } from '../helpers/commands.js';
import { declaredOptions, expectHelpListsEveryOption, expectSameAsSource, scaffoldArgs } from './support.js';

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
    packed = (JSON.parse(runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], asRunner).stdout) as PackResult[])[0]!;
    const install = runOk(
      'npm',
      ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', 'yo@latest', join(work, packed.filename)],
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
    for (const file of GENERATED_FILES) expect(paths).toContain(`templates/${file.template}`);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'USAGE', 'dist/generators/app/index.js', 'dist/generators/check/index.js']) {
      expect(paths).toContain(file);
    }
    const unwanted = paths.filter(path => /\.(map|ts)$/.test(path) || /^(test|bench|generators|container|\.ci)\//.test(path));
    expect(unwanted).toEqual([]);
    expect(packed.size).toBeLessThan(100_000);
    expect(packed.unpackedSize).toBeLessThan(400_000);
  });

  it('has a package.json ready to publish', () => {
    const pkg = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'generator-wsgi-apache', 'package.json'), 'utf8'));
    expect(pkg.name).toBe('generator-wsgi-apache');
    expect(pkg.description.length).toBeGreaterThan(20);
    expect(pkg.keywords).toContain('yeoman-generator');
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/) });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.license).toBe('MIT');
    expect(pkg.engines.node).toBe('^20.17.0 || >=22.9.0');
    expect(pkg.type).toBe('module');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/generators', 'templates', 'USAGE']));
  });

  it('is found by yo --generators, with its sub-generator', () => {
    const result = yo(['--generators'], work);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}wsgi-apache\n {4}check$/m);
  });

  it('yo wsgi-apache --help lists every option with its description, and USAGE', async () => {
    const result = yo(['wsgi-apache', '--help'], work);
    expect(result.status, result.stderr).toBe(0);
    expectHelpListsEveryOption(result.stdout, await declaredOptions('app'), 'app');
    expect(result.stdout).toContain(readFileSync(join(REPO_ROOT, 'USAGE'), 'utf8').split('\n')[1]!.trim());
  });

  it('yo wsgi-apache:check --help lists every option with its description', async () => {
    const result = yo(['wsgi-apache:check', '--help'], work);
    expect(result.status, result.stderr).toBe(0);
    expectHelpListsEveryOption(result.stdout, await declaredOptions('check'), 'check');
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
});
