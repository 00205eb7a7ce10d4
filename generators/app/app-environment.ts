/**
 * `--setenv NAME=VALUE`: the app's own environment (mod_wsgi-express's option of that name), set in
 * compose.yaml's `environment` (both Compose shapes) and the Kubernetes ConfigMap. mod_wsgi's
 * daemon processes are Apache's children, so the app reads it from `os.environ`.
 */
import { InputError } from '../lib/input-error.js';
import { toRepeated } from '../lib/parse.js';

/** One variable of the app's environment, as each generated file writes its value. */
export interface AppVariable {
  name: string;
  value: string;
  /** the value as a Compose YAML scalar: double-quoted, `$` doubled so Compose does not interpolate it */
  compose: string;
  /** the value as a YAML double-quoted scalar (Kubernetes ConfigMap data) */
  yaml: string;
}

/** Prefixes of the variables the image itself reads (DOCKER.md's tunables, Apache's, mod_wsgi's). */
const IMAGE_PREFIXES = ['WSGI_', 'APACHE_', 'CONTAINER_', 'MOD_WSGI_'] as const;

/** Variables the image sets or Compose reads for itself: an app value would break the image. */
const IMAGE_NAMES = new Set([
  'PATH',
  'HOME',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONDONTWRITEBYTECODE',
  'DJANGO_SETTINGS_MODULE',
  'HEALTHCHECK_PATH',
  'PUBLISH_PORT',
  'PUBLISH_ADDRESS',
]);

/** A POSIX shell variable name: what `docker run -e`, Compose and Kubernetes' env all accept. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks one name of the app's environment for `flag` (`--setenv`, `--secret`).
 * @throws InputError naming `flag` for a name that is not a shell variable name, or one the
 *   image owns (`WSGI_*`, `APACHE_*`, `PATH`, ...)
 */
export function checkAppVariableName(flag: string, name: string): void {
  if (!NAME.test(name))
    throw new InputError(
      flag,
      `"${name}" is not a variable name`,
      'use letters, digits and _, not starting with a digit',
    );
  if (IMAGE_PREFIXES.some(prefix => name.startsWith(prefix)) || IMAGE_NAMES.has(name))
    throw new InputError(
      flag,
      `${name} is the image's own`,
      `set it in .env or your shell (DOCKER.md lists the image's variables), or name the app's variable otherwise`,
    );
}

/** A repeatable flag's items, trimmed, empty ones dropped (`--setenv ''` clears a saved list). */
function nonEmptyItems(raw: unknown): string[] {
  return toRepeated(raw)
    .map(item => item.trim())
    .filter(item => item !== '');
}

/**
 * Parses `--setenv` (repeatable, never split at commas: a value may hold them).
 * @param raw one `NAME=VALUE` string or a list of them (flags, prompt, `.yo-rc.json`)
 * @returns `NAME=VALUE` strings, in the order given
 * @throws InputError for an item without `=`, a name {@link checkAppVariableName} refuses, a
 *   name given twice, or a value spanning lines
 */
export function parseAppEnvironment(raw: unknown): string[] {
  const items = nonEmptyItems(raw);
  const seen = new Set<string>();
  for (const item of items) {
    const equals = item.indexOf('=');
    const name = equals < 0 ? item : item.slice(0, equals);
    if (equals < 0)
      throw new InputError('--setenv', `"${item}" has no value`, `write it as NAME=VALUE, e.g. --setenv ${name}=1`);
    checkAppVariableName('--setenv', name);
    if (seen.has(name)) throw new InputError('--setenv', `${name} is given twice`, 'give each variable once');
    if (/[\n\r\0]/.test(item))
      throw new InputError('--setenv', `${name}'s value spans more than one line`, 'give a one-line value');
    seen.add(name);
  }
  return items;
}

/**
 * Parses `--secret NAME` (repeatable): names only, never values (those stay in `.secrets/NAME`).
 * @returns the names, in the order given
 * @throws InputError naming `--secret` for a name {@link checkAppVariableName} refuses, a
 *   `NAME=VALUE` (a value would land in `.yo-rc.json`), or a name given twice
 */
export function parseSecretNames(raw: unknown): string[] {
  const names = nonEmptyItems(raw);
  const seen = new Set<string>();
  for (const name of names) {
    const given = name.split('=')[0];
    if (given !== name)
      throw new InputError(
        '--secret',
        `"${given}=..." gives a value`,
        `give the name only (--secret ${given}) and put the value in ${SECRETS_DIR}/${given}`,
      );
    checkAppVariableName('--secret', name);
    if (seen.has(name)) throw new InputError('--secret', `${name} is given twice`, 'give each secret once');
    seen.add(name);
  }
  return names;
}

/** Where the project keeps its secrets' values, one file per name, out of Git and out of the image. */
export const SECRETS_DIR = '.secrets';

/** The parsed `--setenv` items as the templates write them. */
export function appVariables(items: readonly string[]): AppVariable[] {
  return items.map(item => {
    const equals = item.indexOf('=');
    const name = item.slice(0, equals);
    const value = item.slice(equals + 1);
    return { name, value, compose: JSON.stringify(value.replaceAll('$', () => '$$')), yaml: JSON.stringify(value) };
  });
}
