/**
 * Directories a project's app writes at run time that its files already name, so
 * `--data-dir` has a default beyond Flask's instance folder and Django's SQLite database:
 * - paths inside the image's project directory that the app's own environment names
 *   (`--setenv TRAC_ENV=/srv/app/tracenv`), and those written in a config file such a
 *   variable names (Radicale's `filesystem_folder = /srv/app/collections`);
 * - project directories that hold nothing but a placeholder (`media/.gitkeep`): Git keeps no
 *   empty folder, so an empty one in a project is there to be written into;
 * - django-compressor's output folder inside `STATIC_ROOT`, which it writes while serving.
 * Each is a guess only where it is unambiguous: a path that exists as a file, or holds code,
 * is never a data directory.
 */
import { join, posix } from 'node:path';
import { isDirectory, isFile, readText, safeReaddir } from '../lib/fs.js';
import { APP_DIR } from '../lib/image-layout.js';

/** Files that mark a folder kept empty on purpose (Git stores no empty directory). */
const PLACEHOLDERS = new Set(['.gitkeep', '.keep', '.gitignore', '.placeholder', '.empty']);

/**
 * Empty folders that are build inputs or outputs rather than run-time data: the static
 * files collectstatic gathers, templates and translations.
 */
const NOT_DATA = new Set(['static', 'staticfiles', 'templates', 'locale', 'migrations', 'docker', 'wheelhouse']);

/** A config file the app reads is looked at only when it is this small (bytes): config, not data. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * The data directories the app's environment points at.
 * @param setenv - `--setenv` items, `NAME=VALUE`
 * @param root - the project root on the host
 * @returns project-relative POSIX directories, e.g. `['tracenv', 'collections']`, in the order named
 */
export function configuredDataDirs(setenv: readonly string[], root: string): string[] {
  const dirs: string[] = [];
  for (const item of setenv) {
    const value = item.slice(item.indexOf('=') + 1);
    for (const path of containerPaths(value)) {
      const inProject = path.slice(APP_DIR.length + 1);
      if (isFile(join(root, inProject))) {
        const config = readText(join(root, inProject));
        if (config.length <= MAX_CONFIG_BYTES)
          dirs.push(...containerPaths(config).flatMap(named => dataDirOf(named.slice(APP_DIR.length + 1), root)));
      } else {
        dirs.push(...dataDirOf(inProject, root));
      }
    }
  }
  return [...new Set(dirs)];
}

/**
 * Top-level project directories that are empty or hold only placeholders (`.gitkeep`), except
 * the build's own folders ({@link NOT_DATA}) and hidden ones.
 * @returns project-relative directory names, sorted
 */
export function emptyProjectDirs(root: string): string[] {
  return safeReaddir(root)
    .sort()
    .filter(name => !name.startsWith('.') && !NOT_DATA.has(name) && isDirectory(join(root, name)))
    .filter(name => safeReaddir(join(root, name)).every(entry => PLACEHOLDERS.has(entry)));
}

/**
 * django-compressor's output folder when `compressor` is an installed app and it compresses
 * at request time: `COMPRESS_ROOT` (default `STATIC_ROOT`) / `COMPRESS_OUTPUT_DIR` (default
 * `CACHE`), per django-compressor's settings documentation. With `COMPRESS_OFFLINE = True`
 * the files are made at build time instead (`compress`, see {@link compressesOffline}).
 * @param settings - the settings module's source
 * @param staticRoot - `STATIC_ROOT`, project-relative, when it is inside the project
 * @returns the project-relative folder, e.g. `staticfiles/CACHE`; undefined when there is none to give
 */
export function compressorCacheDir(settings: string, staticRoot: string | undefined): string | undefined {
  if (!usesCompressor(settings) || compressesOffline(settings) || staticRoot === undefined) return undefined;
  const output = /^COMPRESS_OUTPUT_DIR\s*=\s*['"]([\w.-]+)['"]/m.exec(settings)?.[1] ?? 'CACHE';
  return posix.join(staticRoot, output);
}

/** `compressor` (django-compressor) is in the settings' `INSTALLED_APPS`. */
export function usesCompressor(settings: string): boolean {
  return /['"]compressor['"]/.test(settings);
}

/** The settings turn django-compressor's offline mode on (`COMPRESS_OFFLINE = True`). */
export function compressesOffline(settings: string): boolean {
  return /^COMPRESS_OFFLINE\s*=\s*True\b/m.test(settings);
}

/** Absolute paths below {@link APP_DIR} in `text`, without trailing punctuation. */
function containerPaths(text: string): string[] {
  const pattern = new RegExp(`${APP_DIR.replaceAll('/', '\\/')}\\/[\\w./-]+`, 'g');
  return [...text.matchAll(pattern)].map(m => posix.normalize(m[0].replace(/[./]+$/, '')));
}

/**
 * The data directory a path inside the project stands for: the shallowest folder on its way
 * that is missing or empty. The last part counts as a folder only without a file extension
 * (`data/app.db` gives `data`). Nothing when the path is an existing file or runs through one,
 * leaves the project, or would make the project root or a code folder a volume.
 */
function dataDirOf(inProject: string, root: string): string[] {
  if (inProject === '' || inProject.startsWith('..')) return [];
  const parts = inProject.split('/');
  const folders = /\.\w+$/.test(parts.at(-1)!) ? parts.slice(0, -1) : parts;
  for (let i = 1; i <= folders.length; i++) {
    const dir = folders.slice(0, i).join('/');
    const path = join(root, dir);
    if (isFile(path)) return [];
    if (!isDirectory(path) || safeReaddir(path).every(entry => PLACEHOLDERS.has(entry))) return [dir];
  }
  return [];
}
