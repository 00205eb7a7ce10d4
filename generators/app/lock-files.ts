/**
 * Lock files of Python's project tools (issue 29, point 2). Without a `requirements.txt`, the
 * image installs the first lock found beside `pyproject.toml`: a build stage runs the tool's own
 * export, which refuses a lock that no longer matches `pyproject.toml`, and the dependencies'
 * stage pip-installs the exported pins. With a `requirements.txt` the image installs that, and
 * the generator says in one line when it is older than the lock it was exported from.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isFile } from '../lib/fs.js';
import { officialImage } from '../lib/image-layout.js';

/**
 * Where the export runs: an image, named by a global build argument, that holds the tool
 * (`binary`: uv's distroless image has `/uv` alone, copied onto the base) or gets it as Debian
 * `packages` ({@link LOCK_TOOLS_IMAGE}).
 */
export type LockTool = { image: string; imageArg: string } & (
  { binary: string; packages?: never } | { packages: string[]; binary?: never }
);

/** A tool's lock file, and how its locked versions (the project's runtime dependencies only) become pinned requirements. */
export interface LockFile {
  file: string;
  /** the tool that writes it, and the command that brings it up to date */
  relock: string;
  /** the export a user runs, from each tool's docs: `uv export`, `poetry export` (poetry-plugin-export), `pdm export` */
  exportCommand: string;
  /** what the image's build runs in the project's directory: writes {@link LOCKED_REQUIREMENTS}, fails on a stale lock */
  buildExport: string;
  /** the tool's command name */
  toolName: string;
  tool: LockTool;
}

/** The file the lock's export writes in the build, and python-deps installs with `pip install -r`. */
export const LOCKED_REQUIREMENTS = 'locked-requirements.txt';

/**
 * uv's distroless image, pinned: its `/uv` runs on any glibc or musl base (uv's Docker guide,
 * https://docs.astral.sh/uv/guides/integration/docker/, "Available images"). The Dockerfile's
 * `UV_IMAGE` build argument overrides it.
 */
export const UV_IMAGE = 'ghcr.io/astral-sh/uv:0.10.2';

/**
 * Where Poetry and PDM come from: Debian trixie packages them (python3-poetry 2.1 with
 * python3-poetry-plugin-export 1.9, python3-pdm 2.20), so the export needs no index, whatever
 * the base. The Dockerfile's `LOCK_TOOLS_IMAGE` build argument overrides it.
 */
export const LOCK_TOOLS_IMAGE = officialImage('debian:trixie-slim');

const DEBIAN_TOOLS = { image: LOCK_TOOLS_IMAGE, imageArg: 'LOCK_TOOLS_IMAGE' };

const PDM_STALE = `wsgi-apache: pdm.lock does not match pyproject.toml (pdm lock --check). Fix: run pdm lock and build again`;

/** The lock files looked for, in this order; the image installs the first one found. */
export const LOCK_FILES: readonly LockFile[] = [
  {
    file: 'uv.lock',
    relock: 'uv lock',
    exportCommand: 'uv export --no-dev --no-hashes --no-emit-project -o requirements.txt',
    // --locked: uv's own check that the lock matches pyproject.toml, as `uv sync --locked` does.
    toolName: 'uv',
    buildExport: `uv export --locked --no-dev --no-hashes --no-emit-project --output-file ${LOCKED_REQUIREMENTS}`,
    tool: { image: UV_IMAGE, imageArg: 'UV_IMAGE', binary: '/uv' },
  },
  {
    file: 'poetry.lock',
    relock: 'poetry lock',
    exportCommand: 'poetry export --only main --without-hashes -o requirements.txt',
    // Poetry refuses a lock whose content-hash no longer matches pyproject.toml on its own.
    toolName: 'poetry',
    buildExport: `poetry export --only main --without-hashes --format requirements.txt --output ${LOCKED_REQUIREMENTS}`,
    tool: { ...DEBIAN_TOOLS, packages: ['python3-poetry', 'python3-poetry-plugin-export'] },
  },
  {
    file: 'pdm.lock',
    relock: 'pdm lock',
    exportCommand: 'pdm export --prod --without-hashes -o requirements.txt',
    toolName: 'pdm',
    // pdm export exports a stale lock without a word; pdm lock --check compares the hashes, offline.
    // PDM_CHECK_UPDATE=false: no look for a newer PDM on PyPI.
    buildExport: `export PDM_CHECK_UPDATE=false; { pdm lock --check || { echo "${PDM_STALE}" >&2; exit 1; }; } && pdm export --prod --without-hashes --output ${LOCKED_REQUIREMENTS}`,
    tool: { ...DEBIAN_TOOLS, packages: ['python3-pdm'] },
  },
];

/** PEP 751's lock file: pip (25.1) writes it with `pip lock` but cannot install from it. */
const PYLOCK = 'pylock.toml';

/**
 * The lock the image installs from: the first of {@link LOCK_FILES} at the project root, when
 * there is a `pyproject.toml` (the tools read both) and no `requirements.txt` (the image installs
 * that instead).
 * @param root - the project root
 * @param requirementsTxt - `requirements.txt` exists at the root
 * @returns the lock, or undefined
 */
export function installedLock(root: string, requirementsTxt: boolean): LockFile | undefined {
  if (requirementsTxt || !isFile(join(root, 'pyproject.toml'))) return undefined;
  return LOCK_FILES.find(lock => isFile(join(root, lock.file)));
}

/**
 * What the generator says of the project's lock files, one line each: a lock the image does
 * not install from (another one is, or requirements.txt is, or pip cannot read it), a
 * `requirements.txt` older than the lock it was exported from, and a lock older than
 * `pyproject.toml` (by modification time: a fresh clone has them in checkout order, so each is
 * a hint, not a refusal; the build's export is the check).
 * @param root - the project root
 * @param requirementsTxt - `requirements.txt` exists at the root (then the image installs it, not a lock)
 * @returns the lines, [] for none
 */
export function lockFileNotices(root: string, requirementsTxt: boolean): string[] {
  const pyproject = join(root, 'pyproject.toml');
  if (!isFile(pyproject)) return [];
  const notices: string[] = [];
  const installed = installedLock(root, requirementsTxt);
  const lockTime = (lock: LockFile) => statSync(join(root, lock.file)).mtimeMs;
  const requirements = join(root, 'requirements.txt');
  for (const lock of LOCK_FILES.filter(lock => isFile(join(root, lock.file)))) {
    if (installed && lock !== installed) {
      notices.push(`${lock.file} is not read: the image installs ${installed.file}, the first lock it looks for`);
    }
    if (requirementsTxt && statSync(requirements).mtimeMs < lockTime(lock)) {
      notices.push(
        `requirements.txt is older than ${lock.file}: the image installs requirements.txt's pins, not the lock's; export them again with ${lock.exportCommand}`,
      );
    }
    if (lockTime(lock) < statSync(pyproject).mtimeMs) {
      const build = lock === installed ? ", or the image's build stops at the export" : '';
      notices.push(
        `${lock.file} is older than pyproject.toml: if you changed the dependencies since, run ${lock.relock}${build}`,
      );
    }
  }
  if (isFile(join(root, PYLOCK)) && !installed && !requirementsTxt) {
    notices.push(
      `${PYLOCK} is not read: pip installs from requirements files, not from PEP 751 locks; export its pins to requirements.txt and run yo wsgi-apache again`,
    );
  }
  return notices;
}
