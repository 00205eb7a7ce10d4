import { describe, expect, it } from 'vitest';
import {
  BASES,
  defaultPythonVersion,
  parseBase,
  parsePythonVersion,
  PYTHON_VERSIONS,
  readPythonRequest,
} from '../../generators/app/bases.js';
import { projectWith } from '../helpers/project.js';

/** A project's three Python requests, one per place it may name its Python, in the order they are read. */
const PYTHON_REQUESTS = {
  '.python-version': '# pyenv\n3.11.4\n',
  'runtime.txt': 'python-3.12.1\n',
  'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.10"\n',
};

describe('parseBase', () => {
  it('knows the official Python image and two Debian releases; debian means trixie', () => {
    expect(['Python', 'Bookworm', 'debian'].map(parseBase)).toEqual(['python', 'bookworm', 'trixie']);
    expect(() => parseBase('buster')).toThrow(/--base: "buster" is not a supported base.*python, trixie, bookworm/);
  });
});

describe('parsePythonVersion', () => {
  it('takes X.Y or X.Y.Z on the python base and keeps X.Y', () => {
    expect(parsePythonVersion('3.12', 'python')).toBe('3.12');
    expect(parsePythonVersion('3.11.9', 'python')).toBe('3.11');
    expect(parsePythonVersion('python-3.10.2', 'python')).toBe('3.10');
  });
  it('refuses what the base does not offer, naming the fix', () => {
    expect(() => parsePythonVersion('3.9', 'python')).toThrow(/--python: "3.9" .*pass one of 3.10, 3.11, 3.12, 3.13/);
    expect(() => parsePythonVersion('3.12', 'trixie')).toThrow(
      /--python: "3.12" .*the trixie base has Python 3.13; pass --base python for 3.12/,
    );
    expect(parsePythonVersion('3.11', 'bookworm')).toBe('3.11');
  });
  it('offers on the python base exactly the versions declared once', () => {
    expect(BASES.python.pythons).toEqual(PYTHON_VERSIONS);
    expect(BASES.python.image('3.12')).toBe('docker.io/library/python:3.12-slim-trixie');
  });
});

describe('the project says which Python: .python-version, runtime.txt, requires-python', () => {
  it('reads them in that order, each one where those before it are missing', () => {
    const files: Record<string, string> = { ...PYTHON_REQUESTS };
    expect(readPythonRequest(projectWith(files))).toEqual({ source: '.python-version', text: '3.11.4' });
    delete files['.python-version'];
    expect(readPythonRequest(projectWith(files))).toEqual({ source: 'runtime.txt', text: 'python-3.12.1' });
    delete files['runtime.txt'];
    expect(readPythonRequest(projectWith(files))).toEqual({ source: 'pyproject.toml', text: '>=3.10' });
    expect(readPythonRequest(projectWith({ 'app.py': '' }))).toBeUndefined();
  });
  it('a pinned supported X.Y is the default; an unsupported one falls back to the newest', () => {
    expect(defaultPythonVersion('python', { source: '.python-version', text: '3.11.4' })).toBe('3.11');
    expect(defaultPythonVersion('python', { source: 'runtime.txt', text: 'python-3.12.1' })).toBe('3.12');
    expect(defaultPythonVersion('python', { source: '.python-version', text: '3.8' })).toBe('3.13');
    expect(defaultPythonVersion('python', undefined)).toBe('3.13');
  });
  it('requires-python picks the newest version it allows (PEP 440), a patch bound included', () => {
    const pick = (spec: string) => defaultPythonVersion('python', { source: 'pyproject.toml', text: spec });
    const specifiers = ['>=3.10,<3.13', '~=3.11.0', '>=3.12.1', '==3.10.*', '>=4', 'not a specifier'];
    expect(specifiers.map(pick)).toEqual(['3.12', '3.11', '3.13', '3.10', '3.13', '3.13']);
  });
  it('a Debian base has one Python whatever the project asks', () => {
    expect(defaultPythonVersion('bookworm', { source: '.python-version', text: '3.13' })).toBe('3.11');
  });
});
