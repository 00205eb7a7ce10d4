/**
 * A strict command-line parser for the generator's own flags, and the raw command line
 * `yo` was given.
 *
 * Why: `yo` parses its argv with meow before it knows the generator's options, so every
 * flag may take the next word as its value (`yo wsgi-apache -y --skip-build ../plain`
 * arrives as `{ y: true, skipBuild: '../plain' }`, the directory lost), unknown flags
 * arrive as options nobody looks at, and a value-less `--port` arrives as `true`.
 * yeoman-generator then converts those values with the declared types (minimist over an
 * empty argv, `String(true)`), which cannot restore what meow threw away. Reading the
 * raw tokens again with the declared kinds is the only way to get them right.
 */
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from './input-error.js';

/**
 * How an option takes its value:
 * - `boolean`: never takes the next word; `--x`, `--no-x`, `--x=true|false`;
 * - `value`: one value, `--x VALUE` or `--x=VALUE`, given at most once;
 * - `list`: repeatable, each `--x VALUE` adds one; `--x ''` and `--no-x` give an explicitly empty list.
 */
export type OptionKind = 'boolean' | 'value' | 'list';

/** One option the command line may hold. */
export interface OptionSpec {
  /** long name without `--`, e.g. `skip-build` */
  name: string;
  kind: OptionKind;
  /** one-letter short form without `-`, e.g. `y` */
  alias?: string;
  /** what the option is for, quoted when its value is missing */
  description?: string;
}

/** What a command line says, as given. */
export interface CommandLine {
  /**
   * Every option the command line names, by long name: `boolean` options as true/false,
   * `value` options as the string given, `list` options as every value given, in order
   * (`[]` when cleared with `--no-x` or `--x ''`). Options not named are absent.
   */
  given: Map<string, boolean | string | string[]>;
  /** words that are not options or their values, in order (everything after `--` too) */
  positionals: string[];
}

/**
 * Parses `tokens` (the words after the generator's name) against `specs`.
 *
 * @param tokens - e.g. `['-y', '--skip-build', '../plain']`
 * @param specs - every option that is allowed, with its kind
 * @param command - how the user invoked it, for messages (e.g. `yo wsgi-apache`)
 * @returns the options and positionals; see {@link CommandLine}
 * @throws InputError naming the offending flag for: an unknown option (with the nearest
 *   known one as a suggestion), a value option without a value, a value given to a
 *   boolean, a value option given twice, `--no-` on a value option
 */
export function parseCommandLine(
  tokens: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): CommandLine {
  const byName = new Map(specs.map(spec => [spec.name, spec]));
  const byAlias = new Map(specs.filter(spec => spec.alias).map(spec => [spec.alias!, spec]));
  const given = new Map<string, boolean | string | string[]>();
  const positionals: string[] = [];
  const help = `${command} --help lists every option`;

  const unknown = (flag: string): never => {
    const suggestion = nearestOption(flag, specs);
    throw new InputError(
      flag,
      `is not an option of ${command}`,
      suggestion ? `did you mean ${suggestion}? (${help})` : help,
    );
  };
  const setValue = (spec: OptionSpec, flag: string, value: string) => {
    if (spec.kind === 'list') {
      const list = (given.get(spec.name) as string[] | undefined) ?? [];
      // An empty value clears the list (`--static ''`): what the user says replaces .yo-rc.json's.
      if (value !== '') list.push(value);
      given.set(spec.name, list);
      return;
    }
    if (value === '') missingValue(spec, flag);
    const previous = given.get(spec.name);
    if (previous !== undefined && previous !== value) {
      throw new InputError(flag, `is given twice ("${String(previous)}" and "${value}")`, `give --${spec.name} once`);
    }
    given.set(spec.name, value);
  };
  const missingValue = (spec: OptionSpec, flag: string): never => {
    const what = spec.description ? ` (${spec.description})` : '';
    throw new InputError(flag, `needs a value${what}`, `write ${flag} VALUE or ${flag}=VALUE`);
  };
  const setBoolean = (spec: OptionSpec, flag: string, value: boolean | string) => {
    if (typeof value === 'string') {
      if (!/^(true|false)$/i.test(value)) {
        throw new InputError(
          flag,
          `is an on/off flag and takes no value ("${value}")`,
          `write ${flag} alone (or --no-${spec.name} to turn it off)`,
        );
      }
      value = value.toLowerCase() === 'true';
    }
    given.set(spec.name, value);
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === '--') {
      positionals.push(...tokens.slice(index + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      positionals.push(token);
      continue;
    }
    // The value of a value or list option: `--x=VALUE`, or the next word unless it is an option itself.
    const nextValue = (spec: OptionSpec, flag: string, inline: string | undefined): string => {
      if (inline !== undefined) return inline;
      const next = tokens[index + 1];
      if (next === undefined || looksLikeOption(next) || next === '--') return missingValue(spec, flag);
      index++;
      return next;
    };

    if (token.startsWith('--')) {
      const equals = token.indexOf('=');
      const name = token.slice(2, equals === -1 ? undefined : equals);
      const inline = equals === -1 ? undefined : token.slice(equals + 1);
      const flag = `--${name}`;
      const spec = byName.get(name);
      if (spec) {
        if (spec.kind === 'boolean') setBoolean(spec, flag, inline ?? true);
        else setValue(spec, flag, nextValue(spec, flag, inline));
        continue;
      }
      const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
      if (!negated) unknown(flag);
      if (inline !== undefined) {
        throw new InputError(flag, `takes no value ("${inline}")`, `write ${flag} alone`);
      }
      if (negated!.kind === 'boolean') given.set(negated!.name, false);
      else if (negated!.kind === 'list') given.set(negated!.name, []);
      else
        throw new InputError(
          flag,
          `--${negated!.name} cannot be turned off, it always has a value`,
          `leave ${flag} out, or give --${negated!.name} VALUE`,
        );
      continue;
    }

    // Short options: `-y`, grouped on/off flags `-yh`, or `-p VALUE` / `-p=VALUE` for the last one.
    const equals = token.indexOf('=');
    const letters = token.slice(1, equals === -1 ? undefined : equals);
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    for (const [position, letter] of [...letters].entries()) {
      const flag = `-${letter}`;
      const spec = byAlias.get(letter) ?? unknown(flag);
      const last = position === letters.length - 1;
      if (spec.kind === 'boolean') {
        setBoolean(spec, flag, last ? (inline ?? true) : true);
      } else if (last) {
        setValue(spec, flag, nextValue(spec, flag, inline));
      } else {
        // `-pv`: the value of -p would be "v"; too easy to misread, so it must be spelled out.
        missingValue(spec, flag);
      }
    }
  }
  return { given, positionals };
}

/** Whether a word is an option rather than a value: `-x`, `--x`; not `-`, not a negative number. */
function looksLikeOption(token: string): boolean {
  return /^--?[A-Za-z]/.test(token);
}

/**
 * The known option closest to a mistyped one, e.g. `--prot` -> `--port`, `--kubernets` ->
 * `--kubernetes`, `--skipBuild` -> `--skip-build`, `--no-kubernets` -> `--no-kubernetes`.
 * @param flag - as typed, with its dashes
 * @returns the suggestion with dashes, or undefined when nothing is close (see {@link nearestName})
 */
export function nearestOption(flag: string, specs: readonly OptionSpec[]): string | undefined {
  if (!flag.startsWith('--')) {
    const letter = flag.slice(1).toLowerCase();
    const spec = specs.find(candidate => candidate.alias?.toLowerCase() === letter);
    return spec ? `-${spec.alias}` : undefined;
  }
  // camelCase and snake_case spellings of a kebab-case option are the same option.
  let name = flag
    .slice(2)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  let prefix = '--';
  const negatable = (spec: OptionSpec) => spec.kind !== 'value';
  if (name.startsWith('no-') && !specs.some(spec => spec.name === name)) {
    name = name.slice(3);
    prefix = '--no-';
  }
  const candidates = specs.filter(spec => prefix === '--' || negatable(spec)).map(spec => spec.name);
  const nearest = nearestName(name, candidates);
  return nearest === undefined ? undefined : `${prefix}${nearest}`;
}

/**
 * The name among `names` closest to a mistyped `word`, compared without case.
 * @returns the name, or undefined when nothing is close: close means a Damerau-Levenshtein
 *   distance of at most 1 for words under 5 letters, 2 under 10, else 3; or `word` (3
 *   letters or more) begins exactly one name
 */
export function nearestName(word: string, names: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  const allowed = typed.length < 5 ? 1 : typed.length < 10 ? 2 : 3;
  if (best && best.distance <= allowed) return best.name;
  const prefixed = typed.length >= 3 ? names.filter(name => name.toLowerCase().startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The words `yo` was given for this generator, when this process is `yo`'s command line
 * (`yo wsgi-apache ...`); undefined otherwise (yeoman-test, yeoman-environment's API, `yoe`,
 * which pass the generator its own arguments).
 *
 * Follows yo 7's `lib/cli.js`: `cli-list` splits `process.argv.slice(2)` into one command
 * per word ending in `,`, and the command that names this generator is ours.
 *
 * @param argv - `process.argv`
 * @param names - the spellings that select this generator, e.g. `wsgi-apache`, `wsgi-apache:app`,
 *   `generator-wsgi-apache`
 * @returns the words of our command without the generator's name (options and positionals, in order)
 */
export function yoCommandLine(argv: readonly string[], names: readonly string[]): string[] | undefined {
  const script = argv[1];
  if (script === undefined || !isYo(script)) return undefined;
  const commands: string[][] = [[]];
  for (const word of argv.slice(2)) {
    if (word.endsWith(',')) {
      commands.at(-1)!.push(word.slice(0, -1));
      commands.push([]);
    } else {
      commands.at(-1)!.push(word);
    }
  }
  for (const words of commands) {
    const at = words.findIndex(word => names.includes(word));
    if (at !== -1) return [...words.slice(0, at), ...words.slice(at + 1)];
  }
  return undefined;
}

/** Whether `script` (process.argv[1]) is yo's command: its bin link `yo`, or `yo/lib/cli.js` it points to. */
function isYo(script: string): boolean {
  if (/^yo(\.js|\.cmd)?$/.test(basename(script))) return true;
  try {
    return /[\\/]yo[\\/]lib[\\/]cli\.js$/.test(realpathSync(script));
  } catch {
    return false;
  }
}

/**
 * Flags that yo and yeoman-environment read themselves, not the generator: accepted on our
 * command line (so they are not "unknown"), not listed by --help (yo's and yeoman's docs have them).
 */
export const PASSED_THROUGH: readonly OptionSpec[] = [
  // yo: print stack traces; look up generators in the current project only
  { name: 'debug', kind: 'boolean' },
  { name: 'local-only', kind: 'boolean' },
  // chalk (supports-color) reads --color / --no-color from process.argv itself
  { name: 'color', kind: 'boolean' },
  // yeoman-environment's conflicter
  { name: 'bail', kind: 'boolean' },
  { name: 'dry-run', kind: 'boolean' },
  { name: 'ignore-whitespace', kind: 'boolean' },
  { name: 'skip-yo-resolve', kind: 'boolean' },
];
