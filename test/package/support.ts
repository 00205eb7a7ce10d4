/**
 * Shared by the tests of the shipped product (the packed npm package under `yo`, and the
 * top-level Dockerfile's image): what the code declares, to compare the product against.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import helpers from 'yeoman-test';
import WsgiApacheGenerator from '../../generators/app/index.js';
import CheckGenerator from '../../generators/check/index.js';
import { FIELDS } from '../../generators/app/options.js';
import { REPO_ROOT, runGenerator } from '../helpers/project.js';

/** One CLI option as a generator declares it. */
export interface DeclaredOption {
  name: string;
  description: string;
}

/**
 * Every option the generator class declares (its own and yeoman's), read from an instance:
 * the list `--help` must show. For the app generator this includes every flag of FIELDS.
 */
export async function declaredOptions(which: 'app' | 'check'): Promise<DeclaredOption[]> {
  const [generatorClass, source] =
    which === 'app' ? [WsgiApacheGenerator, 'generators/app/index.ts'] : [CheckGenerator, 'generators/check/index.ts'];
  const generator = await helpers.createGenerator(
    generatorClass as never,
    {
      namespace: `wsgi-apache:${which}`,
      resolved: join(REPO_ROOT, source),
    } as never,
  );
  const options = Object.values(
    (generator as unknown as { _options: Record<string, { name: string; description?: string; hide?: boolean }> })
      ._options,
  );
  return options
    .filter(option => !option.hide)
    .map(option => ({ name: option.name, description: option.description ?? '' }));
}

/**
 * Asserts that `help` (the output of `yo wsgi-apache[:check] --help`) has a line for every
 * declared option with its description, that each description is non-empty (an option
 * without help fails here), and, for the app generator, that every FIELDS flag is among them.
 */
export function expectHelpListsEveryOption(help: string, declared: DeclaredOption[], which: 'app' | 'check'): void {
  if (which === 'app') {
    const names = declared.map(option => option.name);
    for (const field of FIELDS) expect(names, `FIELDS flag --${field.flag} is not declared`).toContain(field.flag);
    for (const own of ['yes', 'skip-build']) expect(names).toContain(own);
  }
  const lines = help.split('\n');
  for (const option of declared) {
    expect(option.description.trim(), `--${option.name} has no description`).not.toBe('');
    const line = lines.find(text => new RegExp(`--${option.name}\\s+#`).test(text));
    expect(line, `--help has no line for --${option.name}:\n${help}`).toBeDefined();
    expect(line).toContain(`# ${option.description}`);
  }
}

/** The flags the product tests scaffold with: flags only, nothing asked, no image build. */
export const SCAFFOLD_FLAGS: Record<string, string | true> = {
  yes: true,
  'skip-build': true,
  name: 'shipped',
  processes: '3',
  threads: '4',
  static: '/static=static',
  kubernetes: true,
};

/** {@link SCAFFOLD_FLAGS} as a command line: `--yes --name shipped ...`. */
export function scaffoldArgs(): string[] {
  return Object.entries(SCAFFOLD_FLAGS).flatMap(([flag, value]) =>
    value === true ? [`--${flag}`] : [`--${flag}`, value],
  );
}

/** Every file under `dir`, as sorted relative paths. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Asserts that `shipped` (a project scaffolded by the product) holds exactly the files, with
 * exactly the contents, that the generator's source writes into the same fixture with the
 * same flags (through yeoman-test, as the unit tests run it), and that the files are the
 * user's (`uid`), not root's.
 */
export async function expectSameAsSource(shipped: string, reference: string, uid: number): Promise<void> {
  await runGenerator(reference, Object.fromEntries(Object.entries(SCAFFOLD_FLAGS)));
  const files = listFiles(shipped);
  expect(files).toEqual(listFiles(reference));
  for (const file of files) {
    expect(readFileSync(join(shipped, file), 'utf8'), file).toBe(readFileSync(join(reference, file), 'utf8'));
    expect(statSync(join(shipped, file)).uid, `${file} owner`).toBe(uid);
  }
  // Not vacuous: the flags reached the generated files.
  expect(files).toEqual(
    expect.arrayContaining([
      'Dockerfile',
      'compose.yaml',
      '.yo-rc.json',
      'docker/apache2.conf',
      'kubernetes/deployment.yaml',
    ]),
  );
  expect(readFileSync(join(shipped, 'compose.yaml'), 'utf8')).toContain('WSGI_PROCESSES: ${WSGI_PROCESSES:-3}');
  const answers = JSON.parse(readFileSync(join(shipped, '.yo-rc.json'), 'utf8'))['generator-wsgi-apache'];
  expect(answers).toMatchObject({
    name: 'shipped',
    processes: 3,
    threads: 4,
    static: ['/static=static'],
    kubernetes: true,
  });
}
