/**
 * How a project declares its Python dependencies, read exactly enough to install them in
 * the image: `pyproject.toml` (parsed as TOML) and `requirements.txt` with the files it
 * includes. Unlike the entry guesses in detect.ts these are not suggestions: a project
 * whose dependencies pip cannot install as found stops the generator with an
 * {@link InputError} that names the file and the fix, before anything is written.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { InputError } from '../lib/input-error.js';
import type { ProjectFacts } from './detect.js';
import { isFile, readText } from '../lib/fs.js';

/** What `pyproject.toml` says about installing the project. */
export interface PyprojectFacts {
  /** a `[project]` table (PEP 621): its `dependencies` are installed in a layer cached across code edits */
  projectTable: boolean;
  /**
   * The PEP 517 backend (`[build-system].build-backend`, e.g. `poetry.core.masonry.api`,
   * `hatchling.build`, `pdm.backend`, `setuptools.build_meta`) when the project is a package pip
   * can install itself (`pip install -e`): a `[build-system]` table plus the metadata the backend
   * needs (`[project].name`, `[tool.poetry].name`, or a setup.py / setup.cfg). Undefined otherwise,
   * and for Poetry's `package-mode = false`.
   */
  buildBackend?: string;
}

/** pip's backend when `[build-system]` names none (PEP 517, "fallback"). */
const LEGACY_BACKEND = 'setuptools.build_meta:__legacy__';

type Table = Record<string, unknown>;
const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `pyproject.toml` at the project root.
 * @param root - the project root
 * @param requirementsTxt - whether a `requirements.txt` is installed too: it may already list what a tool table holds
 * @returns undefined when there is no pyproject.toml
 * @throws InputError naming pyproject.toml when it is not valid TOML, or when `[tool.poetry.dependencies]` /
 *   `[tool.pdm.dependencies]` name packages that nothing would install (no build backend to install the
 *   project through, not in `[project].dependencies`, no requirements.txt)
 */
export function readPyproject(root: string, requirementsTxt: boolean): PyprojectFacts | undefined {
  const path = join(root, 'pyproject.toml');
  if (!isFile(path)) return undefined;
  let doc: Table;
  try {
    doc = parseToml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    throw new InputError(
      'pyproject.toml',
      `is not valid TOML (line ${error.line}, column ${error.column}: ${problem})`,
      'correct it; pip reads it too',
    );
  }
  const project = isTable(doc.project) ? doc.project : undefined;
  const tool = isTable(doc.tool) ? doc.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : undefined;
  const pdm = isTable(tool.pdm) ? tool.pdm : undefined;
  const buildSystem = isTable(doc['build-system']) ? doc['build-system'] : undefined;

  // Poetry's non-package mode: there is nothing to build, whatever [build-system] says.
  const packageMode = poetry?.['package-mode'] !== false;
  const named = typeof project?.name === 'string' || typeof poetry?.name === 'string';
  const setupFiles = isFile(join(root, 'setup.py')) || isFile(join(root, 'setup.cfg'));
  const buildBackend =
    buildSystem && packageMode && (named || setupFiles)
      ? typeof buildSystem['build-backend'] === 'string'
        ? buildSystem['build-backend']
        : LEGACY_BACKEND
      : undefined;

  if (!buildBackend && !requirementsTxt) {
    const declared = new Set(
      (Array.isArray(project?.dependencies) ? project.dependencies : []).map(spec => distributionName(String(spec))),
    );
    const uncovered = (names: string[]) =>
      names.filter(name => name.toLowerCase() !== 'python' && !declared.has(distributionName(name)));
    const poetryDeps = uncovered(isTable(poetry?.dependencies) ? Object.keys(poetry.dependencies) : []);
    if (poetryDeps.length > 0) {
      const why = !packageMode
        ? 'package-mode = false, so the project is no package pip could install them through'
        : buildSystem
          ? '[build-system] is there but neither [project].name nor [tool.poetry].name is'
          : 'there is no [build-system] table for pip to install the project through';
      const fix = packageMode
        ? 'add a [build-system] table (requires = ["poetry-core"], build-backend = "poetry.core.masonry.api"), or export them with poetry export -f requirements.txt -o requirements.txt'
        : 'export them with poetry export -f requirements.txt -o requirements.txt (Poetry 2 needs poetry-plugin-export), or list them in [project].dependencies';
      throw new InputError(
        'pyproject.toml',
        `[tool.poetry.dependencies] (${summary(poetryDeps)}) would not be installed: ${why}`,
        fix,
      );
    }
    const pdmDeps = uncovered(
      Array.isArray(pdm?.dependencies)
        ? pdm.dependencies.map(spec => leadingName(String(spec)))
        : isTable(pdm?.dependencies)
          ? Object.keys(pdm.dependencies)
          : [],
    );
    if (pdmDeps.length > 0) {
      throw new InputError(
        'pyproject.toml',
        `[tool.pdm.dependencies] (${summary(pdmDeps)}) would not be installed: pip reads only [project].dependencies, and there is no package to install them through`,
        'move them to [project].dependencies, or export them with pdm export -o requirements.txt --without-hashes',
      );
    }
  }
  return { projectTable: project !== undefined, ...(buildBackend ? { buildBackend } : {}) };
}

/** `Flask_Login[extra]>=1` -> `Flask_Login`: the name a PEP 508 string starts with. */
function leadingName(spec: string): string {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1] ?? spec.trim();
}

/** `Flask_Login[extra]>=1` -> `flask-login` (PEP 503 normalisation), to compare names across tables. */
function distributionName(spec: string): string {
  return leadingName(spec)
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

function summary(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** `-r`, `--requirement`, `-c`, `--constraint` with their value, as pip's option parser takes them. */
const INCLUDE = /^(?:(-r|-c)\s*|(--requirement|--constraint)(?:\s*=\s*|\s+))(\S.*)$/;
/** A URL pip fetches itself at build time (`-r https://...`): nothing to copy. */
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** File names written unquoted into the Dockerfile's COPY lines. */
const PLAIN_PATH = /^[A-Za-z0-9._/+-]+$/;

/**
 * The requirements files pip reads for `requirements.txt`: the file itself and every file it
 * includes with `-r`/`--requirement`/`-c`/`--constraint`, recursively (paths relative to the
 * including file, as pip resolves them; a file included twice or in a cycle is listed once).
 * They are copied into the image keeping this layout, so the includes resolve there too.
 * @param root - the project root
 * @returns project-relative POSIX paths, `requirements.txt` first; [] without requirements.txt
 * @throws InputError naming the including file and line when an include is outside the project,
 *   does not exist, or has characters a Dockerfile COPY line cannot take unquoted
 */
export function requirementFiles(root: string): string[] {
  if (!isFile(join(root, 'requirements.txt'))) return [];
  const files = ['requirements.txt'];
  // files grows while it is walked: breadth first, each file read once.
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    for (const { line, text, target } of includes(readFileSync(join(root, file), 'utf8'))) {
      if (URL.test(target)) continue;
      const at = `line ${line} "${text}"`;
      const rel = posix.normalize(posix.join(posix.dirname(file), target));
      if (posix.isAbsolute(target) || rel === '..' || rel.startsWith('../')) {
        throw new InputError(
          file,
          `${at} includes a file outside the project, which the image build cannot see`,
          `move that file into the project and include it by a path relative to ${file}`,
        );
      }
      if (!isFile(join(root, rel))) {
        throw new InputError(
          file,
          `${at} includes ${rel}, which does not exist`,
          `create ${rel}, or correct or remove the line`,
        );
      }
      if (!PLAIN_PATH.test(rel)) {
        throw new InputError(
          file,
          `${at} includes ${rel}, whose name has characters other than letters, digits, ".", "_", "-", "+" and "/"`,
          'rename that file and the line',
        );
      }
      if (!files.includes(rel)) files.push(rel);
    }
  }
  return files;
}

/** The include lines of a requirements file, after pip's own preprocessing: `\` continuations joined, comments dropped. */
function includes(content: string): { line: number; text: string; target: string }[] {
  const found: { line: number; text: string; target: string }[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (logical.endsWith('\\') && i + 1 < lines.length) logical = logical.slice(0, -1) + lines[++i];
    const text = logical.replace(/(^|\s)#.*$/, '').trim();
    const match = INCLUDE.exec(text);
    if (match) found.push({ line: start + 1, text, target: unquote(match[3].trim()) });
  }
  return found;
}

/** pip splits option values with shlex: `-r "base.txt"` names base.txt. */
function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** A requirement's name, PEP 503 normalised, with its extras (`psycopg[c,pool]` is psycopg, c and pool). */
export interface DeclaredPackage {
  name: string;
  extras: string[];
}

/** A requirement at the start of a line: `psycopg2>=2.9` in requirements.txt, a Poetry key `psycopg2 = "^2.9"`. */
const AT_LINE_START = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/gm;
/** A requirement quoted in a TOML array, on a line of its own or not: `"psycopg[c]>=3"`. */
const QUOTED = /["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/g;

/**
 * The packages requirements*.txt, pyproject.toml and the lock the image installs name, read as
 * text: requirements at the start of a line, and in pyproject.toml and the lock also every quoted
 * string that starts like one. Loose on
 * purpose (a `name = "mysite"` adds `name` and `mysite`): callers look names up in a table.
 * @returns each name once, PEP 503 normalised, with the extras of every mention merged
 */
export function declaredPackages(
  root: string,
  facts: Pick<ProjectFacts, 'requirementFiles' | 'lockFile'>,
): DeclaredPackage[] {
  const found = new Map<string, Set<string>>();
  const add = (matches: Iterable<RegExpMatchArray>) => {
    for (const match of matches) {
      const name = match[1].toLowerCase().replace(/[-_.]+/g, '-');
      const extras = found.get(name) ?? new Set<string>();
      for (const extra of (match[2] ?? '').split(',')) if (extra.trim()) extras.add(extra.trim().toLowerCase());
      found.set(name, extras);
    }
  };
  for (const file of facts.requirementFiles) add(readText(join(root, file)).matchAll(AT_LINE_START));
  const pyproject = readText(join(root, 'pyproject.toml'));
  add(pyproject.matchAll(AT_LINE_START));
  add(pyproject.matchAll(QUOTED));
  // The installed lock names every package, those pulled in by others too (`name = "psycopg2"`).
  if (facts.lockFile) add(readText(join(root, facts.lockFile)).matchAll(QUOTED));
  return [...found].map(([name, extras]) => ({ name, extras: [...extras].sort() }));
}
