import { describe, expect, it } from 'vitest';
import { formatEntry, parseEntry } from '../../generators/app/entry.js';
import { makeProject } from '../helpers/project.js';

const root = makeProject({
  files: {
    'hello.py': 'application = None\n',
    'mysite/__init__.py': '',
    'mysite/wsgi.py': 'application = None\n',
    'src/shop/__init__.py': 'def create_app():\n    pass\n',
    'deploy/site.wsgi': 'application = None\n',
  },
});

describe('parseEntry', () => {
  it('reads module:callable', () => {
    expect(parseEntry('mysite.wsgi:application', root)).toEqual({
      kind: 'callable',
      module: 'mysite.wsgi',
      callable: 'application',
      factory: false,
      moduleRoot: '.',
    });
  });
  it('reads a factory call and finds a src/ layout', () => {
    expect(parseEntry('shop:create_app()', root)).toEqual({
      kind: 'callable',
      module: 'shop',
      callable: 'create_app',
      factory: true,
      moduleRoot: 'src',
    });
  });
  it('reads a WSGI script path', () => {
    expect(parseEntry('./deploy/site.wsgi', root)).toEqual({ kind: 'script', path: 'deploy/site.wsgi' });
  });
  it('round-trips through formatEntry', () => {
    for (const text of ['hello:application', 'shop:create_app()', 'deploy/site.wsgi']) {
      expect(formatEntry(parseEntry(text, root))).toBe(text);
    }
  });
  it('says what to pass when nothing was given', () => {
    expect(() => parseEntry('', root)).toThrow(/--entry: no WSGI entry point was given and none could be detected\. Fix: pass --entry/);
  });
  it.each([['hello'], ['hello:'], ['hello:app()x'], ['1hello:app'], ['hello:app:x'], ['hello-world:app']])(
    'rejects the unparseable %j',
    raw => {
      expect(() => parseEntry(raw, root)).toThrow(/--entry: .* is not a WSGI entry point/);
    },
  );
  it('rejects a module that does not exist, saying where it looked', () => {
    expect(() => parseEntry('missing.mod:app', root)).toThrow(/module "missing\.mod" .* was not found \(looked for missing\/mod\.py and missing\/mod\/__init__\.py/);
  });
  it('rejects a script that does not exist', () => {
    expect(() => parseEntry('deploy/other.wsgi', root)).toThrow(/--entry: WSGI script "deploy\/other\.wsgi" does not exist/);
  });
});

describe('parseEntry with extra module roots (a Django project below the root)', () => {
  const nested = makeProject({ files: { 'backend/manage.py': '', 'backend/mysite/__init__.py': '', 'backend/mysite/wsgi.py': 'application = None\n' } });
  it('finds the module in an extra root, after the root and src/', () => {
    expect(parseEntry('mysite.wsgi:application', nested, ['backend'])).toMatchObject({ module: 'mysite.wsgi', moduleRoot: 'backend' });
  });
  it('without it, and for a missing module, says every place it looked', () => {
    expect(() => parseEntry('mysite.wsgi:application', nested)).toThrow(/in the project and in src\/\)/);
    expect(() => parseEntry('other.wsgi:application', nested, ['backend'])).toThrow(
      /looked for other\/wsgi\.py and other\/wsgi\/__init__\.py in the project, in src\/ and in backend\/\)/,
    );
  });
});
