/**
 * `--mount URL=ENTRY`: more WSGI apps behind the same Apache, each at its own URL prefix in
 * its own mod_wsgi daemon process group (processes, threads, timeouts, python-path and, with
 * its own requirements.txt, python-home), restarted independently of the others.
 *
 * ENTRY is an entry as `--entry` takes it, optionally after the app's own directory:
 * `api/service:app` is module `service` of the directory `api/` (its python-path, and where
 * its requirements.txt is looked for); `service:app` lives in the main project;
 * `api/service.wsgi` is a WSGI script, its directory the app's.
 */
import { join, posix } from 'node:path';
import { InputError } from '../lib/input-error.js';
import { isDirectory, isFile } from '../lib/fs.js';
import { groupOf } from '../lib/image-layout.js';
import { checkEntryCallable, formatEntry, parseEntry, type WsgiEntry } from './entry.js';
import { parseUrlMappings, projectRelative, URL_PREFIX } from './validators.js';

/** One mounted app. */
export interface Mount {
  /** URL prefix, no trailing slash, e.g. `/api`: mod_wsgi passes it to the app as SCRIPT_NAME */
  url: string;
  /** daemon process group and `display-name`, from the URL: `/api/v2` → `api-v2` */
  group: string;
  /** the app's own directory, project-relative (`.` for the main project) */
  dir: string;
  /** the entry; a callable's `moduleRoot` is project-relative (`api`, `api/src`) */
  entry: WsgiEntry;
  /** its own requirements.txt, project-relative, read when parsed: '' when it shares the image's virtualenv */
  requirements: string;
}

/**
 * Parses `--mount` (repeatable) against the project on disk.
 * @param root - the project root
 * @throws InputError naming `--mount` for a malformed mapping, a prefix given twice, a missing
 *   directory, module or script, or a callable that is not WSGI-shaped
 */
export function parseMounts(raw: unknown, root: string): Mount[] {
  const form = {
    what: 'URL=ENTRY mount',
    example: '/prefix=module:callable, /prefix=dir/module:callable or /prefix=dir/app.wsgi (a URL path other than "/")',
    twice: 'mounted',
  };
  const mounts: Mount[] = [];
  for (const { url, value } of parseUrlMappings('--mount', raw, form)) {
    const mount = parseMountEntry(url, value, root);
    const clash = mounts.find(other => other.group === mount.group);
    if (clash !== undefined) {
      throw new InputError(
        '--mount',
        `${url} and ${clash.url} both make the process group "${mount.group}"`,
        'give each app a URL prefix of its own whose first characters differ',
      );
    }
    mounts.push(mount);
  }
  return mounts;
}

/**
 * `--mount-point`: the URL prefix the project's own app answers under, as mod_wsgi-express's
 * `--mount-point` (mod_wsgi passes it to the app as SCRIPT_NAME).
 * @returns `/`, or a prefix without trailing slash such as `/app`
 * @throws InputError for anything but `/` or a plain URL path
 */
export function parseMountPoint(raw: unknown): string {
  const text = String(raw ?? '/').trim();
  const url = text.replace(/\/+$/, '');
  if (url === '' && text.startsWith('/')) return '/';
  if (!URL_PREFIX.test(url)) {
    throw new InputError(
      '--mount-point',
      `"${text}" is not a URL path`,
      'write / (the default) or a prefix such as /app',
    );
  }
  return url;
}

/** `path` (starting with `/`) under the mount point `mountPoint`: `/app` and `/admin/` make `/app/admin/`. */
export function underMountPoint(mountPoint: string, path: string): string {
  return mountPoint === '/' ? path : `${mountPoint}${path}`;
}

/** The mounts as `.yo-rc.json` keeps them and a user types them. */
export function formatMounts(mounts: readonly Mount[]): string[] {
  return mounts.map(mount => `${mount.url}=${formatMountEntry(mount)}`);
}

function parseMountEntry(url: string, text: string, root: string): Mount {
  const group = groupOf(url);
  try {
    if (/\.(wsgi|py)$/.test(text) && !text.includes(':')) {
      const entry = checkEntryCallable(parseEntry(text, root), root);
      return withRequirements(
        { url, group, dir: entry.kind === 'script' ? posix.dirname(entry.path) : '.', entry },
        root,
      );
    }
    const slash = text.lastIndexOf('/');
    const dir = slash < 0 ? '.' : projectRelative('--mount', root, text.slice(0, slash));
    if (!isDirectory(join(root, dir))) {
      throw new InputError('--mount', `directory "${dir}" of ${url} does not exist in ${root}`, 'correct the path');
    }
    const inDir = parseEntry(text.slice(slash + 1), join(root, dir));
    const entry = inDir.kind === 'callable' ? { ...inDir, moduleRoot: posix.join(dir, inDir.moduleRoot) } : inDir;
    return withRequirements({ url, group, dir, entry: checkEntryCallable(entry, root) }, root);
  } catch (error) {
    if (!(error instanceof InputError) || error.input === '--mount') throw error;
    throw new InputError('--mount', `${url}: ${error.problem}`, error.fix);
  }
}

function formatMountEntry(mount: Mount): string {
  if (mount.entry.kind === 'script') return mount.entry.path;
  const text = formatEntry(mount.entry);
  return mount.dir === '.' ? text : `${mount.dir}/${text}`;
}

/** The mount with its own requirements.txt (project-relative), when its directory is not the main project's and has one. */
function withRequirements(mount: Omit<Mount, 'requirements'>, root: string): Mount {
  const file = posix.join(mount.dir, 'requirements.txt');
  return { ...mount, requirements: mount.dir !== '.' && isFile(join(root, file)) ? file : '' };
}
