import { describe, expect, it } from 'vitest';
import { readPyproject, requirementFiles } from '../../generators/app/python-deps.js';
import { makeProject, projectWith } from '../helpers/project.js';

const pyproject = (text: string, files: Record<string, string> = {}) =>
  makeProject({ files: { 'pyproject.toml': text, ...files } });

describe('readPyproject', () => {
  it('is undefined without pyproject.toml', () => {
    expect(readPyproject(makeProject(), false)).toBeUndefined();
  });

  it('a PEP 621 project without [build-system]: dependencies only, nothing to install itself', () => {
    expect(readPyproject(pyproject('[project]\nname = "shop"\ndependencies = ["flask"]\n'), false)).toEqual({
      projectTable: true,
    });
  });

  it.each([
    ['Hatch', 'hatchling.build', '["hatchling"]'],
    ['PDM', 'pdm.backend', '["pdm-backend"]'],
    ['setuptools', 'setuptools.build_meta', '["setuptools>=61"]'],
  ])('a PEP 621 project built by %s is installed through its backend', (_label, backend, requires) => {
    const text = `[build-system]\nrequires = ${requires}\nbuild-backend = "${backend}"\n\n[project]\nname = "shop"\nversion = "1"\n`;
    expect(readPyproject(pyproject(text), false)).toEqual({ projectTable: true, buildBackend: backend });
  });

  it('a Poetry project ([tool.poetry], no [project]) is installed through poetry-core', () => {
    const text = `[tool.poetry]\nname = "shop"\nversion = "1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n`;
    expect(readPyproject(pyproject(text), false)).toEqual({
      projectTable: false,
      buildBackend: 'poetry.core.masonry.api',
    });
  });

  it("[build-system] without build-backend is pip's setuptools fallback; without any metadata it is no package", () => {
    const bare = '[build-system]\nrequires = ["setuptools"]\n';
    expect(
      readPyproject(pyproject(bare, { 'setup.py': 'from setuptools import setup\nsetup(name="x")\n' }), false),
    ).toEqual({
      projectTable: false,
      buildBackend: 'setuptools.build_meta:__legacy__',
    });
    // Tool configuration only (black, ruff) next to a stray [build-system]: pip could not build it.
    expect(readPyproject(pyproject(`${bare}\n[tool.black]\nline-length = 100\n`), false)).toEqual({
      projectTable: false,
    });
  });

  it.each([
    [
      'Poetry dependencies without a [build-system], naming the file and poetry export',
      '[tool.poetry]\nname = "shop"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\nrequests = "*"\n',
      /^pyproject\.toml: \[tool\.poetry\.dependencies\] \(flask, requests\) would not be installed: there is no \[build-system\] table .*\. Fix: add a \[build-system\] table .*poetry export -f requirements\.txt -o requirements\.txt\.$/,
    ],
    [
      "Poetry's package-mode = false even with a [build-system]",
      '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n',
      /^pyproject\.toml: .*package-mode = false.*\. Fix: export them with poetry export/,
    ],
    [
      '[tool.pdm.dependencies] with neither [project].dependencies nor a build backend',
      '[tool.pdm]\ndependencies = ["flask>=3"]\n',
      /^pyproject\.toml: \[tool\.pdm\.dependencies\] \(flask\) would not be installed: .*\. Fix: move them to \[project\]\.dependencies, or export them with pdm export/,
    ],
  ])('stops on %s', (_case, text, message) => {
    expect(() => readPyproject(pyproject(text), false)).toThrow(message);
  });

  it('accepts Poetry dependencies that requirements.txt or [project].dependencies already install', () => {
    const poetry =
      '[tool.poetry]\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nFlask = "^3"\n';
    expect(readPyproject(pyproject(poetry), true)).toEqual({ projectTable: false });
    // Poetry 2: [project] lists them; [tool.poetry.dependencies] only adds sources or constraints.
    const poetry2 = `[project]\nname = "shop"\ndependencies = ["flask>=3"]\n\n${poetry}`;
    expect(readPyproject(pyproject(poetry2), false)).toEqual({ projectTable: true });
  });

  it('reports invalid TOML in one line with its position', () => {
    const error = (() => {
      try {
        readPyproject(pyproject('[project]\nname = = "x"\n'), false);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(
      /^pyproject\.toml: is not valid TOML \(line 2, column \d+: [^\n]+\)\. Fix: correct it; pip reads it too\.$/,
    );
  });
});

describe('requirementFiles', () => {
  it('is empty without requirements.txt and just the file without includes', () => {
    expect(requirementFiles(makeProject())).toEqual([]);
    expect(requirementFiles(makeProject({ files: { 'requirements.txt': 'flask\n' } }))).toEqual(['requirements.txt']);
  });

  it('follows -r, --requirement, -c and --constraint relative to the including file, recursively, each file once', () => {
    const root = projectWith({
      'requirements.txt': [
        '# the app',
        '-r requirements/prod.txt',
        '--constraint=constraints.txt  # pins',
        'flask',
        '-r https://example.com/remote.txt',
      ].join('\n'),
      'requirements/prod.txt': '-rbase.txt\n--requirement "extra.txt"\n',
      'requirements/base.txt': '-c ../constraints.txt\n-r prod.txt\nrequests\n',
      'requirements/extra.txt': '-r \\\n  base.txt\n',
      'constraints.txt': 'flask<4\n',
    });
    expect(requirementFiles(root)).toEqual([
      'requirements.txt',
      'requirements/prod.txt',
      'constraints.txt',
      'requirements/base.txt',
      'requirements/extra.txt',
    ]);
  });

  it('ignores includes in comments', () => {
    const root = makeProject({ files: { 'requirements.txt': '# -r missing.txt\nflask # -r missing.txt\n' } });
    expect(requirementFiles(root)).toEqual(['requirements.txt']);
  });

  it('stops on an include that does not exist, naming the file, the line and the fix', () => {
    const root = makeProject({
      files: { 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': 'flask\n-c pins.txt\n' },
    });
    expect(() => requirementFiles(root)).toThrow(
      /^requirements\/base\.txt: line 2 "-c pins\.txt" includes requirements\/pins\.txt, which does not exist\. Fix: create requirements\/pins\.txt, or correct or remove the line\.$/,
    );
  });

  it.each([['-r ../../shared/base.txt'], ['-r /etc/requirements.txt'], ['--requirement=../outside.txt']])(
    'stops on an include outside the project: %s',
    line => {
      const root = makeProject({ files: { 'requirements.txt': `flask\n${line}\n` } });
      expect(() => requirementFiles(root)).toThrow(
        /^requirements\.txt: line 2 ".*" includes a file outside the project, which the image build cannot see\. Fix: move that file into the project/,
      );
    },
  );

  it('stops on an included name a COPY line cannot take', () => {
    const root = makeProject({ files: { 'requirements.txt': '-r "my reqs.txt"\n', 'my reqs.txt': 'flask\n' } });
    expect(() => requirementFiles(root)).toThrow(
      /^requirements\.txt: line 1 .* includes my reqs\.txt, whose name has characters/,
    );
  });
});
