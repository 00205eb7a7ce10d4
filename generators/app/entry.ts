/**
 * The WSGI entry point: what mod_wsgi must load.
 *
 * Accepted forms (gunicorn's syntax for the first two):
 * - `package.module:callable`  - a module-level WSGI callable, e.g. `mysite.wsgi:application`
 * - `package.module:factory()` - an application factory, called once per daemon process
 * - `path/to/app.wsgi`         - a WSGI script file defining `application` (mod_wsgi's own form)
 */
import { join, posix } from 'node:path';
import { InputError } from '../lib/input-error.js';
import type { ProjectFacts } from './detect.js';
import { isFile, projectRelative } from './validators.js';

/** Directories, relative to the project root, searched for a module (in order): the root and a `src/` layout. */
export const MODULE_ROOTS = ['.', 'src'] as const;

/**
 * Module roots this project has besides {@link MODULE_ROOTS}: the directory of a Django
 * manage.py deeper down (`backend/`, `src/backend/`), which Django runs from and imports
 * its project package relative to.
 * @returns project-relative POSIX directories, [] when there are none
 */
export function extraModuleRoots(facts: Pick<ProjectFacts, 'djangoManagePy'>): string[] {
  const dir = facts.djangoManagePy === undefined ? '.' : posix.dirname(facts.djangoManagePy);
  return (MODULE_ROOTS as readonly string[]).includes(dir) ? [] : [dir];
}

export type WsgiEntry =
  | {
      kind: 'callable';
      /** dotted module path, e.g. `mysite.wsgi` */
      module: string;
      /** attribute name, e.g. `application` or `create_app` */
      callable: string;
      /** true for `factory()` */
      factory: boolean;
      /** where the module's top package lives, relative to the project root: `.`, `src` or an extra root such as `backend` */
      moduleRoot: string;
    }
  | {
      kind: 'script';
      /** project-relative POSIX path of the WSGI script file */
      path: string;
    };

const CALLABLE_ENTRY = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)(\(\))?$/;

/**
 * Parses and checks an entry against the project on disk.
 * @param raw - the entry as typed
 * @param root - the project root
 * @param extraRoots - project-relative directories searched for the module after {@link MODULE_ROOTS}
 *   (see {@link extraModuleRoots})
 * @throws InputError when the text is neither form, or the module / script file does not exist
 */
export function parseEntry(raw: unknown, root: string, extraRoots: readonly string[] = []): WsgiEntry {
  const text = String(raw ?? '').trim();
  if (text === '') {
    throw new InputError(
      '--entry',
      'no WSGI entry point was given and none could be detected',
      'pass --entry module:callable (e.g. mysite.wsgi:application), module:factory() or path/to/app.wsgi',
    );
  }
  const callable = CALLABLE_ENTRY.exec(text);
  if (callable) {
    const [, module, name, call] = callable;
    const roots = [...new Set([...MODULE_ROOTS, ...extraRoots])];
    const moduleRoot = findModuleRoot(module, root, roots);
    if (moduleRoot === undefined) {
      const asPath = module.replaceAll('.', '/');
      const where = ['the project', ...roots.filter(dir => dir !== '.').map(dir => `${dir}/`)];
      throw new InputError(
        '--entry',
        `module "${module}" of "${text}" was not found (looked for ${asPath}.py and ${asPath}/__init__.py in ${where.slice(0, -1).join(', in ')} and in ${where.at(-1)})`,
        'correct the module path, or run the generator from the project root',
      );
    }
    return { kind: 'callable', module, callable: name, factory: call !== undefined, moduleRoot };
  }
  if (/\.(wsgi|py)$/.test(text) && !text.includes(':')) {
    const path = projectRelative('--entry', root, text);
    if (!isFile(join(root, path))) {
      throw new InputError('--entry', `WSGI script "${text}" does not exist in ${root}`, 'correct the path to the script file');
    }
    return { kind: 'script', path };
  }
  throw new InputError(
    '--entry',
    `"${text}" is not a WSGI entry point`,
    'write module:callable (e.g. mysite.wsgi:application), module:factory() (e.g. app:create_app()) or a path ending in .wsgi',
  );
}

/** The entry in the form the user types it, as stored in `.yo-rc.json`. */
export function formatEntry(entry: WsgiEntry): string {
  return entry.kind === 'script' ? entry.path : `${entry.module}:${entry.callable}${entry.factory ? '()' : ''}`;
}

function findModuleRoot(module: string, root: string, roots: readonly string[]): string | undefined {
  const asPath = module.replaceAll('.', '/');
  return roots.find(
    dir => isFile(join(root, dir, `${asPath}.py`)) || isFile(join(root, dir, asPath, '__init__.py')),
  );
}
