/**
 * The images the generator builds on, declared once: the official `python:X.Y-slim-trixie`
 * image with mod_wsgi built from PyPI (the route mod_wsgi's author supports:
 * GrahamDumpleton/mod_wsgi#123 calls distribution packages unsupported), or Debian's own
 * Python, Apache and mod_wsgi packages.
 */
import { join } from 'node:path';
import { satisfies } from '@renovatebot/pep440';
import { parse as parseToml } from 'smol-toml';
import { readText } from '../lib/fs.js';
import { officialImage } from '../lib/image-layout.js';
import { InputError } from '../lib/input-error.js';

/**
 * mod_wsgi release pip builds on the `python` base (the Dockerfile's `MOD_WSGI_VERSION` build
 * arg). 5.x is the stable line (https://modwsgi.readthedocs.io/en/latest/project-status.html);
 * 5.0.2 is also Debian trixie's, so its source builds offline from Debian's archive.
 */
export const MOD_WSGI_PYPI_VERSION = '5.0.2';

/**
 * Python versions of the `python` base, oldest first: those with a current
 * `python:X.Y-slim-trixie` image (docker-library/python; 3.9 reached end of life in
 * October 2025) that mod_wsgi 5.0.2's package classifiers list (3.8 to 3.13).
 */
export const PYTHON_VERSIONS = ['3.10', '3.11', '3.12', '3.13'] as const;
export type PythonVersion = (typeof PYTHON_VERSIONS)[number];

/** What an image base provides. */
export interface Base {
  /** one line for `--help`, the prompt and DOCKER.md */
  label: string;
  /** the `FROM` image for a Python version, fully qualified (officialImage) */
  image(python: string): string;
  /** the Python versions it offers, newest last */
  pythons: readonly string[];
  /** mod_wsgi version it installs */
  modWsgi: string;
  /** mod_wsgi built by pip in a build stage (true) or Debian's libapache2-mod-wsgi-py3 (false) */
  pypiModWsgi: boolean;
  /** Debian release under the image */
  debian: 'trixie' | 'bookworm';
  /** absolute path of the image's Python 3, outside the virtualenv (Apache's piped logger runs it) */
  systemPython: string;
  /** Debian packages pip needs to build C extensions beside gcc: Debian's Python has its headers in python3-dev, the official image in /usr/local/include */
  pythonHeaders: readonly string[];
  /** `python3 -m venv` options of every virtualenv: on Debian's Python the venvs see Debian's python3-* packages (python3-coverage) */
  venvOptions: string;
  /** where coverage.py is installed outside the app's virtualenv (`pip install --target`), '' where Debian's python3-coverage is used */
  coveragePath: string;
}

/**
 * coverage.py release pip installs for WSGI_COVERAGE on the `python` base (the Dockerfile's
 * `COVERAGE_VERSION` build arg), pinned so the image is the same on every build: trixie's
 * python3-coverage, so it also builds offline from Debian's sources (images/build-wheelhouse.sh).
 */
export const COVERAGE_PYPI_VERSION = '7.6.0';

/** Where the official Python image's builds keep coverage.py (`pip install --target`), off the app's own path. */
export const DEV_TOOLS_PYTHON_PATH = '/opt/wsgi-devtools';

/** What a Debian base's own Python has in common: /usr/bin/python3, headers in python3-dev, python3-coverage. */
const DEBIAN_PYTHON = {
  pypiModWsgi: false,
  systemPython: '/usr/bin/python3',
  pythonHeaders: ['python3-dev'],
  venvOptions: '--system-site-packages ',
  coveragePath: '',
} as const;

export const BASE_NAMES = ['python', 'trixie', 'bookworm'] as const;
export type BaseName = (typeof BASE_NAMES)[number];
/** `--base` when none is given: the official image (its libpython runs Python faster than Debian's, see DOCKER.md). */
export const DEFAULT_BASE: BaseName = 'python';

export const BASES: Record<BaseName, Base> = {
  python: {
    label: `the official python:X.Y-slim-trixie image, mod_wsgi ${MOD_WSGI_PYPI_VERSION} built from PyPI`,
    image: python => officialImage(`python:${python}-slim-trixie`),
    pythons: PYTHON_VERSIONS,
    modWsgi: MOD_WSGI_PYPI_VERSION,
    pypiModWsgi: true,
    debian: 'trixie',
    systemPython: '/usr/local/bin/python3',
    pythonHeaders: [],
    venvOptions: '',
    coveragePath: DEV_TOOLS_PYTHON_PATH,
  },
  trixie: {
    label: "Debian trixie's packages (Python 3.13, mod_wsgi 5.0.2)",
    image: () => officialImage('debian:trixie-slim'),
    pythons: ['3.13'],
    modWsgi: '5.0.2',
    ...DEBIAN_PYTHON,
    debian: 'trixie',
  },
  bookworm: {
    label: "Debian bookworm's packages (Python 3.11, mod_wsgi 4.9.4)",
    image: () => officialImage('debian:bookworm-slim'),
    pythons: ['3.11'],
    modWsgi: '4.9.4',
    ...DEBIAN_PYTHON,
    debian: 'bookworm',
  },
};

/**
 * `--base`: `python`, or a Debian release (`debian` means trixie).
 * @throws InputError naming `--base` and the accepted values
 */
export function parseBase(raw: unknown): BaseName {
  const value = String(raw).trim().toLowerCase();
  if (value === 'debian') return 'trixie';
  if ((BASE_NAMES as readonly string[]).includes(value)) return value as BaseName;
  throw new InputError('--base', `"${String(raw)}" is not a supported base`, `pass one of ${BASE_NAMES.join(', ')}`);
}

/**
 * `--python X.Y` on `base`.
 * @throws InputError naming `--python` when the base does not offer that version
 */
export function parsePythonVersion(raw: unknown, base: BaseName): string {
  const value = String(raw)
    .trim()
    .replace(/^python-?/i, '');
  const minor = /^(\d+\.\d+)(\.\d+)?$/.exec(value)?.[1];
  const offered = BASES[base].pythons;
  if (minor && offered.includes(minor)) return minor;
  const fix =
    base === 'python'
      ? `pass one of ${offered.join(', ')}`
      : `the ${base} base has Python ${offered.join(', ')}; pass --base python for ${minor ?? 'another version'}`;
  throw new InputError('--python', `"${String(raw)}" is not a Python version this base offers`, fix);
}

/** Where a project says which Python it runs on, in the order the generator trusts them. */
export interface PythonRequest {
  /** the file that said it, project-relative */
  source: '.python-version' | 'runtime.txt' | 'pyproject.toml';
  /** what it said, e.g. `3.12.4` or `>=3.11,<3.13` */
  text: string;
}

/**
 * The project's own Python version request: `.python-version` (pyenv, uv), then `runtime.txt`
 * (Heroku-style `python-3.12.4`), then pyproject.toml's `[project] requires-python`.
 */
export function readPythonRequest(root: string): PythonRequest | undefined {
  const pinned = readText(join(root, '.python-version'))
    ?.split('\n')
    .map(line => line.trim())
    .find(line => line && !line.startsWith('#'));
  if (pinned) return { source: '.python-version', text: pinned };
  const runtime = readText(join(root, 'runtime.txt'))?.trim();
  if (runtime) return { source: 'runtime.txt', text: runtime };
  const pyproject = readText(join(root, 'pyproject.toml'));
  if (pyproject) {
    try {
      const project = parseToml(pyproject).project as { 'requires-python'?: unknown } | undefined;
      const spec = project?.['requires-python'];
      if (typeof spec === 'string' && spec.trim()) return { source: 'pyproject.toml', text: spec.trim() };
    } catch {
      // An unreadable pyproject.toml is reported where its dependencies are read.
    }
  }
  return undefined;
}

/**
 * The default `--python` on `base`: the project's pinned `X.Y` when the base offers it, else the
 * newest offered version that satisfies the project's `requires-python` (PEP 440, checked at
 * `X.Y.0` and `X.Y.99` so `>=3.12.1` still matches 3.12), else the newest offered.
 */
export function defaultPythonVersion(base: BaseName, request: PythonRequest | undefined): string {
  const offered = BASES[base].pythons;
  const newest = offered[offered.length - 1];
  if (!request) return newest;
  if (request.source !== 'pyproject.toml') {
    const minor = /(\d+\.\d+)/.exec(request.text)?.[1];
    return minor && offered.includes(minor) ? minor : newest;
  }
  const fits = (version: string) => {
    try {
      return satisfies(`${version}.0`, request.text) || satisfies(`${version}.99`, request.text);
    } catch {
      return false;
    }
  };
  return [...offered].reverse().find(fits) ?? newest;
}

/** `--python-build`: the official image's Python as it is, or CPython rebuilt for embedding in a build stage. */
export const PYTHON_BUILDS = ['standard', 'optimized'] as const;
export type PythonBuild = (typeof PYTHON_BUILDS)[number];

/** One line each for `--help`, the prompt and DOCKER.md. */
export const PYTHON_BUILD_LABELS: Record<PythonBuild, string> = {
  standard: "the official image's Python",
  optimized:
    'CPython rebuilt from the same source for embedding: libpython with the initial-exec TLS model, PGO and LTO (about 15 min once on 2 cores)',
};

/**
 * The `PYTHON_OPTIMIZATIONS` build argument's default for `--python-build optimized`: configure's
 * options as docker-library's python images build CPython (PGO, whose training run is CPython's
 * `--pgo` test set, and LTO). Empty builds without either.
 */
export const PYTHON_OPTIMIZATIONS = '--enable-optimizations --with-lto';

/**
 * `--python-build`.
 * @throws InputError naming `--python-build` and the accepted values
 */
export function parsePythonBuild(raw: unknown): PythonBuild {
  const value = String(raw).trim().toLowerCase();
  if ((PYTHON_BUILDS as readonly string[]).includes(value)) return value as PythonBuild;
  throw new InputError(
    '--python-build',
    `"${String(raw)}" is not a Python build`,
    `pass one of ${PYTHON_BUILDS.join(', ')}`,
  );
}
