/**
 * Issue 13: flags behave like flags, and a run writes all or nothing. Flags are given as the
 * raw words of a command line (withArguments), the path that env.run('wsgi-apache ...'),
 * yoe and composeWith take; yo's own command line is covered by test/package.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { QueuedAdapter, TerminalAdapter } from '@yeoman/adapter';
import { afterEach, describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import WsgiApacheGenerator from '../../generators/app/index.js';
import { makeProject, REPO_ROOT, runGenerator } from '../helpers/project.js';
import { MISSPELT_OPTIONS } from '../helpers/misspelt-options.js';
import { makeReadOnly } from '../helpers/read-only.js';

const GENERATOR = { namespace: 'wsgi-apache:app', resolved: join(REPO_ROOT, 'generators', 'app', 'index.ts') };
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const saved = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-wsgi-apache'];

/** Every directory and file below `dir` with its content: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string | null> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).map(entry =>
    join(entry.parentPath, entry.name),
  );
  return Object.fromEntries(
    entries.sort().map(path => {
      try {
        return [relative(dir, path), readFileSync(path, 'utf8')];
      } catch {
        return [relative(dir, path), null]; // a directory
      }
    }),
  );
}

/** The error a run fails with (the run must fail), asserted to be one line. */
async function failure(run: PromiseLike<unknown>): Promise<string> {
  const error = await Promise.resolve(run).then(
    () => undefined,
    (caught: Error) => caught,
  );
  expect(error, 'the run should have failed').toBeInstanceOf(Error);
  expect(error!.message).not.toContain('\n');
  return error!.message;
}

/** {@link failure} of `run()`, which must also leave every file in `dir` as it was (nothing written). */
async function failureWritingNothing(dir: string, run: () => PromiseLike<unknown>): Promise<string> {
  const before = snapshot(dir);
  const message = await failure(run());
  expect(snapshot(dir)).toEqual(before);
  return message;
}

/** Runs the generator with the words of a command line, as `yo wsgi-apache <words>` would, in `cwd`. */
function runWords(cwd: string, words: string[]) {
  return runGenerator(cwd).withArguments(words);
}

/**
 * Runs the generator as yo does without a terminal (CI, a pipe, docker run without -t): yo's
 * own TerminalAdapter on a stdin that is no TTY and is already closed, so a prompt would fail
 * as it does there ("User force closed the prompt"). No --force unless the words say so.
 */
function runWithoutTerminal(cwd: string, words: string[]) {
  const stdin = new PassThrough();
  stdin.end();
  const output = new PassThrough();
  output.resume();
  // TerminalAdapter types its streams as TTY streams; what it gets in CI is a pipe like these.
  const adapter = new QueuedAdapter({
    adapter: new TerminalAdapter({ stdin, stdout: output, stderr: output } as never),
  });
  return helpers
    .run(WsgiApacheGenerator, GENERATOR, { force: undefined, adapter } as never)
    .cd(cwd)
    .withOptions({ force: undefined, 'skip-build': true } as never)
    .withArguments(words);
}

describe('flags behave like flags', () => {
  it('-y --skip-build before the directory: on/off flags never take the next word', async () => {
    const project = makeProject({ fixture: 'plain-wsgi' });
    const elsewhere = makeProject();
    await runWords(elsewhere, ['-y', '--skip-build', project]);
    expect(read(project, 'docker/app.wsgi')).toContain('from hello import application');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it.each([
    ...MISSPELT_OPTIONS,
    [['--no-kubernets'], /^--no-kubernets: is not an option of yo wsgi-apache\. Fix: did you mean --no-kubernetes\?/],
    [['--skipBuild'], /^--skipBuild: is not an option of yo wsgi-apache\. Fix: did you mean --skip-build\?/],
    [['--data-dirs', 'x'], /^--data-dirs: is not an option of yo wsgi-apache\. Fix: did you mean --data-dir\?/],
    [['-x'], /^-x: is not an option of yo wsgi-apache\. Fix: yo wsgi-apache --help lists every option\.$/],
    [
      ['--port'],
      /^--port: needs a value \(Host port compose\.yaml publishes on 127\.0\.0\.1 \(1-65535, default 8000\)\)\. Fix: write --port VALUE or --port=VALUE\.$/,
    ],
    [['--port', '--yes'], /^--port: needs a value/],
    [['--entry='], /^--entry: needs a value/],
    [['--port', '8000', '--port', '9000'], /^--port: is given twice \("8000" and "9000"\)/],
    [['--yes=please'], /^--yes: is an on\/off flag and takes no value \("please"\)/],
    [['--no-port'], /^--no-port: --port cannot be turned off/],
    [['.', 'extra'], /^"extra": is one argument too many/],
  ])('%j: one line naming the flag, nothing written', async (words, message) => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    expect(await failureWritingNothing(dir, () => runWords(dir, ['--yes', ...words]))).toMatch(message);
  });

  it('values may look like anything but an option: --port=9000, --name -, a negative number is refused by its parser', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes', '--port=9000', '--name', 'flags', '--static=/static=static']);
    expect(saved(dir)).toMatchObject({ port: 9000, name: 'flags', static: ['/static=static'] });
    expect(await failure(runWords(dir, ['--yes', '--port', '-1']))).toMatch(/^--port: "-1" is not a whole number/);
  });

  it("--static '', --no-data-dir, --apt-packages= and --no-init-command clear saved lists; --no-kubernetes turns a saved true off", async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, [
      '--yes',
      '--static',
      '/static=static',
      '--data-dir',
      'uploads',
      '--apt-packages',
      'libpq5',
      '--init-command',
      'python -c "print(1)"',
      '--kubernetes',
    ]);
    expect(saved(dir)).toMatchObject({
      static: ['/static=static'],
      dataDirs: ['uploads'],
      aptPackages: ['libpq5'],
      initCommands: ['python -c "print(1)"'],
      kubernetes: true,
    });
    // A re-run without the flags keeps them: .yo-rc.json answers.
    await runWords(dir, ['--skip-build']);
    expect(saved(dir)).toMatchObject({ static: ['/static=static'], dataDirs: ['uploads'], kubernetes: true });

    await runWords(dir, [
      '--yes',
      '--static',
      '',
      '--no-data-dir',
      '--apt-packages=',
      '--no-init-command',
      '--no-kubernetes',
    ]);
    expect(saved(dir)).toMatchObject({
      static: [],
      dataDirs: [],
      aptPackages: [],
      initCommands: [],
      kubernetes: false,
    });
    expect(read(dir, 'docker/apache2.conf')).not.toContain('Alias /static');
    expect(read(dir, 'Dockerfile')).not.toContain('libpq5');
    expect(read(dir, 'compose.yaml')).not.toContain('data-uploads');
  });

  it('flags beat .yo-rc.json, options passed through the API too', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes', '--kubernetes', '--static', '/static=static']);
    await runWords(dir, ['--port', '9000', '--processes=3']);
    expect(saved(dir)).toMatchObject({ port: 9000, processes: 3, kubernetes: true, static: ['/static=static'] });
    await runGenerator(dir, { kubernetes: false, static: '' });
    expect(saved(dir)).toMatchObject({ port: 9000, kubernetes: false, static: [] });
  });

  it('--setenv at the prompt: the saved items shown as one shell line that answers them again; a quote left open refused', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes', '--setenv', 'GREETING=hi', '--setenv', "MOTTO=it's two words"]);
    let shown: unknown;
    let refusal: unknown;
    await runWords(dir, ['--ask-answered']).withAnswers(
      {},
      {
        callback: (answer, { question }) => {
          if (question.name !== 'setenv') return answer;
          shown = typeof question.default === 'function' ? question.default({}) : question.default;
          refusal = (question as unknown as { validate: (value: string) => unknown }).validate("MOTTO='open");
          return shown;
        },
      },
    );
    expect(shown).toBe(`GREETING=hi 'MOTTO=it'\\''s two words'`);
    expect(refusal).toMatch(/^--setenv: MOTTO='open has a quote left open\. Fix: /);
    expect(saved(dir).setenv).toEqual(['GREETING=hi', "MOTTO=it's two words"]);
  });

  it('--ask-answered brings the prompts back, the saved answers as defaults; --yes with it is refused', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes', '--name', 'asked', '--port', '8123']);
    const defaults: Record<string, unknown> = {};
    await runWords(dir, ['--ask-answered', '--threads', '7']).withAnswers(
      { port: '8124' },
      {
        callback: (answer, { question }) => (
          (defaults[question.name!] = typeof question.default === 'function' ? question.default({}) : question.default),
          answer
        ),
      },
    );
    expect(defaults).toMatchObject({ entry: 'hello:application', name: 'asked', port: 8123 });
    expect(defaults).not.toHaveProperty('threads'); // given as a flag: not asked
    expect(saved(dir)).toMatchObject({ name: 'asked', port: 8124, threads: 7 });
    expect(await failure(runWords(dir, ['--yes', '--ask-answered']))).toMatch(
      /^--ask-answered: asks the questions again, and --yes asks none/,
    );
  });
});

describe('.yo-rc.json errors name the file and the key', () => {
  const withSaved = (answers: unknown, raw?: string) => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    writeFileSync(join(dir, '.yo-rc.json'), raw ?? JSON.stringify({ 'generator-wsgi-apache': answers }, null, 2));
    return dir;
  };
  it.each([
    [
      'a port that is not a number',
      { entry: 'hello:application', port: 'abc' },
      undefined,
      /^\.yo-rc\.json "port": "abc" is not a whole number\. Fix: pass a whole number from 1 to 65535 \(in \.yo-rc\.json, or give --port to replace the saved value\)\.$/,
    ],
    [
      'an unknown key',
      { entry: 'hello:application', prot: 9000 },
      undefined,
      /^\.yo-rc\.json "prot": is not an answer of yo wsgi-apache\. Fix: did you mean "port"\?/,
    ],
    [
      'an on/off answer that is not',
      { entry: 'hello:application', kubernetes: 'yes' },
      undefined,
      /^\.yo-rc\.json "kubernetes": "yes" is not true or false/,
    ],
    [
      'a list that is not',
      { entry: 'hello:application', static: 5 },
      undefined,
      /^\.yo-rc\.json "static": 5 is not a list of strings/,
    ],
    ['a file that is not JSON', undefined, '{"generator-wsgi-apache": {', /^\.yo-rc\.json: is not valid JSON \(/],
  ])('%s', async (_label, answers, raw, message) => {
    const dir = withSaved(answers, raw);
    const text = await failureWritingNothing(dir, () => runGenerator(dir));
    expect(text).toMatch(message);
    expect(text).not.toMatch(/^--/);
  });

  it("only the project's .yo-rc.json counts: a broken one in the current directory does not, with the project given", async () => {
    const elsewhere = withSaved(undefined, '{ not json');
    const project = makeProject({ fixture: 'plain-wsgi' });
    await runWords(elsewhere, ['--yes', project]);
    expect(saved(project).entry).toBe('hello:application');
    expect(read(elsewhere, '.yo-rc.json')).toBe('{ not json');
  });

  it('a flag replaces the bad saved value', async () => {
    const dir = withSaved({ entry: 'hello:application', port: 'abc' });
    await runWords(dir, ['--port', '8001']);
    expect(saved(dir).port).toBe(8001);
  });

  it("a bad flag value is still the flag's", async () => {
    const dir = withSaved({ entry: 'hello:application', port: 8000 });
    expect(await failure(runWords(dir, ['--port', 'abc']))).toMatch(/^--port: "abc" is not a whole number/);
  });
});

describe('all or nothing, without a terminal', () => {
  it('a project with its own Dockerfile and compose.yaml, --yes: one line listing them, nothing written', async () => {
    const dir = makeProject({
      fixture: 'plain-wsgi',
      files: { Dockerfile: 'FROM python:3\n', 'compose.yaml': 'services:\n  web:\n    build: .\n' },
    });
    const message = await failureWritingNothing(dir, () => runWithoutTerminal(dir, ['--yes']));
    expect(message).toMatch(
      /^Dockerfile, compose\.yaml: are not as yo wsgi-apache last wrote them \(your own, or changed since\), and without a terminal there is no one to ask whether to overwrite them; nothing was written\. Fix: pass --force to overwrite them, or move them away/,
    );
  });

  it('--force overwrites them', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi', files: { Dockerfile: 'FROM python:3\n' } });
    await runWithoutTerminal(dir, ['--yes', '--force']);
    expect(read(dir, 'Dockerfile')).toMatch(/^ARG BASE_IMAGE=docker\.io\/library\/python:3\.13-slim-trixie$/m);
  });

  it('re-run with --port 9000 --yes: files the user never changed are updated, .yo-rc.json with them', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWithoutTerminal(dir, ['--yes']);
    await runWithoutTerminal(dir, ['--port', '9000', '--yes']);
    expect(saved(dir).port).toBe(9000);
    expect(read(dir, 'compose.yaml')).toContain('${PUBLISH_PORT:-9000}');
  });

  it('re-run with --port 9000 --yes after the user changed compose.yaml elsewhere: merged, without asking', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWithoutTerminal(dir, ['--yes']);
    writeFileSync(join(dir, 'compose.yaml'), `${read(dir, 'compose.yaml')}# mine\n`);
    await runWithoutTerminal(dir, ['--port', '9000', '--yes']);
    expect(saved(dir).port).toBe(9000);
    expect(read(dir, 'compose.yaml')).toContain('${PUBLISH_PORT:-9000}');
    expect(read(dir, 'compose.yaml').endsWith('\n# mine\n')).toBe(true);
  });

  it('re-run after the user changed the line the new answers change: conflict markers, one line naming the file', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWithoutTerminal(dir, ['--yes']);
    const mine = read(dir, 'compose.yaml').replace('${PUBLISH_PORT:-8000}', '${PUBLISH_PORT:-8080}');
    writeFileSync(join(dir, 'compose.yaml'), mine);
    expect(await failure(runWithoutTerminal(dir, ['--port', '9000', '--yes']))).toMatch(
      /^compose\.yaml: has your changes and yo wsgi-apache's in the same lines: written with conflict markers \(<<<<<<< yours, \|\|\|\|\|\|\| last written, >>>>>>> new\); every other file was updated, the image not built\. Fix: edit it to keep what you want and remove the markers, then run docker compose build/,
    );
    const merged = read(dir, 'compose.yaml');
    expect(merged).toMatch(
      /^<<<<<<< compose\.yaml \(yours\)\n.*8080.*\n\|\|\|\|\|\|\| yo wsgi-apache \S+\n.*8000.*\n=======\n.*9000.*\n>>>>>>> yo wsgi-apache \S+$/m,
    );
    // Every other file was updated, and what was written is recorded: a run after the fix merges again.
    expect(saved(dir).port).toBe(9000);
    expect(read(dir, 'compose.override.yaml')).not.toBe(undefined);
    writeFileSync(join(dir, 'compose.yaml'), mine.replace('${PUBLISH_PORT:-8080}', '${PUBLISH_PORT:-9090}'));
    await runWithoutTerminal(dir, ['--yes']);
    expect(read(dir, 'compose.yaml')).toContain('${PUBLISH_PORT:-9090}');
  });

  it('a file the user changed with no record of what was written (an older project): named, nothing written', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWithoutTerminal(dir, ['--yes']);
    rmSync(join(dir, '.yo-wsgi-apache-base.json'));
    const config = JSON.parse(read(dir, '.yo-rc.json'));
    delete config['generator-wsgi-apache'].written;
    writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config, null, 2));
    writeFileSync(join(dir, 'compose.yaml'), `${read(dir, 'compose.yaml')}# mine\n`);
    expect(await failureWritingNothing(dir, () => runWithoutTerminal(dir, ['--port', '9000', '--yes']))).toMatch(
      /^compose\.yaml: is not as yo wsgi-apache last wrote it.*Fix: pass --force to overwrite it/,
    );
    expect(saved(dir).port).toBe(8000);
  });

  it("the user's own .gitignore and .gitattributes keep every line and gain only the missing ones, without asking", async () => {
    const dir = makeProject({
      fixture: 'plain-wsgi',
      files: { '.gitignore': '__pycache__/\n/.wsgi/\n', '.gitattributes': '*.png binary\n' },
    });
    await runWithoutTerminal(dir, ['--yes']);
    expect(read(dir, '.gitignore')).toBe('__pycache__/\n/.wsgi/\n');
    expect(read(dir, '.gitattributes')).toBe(
      '*.png binary\n' + readFileSync(join(REPO_ROOT, 'templates/gitattributes.mustache'), 'utf8'),
    );
    const before = snapshot(dir);
    await runWithoutTerminal(dir, ['--yes']);
    expect(snapshot(dir)).toEqual(before);
  });

  it('questions to ask and no terminal: says so instead of failing in the prompt', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    expect(await failureWritingNothing(dir, () => runWithoutTerminal(dir, []))).toMatch(
      /^yo wsgi-apache: has \d+ questions to ask and no terminal to ask them on \(stdin is not a TTY\)\. Fix: pass --yes/,
    );
  });
});

describe('all or nothing: read-only directories', () => {
  const undo: (() => void)[] = [];
  const lock = (path: string) => undo.push(makeReadOnly(path));
  afterEach(() => {
    for (const step of undo.splice(0).reverse()) step();
  });

  it('a read-only project directory: one line naming it, nothing written', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    lock(dir);
    const message = await failureWritingNothing(dir, () => runWords(dir, ['--yes']));
    expect(message.startsWith(`${dir}: is not writable (`)).toBe(true);
    expect(message).toMatch(/, so \d+ paths cannot be written; nothing was written\. Fix: make .+ writable/);
  });

  it('a read-only docker/ on a re-run: one line naming docker, nothing written', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes']);
    rmSync(join(dir, 'docker', 'envvars'));
    lock(join(dir, 'docker'));
    expect(await failureWritingNothing(dir, () => runWords(dir, ['--yes', '--port', '9000']))).toMatch(
      /^docker: is not writable \(E(PERM|ACCES): [^)]+\), so 1 path cannot be written; nothing was written\./,
    );
  });

  it('a write failing half-way is rolled back: files restored, new files and directories removed, .yo-rc.json as it was', async () => {
    const dir = makeProject({ fixture: 'plain-wsgi' });
    await runWords(dir, ['--yes']);
    mkdirSync(join(dir, 'media'));
    // After every check passed (writing), before the commit: the last step, media/uploads, fails.
    const message = await failureWritingNothing(dir, () =>
      runWords(dir, ['--yes', '--port', '9000', '--data-dir', 'media/uploads', '--kubernetes']).onGenerator(
        generator => {
          generator.queueTask({
            queueName: 'transform',
            taskName: 'lockMedia',
            method: () => void lock(join(dir, 'media')),
          });
        },
      ),
    );
    expect(message).toMatch(
      /^media\/uploads: cannot be created \(E(PERM|ACCES): [^)]+\); nothing was changed: the \d+ files written before it were put back as they were\. Fix: /,
    );
    expect(saved(dir).port).toBe(8000);
  });
});
