/**
 * What a project needs at run time that its source already tells, so the defaults work
 * on the first run without flags: the directories the app writes (Flask's instance
 * folder; Django's SQLite database in production), its one-off initialisation
 * (Django's migrations, a Flask `init-db` command) and a health path that needs no
 * database. Each only pre-fills an answer; `--data-dir`, `--init-command` and
 * `--health-path` replace it.
 */
import { join, posix } from 'node:path';
import { readText, safeReaddir } from '../lib/fs.js';
import { djangoStaticUrl, type ProjectFacts } from './detect.js';
import type { WsgiEntry } from './entry.js';
import {
  compressesOffline,
  compressorCacheDir,
  configuredDataDirs,
  emptyProjectDirs,
  usesCompressor,
} from './data-dirs.js';

/**
 * The data directory that holds a Django SQLite database in the production shape, where
 * the project directory is read-only (see `docker/django/wsgi_apache_settings.py`).
 */
export const DJANGO_SQLITE_DATA_DIR = 'var';

/** Django facts read from its settings and URLconf, for the defaults below. */
export interface DjangoRuntime {
  /** the command management commands run with, e.g. `python manage.py` or `python -m django` (ProjectFacts.djangoManage) */
  manage: string;
  /** project-relative path of the default SQLite database file when settings use SQLite inside BASE_DIR */
  sqliteFile?: string;
  /** URL of the admin login page when the root URLconf mounts `admin.site.urls`, e.g. `/admin/login/` */
  adminLogin?: string;
  /** `STATIC_URL` as a path without trailing slash (default `/static`); undefined when it is absolute (a CDN) or `/` */
  staticUrl?: string;
  /** the settings mention `DATABASE_URL`: they read it themselves, and the container's settings leave DATABASES alone */
  readsDatabaseUrl: boolean;
  /** the variable `SECRET_KEY` is read from (`os.environ["DJANGO_SECRET_KEY"]`, `os.getenv(...)`, `env(...)`): a secret by default */
  secretKeyVariable?: string;
  /** the variable `ALLOWED_HOSTS` is split from, and its separator: set to the hosts the stack is reached at by default */
  allowedHostsVariable?: { name: string; separator: ',' | ' ' };
  /** django-compressor's folder inside a project `STATIC_ROOT` that it writes while serving: a data directory by default */
  compressorCache?: string;
  /** django-compressor in offline mode: the image runs `compress` after collectstatic */
  compressOffline: boolean;
}

/** The hosts a stack on this machine is reached at: the browser's and the health check's (`Host: localhost`). */
export const LOCAL_HOSTS = ['localhost', '127.0.0.1'] as const;

/** `SECRET_KEY = os.environ["X"]`, `os.environ.get("X", ...)`, `os.getenv("X")`, django-environ's `env("X")` / `env.str("X")`. */
const SECRET_KEY_FROM_ENVIRONMENT =
  /^SECRET_KEY\s*=\s*(?:os\.environ(?:\.get)?|os\.getenv|env(?:\.str)?)\s*[[(]\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/m;

/**
 * Reads what Django's settings and root URLconf say (regular expressions over the source:
 * settings are Python, but `startproject` writes these lines in a fixed form).
 * @returns undefined when the project is not Django
 */
export function djangoRuntime(facts: ProjectFacts, root: string): DjangoRuntime | undefined {
  const settingsModule = facts.djangoSettingsModule;
  if (!settingsModule) return undefined;
  const base = facts.djangoSettingsDir;
  // Settings of an installed package are not read: every default below then stays off.
  const settings = base === undefined ? '' : readText(join(root, base, `${settingsModule.replaceAll('.', '/')}.py`));
  const runtime: DjangoRuntime = {
    manage: facts.djangoManage ?? 'python -m django',
    readsDatabaseUrl: /\bDATABASE_URL\b/.test(settings),
    compressOffline: usesCompressor(settings) && compressesOffline(settings),
  };
  const compressorCache = compressorCacheDir(settings, facts.djangoStatic?.root);
  if (compressorCache) runtime.compressorCache = compressorCache;
  const secretKey = SECRET_KEY_FROM_ENVIRONMENT.exec(settings)?.[1];
  if (secretKey) runtime.secretKeyVariable = secretKey;
  const hostsLine = /^ALLOWED_HOSTS\s*=\s*(.+)$/m.exec(settings)?.[1] ?? '';
  const hosts = /(?:os\.environ(?:\.get)?|os\.getenv|env(?:\.list)?)\s*[[(]\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/.exec(
    hostsLine,
  )?.[1];
  if (hosts) {
    // env.list and split(",") take commas; split() and split(" ") take spaces.
    const separator = /\.split\(\s*\)|\.split\(\s*['"] ['"]\s*\)/.test(hostsLine) ? ' ' : ',';
    runtime.allowedHostsVariable = { name: hosts, separator };
  }
  if (/['"]django\.db\.backends\.sqlite3['"]/.test(settings)) {
    // `BASE_DIR / 'db.sqlite3'` (startproject since 3.1) or os.path.join(BASE_DIR, 'db.sqlite3').
    const name = /BASE_DIR\s*(?:\/|,)\s*['"]([\w.-]+)['"]/.exec(settings)?.[1];
    if (name && base !== undefined) runtime.sqliteFile = posix.normalize(posix.join(base, name));
  }
  const staticUrl = djangoStaticUrl(settings);
  if (staticUrl !== undefined) runtime.staticUrl = staticUrl;
  const urlconf = /^ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]/m.exec(settings)?.[1];
  if (urlconf && base !== undefined) {
    const urls = readText(join(root, base, `${urlconf.replaceAll('.', '/')}.py`));
    const prefix = /(?:path|re_path|url)\(\s*r?['"]\^?([\w/-]*)['"]\s*,\s*admin\.site\.urls/.exec(urls)?.[1];
    if (prefix !== undefined)
      runtime.adminLogin = `/${prefix.replace(/^\/+/, '')}${prefix === '' || prefix.endsWith('/') ? '' : '/'}login/`;
  }
  return runtime;
}

/**
 * Flask's instance folder for an entry that is a Flask app or factory: `instance/` beside
 * the top-level package or module (Flask's `App.auto_find_instance_path`, for a project
 * that is not installed into site-packages).
 * @returns project-relative POSIX path, or undefined when the entry's module is not Flask
 */
export function flaskInstanceDir(entry: WsgiEntry, root: string): string | undefined {
  if (entry.kind !== 'callable' || !isFlaskModule(entry, root)) return undefined;
  return posix.normalize(posix.join(entry.moduleRoot, 'instance'));
}

/**
 * Default `--data-dir`: Flask's instance folder, or the directory of Django's SQLite database in
 * production; django-compressor's output folder; what the app's environment names inside the
 * project (`--setenv`, given before this is asked); empty project folders (data-dirs.ts).
 * @param setenv - the `--setenv` items answered so far, `NAME=VALUE`
 * @returns project-relative POSIX directories, none inside another
 */
export function defaultDataDirs(
  entry: WsgiEntry,
  facts: ProjectFacts,
  root: string,
  setenv: readonly string[] = [],
): string[] {
  const django = facts.djangoRuntime;
  const dirs = [
    flaskInstanceDir(entry, root) ?? (django?.sqliteFile ? DJANGO_SQLITE_DATA_DIR : undefined),
    django?.compressorCache,
    ...configuredDataDirs(setenv, root),
    ...emptyProjectDirs(root),
  ].filter((dir): dir is string => dir !== undefined);
  const unique = [...new Set(dirs)];
  return unique.filter(dir => !unique.some(other => other !== dir && dir.startsWith(`${other}/`)));
}

/**
 * Default `--init-command`: Django's migrations; a Flask CLI command named `init-db`
 * (Flask's tutorial) only while the instance folder is empty, because such commands
 * usually drop and recreate the tables.
 */
export function defaultInitCommands(entry: WsgiEntry, facts: ProjectFacts, root: string): string[] {
  const django = facts.djangoRuntime;
  if (django) return [`${django.manage} migrate --noinput`];
  const instance = flaskInstanceDir(entry, root);
  if (instance && entry.kind === 'callable') {
    const command = flaskInitCommand(entry, root);
    if (command) {
      const app =
        entry.factory && ['create_app', 'make_app'].includes(entry.callable)
          ? entry.module
          : `${entry.module}:${entry.callable}`;
      return [`[ -n "$(ls -A ${instance} 2>/dev/null)" ] || python -m flask --app ${app} ${command}`];
    }
  }
  return [];
}

/** Default `--health-path`: Django's admin login page (no database needed for a GET), else `/`. */
export function defaultHealthPath(facts: ProjectFacts, root: string): string {
  return facts.djangoRuntime?.adminLogin ?? '/';
}

function isFlaskModule(entry: Extract<WsgiEntry, { kind: 'callable' }>, root: string): boolean {
  const base = join(root, entry.moduleRoot, ...entry.module.split('.'));
  return /\bFlask\s*\(/.test(readText(`${base}.py`) + readText(join(base, '__init__.py')));
}

/** The name of a click command called init-db / initdb / init_db in the entry's top-level package. */
function flaskInitCommand(entry: Extract<WsgiEntry, { kind: 'callable' }>, root: string): string | undefined {
  const top = join(root, entry.moduleRoot, entry.module.split('.')[0]);
  const files = [
    `${top}.py`,
    ...safeReaddir(top)
      .filter(name => name.endsWith('.py'))
      .map(name => join(top, name)),
  ];
  for (const file of files) {
    const name = /\.command\(\s*['"](init[-_]?db)['"]/.exec(readText(file))?.[1];
    if (name) return name;
  }
  return undefined;
}

/** `--secret`'s default: the variable Django's settings read `SECRET_KEY` from, if any. */
export function defaultSecrets(facts: ProjectFacts, root: string): string[] {
  const variable = facts.djangoRuntime?.secretKeyVariable;
  return variable === undefined ? [] : [variable];
}

/**
 * `--setenv`'s default: the variable Django's settings split `ALLOWED_HOSTS` from, set to the
 * hosts the stack is reached at here ({@link LOCAL_HOSTS}), with the settings' separator.
 */
export function defaultAppEnvironment(facts: ProjectFacts, root: string): string[] {
  const hosts = facts.djangoRuntime?.allowedHostsVariable;
  return hosts === undefined ? [] : [`${hosts.name}=${LOCAL_HOSTS.join(hosts.separator)}`];
}
