/**
 * Reads an existing Python project and guesses what the generator should ask about:
 * the framework, WSGI entry candidates, Python dependency files and Django's static files.
 * Guesses only pre-fill answers; `--entry` and the other flags always win.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isDirectory, isFile } from './validators.js';

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
  /** `pyproject.toml` with a `[project]` table exists at the root */
  pyprojectDependencies: boolean;
  /** a `wheelhouse/` directory exists at the root: offered to pip through `PIP_FIND_LINKS` */
  wheelhouse: boolean;
  /** Django only: settings module from manage.py, e.g. `mysite.settings` */
  djangoSettingsModule?: string;
  /** Django only, when settings set `STATIC_ROOT`: collectstatic runs at build and Apache serves the result */
  djangoStatic?: DjangoStatic;
}

/** Directories never scanned: VCS, virtualenvs, caches, front-end and build output. */
const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '__pycache__', 'node_modules',
  'site-packages', 'build', 'dist', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'docker', 'tests', 'test',
]);
const MAX_SCAN_DEPTH = 3;
const MAX_SCANNED_FILES = 2000;

/** Scans `root` (up to 3 levels, 2,000 `.py` files) and returns what it found; never throws on unreadable files. */
export function detectProject(root: string): ProjectFacts {
  const facts: ProjectFacts = {
    entryCandidates: [],
    requirementsTxt: isFile(join(root, 'requirements.txt')),
    pyprojectDependencies: /^\[project\]/m.test(readText(join(root, 'pyproject.toml'))),
    wheelhouse: isDirectory(join(root, 'wheelhouse')),
  };
  const django = detectDjango(root);
  if (django) {
    Object.assign(facts, django, { framework: 'django' as const });
    facts.entryCandidates.push(django.entry);
  }
  const pyFiles = listPythonFiles(root);
  const flask = pyFiles.flatMap(file => flaskEntries(root, file));
  const generic = pyFiles.flatMap(file => genericEntries(root, file));
  const scripts = listWsgiScripts(root);
  if (!facts.framework) facts.framework = flask.length > 0 ? 'flask' : generic.length + scripts.length > 0 ? 'generic' : undefined;
  facts.entryCandidates.push(...flask, ...generic, ...scripts);
  facts.entryCandidates = [...new Set(facts.entryCandidates)];
  return facts;
}

function detectDjango(root: string): (Omit<ProjectFacts, 'entryCandidates' | 'requirementsTxt' | 'pyprojectDependencies' | 'wheelhouse'> & { entry: string }) | undefined {
  const manage = readText(join(root, 'manage.py'));
  const settings = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(manage)?.[1];
  if (!settings) return undefined;
  const project = settings.split('.').slice(0, -1).join('.');
  const projectPath = project.replaceAll('.', '/');
  if (!isFile(join(root, projectPath, 'wsgi.py'))) return undefined;
  const settingsText = readText(join(root, `${settings.replaceAll('.', '/')}.py`));
  return { entry: `${project}.wsgi:application`, djangoSettingsModule: settings, djangoStatic: djangoStatic(settingsText) };
}

/**
 * Understands the usual spellings: `STATIC_ROOT = BASE_DIR / "staticfiles"`,
 * `os.path.join(BASE_DIR, "staticfiles")`, and plain relative strings. An absolute
 * `STATIC_ROOT` or an absolute `STATIC_URL` (a CDN) is left to the user.
 */
function djangoStatic(settings: string): DjangoStatic | undefined {
  const rootLine = /^STATIC_ROOT\s*=\s*(.+)$/m.exec(settings)?.[1];
  if (!rootLine) return undefined;
  const parts = [...rootLine.matchAll(/['"]([^'"]+)['"]/g)].map(m => m[1]);
  if (parts.length === 0 || parts[0].startsWith('/')) return undefined;
  const urlText = /^STATIC_URL\s*=\s*['"]([^'"]*)['"]/m.exec(settings)?.[1] ?? 'static/';
  if (/^[a-z]+:\/\//i.test(urlText) || urlText.startsWith('//')) return undefined;
  const url = `/${urlText.replace(/^\/+|\/+$/g, '')}`;
  if (url === '/') return undefined;
  return { url, root: parts.join('/').replace(/^\.\//, '').replace(/\/+$/, '') };
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

function listWsgiScripts(root: string): string[] {
  return safeReaddir(root)
    .filter(name => name.endsWith('.wsgi') && isFile(join(root, name)))
    .sort();
}

/** `.py` files, shallow first, then by name, so `app.py` beats `pkg/sub/app.py`. */
function listPythonFiles(root: string): string[] {
  const found: string[] = [];
  let level = [root];
  for (let depth = 0; depth < MAX_SCAN_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of safeReaddir(dir).sort()) {
        const path = join(dir, name);
        if (name.endsWith('.py') && isFile(path)) {
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

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
