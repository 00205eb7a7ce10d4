/**
 * Reads an existing Python project and guesses what the generator should ask about:
 * the framework, WSGI entry candidates, Python dependency files and Django's static files.
 * Guesses only pre-fill answers; `--entry` and the other flags always win.
 */
import { join, posix, relative, sep } from 'node:path';
import { isDirectory, isFile, readText, safeReaddir } from '../lib/fs.js';
import { installedLock } from './lock-files.js';
import { type DeclaredPackage, declaredPackages, readPyproject, requirementFiles } from './python-deps.js';
import { type DjangoRuntime, djangoRuntime } from './runtime-needs.js';
import { SAFE_PATH } from './validators.js';
import { compressesOffline, usesCompressor } from './data-dirs.js';
import { InputError } from '../lib/input-error.js';

export type Framework = 'django' | 'flask' | 'generic';

/** What Django's settings say about static files (only when `STATIC_ROOT` is set). */
export interface DjangoStatic {
  /** URL prefix without trailing slash, e.g. `/static` */
  url: string;
  /** `STATIC_ROOT` relative to the project root, POSIX, e.g. `staticfiles` */
  root: string;
}

export interface ProjectFacts {
  /** the framework the best entry candidate belongs to; undefined when nothing was found */
  framework?: Framework;
  /** entry points in the form `--entry` takes, best first */
  entryCandidates: string[];
  /** `requirements.txt` exists at the root */
  requirementsTxt: boolean;
  /**
   * `requirements.txt` and every file it includes (`-r`, `-c`, recursively), project-relative
   * POSIX paths, `requirements.txt` first; [] without one. See `requirementFiles`.
   */
  requirementFiles: string[];
  /** `pyproject.toml` with a `[project]` table exists at the root: its `dependencies` are pre-installed */
  pyprojectDependencies: boolean;
  /**
   * The `[build-system]` backend of a pyproject.toml project that is a package (e.g. `hatchling.build`):
   * the image installs the project itself with `pip install -e`. See `readPyproject`.
   */
  pyprojectBuildBackend?: string;
  /**
   * The lock file the image installs from instead of `[project].dependencies`' ranges (`uv.lock`,
   * `poetry.lock`, `pdm.lock`: the first found, with a pyproject.toml and no requirements.txt). See `installedLock`.
   */
  lockFile?: string;
  /** a `wheelhouse/` directory exists at the root: offered to pip through `PIP_FIND_LINKS` */
  wheelhouse: boolean;
  /** CPython source tarballs in `wheelhouse/` (`Python-3.13.5.tar.xz`), for `--python-build optimized` offline */
  pythonSources: string[];
  /** Django only: settings module from manage.py, e.g. `mysite.settings` */
  djangoSettingsModule?: string;
  /** Django only: project-relative POSIX path of manage.py, e.g. `manage.py` or `src/manage.py` */
  djangoManagePy?: string;
  /**
   * Django only: the project-relative folder the settings module is found from (manage.py's,
   * or the root for a project without one); undefined when the settings are an installed package's
   */
  djangoSettingsDir?: string;
  /**
   * Django only: the command Django's management commands run with in the image, e.g.
   * `python manage.py`, a project's `*-manage` console script, or `python -m django`
   * (django-admin) for a project whose `.wsgi` script alone names its settings
   */
  djangoManage?: string;
  /** Django only, when settings set `STATIC_ROOT`: collectstatic runs at build and Apache serves the result */
  djangoStatic?: DjangoStatic;
  /** what Django's settings and root URLconf say (runtime-needs.ts), read once here; undefined when not Django */
  djangoRuntime?: DjangoRuntime;
  /** the packages requirements*.txt and pyproject.toml name (python-deps.ts), read once here */
  declaredPackages: DeclaredPackage[];
}

/** Directories never scanned: VCS, virtualenvs, caches, front-end and build output. */
const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  'env',
  '.env',
  '.tox',
  '.nox',
  '__pycache__',
  'node_modules',
  'site-packages',
  'build',
  'dist',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'docker',
  'tests',
  'test',
]);
const MAX_SCAN_DEPTH = 3;
const MAX_SCANNED_FILES = 2000;

/**
 * Scans `root` (up to 3 levels, 2,000 `.py` files) and returns what it found; never throws on unreadable files.
 * @throws InputError when the Python dependencies cannot be installed as declared (invalid pyproject.toml,
 *   Poetry/PDM dependencies nothing would install, a requirements include that is missing or outside the project)
 */
export function detectProject(root: string): ProjectFacts {
  const requirementsTxt = isFile(join(root, 'requirements.txt'));
  const lock = installedLock(root, requirementsTxt);
  // A lock's export installs what Poetry's and PDM's own tables declare, like a requirements.txt.
  const pyproject = readPyproject(root, requirementsTxt || lock !== undefined);
  const facts: ProjectFacts = {
    entryCandidates: [],
    declaredPackages: [],
    requirementsTxt,
    requirementFiles: requirementFiles(root),
    pyprojectDependencies: pyproject?.projectTable ?? false,
    wheelhouse: isDirectory(join(root, 'wheelhouse')),
    pythonSources: safeReaddir(join(root, 'wheelhouse'))
      .filter(name => /^Python-\d+\.\d+\.\d+\.tar\.xz$/.test(name))
      .sort(),
  };
  if (pyproject?.buildBackend) facts.pyprojectBuildBackend = pyproject.buildBackend;
  if (lock) facts.lockFile = lock.file;
  const django = detectDjango(root);
  if (django) {
    const { entry, wsgiFile, ...djangoFacts } = django;
    Object.assign(facts, djangoFacts, { framework: 'django' as const });
    facts.entryCandidates.push(entry);
  }
  // Django's own wsgi.py is already the first candidate, under its module name.
  const pyFiles = listPythonFiles(root).filter(file => file !== django?.wsgiFile);
  const flask = pyFiles.flatMap(file => flaskEntries(root, file));
  const generic = pyFiles.flatMap(file => genericEntries(root, file));
  const scripts = listWsgiScripts(root);
  if (!facts.framework)
    facts.framework = flask.length > 0 ? 'flask' : generic.length + scripts.length > 0 ? 'generic' : undefined;
  facts.entryCandidates.push(...flask, ...generic, ...scripts);
  facts.entryCandidates = [...new Set(facts.entryCandidates)];
  facts.declaredPackages = declaredPackages(root, facts);
  const runtime = djangoRuntime(facts, root);
  if (runtime) facts.djangoRuntime = runtime;
  return facts;
}

interface DjangoFacts extends Pick<
  ProjectFacts,
  'djangoSettingsModule' | 'djangoManagePy' | 'djangoSettingsDir' | 'djangoManage' | 'djangoStatic'
> {
  entry: string;
  /** project-relative path of the project's wsgi.py */
  wsgiFile: string;
}

/** How deep below the root manage.py is looked for: `manage.py`, `src/manage.py`, `src/backend/manage.py`. */
const MAX_MANAGE_PY_DEPTH = 2;

/**
 * The shallowest manage.py (then by name) whose settings module names a project package with a
 * wsgi.py beside it. Its directory is where Django runs from (manage.py puts it on sys.path),
 * so module paths are relative to it.
 */
function detectDjango(root: string): DjangoFacts | undefined {
  return djangoWithManagePy(root) ?? djangoFromScript(root);
}

/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")` or `os.environ["DJANGO_SETTINGS_MODULE"] = "x"`: the `x`. */
function settingsModuleIn(source: string): string | undefined {
  return /DJANGO_SETTINGS_MODULE['"]\s*(?:,|\]\s*=)\s*['"]([\w.]+)['"]/.exec(source)?.[1];
}

function djangoWithManagePy(root: string): DjangoFacts | undefined {
  for (const dir of listDirs(root, MAX_MANAGE_PY_DEPTH)) {
    const managePy = dir === '.' ? 'manage.py' : `${dir}/manage.py`;
    const settings = settingsModuleIn(readText(join(root, managePy)));
    if (!settings) continue;
    // `mysite.settings`, or a settings package such as `mysite.settings.production`: wsgi.py sits in
    // the innermost package above the settings module that has one. A flat project (settings.py
    // and wsgi.py beside manage.py, `DJANGO_SETTINGS_MODULE="settings"`, as some packaged Django
    // apps are laid out) has its wsgi.py beside manage.py: the package '' below.
    const packages = settings.split('.').slice(0, -1);
    const project = [...packages.map((_, i) => packages.slice(0, packages.length - i).join('.')), ''].find(name =>
      isFile(join(root, dir, name.replaceAll('.', '/'), 'wsgi.py')),
    );
    if (project === undefined) continue;
    const wsgiFile = posix.join(dir, project.replaceAll('.', '/'), 'wsgi.py');
    const settingsFile = posix.join(dir, `${settings.replaceAll('.', '/')}.py`);
    checkCompressorOutput(readText(join(root, settingsFile)), settingsFile);
    return {
      entry: project === '' ? 'wsgi:application' : `${project}.wsgi:application`,
      wsgiFile,
      djangoSettingsModule: settings,
      djangoManagePy: managePy,
      djangoSettingsDir: dir,
      djangoManage: `python ${managePy}`,
      djangoStatic: djangoStatic(readText(join(root, settingsFile)), settingsFile, dir),
    };
  }
  return undefined;
}

/**
 * A Django project without manage.py, as packaged Django apps ship: a `.wsgi` script that sets
 * DJANGO_SETTINGS_MODULE and loads Django's WSGI handler (the shallowest such script). Its
 * management commands run as the project's `*-manage` console script when `pyproject.toml`
 * declares one, else as `python -m django` (django-admin) with that settings module. The
 * settings are read from the project when they are there (at the root, beside the script or
 * under src/), else they are taken to be an installed package's.
 */
function djangoFromScript(root: string): DjangoFacts | undefined {
  for (const script of listWsgiScripts(root)) {
    const source = readText(join(root, script));
    const settings = settingsModuleIn(source);
    if (!settings || !/\bget_wsgi_application\b|\bWSGIHandler\b/.test(source)) continue;
    const relative = `${settings.replaceAll('.', '/')}.py`;
    const settingsDir = ['.', posix.dirname(script), 'src'].find(dir => isFile(join(root, dir, relative)));
    const facts: DjangoFacts = {
      entry: script,
      wsgiFile: script,
      djangoSettingsModule: settings,
      djangoManage: manageConsoleScript(root) ?? 'python -m django',
    };
    if (settingsDir !== undefined) {
      const settingsFile = posix.join(settingsDir, relative);
      checkCompressorOutput(readText(join(root, settingsFile)), settingsFile);
      facts.djangoSettingsDir = settingsDir;
      const found = djangoStatic(readText(join(root, settingsFile)), settingsFile, settingsDir);
      if (found) facts.djangoStatic = found;
    }
    return facts;
  }
  return undefined;
}

/**
 * django-compressor compresses while serving into `STATIC_ROOT` (its `COMPRESS_ROOT` default),
 * which is read-only in production. With `STATIC_ROOT` inside the project its output folder
 * gets a volume (data-dirs.ts); without one, the image's default STATIC_ROOT is outside the
 * project, where no volume can go, so the project is refused rather than failing in production only.
 * @throws InputError naming the settings file, with the two fixes
 */
function checkCompressorOutput(settings: string, settingsFile: string): void {
  if (!usesCompressor(settings) || compressesOffline(settings) || /^STATIC_ROOT\s*=/m.test(settings)) return;
  throw new InputError(
    settingsFile,
    "django-compressor writes into STATIC_ROOT while serving, and these settings set none, so production's read-only image would answer 500",
    'set STATIC_ROOT inside the project (e.g. STATIC_ROOT = BASE_DIR / "staticfiles"; its CACHE/ folder then gets a volume), or COMPRESS_OFFLINE = True (the image runs compress at build)',
  );
}

/** A console script named `*-manage` in pyproject.toml's `[project.scripts]` (the project is installed with pip). */
function manageConsoleScript(root: string): string | undefined {
  const pyproject = readText(join(root, 'pyproject.toml'));
  const scripts = /^\[project\.scripts\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject)?.[1] ?? '';
  return /^\s*['"]?([\w.-]+-manage)['"]?\s*=/m.exec(scripts)?.[1];
}

/** `.` and the directories below it, breadth first and by name, skipping what {@link SKIP_DIRS} names. */
function listDirs(root: string, maxDepth: number): string[] {
  const found = ['.'];
  let level = ['.'];
  for (let depth = 1; depth <= maxDepth; depth++) {
    level = level.flatMap(dir =>
      safeReaddir(join(root, dir))
        .sort()
        .filter(name => !SKIP_DIRS.has(name) && !name.startsWith('.') && isDirectory(join(root, dir, name)))
        .map(name => posix.join(dir, name)),
    );
    found.push(...level);
  }
  return found;
}

/**
 * Understands the usual spellings: `STATIC_ROOT = BASE_DIR / "staticfiles"`,
 * `os.path.join(BASE_DIR, "staticfiles")`, and plain relative strings. An absolute
 * `STATIC_ROOT` or an absolute `STATIC_URL` (a CDN) is left to the user.
 * @param settingsFile - project-relative path of the settings module, e.g. `src/mysite/settings.py`
 * @param manageDir - project-relative directory of manage.py, e.g. `src`
 * @returns `root` relative to the project root: a `BASE_DIR`-based path from BASE_DIR, a plain relative
 *   one from the project root (collectstatic and the daemons run there); undefined when it is outside it
 */
function djangoStatic(settings: string, settingsFile: string, manageDir: string): DjangoStatic | undefined {
  const rootLine = /^STATIC_ROOT\s*=\s*(.+)$/m.exec(settings)?.[1];
  if (!rootLine) return undefined;
  const parts = [...rootLine.matchAll(/['"]([^'"]+)['"]/g)].map(m => m[1]);
  if (parts.length === 0 || parts[0].startsWith('/')) return undefined;
  const url = djangoStaticUrl(settings);
  if (url === undefined) return undefined;
  let base = '.';
  if (/\bBASE_DIR\b/.test(rootLine)) {
    // `BASE_DIR.parent / "static"` climbs from BASE_DIR like the Path expression does.
    const parents = /\bBASE_DIR((?:\.parent\b)*)/.exec(rootLine)?.[1].match(/\.parent/g)?.length ?? 0;
    base = posix.join(baseDir(settings, settingsFile, manageDir), ...Array<string>(parents).fill('..'));
  }
  const root = posix.normalize(posix.join(base, ...parts)).replace(/\/+$/, '');
  if (root === '.' || root === '..' || root.startsWith('../')) return undefined;
  return { url, root };
}

/**
 * Django's `STATIC_URL` as an Apache `Alias` path (`'static/'`, the default, -> `/static`).
 * @param settings - the settings module's source
 * @returns undefined for an absolute URL (a CDN) or `/`, which Apache cannot alias
 */
export function djangoStaticUrl(settings: string): string | undefined {
  const text = /^STATIC_URL\s*=\s*['"]([^'"]*)['"]/m.exec(settings)?.[1] ?? 'static/';
  if (/^[a-z]+:\/\//i.test(text) || text.startsWith('//')) return undefined;
  const url = `/${text.replace(/^\/+|\/+$/g, '')}`;
  return url === '/' ? undefined : url;
}

/**
 * Django's BASE_DIR, project-relative: `Path(__file__).resolve().parent.parent` (startproject) or
 * `os.path.dirname(os.path.dirname(os.path.abspath(__file__)))` climb from the settings file, one
 * level per `.parent` / `dirname(`; otherwise it is taken to be manage.py's directory, which holds
 * the project package as startproject lays it out.
 */
function baseDir(settings: string, settingsFile: string, manageDir: string): string {
  const definition = /^BASE_DIR\s*=\s*(.+)$/m.exec(settings)?.[1] ?? '';
  const levels = (definition.match(/\.parent\b/g)?.length ?? 0) + (definition.match(/\bdirname\s*\(/g)?.length ?? 0);
  if (!/__file__/.test(definition) || levels === 0) return manageDir;
  return posix.normalize(posix.join(settingsFile, ...Array<string>(levels).fill('..')));
}

function flaskEntries(root: string, file: string): string[] {
  const text = readText(join(root, file));
  if (!/\bFlask\s*\(/.test(text)) return [];
  const module = moduleName(file);
  const entries: string[] = [];
  for (const m of text.matchAll(/^([A-Za-z_]\w*)\s*=\s*Flask\s*\(/gm)) entries.push(`${module}:${m[1]}`);
  if (/^def\s+create_app\s*\(/m.test(text)) entries.push(`${module}:create_app()`);
  return entries;
}

function genericEntries(root: string, file: string): string[] {
  const text = readText(join(root, file));
  return /^(?:application\s*=|def\s+application\s*\()/m.test(text) ? [`${moduleName(file)}:application`] : [];
}

/**
 * `*.wsgi` scripts, shallow first: at the root, or below it where deploy layouts put them
 * (`wsgi/`, `apache/`, `www/cgi-bin/`), up to 3 levels. Only paths that may be written unquoted
 * (validators.ts, SAFE_PATH) are offered.
 */
function listWsgiScripts(root: string): string[] {
  return listFiles(root, '.wsgi').filter(path => SAFE_PATH.test(path));
}

/** `.py` files, shallow first, then by name, so `app.py` beats `pkg/sub/app.py`. */
function listPythonFiles(root: string): string[] {
  return listFiles(root, '.py');
}

/**
 * Project-relative paths of the files named `*SUFFIX`, shallow first, then by name, in the
 * first {@link MAX_SCAN_DEPTH} levels, at most {@link MAX_SCANNED_FILES}, never inside
 * {@link SKIP_DIRS} or hidden folders.
 */
function listFiles(root: string, suffix: string): string[] {
  const found: string[] = [];
  let level = [root];
  for (let depth = 0; depth < MAX_SCAN_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of safeReaddir(dir).sort()) {
        const path = join(dir, name);
        if (name.endsWith(suffix) && isFile(path)) {
          if (found.length < MAX_SCANNED_FILES) found.push(relative(root, path).split(sep).join('/'));
        } else if (!SKIP_DIRS.has(name) && !name.startsWith('.') && isDirectory(path)) {
          next.push(path);
        }
      }
    }
    level = next;
  }
  return found;
}

/** `pkg/app.py` -> `pkg.app`; `pkg/__init__.py` -> `pkg`; `src/pkg/app.py` -> `pkg.app`. */
function moduleName(file: string): string {
  const parts = file.replace(/\.py$/, '').split('/');
  if (parts[0] === 'src' && parts.length > 1) parts.shift();
  if (parts.at(-1) === '__init__') parts.pop();
  return parts.join('.');
}
