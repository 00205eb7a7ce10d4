/**
 * Parsers for every answer of the app generator (the shared number and list parsers are in
 * `../lib/parse.ts`). Each takes the raw value (a flag string, a
 * prompt answer or a value stored in `.yo-rc.json`) and returns the typed value, or
 * throws an {@link InputError} that names the input and the fix. The same functions
 * back the prompts' `validate`, so a flag can never get past a check a prompt makes.
 */
import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, posix, relative, sep } from 'node:path';
import { isDirectory } from '../lib/fs.js';
import { InputError } from '../lib/input-error.js';
import { toList } from '../lib/parse.js';
import { packageRoot } from '../lib/package-root.js';
import { renderTemplate } from '../lib/render.js';
import { APACHE_WORKERS, defaultMaxRequestWorkers, MAX_DAEMON_THREADS } from '../lib/tunables.js';
import { dockerignore, SECRET_PATTERNS, VCS_PATTERNS } from '../lib/dockerignore.js';

/** Debian releases the image can be based on. trixie: Python 3.13, mod_wsgi 5.0.2; bookworm: Python 3.11, mod_wsgi 4.9.4. */
/** One `Alias` for static files: URL prefix (no trailing slash) to a directory relative to the project root (POSIX). */
export interface StaticMapping {
  url: string;
  /** project-relative POSIX directory, or for `system` an absolute path in the image */
  dir: string;
  /** a directory the image provides (a Debian package's files), checked by the image build, not here */
  system?: boolean;
}

/**
 * Where a `--static` directory outside the project may be: the places packages and images put
 * files to serve (`/usr/share/<app>/static`, `/opt/<app>/`, `/var/www/`), never the image's
 * configuration, run-time or home directories, nor the project's own copy.
 */
const SYSTEM_STATIC_ROOTS = [
  '/usr/share/',
  '/usr/lib/',
  '/usr/local/share/',
  '/usr/local/lib/',
  '/opt/',
  '/var/www/',
  '/var/lib/',
];

/**
 * The longest project name: a Kubernetes DNS-1035 label ("RFC 1035 Label Names",
 * kubernetes.io/docs/concepts/overview/working-with-objects/names/) holds at most 63 characters.
 */
export const MAX_NAME_LENGTH = 63;

/**
 * A DNS-1035 label, as Kubernetes checks Service names (`IsDNS1035Label`, apimachinery
 * `validation.go`): lowercase letters, digits and `-`, starting with a letter, ending with a
 * letter or digit. Every such name is also a Docker image name component
 * (`[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`, distribution/reference), a Compose project name
 * (`^[a-z0-9][a-z0-9_-]*$`) and a Compose service name, so one name fits all four.
 */
const DNS_1035_LABEL = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;

/**
 * Compose reads every key that starts with `x-` as an extension field, a service name
 * too (compose-spec `spec.md`, "Extension"): a service so named is ignored.
 */
const COMPOSE_EXTENSION_PREFIX = 'x-';

/** A URL path prefix other than `/`, without a trailing slash, in characters Apache's config and YAML take unquoted (`--static`, `--proxy`). */
export const URL_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

/** True when `name` is usable as image, Compose project and service, and Kubernetes object name alike. */
export function isValidProjectName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && DNS_1035_LABEL.test(name) && !name.startsWith(COMPOSE_EXTENSION_PREFIX);
}

/**
 * The project name: Docker image name, Compose project and service name, and the name of the
 * Kubernetes Deployment, Service and container (see {@link isValidProjectName}). Lowercased
 * first, so `MyApp` is accepted as `myapp`; everything else that is not a DNS-1035 label is refused.
 * @throws InputError naming `--name` and a suggested valid name (from {@link suggestProjectName})
 */
export function parseProjectName(raw: unknown): string {
  const name = String(raw ?? '')
    .trim()
    .toLowerCase();
  if (name.startsWith(COMPOSE_EXTENSION_PREFIX) && DNS_1035_LABEL.test(name)) {
    throw new InputError(
      '--name',
      `"${String(raw)}" starts with "x-", which Compose reserves for extension fields: the service would be ignored`,
      `pick a name that does not, e.g. --name ${suggestProjectName(name)}`,
    );
  }
  if (!isValidProjectName(name)) {
    throw new InputError(
      '--name',
      `"${String(raw)}" is not a valid Docker image, Compose project and Kubernetes name`,
      `use lowercase letters, digits and "-" (a DNS-1035 label: a letter first, a letter or digit last, at most ${MAX_NAME_LENGTH} characters), e.g. --name ${suggestProjectName(name)}`,
    );
  }
  return name;
}

/**
 * A valid project name (see {@link isValidProjectName}) made from any text, typically a
 * directory name: runs of other characters become one `-`; leading digits move to the end
 * (`2024site` -> `site-2024`), and `app-` goes in front when no letter is left to start with
 * (`2024` -> `app-2024`, `` -> `app`).
 * @returns a name that {@link parseProjectName} accepts unchanged
 */
export function suggestProjectName(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Kubernetes wants a letter first; a leading year or version reads best moved behind the words.
  const leading = /^([0-9][-0-9]*?)-*([a-z].*)$/.exec(slug);
  const ordered = leading
    ? `${leading[2]}-${leading[1].replace(/-+$/, '')}`
    : /^[a-z]/.test(slug)
      ? slug
      : slug
        ? `app-${slug}`
        : 'app';
  const named = ordered.startsWith(COMPOSE_EXTENSION_PREFIX) ? `app-${ordered}` : ordered;
  return named.slice(0, MAX_NAME_LENGTH).replace(/-+$/, '');
}

/**
 * processes x threads, checked against what the generated envvars accepts: it derives Apache's
 * worker count from them ({@link defaultMaxRequestWorkers}) and refuses one above
 * {@link APACHE_WORKERS}.max, so a larger daemon would never start.
 * @param processes - `--processes`, already within its own range
 * @param threads - `--threads`, already within its own range
 * @throws InputError naming `--threads` (the second of the two flags) with the largest product allowed
 */
export function checkDaemonSize(processes: number, threads: number): void {
  const workers = defaultMaxRequestWorkers(processes, threads);
  if (workers > APACHE_WORKERS.max) {
    throw new InputError(
      '--threads',
      `${processes} processes x ${threads} threads need ${workers} Apache workers (${APACHE_WORKERS.perDaemonThread} per daemon thread), more than the ${APACHE_WORKERS.max} the image accepts`,
      `lower --processes or --threads so that processes x threads is at most ${MAX_DAEMON_THREADS} (e.g. --threads ${Math.floor(MAX_DAEMON_THREADS / processes)})`,
    );
  }
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
 * The characters a project path may have: it is written unquoted into apache2.conf (`Alias`,
 * `<Directory>`, `WSGIScriptAlias`), the Dockerfile (`COPY`), Python string literals and YAML,
 * where a space, quote, `$`, `%`, backslash or newline would split, end or inject a value.
 */
export const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const SAFE_PATH_CHARACTERS = 'letters, digits, ".", "_", "-" and "/"';

/**
 * A path given by the user, resolved inside the project root.
 * @returns the path relative to `root`, POSIX separators, no leading `./`
 * @throws InputError when it leaves the project (absolute outside, or `..`), or has characters
 *   other than {@link SAFE_PATH}'s
 */
export function projectRelative(flag: string, root: string, raw: string): string {
  const rel = relative(root, isAbsolute(raw) ? raw : join(root, raw));
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(flag, `"${raw}" is outside the project directory ${root}`, 'use a path inside the project');
  }
  const path = normalize(rel).split(sep).join('/');
  if (!SAFE_PATH.test(path)) {
    throw new InputError(
      flag,
      `${JSON.stringify(path)} has characters other than ${SAFE_PATH_CHARACTERS}: it is written unquoted into apache2.conf, the Dockerfile and Python`,
      'rename it to use only those characters',
    );
  }
  return path;
}

/** One `URL=VALUE` item of a mapping flag (`--static`, `--proxy`, `--mount`). */
export interface UrlMapping {
  /** the item as given */
  item: string;
  /** its URL prefix, without trailing slash (`/` only where allowed) */
  url: string;
  /** what follows the `=`, trimmed */
  value: string;
}

/** How a mapping flag's items look, for {@link parseUrlMappings} and its messages. */
export interface MappingForm {
  /** what an item is, e.g. `URL=directory mapping` */
  what: string;
  /** how to write one, e.g. `/static=path/to/dir (...)` */
  example: string;
  /** the verb of a URL given twice, e.g. `mapped` */
  twice: string;
  /** whether `/` is a URL prefix here */
  root?: boolean;
}

/**
 * The items of a repeatable `URL=VALUE` flag: each URL a {@link URL_PREFIX} (or `/`, where the form
 * allows it) with trailing slashes dropped, each URL once.
 * @throws InputError naming `flag` for an item that is not URL=VALUE, or a URL given twice
 */
export function parseUrlMappings(flag: string, raw: unknown, form: MappingForm): UrlMapping[] {
  const mappings: UrlMapping[] = [];
  for (const item of toList(raw)) {
    const at = item.indexOf('=');
    const url = item.slice(0, at).replace(/\/+$/, '') || (form.root && item.startsWith('/=') ? '/' : '');
    const value = item.slice(at + 1).trim();
    if (at < 0 || value === '' || !(url === '/' || URL_PREFIX.test(url))) {
      throw new InputError(flag, `"${item}" is not a ${form.what}`, `write it as ${form.example}`);
    }
    if (mappings.some(m => m.url === url)) {
      throw new InputError(flag, `${url} is ${form.twice} twice`, 'give each URL prefix once');
    }
    mappings.push({ item, url, value });
  }
  return mappings;
}

/**
 * Static URL mappings, `--static /static=path/to/dir` (repeatable).
 * @param root - the project root; every directory must exist below it
 * @throws InputError for a malformed mapping, a URL that is not a plain path, or a missing directory
 */
export function parseStaticMappings(raw: unknown, root: string): StaticMapping[] {
  const mappings: StaticMapping[] = [];
  const form = {
    what: 'URL=directory mapping',
    example: '/static=path/to/dir (a URL path other than "/", then "=", then a directory in the project)',
    twice: 'mapped',
  };
  for (const { item, url, value } of parseUrlMappings('--static', raw, form)) {
    if (isAbsolute(value) && relative(root, value).startsWith('..')) {
      mappings.push({ url, dir: systemStaticDir(item, value), system: true });
      continue;
    }
    const dir = projectRelative('--static', root, value);
    if (!isDirectory(join(root, dir))) {
      throw new InputError(
        '--static',
        `directory "${value}" for ${url} does not exist in ${root}`,
        'create it or correct the path',
      );
    }
    if (dir === '.') {
      throw new InputError(
        '--static',
        `${item} would serve the whole project (source, settings, database) to anyone`,
        `map ${url} to a directory holding only public files, e.g. --static ${url}=static`,
      );
    }
    const exposed = firstExposedFile(root, dir);
    if (exposed !== undefined) {
      throw new InputError(
        '--static',
        `${item} would serve ${exposed} to anyone (${isDotName(posix.basename(exposed)) ? 'a dotfile' : 'Python code'} inside "${dir}")`,
        `map ${url} to a directory holding only public files, or move ${exposed} out of it`,
      );
    }
    mappings.push({ url, dir });
  }
  return mappings;
}

/**
 * A `--static` directory outside the project: a path the image provides, which the image build
 * checks (`test -d`, and no code or dotfiles in it, as {@link firstExposedFile} does here).
 * @returns the normalised absolute path
 * @throws InputError when it is not below one of {@link SYSTEM_STATIC_ROOTS} or has unsafe characters
 */
function systemStaticDir(item: string, value: string): string {
  const dir = posix.normalize(value).replace(/\/+$/, '');
  if (
    !SAFE_PATH.test(dir) ||
    !SYSTEM_STATIC_ROOTS.some(prefix => dir.startsWith(prefix) && dir.length > prefix.length)
  ) {
    throw new InputError(
      '--static',
      `${item} maps a directory outside the project that is not one packages serve files from`,
      `use a directory in the project, or one the image provides below ${SYSTEM_STATIC_ROOTS.join(', ')} (${SAFE_PATH_CHARACTERS} only)`,
    );
  }
  return dir;
}

/** Files a static directory may hold although their names start with a dot: empty placeholders that reveal nothing. */
const HARMLESS_DOTFILES = new Set(['.gitkeep', '.keep']);
/** Python code (and the WSGI script form of it): serving it would publish the application's source. */
const CODE_FILE = /\.(py|pyc|pyo|wsgi)$/;
/** How many entries a static directory scan looks at before giving up (and accepting): keeps a huge asset tree fast. */
const MAX_STATIC_SCAN = 20_000;

function isDotName(name: string): boolean {
  return name.startsWith('.') && !HARMLESS_DOTFILES.has(name);
}

/**
 * The first file or directory below `dir` that Apache must not serve: a dotfile or dot-directory
 * (`.env`, `.git`; `.gitkeep` and `.keep` excepted) or Python code (`.py`, `.pyc`, `.pyo`, `.wsgi`).
 * Symbolic links are not followed, as Apache does not (`Options None`).
 * @param root - the project root
 * @param dir - project-relative POSIX directory
 * @returns its project-relative POSIX path, or undefined when there is none (or after {@link MAX_STATIC_SCAN} entries)
 */
export function firstExposedFile(root: string, dir: string): string | undefined {
  let seen = 0;
  const queue = [dir];
  while (queue.length > 0) {
    const current = queue.shift()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, current), { withFileTypes: true });
    } catch {
      continue; // unreadable: Apache (another uid) cannot read it either
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (++seen > MAX_STATIC_SCAN) return undefined;
      const path = `${current}/${entry.name}`;
      if (isDotName(entry.name) || (!entry.isDirectory() && CODE_FILE.test(entry.name))) return path;
      if (entry.isDirectory()) queue.push(path);
    }
  }
  return undefined;
}

/** Static mappings as they are stored in `.yo-rc.json` and given as flags. */
export function formatStaticMappings(mappings: readonly StaticMapping[]): string[] {
  return mappings.map(m => `${m.url}=${m.dir}`);
}

/** Directories the generated stack itself needs in the image: data directories may not be or lie inside them. */
const RESERVED_DIRS: Readonly<Record<string, string>> = {
  docker: 'holds the generated Apache config and scripts, which the image is built from',
  wheelhouse: 'is where pip finds your wheels while the image builds',
};

let keptOutRules: ReturnType<typeof dockerignore> | undefined;

/**
 * The rules of the generated `.dockerignore` without any data directory: VCS, secrets,
 * virtualenvs, caches and the generator's own files. Rendered from the same template the
 * generator writes, so the two cannot drift apart.
 */
function keptOutOfImage(): ReturnType<typeof dockerignore> {
  if (!keptOutRules) {
    const template = readFileSync(join(packageRoot(), 'templates', 'dockerignore.mustache'), 'utf8');
    keptOutRules = dockerignore().add(
      renderTemplate(template, {
        dataDirs: [],
        hasDataDirs: false,
        djangoSqliteFile: '',
        secretPatterns: SECRET_PATTERNS,
        vcsPatterns: VCS_PATTERNS,
      }).split('\n'),
    );
  }
  return keptOutRules;
}

/** A Kubernetes volume name is a DNS-1123 label (at most 63 characters); the Compose volume shares it. */
const MAX_VOLUME_NAME_LENGTH = 63;

/**
 * The named volume (Compose) and volume (Kubernetes; its claim is `<name>-<volume>`) that holds
 * a data directory: `data-` and the path in lowercase letters and digits, other runs as `-`
 * (`media/Uploads` -> `data-media-uploads`). Two directories with the same volume name would
 * be one volume: {@link parseDataDirs} refuses them.
 * @param dir - project-relative POSIX path
 */
export function dataVolumeName(dir: string): string {
  return `data-${dir
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;
}

/**
 * Directories the app writes at run time (uploads, Flask's `instance/`), `--data-dir DIR`
 * (repeatable). They need not exist yet. Restricted to plain path characters because
 * they are written unquoted into the Dockerfile and YAML. Each becomes a `.dockerignore`
 * line, a named volume and a Kubernetes claim, so it may not be:
 * - the project root, or outside it;
 * - an existing file (or below one): it is created as a directory;
 * - `docker/` or `wheelhouse/` (or inside them): the build needs them;
 * - a path the generated `.dockerignore` already keeps out (`.git`, `venv`, `.env`, `Dockerfile`, ...);
 * - the same volume as another one (`uploads` and `Uploads`), or a volume name over 63 characters.
 * @returns project-relative POSIX paths, duplicates dropped
 * @throws InputError naming `--data-dir`, the directory and the fix
 */
export function parseDataDirs(raw: unknown, root: string): string[] {
  const dirs: string[] = [];
  for (const item of toList(raw)) {
    if (!SAFE_PATH.test(item)) {
      throw new InputError(
        '--data-dir',
        `${JSON.stringify(item)} has characters other than ${SAFE_PATH_CHARACTERS}`,
        'rename the directory or pick another',
      );
    }
    const dir = projectRelative('--data-dir', root, item);
    if (dir === '.')
      throw new InputError(
        '--data-dir',
        'the project root itself cannot be a data directory',
        'name a subdirectory such as instance or media',
      );
    if (dirs.includes(dir)) continue;
    const parts = dir.split('/');
    const file = parts
      .map((_, i) => parts.slice(0, i + 1).join('/'))
      .find(path => existsSync(join(root, path)) && !isDirectory(join(root, path)));
    if (file !== undefined) {
      throw new InputError(
        '--data-dir',
        file === dir ? `"${item}" is a file, not a directory` : `"${item}" lies below the file "${file}"`,
        'name a directory (it is created when missing), e.g. --data-dir data',
      );
    }
    const reserved = Object.keys(RESERVED_DIRS).find(name => dir === name || dir.startsWith(`${name}/`));
    if (reserved !== undefined) {
      throw new InputError(
        '--data-dir',
        `"${item}" is taken: ${reserved}/ ${RESERVED_DIRS[reserved]}`,
        'pick a directory of its own, e.g. --data-dir data',
      );
    }
    if (keptOutOfImage().ignores(dir)) {
      throw new InputError(
        '--data-dir',
        `"${item}" is a path .dockerignore keeps out of the image (version control, secrets, virtualenvs, caches or the generator's files), not app data`,
        'pick a directory of its own, e.g. --data-dir data',
      );
    }
    const volume = dataVolumeName(dir);
    if (volume === 'data-') {
      throw new InputError(
        '--data-dir',
        `"${item}" has no letter or digit to name its volume after`,
        'pick a directory whose name has letters or digits',
      );
    }
    if (volume.length > MAX_VOLUME_NAME_LENGTH) {
      throw new InputError(
        '--data-dir',
        `"${item}" would be the volume ${volume}, longer than the ${MAX_VOLUME_NAME_LENGTH} characters Kubernetes allows`,
        'pick a shorter directory path',
      );
    }
    const twin = dirs.find(other => dataVolumeName(other) === volume);
    if (twin !== undefined) {
      throw new InputError(
        '--data-dir',
        `"${twin}" and "${dir}" would both be the volume ${volume} (names differing only in case or punctuation)`,
        'give each data directory once, under names that differ in letters or digits',
      );
    }
    dirs.push(dir);
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
  if (!/^\/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~=&-]*)?$/.test(text)) {
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
      throw new InputError(
        '--init-command',
        `"${command.split(/[\n\r]/)[0]}..." spans more than one line`,
        'repeat --init-command once per command',
      );
    }
  }
  return commands;
}
