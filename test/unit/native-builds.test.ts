/**
 * generators/app/native-builds.ts: which declared Python packages need Debian's headers to build
 * and a shared library at run time, and what the Dockerfile does with them.
 */
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { nativeNeeds } from '../../generators/app/native-builds.js';
import { declaredPackages } from '../../generators/app/python-deps.js';
import { projectWith } from '../helpers/project.js';

const needsOf = (files: Record<string, string>) => {
  const root = projectWith({ 'app.py': 'application = None\n', ...files });
  return nativeNeeds(declaredPackages(root, detectProject(root)));
};

describe('native builds', () => {
  it('reads names and extras from requirements (included files too) and pyproject.toml, in any TOML shape', () => {
    const root = projectWith({
      'requirements.txt': '-r base.txt\nDjango>=4.2 --hash=sha256:00\n# psycopg2 in a comment\n',
      'base.txt': 'Psycopg[C,pool]>=3.1\n',
      'pyproject.toml':
        '[project]\nname = "site"\ndependencies = ["redis>=5", "mysqlclient"]\n[tool.poetry.dependencies]\ncelery = "^5"\n',
    });
    const names = declaredPackages(root, detectProject(root));
    expect(names).toEqual(
      expect.arrayContaining([
        { name: 'django', extras: [] },
        { name: 'psycopg', extras: ['c', 'pool'] },
        { name: 'redis', extras: [] },
        { name: 'mysqlclient', extras: [] },
        { name: 'celery', extras: [] },
      ]),
    );
    expect(names.map(item => item.name)).not.toContain('psycopg2');
  });

  it('psycopg2 builds against libpq-dev and runs with libpq5; psycopg[binary] and psycopg2-binary need nothing', () => {
    expect(needsOf({ 'requirements.txt': 'psycopg2==2.9.10\n' })).toEqual({ build: ['libpq-dev'], run: ['libpq5'] });
    expect(needsOf({ 'requirements.txt': 'psycopg>=3\n' })).toEqual({ build: [], run: ['libpq5'] });
    expect(needsOf({ 'requirements.txt': 'psycopg[c]>=3\nmysqlclient\n' })).toEqual({
      build: ['default-libmysqlclient-dev', 'libpq-dev', 'pkg-config'],
      run: ['libmariadb3', 'libpq5'],
    });
    expect(needsOf({ 'requirements.txt': 'psycopg2-binary\nDjango\n' })).toEqual({ build: [], run: [] });
    expect(needsOf({ 'requirements.txt': 'psycopg[binary,pool]\n' })).toEqual({ build: [], run: [] });
  });
});
