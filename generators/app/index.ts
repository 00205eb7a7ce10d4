/**
 * `yo wsgi-apache`: adds an Apache httpd + mod_wsgi (daemon mode) Docker stack to an
 * existing Python WSGI project. Phases only; the work lives in the modules beside it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { buildImage, DockerUnavailableError } from '../lib/docker-build.js';
import { InputError } from '../lib/input-error.js';
import { packageRoot } from '../lib/package-root.js';
import { renderTemplate } from '../lib/render.js';
import { detectProject } from './detect.js';
import { GENERATED_FILES } from './files.js';
import { type AnswerContext, type Answers, FIELDS, resolveAnswers } from './options.js';
import { isDirectory, toList, toRepeated } from './validators.js';
import { toViewModel, type ViewModel } from './view-model.js';

type RawAnswers = Partial<Record<keyof Answers, unknown>>;

/** Parsed command line: the project directory, `--yes`, `--skip-build` and one entry per field flag. */
export type WsgiApacheOptions = BaseOptions & {
  directory?: string;
  yes?: boolean;
  'skip-build'?: boolean;
  [flag: string]: unknown;
};

export default class WsgiApacheGenerator extends Generator<Record<string, unknown>, WsgiApacheOptions> {
  #context!: AnswerContext;
  #stored: RawAnswers = {};
  #prompted: RawAnswers = {};
  #view!: ViewModel;

  constructor(args?: string[], options?: WsgiApacheOptions) {
    super(args, options as WsgiApacheOptions);
    this.argument('directory', {
      type: String,
      required: false,
      description: 'The Python project to add the stack to (default: the current directory)',
    });
    for (const field of FIELDS) {
      // Lists keep every repetition of the flag; yeoman would otherwise String() the array.
      const type = field.boolean ? Boolean : field.list ? ((field.repeatOnly ? toRepeated : toList) as unknown as StringConstructor) : String;
      this.option(field.flag, { type, description: field.description });
    }
    this.option('yes', { type: Boolean, alias: 'y', description: 'Ask nothing: use flags, then .yo-rc.json, then detected values and defaults' });
    this.option('skip-build', { type: Boolean, description: 'Do not build the image at the end (no Docker engine needed)' });
    this.sourceRoot(join(packageRoot(), 'templates'));
  }

  initializing(): void {
    const directory = this.options.directory;
    if (directory !== undefined) {
      const target = resolve(this.destinationRoot(), directory);
      if (!isDirectory(target)) {
        throw new InputError(
          'the target directory',
          `"${directory}" is not a directory`,
          'pass the path of an existing Python project, or run yo wsgi-apache inside it',
        );
      }
      this.destinationRoot(target);
    }
    const root = this.destinationRoot();
    const stored = this.config.getAll() as Record<string, unknown>;
    for (const field of FIELDS) if (stored[field.key] !== undefined) this.#stored[field.key] = stored[field.key];
    this.#context = { root, facts: detectProject(root) };
  }

  async prompting(): Promise<void> {
    if (this.options.yes || this.#stored.entry !== undefined) return;
    const flags = this.#flags();
    const ctx = this.#context;
    const questions = FIELDS.filter(field => field.prompt && flags[field.key] === undefined).map(field => {
      // A function, so defaults that follow the entry (data directories, init commands) see the answer given above.
      const fallback = (earlier: RawAnswers) => {
        const value = field.defaultValue(ctx, { ...flags, ...earlier }) as never;
        return value === undefined ? undefined : field.format ? field.format(value) : value;
      };
      return {
        type: field.prompt as 'input' | 'select' | 'confirm',
        name: field.key,
        message: field.description,
        default: fallback,
        choices: field.choices ? [...field.choices] : undefined,
        validate: (value: unknown) => {
          try {
            field.parse(value, ctx);
            return true;
          } catch (error) {
            return error instanceof InputError ? error.message : String(error);
          }
        },
      };
    });
    this.#prompted = (await this.prompt(questions as never)) as RawAnswers;
  }

  configuring(): void {
    const answers = resolveAnswers(this.#flags(), { ...this.#stored, ...this.#prompted }, this.#context);
    this.#view = toViewModel(answers, this.#context.facts, this.#context.root, readVersion());
    this.config.set({ ...answers });
  }

  writing(): void {
    for (const file of GENERATED_FILES) {
      if (file.when && !file.when(this.#view)) continue;
      const template = this.fs.read(this.templatePath(file.template));
      if (template === null || template === undefined) throw new Error(`template ${file.template} is missing from the package`);
      this.fs.write(this.destinationPath(file.destination), renderTemplate(template, this.#view));
    }
    // The development shape bind-mounts these from the host; a missing one would be
    // created by the Docker engine as root and be unwritable for the host user.
    for (const { dir } of this.#view.dataDirs) mkdirSync(this.destinationPath(dir), { recursive: true });
  }

  async end(): Promise<void> {
    const { name, hostPort } = this.#view;
    if (!this.options['skip-build']) {
      this.log(`Building image ${name}:latest through the Docker engine...`);
      try {
        await buildImage({ context: this.destinationRoot(), tag: `${name}:latest`, onLine: line => this.log(`  ${line}`) });
      } catch (error) {
        if (!(error instanceof DockerUnavailableError)) throw error;
        this.log(`Image not built: ${error.message}; the project is complete, build it later with docker compose build.`);
      }
    }
    this.log(`
Done. Next:
  docker compose up --build          development: live code, reload on save (http://127.0.0.1:${hostPort}/)
  docker compose -f compose.yaml up  production shape
See DOCKER.md for tuning and the files written.`);
  }

  /** The answers given as flags (absent flags are left out). */
  #flags(): RawAnswers {
    const flags: RawAnswers = {};
    for (const field of FIELDS) {
      const value = this.options[field.flag];
      const empty = value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0);
      if (!empty) flags[field.key] = value;
    }
    return flags;
  }
}

function readVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
