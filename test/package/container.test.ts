/**
 * The generator in a container, as the README tells users to run it: the top-level
 * Dockerfile's image, `docker run -v "$PWD:/src" -w /src <image> [flags]`, with no Node
 * involved on the host side. The files must appear in the mounted project, owned by the
 * project's owner (never root), non-interactively with flags and interactively with `-it`.
 */
import { stripVTControlCharacters } from 'node:util';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS } from '../../generators/app/options.js';
import { DEFAULT_BASE } from '../../generators/app/bases.js';
import { IS_ROOT, run, runOk } from '../helpers/commands.js';
import { underDockerLock } from '../helpers/docker-lock.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { declaredOptions, expectHelpListsEveryOption, expectSameAsSource, scaffoldArgs } from './support.js';

// Not wsgi-apache-it-*: the integration suite, running beside this file, removes those when it ends.
const IMAGE = `wsgi-apache-package-generator-${process.pid}`;
// Trusts a TLS-intercepting proxy during the build when the host does; harmless elsewhere.
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
// An owner with no passwd entry, on the host or in the image: the uid can only come from the mount.
const OWNER = IS_ROOT ? { uid: 1234, gid: 2345 } : { uid: process.getuid!(), gid: process.getgid!() };

const docker = (args: string[], cwd = REPO_ROOT) => run('docker', args, { cwd, env: process.env });
const mount = (project: string) => ['-v', `${project}:/src`, '-w', '/src'];

/** A fixture project owned by `ids` (when we are root: otherwise by us). */
function ownedProject(ids: { uid: number; gid: number }): string {
  const project = makeProject({ fixture: 'plain-wsgi' });
  if (IS_ROOT) runOk('chown', ['-R', `${ids.uid}:${ids.gid}`, project], { cwd: project, env: process.env });
  return project;
}

const stripAnsi = (text: string) => stripVTControlCharacters(text).replace(/\r/g, '');

describe('the generator image (top-level Dockerfile)', () => {
  const cleanup: string[] = [];

  beforeAll(() => {
    const build = [
      'docker',
      'build',
      '-t',
      IMAGE,
      ...(existsSync(HOST_CA_BUNDLE) ? ['--secret', `id=ca-certificates,src=${HOST_CA_BUNDLE}`] : []),
      '.',
    ];
    // One Docker build at a time: the integration suite runs beside this file.
    const [command, ...args] = underDockerLock(build);
    const result = runOk(command!, args, { cwd: REPO_ROOT, env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    const size = Number(docker(['image', 'inspect', '--format', '{{.Size}}', IMAGE]).stdout.trim());
    console.log(
      `[container] docker build ${IMAGE}: ${result.seconds.toFixed(1)} s (lock wait included); image ${(size / 1e6).toFixed(0)} MB`,
    );
  });

  afterAll(() => {
    docker(['image', 'rm', '-f', IMAGE]);
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists every option with its description', async () => {
    const result = docker(['run', '--rm', IMAGE, '--help']);
    expect(result.status, result.stderr).toBe(0);
    expectHelpListsEveryOption(result.stdout, await declaredOptions('app'), 'app');
  });

  it('runs its own Node, not the host one', () => {
    const result = docker([
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'node --version; command -v npm || echo no-npm; id -u generator',
    ]);
    expect(result.stdout).toMatch(/^v(2[2-9]|[3-9]\d)\./);
    expect(result.stdout).toContain('no-npm');
  });

  it('scaffolds the mounted project with flags only, as the owner of the directory', async () => {
    const project = ownedProject(OWNER);
    cleanup.push(project);
    const result = docker(['run', '--rm', ...mount(project), IMAGE, ...scaffoldArgs()]);
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    console.log(`[container] docker run ${scaffoldArgs().join(' ')}: ${result.seconds.toFixed(1)} s`);
    const reference = makeProject({ fixture: 'plain-wsgi' });
    cleanup.push(reference);
    await expectSameAsSource(project, reference, OWNER.uid);
    for (const file of ['Dockerfile', '.yo-rc.json', 'docker'])
      expect(statSync(join(project, file)).gid).toBe(OWNER.gid);
  });

  it.runIf(IS_ROOT)('runs as --user when given', () => {
    const project = ownedProject(OWNER);
    cleanup.push(project);
    chmodSync(project, 0o777);
    const result = docker(['run', '--rm', '--user', '4321:4321', ...mount(project), IMAGE, '--yes', '--skip-build']);
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(statSync(join(project, 'Dockerfile')).uid).toBe(4321);
    expect(statSync(join(project, '.yo-rc.json')).gid).toBe(4321);
  });

  it.runIf(IS_ROOT)('never writes as root: a root-owned directory is refused with a way out', () => {
    const project = makeProject({ fixture: 'plain-wsgi' });
    cleanup.push(project);
    chownSync(project, 0, 0);
    const result = docker(['run', '--rm', ...mount(project), IMAGE, '--yes', '--skip-build']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--user');
    expect(existsSync(join(project, 'Dockerfile'))).toBe(false);
  });

  it('asks every question with -it and writes the answers, as the owner', async () => {
    const project = ownedProject(OWNER);
    cleanup.push(project);
    // The prompts, in order, that a run with --name only asks; answer one, accept the rest.
    const questions = FIELDS.filter(field => field.prompt && field.flag !== 'name');
    const answers: Record<string, string> = { processes: '3', kubernetes: 'y' };
    const command = ['docker', 'run', '--rm', '-it', ...mount(project), IMAGE, '--name', 'asked', '--skip-build'];
    // `script` gives docker the terminal that -t needs; we type into it.
    const child = spawn('script', ['-qefc', command.join(' '), '/dev/null'], {
      env: { ...process.env, TERM: 'xterm' },
    });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const exited = new Promise<number | null>(resolve => child.on('close', resolve));
    const seen = async (text: string, from: number) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const at = stripAnsi(output).indexOf(text, from);
        if (at >= 0) return at;
        if (Date.now() > deadline) throw new Error(`no prompt "${text}" after 60 s; output:\n${stripAnsi(output)}`);
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    };
    let from = 0;
    for (const field of questions) {
      // Prompts wrap at the terminal width: match the start of the message.
      from = (await seen(field.description.slice(0, 30), from)) + 1;
      child.stdin.write(`${answers[field.flag] ?? ''}\r`);
    }
    const status = await exited;
    expect(status, stripAnsi(output)).toBe(0);
    const stored = JSON.parse(readFileSync(join(project, '.yo-rc.json'), 'utf8'))['generator-wsgi-apache'];
    expect(stored).toMatchObject({
      entry: 'hello:application',
      name: 'asked',
      processes: 3,
      threads: 5,
      kubernetes: true,
      base: DEFAULT_BASE,
    });
    for (const file of ['Dockerfile', 'compose.yaml', 'kubernetes/deployment.yaml']) {
      expect(statSync(join(project, file)).uid, file).toBe(OWNER.uid);
    }
  });
});
