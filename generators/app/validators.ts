/**
 * Pure parsers for every answer and flag. Each takes the raw value (a flag string, a
 * prompt answer or a value stored in `.yo-rc.json`) and returns the typed value, or
 * throws an {@link InputError} that names the input and the fix. The same functions
 * back the prompts' `validate`, so a flag can never get past a check a prompt makes.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { InputError } from '../lib/input-error.js';

/** Debian releases the image can be based on. trixie: Python 3.13, mod_wsgi 5.0.2; bookworm: Python 3.11, mod_wsgi 4.9.4. */
export const BASE_SUITES = ['trixie', 'bookworm'] as const;
export type BaseSuite = (typeof BASE_SUITES)[number];

/** One `Alias` for static files: URL prefix (no trailing slash) to a directory relative to the project root (POSIX). */
export interface StaticMapping {
  url: string;
  dir: string;
}

/**
 * A whole number within bounds.
 * @param flag - the flag name used in the message, e.g. `--threads`
 * @param raw - string or number
 * @throws InputError when not a whole number or out of [min, max]
 */
export function parseInteger(flag: string, raw: unknown, min: number, max: number): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new InputError(flag, `"${String(raw)}" is not a whole number`, `pass a whole number from ${min} to ${max}`);
  }
  const value = Number(text);
  if (value < min || value > max) {
    throw new InputError(flag, `${value} is out of range`, `pass a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * The project name: Docker image name, Compose project and service name.
 * Lowercased first; then it must match both Docker's image-name component grammar
 * (`[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`, distribution/reference) and Compose's
 * project-name rule (`^[a-z0-9][a-z0-9_-]*$`), i.e. no dots.
 * @throws InputError naming `--name` and a suggested valid name
 */
export function parseProjectName(raw: unknown): string {
  const name = String(raw ?? '').trim().toLowerCase();
  const valid = /^[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*$/.test(name) && name.length <= 63;
  if (!valid) {
    const suggestion = suggestProjectName(name) || 'myapp';
    throw new InputError(
      '--name',
      `"${String(raw)}" is not a valid Docker image and Compose project name`,
      `use lowercase letters, digits and single "-" or "_" between them, at most 63 characters, e.g. --name ${suggestion}`,
    );
  }
  return name;
}

/** A valid project name made from any text (a directory name), or '' when nothing usable is left. */
export function suggestProjectName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** @throws InputError unless one of {@link BASE_SUITES} */
export function parseBase(raw: unknown): BaseSuite {
  const value = String(raw).trim().toLowerCase();
  if ((BASE_SUITES as readonly string[]).includes(value)) return value as BaseSuite;
  throw new InputError('--base', `"${String(raw)}" is not a supported Debian release`, `pass one of ${BASE_SUITES.join(', ')}`);
}

/**
 * A list flag: repeated flags, comma-separated strings, or an array (from `.yo-rc.json`).
 * Empty items are dropped.
 */
export function toList(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items
    .flatMap(item => String(item).split(','))
    .map(item => item.trim())
    .filter(item => item.length > 0);
}

/**
 * Debian package names for `apt-get install`, optionally pinned (`name=version`).
 * @throws InputError naming `--apt-packages` and the offending name
 */
export function parseAptPackages(raw: unknown): string[] {
  const names = toList(raw);
  for (const name of names) {
    if (!/^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?$/.test(name)) {
      throw new InputError(
        '--apt-packages',
        `"${name}" is not a Debian package name`,
        'pass comma-separated Debian package names such as python3-flask,libpq5',
      );
    }
  }
  return [...new Set(names)];
}

/**
 * A path given by the user, resolved inside the project root.
 * @returns the path relative to `root`, POSIX separators, no leading `./`
 * @throws InputError when it leaves the project (absolute outside, or `..`)
 */
export function projectRelative(flag: string, root: string, raw: string): string {
  const rel = relative(root, isAbsolute(raw) ? raw : join(root, raw));
  if (rel === '' ) return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(flag, `"${raw}" is outside the project directory ${root}`, 'use a path inside the project');
  }
  return normalize(rel).split(sep).join('/');
}

/**
 * Static URL mappings, `--static /static=path/to/dir` (repeatable).
 * @param root - the project root; every directory must exist below it
 * @throws InputError for a malformed mapping, a URL that is not a plain path, or a missing directory
 */
export function parseStaticMappings(raw: unknown, root: string): StaticMapping[] {
  const mappings: StaticMapping[] = [];
  for (const item of toList(raw)) {
    const match = /^(\/[^=\s"']*)=(.+)$/.exec(item);
    const url = match?.[1].replace(/\/+$/, '') ?? '';
    if (!match || url === '' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(url)) {
      throw new InputError(
        '--static',
        `"${item}" is not a URL=directory mapping`,
        'write it as /static=path/to/dir (a URL path other than "/", then "=", then a directory in the project)',
      );
    }
    const dir = projectRelative('--static', root, match[2]);
    if (!isDirectory(join(root, dir))) {
      throw new InputError('--static', `directory "${match[2]}" for ${url} does not exist in ${root}`, 'create it or correct the path');
    }
    if (mappings.some(m => m.url === url)) {
      throw new InputError('--static', `URL ${url} is mapped twice`, 'give each URL prefix once');
    }
    mappings.push({ url, dir });
  }
  return mappings;
}

/** Static mappings as they are stored in `.yo-rc.json` and given as flags. */
export function formatStaticMappings(mappings: readonly StaticMapping[]): string[] {
  return mappings.map(m => `${m.url}=${m.dir}`);
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Directories the app writes at run time (uploads, Flask's `instance/`), `--data-dir DIR`
 * (repeatable). They need not exist yet. Restricted to plain path characters because
 * they are written unquoted into the Dockerfile and YAML.
 * @returns project-relative POSIX paths
 * @throws InputError for the project root itself, a path outside it, or unusual characters
 */
export function parseDataDirs(raw: unknown, root: string): string[] {
  const dirs: string[] = [];
  for (const item of toList(raw)) {
    if (!/^[A-Za-z0-9._/-]+$/.test(item)) {
      throw new InputError('--data-dir', `"${item}" has characters other than letters, digits, ".", "_", "-" and "/"`, 'rename the directory or pick another');
    }
    const dir = projectRelative('--data-dir', root, item);
    if (dir === '.') throw new InputError('--data-dir', 'the project root itself cannot be a data directory', 'name a subdirectory such as instance or media');
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

/**
 * `--health-path`: a URL path (optionally with a query) requested with `Host: localhost`
 * by the image HEALTHCHECK, the Kubernetes probes and the check. Restricted to unreserved
 * characters because it is written unquoted into the Dockerfile and YAML.
 * @throws InputError when it does not start with `/` or has other characters
 */
export function parseHealthPath(raw: unknown): string {
  const text = String(raw ?? '').trim();
  if (!/^\/[A-Za-z0-9._~\/-]*(\?[A-Za-z0-9._~=&-]*)?$/.test(text)) {
    throw new InputError(
      '--health-path',
      `"${text}" is not a URL path`,
      'start it with / and use letters, digits, ".", "_", "~", "-" and "/" (e.g. /healthz or /admin/login/)',
    );
  }
  return text;
}

/**
 * `--init-command` (repeatable): shell lines run by `/bin/sh` in the project directory, in order,
 * before the app serves. Not split at commas: a command may hold them.
 * @returns the commands, trimmed, empty ones dropped
 * @throws InputError for a command spanning lines (each repetition of the flag is one line)
 */
export function parseInitCommands(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const commands = (Array.isArray(raw) ? raw : [raw]).map(item => String(item).trim()).filter(item => item.length > 0);
  for (const command of commands) {
    if (/[\n\r\0]/.test(command)) {
      throw new InputError('--init-command', `"${command.split(/[\n\r]/)[0]}..." spans more than one line`, 'repeat --init-command once per command');
    }
  }
  return commands;
}

/** A repeatable flag's values as given, without splitting at commas. */
export function toRepeated(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}
