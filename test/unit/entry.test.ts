import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEntryCallable, formatEntry, parseEntry, uncheckedEntryFile } from '../../generators/app/entry.js';
import { makeProject, projectWith } from '../helpers/project.js';
import { djangoProject } from '../helpers/python-sources.js';

const root = projectWith({
  'hello.py': 'application = None\n',
  'mysite/__init__.py': '',
  'mysite/wsgi.py': 'application = None\n',
  'src/shop/__init__.py': 'def create_app():\n    pass\n',
  'deploy/site.wsgi': 'application = None\n',
});

describe('parseEntry', () => {
  it.each([
    [
      'module:callable',
      'mysite.wsgi:application',
      { module: 'mysite.wsgi', callable: 'application', factory: false, moduleRoot: '.' },
    ],
    [
      'a factory call and finds a src/ layout',
      'shop:create_app()',
      { module: 'shop', callable: 'create_app', factory: true, moduleRoot: 'src' },
    ],
  ])('reads %s', (_, text, parsed) => {
    expect(parseEntry(text, root)).toEqual({ kind: 'callable', ...parsed });
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
    expect(() => parseEntry('', root)).toThrow(
      /--entry: no WSGI entry point was given and none could be detected\. Fix: pass --entry/,
    );
  });
  it.each([['hello'], ['hello:'], ['hello:app()x'], ['1hello:app'], ['hello:app:x'], ['hello-world:app']])(
    'rejects the unparseable %j',
    raw => {
      expect(() => parseEntry(raw, root)).toThrow(/--entry: .* is not a WSGI entry point/);
    },
  );
  it('rejects a module that does not exist, saying where it looked', () => {
    expect(() => parseEntry('missing.mod:app', root)).toThrow(
      /module "missing\.mod" .* was not found \(looked for missing\/mod\.py and missing\/mod\/__init__\.py/,
    );
  });
  it('takes a module not in the project as installed when asked to (the --entry of an installed package)', () => {
    expect(parseEntry('radicale:application', root, [], true)).toEqual({
      kind: 'callable',
      module: 'radicale',
      callable: 'application',
      factory: false,
      moduleRoot: '.',
      installed: true,
    });
  });
  it('rejects a script that does not exist', () => {
    expect(() => parseEntry('deploy/other.wsgi', root)).toThrow(
      /--entry: WSGI script "deploy\/other\.wsgi" does not exist/,
    );
  });
});

describe('parseEntry with extra module roots (a Django project below the root)', () => {
  const nested = projectWith(djangoProject('', 'backend'));
  it('finds the module in an extra root, after the root and src/', () => {
    expect(parseEntry('mysite.wsgi:application', nested, ['backend'])).toMatchObject({
      module: 'mysite.wsgi',
      moduleRoot: 'backend',
    });
  });
  it('without it, and for a missing module, says every place it looked', () => {
    expect(() => parseEntry('mysite.wsgi:application', nested)).toThrow(/in the project and in src\/\)/);
    expect(() => parseEntry('other.wsgi:application', nested, ['backend'])).toThrow(
      /looked for other\/wsgi\.py and other\/wsgi\/__init__\.py in the project, in src\/ and in backend\/\)/,
    );
  });
});

describe("checkEntryCallable: the callable exists and is called the right way (Python's ast)", () => {
  const project = projectWith({
    'hello.py': 'import os\n\ndef application(environ, start_response):\n    pass\n\ndef helper():\n    pass\n',
    'myapp.py': 'from flask import Flask\n\ndef create_app(test_config=None):\n    return Flask(__name__)\n',
    'wrapped.py': 'def application(environ, start_response):\n    pass\napplication = Middleware(application)\n',
    'decorated.py': '@wrap\ndef application():\n    pass\n',
    'star.py': 'from elsewhere import *\n',
    'lazy.py': 'def __getattr__(name):\n    return None\n',
    'conditional.py':
      'try:\n    from fast import app\nexcept ImportError:\n    app = None\nif True:\n    for alias in []:\n        pass\n',
    'needs.py': 'def make(config):\n    pass\n',
    'newer.py':
      'type Alias = int\ndef application(environ, start_response): pass\nmatch x:\n    case [a, *rest]: pass\n',
    'broken.py': 'def application(environ, start_response)\n',
    'pkg/__init__.py': '',
    'pkg/sub.py': 'application = None\n',
    'deploy/good.wsgi': 'from hello import application\n',
    'deploy/empty.wsgi': 'import hello\n',
    'deploy/factory.wsgi': 'def application():\n    pass\n',
  });
  const check = (text: string) => formatEntry(checkEntryCallable(parseEntry(text, project), project));

  it.each([
    'hello:application',
    'myapp:create_app()',
    'wrapped:application',
    'decorated:application',
    'star:anything',
    'lazy:anything',
    'conditional:app',
    'conditional:alias',
    'hello:os',
    'pkg.sub:application',
    'deploy/good.wsgi',
    // Syntax the host's Python may not know yet, or a real syntax error: left to Python in the image.
    'newer:application',
    'broken:application',
  ])('accepts %s', text => {
    expect(check(text)).toBe(text);
  });

  it('refuses a name the module does not bind, listing the ones it does', () => {
    expect(() => check('hello:nosuchcallable')).toThrow(
      '--entry: hello.py defines no "nosuchcallable" at module level (it binds application, helper, os). Fix: name the WSGI application or factory it defines, e.g. --entry hello:application.',
    );
    expect(() => check('myapp:app')).toThrow(/e\.g\. --entry myapp:create_app\(\)\.$/);
  });
  it('refuses a factory named without (), suggesting the call', () => {
    expect(() => check('myapp:create_app')).toThrow(
      '--entry: myapp:create_app is a function taking no arguments, an application factory, not a WSGI application (environ, start_response). Fix: did you mean myapp:create_app()? (then each daemon process calls it once).',
    );
    expect(() => check('hello:helper')).toThrow(/did you mean hello:helper\(\)\?/);
  });
  it('refuses () on a WSGI application, and on a function needing arguments', () => {
    expect(() => check('hello:application()')).toThrow(
      '--entry: hello:application() calls application without arguments, but it requires 2 arguments. Fix: it is a WSGI application itself: did you mean hello:application? (without "()").',
    );
    expect(() => check('needs:make()')).toThrow(
      /--entry: needs:make\(\) calls make without arguments, but it requires 1 argument\. Fix: give its arguments defaults/,
    );
    expect(() => check('needs:make')).toThrow(
      /--entry: make\(\) in needs\.py requires 1 argument, so it cannot be the WSGI application/,
    );
  });
  it('refuses a submodule named as the callable', () => {
    expect(() => check('pkg:sub')).toThrow(
      '--entry: "pkg:sub" names the module pkg.sub, not a callable in it. Fix: name the callable inside that module, e.g. --entry pkg.sub:application.',
    );
  });
  it('refuses a WSGI script without application, or with one that is not WSGI-shaped', () => {
    expect(() => check('deploy/empty.wsgi')).toThrow(
      '--entry: WSGI script deploy/empty.wsgi defines no "application", the name mod_wsgi calls. Fix: define application in it (e.g. application = create_app()), or pass --entry module:callable.',
    );
    expect(() => check('deploy/factory.wsgi')).toThrow(
      /--entry: application\(\) in deploy\/factory\.wsgi takes no arguments, so it cannot be the WSGI application/,
    );
  });
  it('skips the check, accepting the entry, where no python3 runs', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const fresh = makeProject({ files: { 'gone.py': 'x = 1\n' } });
      const entry = parseEntry('gone:nothing', fresh);
      expect(formatEntry(checkEntryCallable(entry, fresh))).toBe('gone:nothing');
      // What the generator's closing note names as not checked: the same scan, so the two agree.
      expect(uncheckedEntryFile(entry, fresh)).toBe('gone.py');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('uncheckedEntryFile', () => {
  it('is undefined for an entry python3 checked, and for an installed module', () => {
    const fresh = makeProject({ files: { 'here.py': 'application = None\n' } });
    expect(uncheckedEntryFile(parseEntry('here:application', fresh), fresh)).toBeUndefined();
    expect(uncheckedEntryFile(parseEntry('elsewhere:application', fresh, [], true), fresh)).toBeUndefined();
  });
});

describe('checkEntryCallable: an entry that names the project by its path on this machine', () => {
  it("refuses a deploy tool's script that inserts the host path, saying where the image has the project", () => {
    const project = makeProject();
    const write = (path: string, text: string) => writeFileSync(join(project, path), text);
    mkdirSync(join(project, 'www'));
    write('www/app.wsgi', `import sys\n\nsys.path.insert(0, '${project}')\nfrom hello import application\n`);
    write('hello.py', 'application = None\n');
    expect(() => checkEntryCallable(parseEntry('www/app.wsgi', project), project)).toThrow(
      new RegExp(
        `^--entry: www/app\\.wsgi names the project by its path on this machine, ${project} \\(line 3\\), which the image does not have \\(there it is /srv/app\\)\\. Fix: derive it from the script`,
      ),
    );
    // A path below it, in double quotes, in a module entry.
    write('hello.py', `DATA = "${project}/data"\napplication = None\n`);
    expect(() => checkEntryCallable(parseEntry('hello:application', project), project)).toThrow(
      /hello\.py .* \(line 1\)/,
    );
    // Another directory whose name merely starts with the project's is not the project.
    write('hello.py', `DATA = "${project}-backup"\napplication = None\n`);
    expect(formatEntry(checkEntryCallable(parseEntry('hello:application', project), project))).toBe(
      'hello:application',
    );
  });
});
