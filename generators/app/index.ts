/**
 * `yo wsgi-apache`: adds an Apache httpd + mod_wsgi (daemon mode) Docker stack to an
 * existing Python WSGI project. Phases only; the work lives in the modules beside it.
 *
 * All or nothing: the command line, `.yo-rc.json`, every answer, every conflict and every
 * target path are checked before the first byte is written, and the write itself is undone
 * when it fails half-way (`../lib/transaction.ts`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import {
  type CommandLine,
  nearestName,
  type OptionSpec,
  PASSED_THROUGH,
  parseCommandLine,
  yoCommandLine,
} from '../lib/argv.js';
import { lockFileNotices } from './lock-files.js';
import { formatEntry, uncheckedEntryFile } from './entry.js';
import { composeBuild, DockerUnavailableError } from '../lib/docker-build.js';
import { InputError } from '../lib/input-error.js';
import { packageRoot } from '../lib/package-root.js';
import { checkWritable, commitAllOrNothing, conflicterOptionsOf, hasTerminal } from '../lib/transaction.js';
import { detectProject } from './detect.js';
import { GENERATED_FILES, renderGenerated } from './files.js';
import { BASE_FILE, lastWritten, type LastWritten, planFile, RECORD_KEY, recordOf } from './upgrade.js';
import { mergeLines } from './lines.js';
import {
  type AnswerContext,
  type Answers,
  type Field,
  FIELDS,
  type ParsedAnswers,
  resolveAnswers,
  storedAnswers,
} from './options.js';
import { isDirectory } from '../lib/fs.js';
import { toList, toRepeated } from '../lib/parse.js';
import { type ProjectModel, projectModel } from './views/model.js';
import { SECRETS_DIR } from './app-environment.js';

/**
 * A secret's file is readable by all, its folder by its owner only (0700, set after the commit):
 * Compose bind-mounts the file itself (file secrets ignore `uid`/`mode` outside Swarm), and the
 * production container runs as uid 10001, not as the owner; only the folder keeps other host users out.
 */
const SECRET_FILE_MODE = 0o644;

type RawAnswers = Partial<Record<keyof Answers, unknown>>;

/** Parsed command line: the project directory, `--yes`, `--skip-build`, `--force` and one entry per field flag. */
export type WsgiApacheOptions = BaseOptions & {
  directory?: string;
  yes?: boolean;
  'skip-build'?: boolean;
  force?: boolean;
  [flag: string]: unknown;
};

/** How the user runs us, in messages. */
const COMMAND = 'yo wsgi-apache';
/** The key of our answers in `.yo-rc.json` (yeoman stores them under the package name). */
const CONFIG_KEY = 'generator-wsgi-apache';
const CONFIG_FILE = '.yo-rc.json';

export default class WsgiApacheGenerator extends Generator<Record<string, unknown>, WsgiApacheOptions> {
  #context!: AnswerContext;
  /** answers read from `.yo-rc.json` */
  #stored: RawAnswers = {};
  #prompted: RawAnswers = {};
  /** flags the user named, by field key: a given `false` or empty list counts (it beats `.yo-rc.json`) */
  #given: RawAnswers = {};
  #directory: string | undefined;
  /** a command-line error, thrown when the run starts (not while yo only prints --help) */
  #commandLineError: Error | undefined;
  #answers!: ParsedAnswers;
  #model!: ProjectModel;
  /** set once writing() has checked everything: only then may the commit write */
  #cleared = false;
  /** files written with conflict markers by an upgrade's merge (project-relative) */
  #conflicts: string[] = [];

  constructor(args?: string[], options?: WsgiApacheOptions) {
    super(args, options as WsgiApacheOptions);
    this.argument('directory', {
      type: String,
      required: false,
      description: 'The Python project to add the stack to (default: the current directory)',
    });
    for (const field of FIELDS) {
      // Lists keep every repetition of the flag; yeoman would otherwise String() the array.
      const type = field.boolean ? Boolean : field.list ? (field.repeatOnly ? toRepeated : toList) : String;
      this.option(field.flag, { type, description: field.description });
    }
    this.option('yes', {
      type: Boolean,
      alias: 'y',
      description: 'Ask nothing: use flags, then .yo-rc.json, then detected values and defaults',
    });
    this.option('skip-build', {
      type: Boolean,
      description: 'Do not build the image at the end (no Docker engine needed)',
    });
    this.option('force', {
      type: Boolean,
      description:
        'Overwrite a changed file that no earlier run recorded, without asking (default: ask in a terminal; without one, stop and write nothing); recorded files are merged either way',
    });
    this.sourceRoot(join(packageRoot(), 'templates'));
    this.#readCommandLine();
    // Our own commit: Yeoman's conflicter first, then every file at once, undone on failure.
    this.setFeatures({ customCommitTask: () => this.#commit() });
  }

  /**
   * yeoman-generator reads `.yo-rc.json` while it constructs (for `this.config`); a broken file
   * would crash there with mem-fs's own message. An empty stand-in lets initializing() report
   * it, naming the file, through readStoredAnswers.
   */
  // The same signature as yeoman-generator's, which is typed with `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override _getStorage<StoredType extends Record<any, any> = Record<any, any>>(
    ...args: Parameters<Generator['_getStorage']>
  ) {
    try {
      return super._getStorage<StoredType>(...args);
    } catch (error) {
      if (!existsSync(this.destinationPath(CONFIG_FILE))) throw error;
      // A path that does not exist: reads as empty; writing() sets config only after the real file was validated.
      return this.createStorage<StoredType>(`${CONFIG_FILE}.unreadable`, { name: this.rootGeneratorName() });
    }
  }

  initializing(): void {
    if (this.#commandLineError) throw this.#commandLineError;
    if (this.options.yes && this.options['ask-answered']) {
      throw new InputError('--ask-answered', 'asks the questions again, and --yes asks none', 'give one of them');
    }
    const directory = this.#directory;
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
    this.#stored = readStoredAnswers(join(root, CONFIG_FILE));
    this.#context = { root, facts: detectProject(root) };
  }

  async prompting(): Promise<void> {
    const askAnswered = this.options['ask-answered'] === true;
    if (this.options.yes || (this.#stored.entry !== undefined && !askAnswered)) return;
    const given = this.#given;
    const stored = askAnswered ? this.#stored : {};
    const ctx = this.#context;
    const questions = FIELDS.filter(field => field.prompt && given[field.key] === undefined).map(field => {
      // A function, so defaults that follow the entry (data directories, init commands) see the answer given above.
      const fallback = (earlier: RawAnswers) => {
        const value = (stored[field.key] ?? field.defaultValue(ctx, { ...stored, ...given, ...earlier })) as never;
        return value === undefined
          ? undefined
          : field.format && typeof value !== 'string'
            ? field.format(value)
            : value;
      };
      return {
        type: field.prompt as 'input' | 'select' | 'confirm',
        name: field.key,
        message: field.description,
        default: fallback,
        choices: field.choices ? [...field.choices] : undefined,
        validate: (value: unknown, earlier: RawAnswers = {}) => {
          try {
            field.parse(fromPromptLine(field, value), ctx, { ...stored, ...given, ...earlier });
            return true;
          } catch (error) {
            return error instanceof InputError ? error.message : String(error);
          }
        },
      };
    });
    if (questions.length === 0) return;
    if (!hasTerminal(this.env.adapter)) {
      throw new InputError(
        COMMAND,
        `has ${questions.length} question${questions.length === 1 ? '' : 's'} to ask and no terminal to ask them on (stdin is not a TTY)`,
        'pass --yes to take flags, .yo-rc.json, detected values and defaults without asking, or run it in a terminal',
      );
    }
    const typed = (await this.prompt(questions as never)) as RawAnswers;
    this.#prompted = Object.fromEntries(
      Object.entries(typed).map(([key, value]) => [
        key,
        fromPromptLine(
          FIELDS.find(field => field.key === key)!,
          value,
        ),
      ]),
    ) as RawAnswers;
  }

  configuring(): void {
    this.#answers = this.#resolve();
    this.#model = projectModel(this.#answers, this.#context.facts, readVersion());
  }

  writing(): void {
    const root = this.destinationRoot();
    const files = renderFiles(this.#model, template => this.fs.read(this.templatePath(template)), root);
    const version = readVersion();
    // Files the generator owns: not the user's own once written (local.conf), not the shared line lists (.gitignore).
    const owned = new Map([...files].filter(([destination]) => isOwned(destination)));
    const last = this.#lastWritten(root);
    const planned = new Map(
      [...owned].map(([destination, text]) => [
        destination,
        planFile(
          readIfFile(join(root, destination)),
          text,
          last?.hashes.get(destination),
          last?.texts.get(destination),
          {
            mine: `${destination} (yours)`,
            base: `${COMMAND} ${last?.version ?? ''}`.trim(),
            next: `${COMMAND} ${version}`,
          },
        ),
      ]),
    );
    const record = recordOf(version, owned);
    // .yo-rc.json goes through mem-fs like every file: it reaches the disk in the same commit, or not at all.
    this.config.set({ ...storedAnswers(this.#answers), [RECORD_KEY]: record.record });
    for (const [destination, contents] of files)
      this.fs.write(join(root, destination), planned.get(destination)?.text ?? contents);
    this.fs.write(join(root, BASE_FILE), record.base);
    // A secret's value is the user's from the moment it exists: written once, random, never in .yo-rc.json.
    const secrets = this.#model.secrets.map(secret => join(root, secret.file)).filter(path => !existsSync(path));
    for (const path of secrets)
      this.fs.write(path, randomBytes(32).toString('base64url'), { stat: { mode: SECRET_FILE_MODE } as Stats });

    const conflicter = conflicterOptionsOf(this.env);
    if (conflicter.dryRun) {
      this.#cleared = true;
      return;
    }
    this.#conflicts = [...planned]
      .filter(([, plan]) => plan.outcome === 'conflict')
      .map(([destination]) => destination);
    const targets = [
      ...[...files.keys(), CONFIG_FILE, BASE_FILE].map(destination => join(root, destination)),
      ...secrets,
    ];
    const changed = targets.filter(path => {
      const onDisk = readIfFile(path);
      return onDisk === undefined || onDisk !== this.fs.read(path);
    });
    // What the record says is ours, or merged with the user's changes, is written without asking.
    const settled = new Set(
      [...planned]
        .filter(([, plan]) => plan.outcome !== 'unknown')
        .map(([destination]) => join(root, destination))
        .concat(join(root, BASE_FILE)),
    );
    if (!conflicter.force && !conflicter.bail) {
      for (const path of changed.filter(path => settled.has(path) && existsSync(path))) {
        const file = this.env.sharedFs.get(path) as { conflicter?: string };
        file.conflicter = 'force';
      }
    }
    const differing = changed.filter(path => existsSync(path) && !path.endsWith(CONFIG_FILE) && !settled.has(path));
    if (differing.length > 0 && !conflicter.force && !conflicter.bail && !hasTerminal(this.env.adapter)) {
      // No terminal: Yeoman's prompt would fail half-way ("User force closed the prompt").
      // Files still exactly as the saved answers render them are ours to update; the rest are the user's.
      const previous = this.#previousRender();
      // A shared file (.gitignore) only gains lines: every line of the user's stays.
      const shared = new Set(GENERATED_FILES.filter(file => file.lines).map(file => join(root, file.destination)));
      const users = differing.filter(
        path => !shared.has(path) && (previous?.get(path) === undefined || previous.get(path) !== readIfFile(path)),
      );
      if (users.length > 0) {
        const names = users.map(path => path.slice(root.length + 1)).join(', ');
        const [is, them] = users.length === 1 ? ['is', 'it'] : ['are', 'them'];
        throw new InputError(
          names,
          `${is} not as ${COMMAND} last wrote ${them} (your own, or changed since), and without a terminal there is no one to ask whether to overwrite ${them}; nothing was written`,
          `pass --force to overwrite ${them}, or move ${them} away (or run in a terminal to decide file by file)`,
        );
      }
      for (const path of differing) {
        const file = this.env.sharedFs.get(path) as { conflicter?: string };
        file.conflicter = 'force';
      }
    }
    const dataDirs = this.#model.dataDirs.map(({ dir }) => join(root, dir)).filter(path => !isDirectory(path));
    checkWritable(root, changed, dataDirs);
    this.#cleared = true;
  }

  async end(): Promise<void> {
    if (this.#conflicts.length > 0) {
      const names = this.#conflicts.join(', ');
      const [has, them] = this.#conflicts.length === 1 ? ['has', 'it'] : ['have', 'them'];
      throw new InputError(
        names,
        `${has} your changes and ${COMMAND}'s in the same lines: written with conflict markers (<<<<<<< yours, ||||||| last written, >>>>>>> new); every other file was updated, the image not built`,
        `edit ${them} to keep what you want and remove the markers, then run docker compose build`,
      );
    }
    const { name, port: hostPort } = this.#model.answers;
    if (!this.options['skip-build']) {
      this.log(`Building image ${name}:latest with docker compose build (BuildKit)...`);
      try {
        await composeBuild({ context: this.destinationRoot(), onLine: line => this.log(`  ${line}`) });
      } catch (error) {
        if (!(error instanceof DockerUnavailableError)) throw error;
        this.log(
          `Image not built: ${error.message}; the project is complete, build it later with docker compose build.`,
        );
      }
    }
    const { facts } = this.#context;
    const { entry } = this.#model.answers;
    const unchecked = uncheckedEntryFile(entry, this.destinationRoot());
    if (unchecked) {
      this.log(
        `Note: --entry ${formatEntry(entry)} was not checked: python3 on this machine could not parse ${unchecked}; the image build imports it, and a wrong name shows on the first request.`,
      );
    }
    for (const notice of lockFileNotices(this.destinationRoot(), facts.requirementFiles.length > 0)) {
      this.log(`Note: ${notice}.`);
    }
    this.log(`
Done. Next:
  docker compose up --build          development: live code, reload on save (http://127.0.0.1:${hostPort}/)
  docker compose -f compose.yaml up  production shape
See DOCKER.md for tuning and the files written.`);
  }

  /** The environment's commit (its `conflicts` step), all or nothing; the data directories are created in it too. */
  async #commit(): Promise<void> {
    if (!this.#cleared) return;
    const root = this.destinationRoot();
    // The development shape bind-mounts these from the host; a missing one would be
    // created by the Docker engine as root and be unwritable for the host user.
    await commitAllOrNothing(
      { sharedFs: this.env.sharedFs, adapter: this.env.adapter, conflicterOptions: conflicterOptionsOf(this.env) },
      root,
      this.#model.dataDirs.map(({ dir }) => join(root, dir)),
    );
    const secrets = join(root, SECRETS_DIR);
    if (this.#model.secrets.length > 0 && isDirectory(secrets)) {
      try {
        chmodSync(secrets, 0o700);
      } catch {
        // Another user's folder (a shared checkout): its owner decides who reads it.
      }
    }
  }

  /**
   * Reads the command line with the declared kinds of every option (see `../lib/argv.ts` for
   * why yo's own parse cannot be trusted), sets `this.options` from it, and records the
   * project directory and which answers were given as flags.
   */
  #readCommandLine(): void {
    const specs: OptionSpec[] = [
      ...Object.values(this._options).map(option => ({
        name: option.name,
        alias: option.alias,
        description: option.description,
        kind:
          option.type === Boolean
            ? ('boolean' as const)
            : FIELDS.some(field => field.flag === option.name && field.list)
              ? ('list' as const)
              : ('value' as const),
      })),
      ...PASSED_THROUGH.filter(spec => !(spec.name in this._options)),
    ];
    const base = this._namespace.replace(/:app$/, '');
    const fromYo = yoCommandLine(process.argv, [
      this._namespace,
      base,
      `generator-${base}`,
      `generator-${this._namespace}`,
    ]);
    let line: CommandLine;
    try {
      line = parseCommandLine(fromYo ?? this._args, specs, COMMAND);
      if (line.positionals.length > 1) {
        throw new InputError(
          `"${line.positionals[1]}"`,
          `is one argument too many: ${COMMAND} takes one project directory ("${line.positionals[0]}")`,
          `quote a path with spaces; flags and their values are written --flag VALUE`,
        );
      }
    } catch (error) {
      if (this.options.help) return;
      this.#commandLineError = error as Error;
      return;
    }
    const given = new Map<string, unknown>();
    if (fromYo === undefined) {
      // Called through yeoman-environment's API (yeoman-test, env.run with an options object): those options count as given.
      const passed = this._initOptions as Record<string, unknown>;
      for (const spec of specs) {
        const value = passed[spec.name];
        if (value === undefined || (spec.kind === 'value' && value === '')) continue;
        given.set(spec.name, spec.kind === 'list' && value === '' ? [] : value);
      }
    }
    for (const [name, value] of line.given) given.set(name, value);
    for (const [name, value] of given) {
      // yeoman-environment reads the camelCase spelling (force, dryRun, skipInstall, askAnswered).
      const options = this.options as Record<string, unknown>;
      options[name] = value;
      options[name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value;
    }
    this.#directory =
      line.positionals[0] ??
      (fromYo === undefined ? (this._initOptions as { directory?: string }).directory : undefined);
    this.options.directory = this.#directory;
    for (const field of FIELDS) if (given.has(field.flag)) this.#given[field.key] = given.get(field.flag);
  }

  /**
   * The answers, flags first, then prompts and `.yo-rc.json`, then defaults.
   * @throws InputError as resolveAnswers does; an invalid value that came from `.yo-rc.json` is
   *   named as `.yo-rc.json "key"`, not as the flag the user did not give
   */
  #resolve(): ParsedAnswers {
    const given = { ...this.#stored, ...this.#prompted };
    try {
      return resolveAnswers(this.#given, given, this.#context);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const field = FIELDS.find(candidate => error.input === `--${candidate.flag}`);
      const fromFile =
        field &&
        this.#given[field.key] === undefined &&
        this.#prompted[field.key] === undefined &&
        this.#stored[field.key] !== undefined;
      if (!field || !fromFile) throw error;
      throw new InputError(
        `${CONFIG_FILE} "${field.key}"`,
        error.problem,
        `${error.fix} (in ${CONFIG_FILE}, or give --${field.flag} to replace the saved value)`,
      );
    }
  }

  /**
   * What the previous run wrote, as far as it can be known: every file rendered from the
   * answers saved in `.yo-rc.json`, by absolute path. Undefined when there are none, or they
   * no longer resolve (the project changed since).
   */
  /**
   * What the last run wrote, by {@link lastWritten}: our `.yo-rc.json` entry's record and the
   * base texts; undefined for a first run or a project from a generator that kept no record.
   */
  #lastWritten(root: string): LastWritten | undefined {
    const section = readJson(join(root, CONFIG_FILE)) as Record<string, unknown> | undefined;
    const ours = section?.[CONFIG_KEY] as Record<string, unknown> | undefined;
    return lastWritten(ours?.[RECORD_KEY], readJson(join(root, BASE_FILE)));
  }

  #previousRender(): Map<string, string> | undefined {
    if (Object.keys(this.#stored).length === 0) return undefined;
    try {
      const answers = resolveAnswers({}, this.#stored, this.#context);
      const model = projectModel(answers, this.#context.facts, readVersion());
      const files = renderFiles(model, template => this.fs.read(this.templatePath(template)), this.#context.root);
      return new Map([...files].map(([destination, contents]) => [join(this.#context.root, destination), contents]));
    } catch {
      return undefined;
    }
  }
}

/**
 * Every generated file's project-relative destination and content for `model`, in the order of GENERATED_FILES;
 * a file that becomes the user's (`once`) only while it is missing under `root`.
 * @throws Error when a template is missing from the package
 */
function renderFiles(
  model: ProjectModel,
  readTemplate: (template: string) => string | null | undefined,
  root: string,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of GENERATED_FILES) {
    if (file.when && !file.when(model)) continue;
    if (file.once && existsSync(join(root, file.destination))) continue;
    const text = renderGenerated(file, model, readTemplate);
    files.set(file.destination, file.lines ? mergeLines(readIfFile(join(root, file.destination)), text) : text);
  }
  return files;
}

/** Whether the generator owns `destination`: not the user's own once written, not a shared line list. */
function isOwned(destination: string): boolean {
  const file = GENERATED_FILES.find(candidate => candidate.destination === destination);
  return file !== undefined && !file.once && !file.lines;
}

/** `path` parsed as JSON; undefined when it is missing or not JSON. */
function readJson(path: string): unknown {
  const text = readIfFile(path);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Our answers saved in `.yo-rc.json` (by an earlier run, or by hand), checked for shape:
 * the file must be JSON, our entry an object, every key an answer; on/off answers
 * true/false, list answers lists of strings. Values themselves are checked by the fields'
 * parsers later, which name the key through `#resolve`.
 * @returns {} when there is no such file or no entry of ours in it
 * @throws InputError naming `.yo-rc.json` and the key
 */
function readStoredAnswers(path: string): RawAnswers {
  if (!existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(CONFIG_FILE, `is not valid JSON (${reason})`, `correct it, or delete it to be asked again`);
  }
  const section = (json as Record<string, unknown> | null)?.[CONFIG_KEY];
  if (section === undefined) return {};
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    throw new InputError(
      `${CONFIG_FILE} "${CONFIG_KEY}"`,
      'is not an object of answers',
      `correct it, or delete the "${CONFIG_KEY}" entry to be asked again`,
    );
  }
  const stored: RawAnswers = {};
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    // What the last run wrote (upgrade.ts), not an answer.
    if (key === RECORD_KEY) continue;
    const field: Field | undefined = FIELDS.find(candidate => candidate.key === key);
    if (!field) {
      const suggestion = nearestName(
        key,
        FIELDS.map(candidate => candidate.key),
      );
      throw new InputError(
        `${CONFIG_FILE} "${key}"`,
        `is not an answer of ${COMMAND}`,
        suggestion
          ? `did you mean "${suggestion}"? Rename or remove it`
          : `remove it (${COMMAND} --help lists the answers as flags)`,
      );
    }
    if (value === null || value === undefined) continue;
    if (field.boolean && typeof value !== 'boolean') {
      throw new InputError(
        `${CONFIG_FILE} "${key}"`,
        `${JSON.stringify(value)} is not true or false`,
        `write true or false, or give --${field.flag} / --no-${field.flag}`,
      );
    }
    if (
      field.list &&
      !(Array.isArray(value) && value.every(item => typeof item === 'string')) &&
      typeof value !== 'string'
    ) {
      throw new InputError(
        `${CONFIG_FILE} "${key}"`,
        `${JSON.stringify(value)} is not a list of strings`,
        `write a list such as [] or ["a", "b"], or give --${field.flag}`,
      );
    }
    stored[field.key] = value;
  }
  return stored;
}

function readVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A typed prompt line as the field's parser takes it (several items split apart); any other value as it is. */
function fromPromptLine(field: Field, value: unknown): unknown {
  return field.fromPrompt && typeof value === 'string' ? field.fromPrompt(value) : value;
}
