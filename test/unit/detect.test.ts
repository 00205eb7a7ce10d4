import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { extraModuleRoots, parseEntry } from '../../generators/app/entry.js';
import { makeProject, projectWith } from '../helpers/project.js';
import { DJANGO_MANAGE, djangoProject, FLASK_APP, FLASK_FACTORY } from '../helpers/python-sources.js';

describe('detectProject', () => {
  it('finds Django from manage.py, with STATIC_ROOT for collectstatic', () => {
    const root = projectWith({
      ...djangoProject("STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n"),
      'requirements.txt': 'django\n',
    });
    expect(detectProject(root)).toMatchObject({
      framework: 'django',
      entryCandidates: ['mysite.wsgi:application'],
      djangoSettingsModule: 'mysite.settings',
      djangoStatic: { url: '/static', root: 'staticfiles' },
      requirementsTxt: true,
      pyprojectDependencies: false,
    });
  });

  it('understands os.path.join STATIC_ROOT and a custom STATIC_URL', () => {
    const root = projectWith(
      djangoProject("STATIC_URL = '/assets/'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'var', 'static')\n"),
    );
    expect(detectProject(root).djangoStatic).toEqual({ url: '/assets', root: 'var/static' });
  });

  it('leaves Django static files alone without STATIC_ROOT or with a CDN URL', () => {
    expect(detectProject(projectWith(djangoProject("STATIC_URL = 'static/'\n"))).djangoStatic).toBeUndefined();
    const cdn = djangoProject("STATIC_URL = 'https://cdn.example/'\nSTATIC_ROOT = 'staticfiles'\n");
    expect(detectProject(projectWith(cdn)).djangoStatic).toBeUndefined();
  });

  it.each<{ what: string; files: Record<string, string>; found: object }>([
    {
      what: 'a Flask app and an application factory, shallow files first',
      files: {
        'app.py': FLASK_APP,
        'shop/__init__.py': FLASK_FACTORY,
        'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["flask"]\n',
      },
      found: { framework: 'flask', entryCandidates: ['app:app', 'shop:create_app()'], pyprojectDependencies: true },
    },
    {
      what: 'a plain WSGI callable, a src/ layout and .wsgi scripts',
      files: {
        'src/api/wsgi.py': 'def application(environ, start_response):\n    pass\n',
        'site.wsgi': 'application = None\n',
        'wheelhouse/pkg-1.0-py3-none-any.whl': '',
      },
      found: { framework: 'generic', entryCandidates: ['api.wsgi:application', 'site.wsgi'], wheelhouse: true },
    },
    {
      what: '.wsgi scripts below the root, where deploy layouts put them, shallow first',
      files: {
        'www/cgi-bin/app.wsgi': 'application = None\n',
        'apache/site.wsgi': 'application = None\n',
        'docker/devtools.wsgi': 'application = None\n',
        '.venv/share/x.wsgi': 'application = None\n',
        'a/b/c/too-deep.wsgi': 'application = None\n',
      },
      found: { framework: 'generic', entryCandidates: ['apache/site.wsgi', 'www/cgi-bin/app.wsgi'] },
    },
    {
      what: 'nothing in virtualenvs and tests',
      files: {
        '.venv/lib/flask_app.py': FLASK_APP,
        'venv/app.py': 'application = 1\n',
        'tests/test_app.py': 'application = 1\n',
      },
      found: { framework: undefined, entryCandidates: [] },
    },
  ])('finds $what', ({ files, found }) => {
    expect(detectProject(makeProject({ files }))).toMatchObject(found);
  });
});

describe('detectProject: Django below the root', () => {
  const SETTINGS =
    'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_URL = "static/"\n';
  const nested = (dir: string, staticRoot = 'BASE_DIR / "staticfiles"') =>
    djangoProject(`${SETTINGS}STATIC_ROOT = ${staticRoot}\n`, dir);

  it.each([['src'], ['backend'], ['src/backend']])(
    'finds manage.py in %s/ with its settings, entry and BASE_DIR-relative STATIC_ROOT',
    dir => {
      const facts = detectProject(makeProject({ files: nested(dir) }));
      expect(facts).toMatchObject({
        framework: 'django',
        djangoSettingsModule: 'mysite.settings',
        djangoManagePy: `${dir}/manage.py`,
        djangoStatic: { url: '/static', root: `${dir}/staticfiles` },
      });
      // The project's wsgi.py is offered once, as Django imports it, not also as a dotted path from the root.
      expect(facts.entryCandidates).toEqual(['mysite.wsgi:application']);
    },
  );

  it('the entry parses against the directory holding manage.py', () => {
    const root = makeProject({ files: nested('backend') });
    const facts = detectProject(root);
    expect(extraModuleRoots(facts)).toEqual(['backend']);
    expect(parseEntry('mysite.wsgi:application', root, extraModuleRoots(facts))).toMatchObject({
      module: 'mysite.wsgi',
      moduleRoot: 'backend',
    });
    expect(extraModuleRoots(detectProject(makeProject({ files: nested('src') })))).toEqual([]);
    expect(extraModuleRoots(detectProject(makeProject({ files: { ...nested('.') } })))).toEqual([]);
  });

  it('a root manage.py wins; deeper than two levels and skipped directories are not searched', () => {
    expect(detectProject(makeProject({ files: { ...nested('.'), ...nested('backend') } })).djangoManagePy).toBe(
      'manage.py',
    );
    expect(detectProject(makeProject({ files: nested('a/b/c') })).djangoManagePy).toBeUndefined();
    expect(
      detectProject(makeProject({ files: { ...nested('venv'), ...nested('tests/site') } })).framework,
    ).toBeUndefined();
  });

  it('skips a manage.py whose settings package has no wsgi.py and takes the next one', () => {
    const files = { ...nested('backend'), 'app/manage.py': DJANGO_MANAGE, 'app/mysite/settings.py': SETTINGS };
    expect(detectProject(makeProject({ files })).djangoManagePy).toBe('backend/manage.py');
  });

  it('resolves STATIC_ROOT by how it is written: BASE_DIR (climbing .parent), os.path.dirname BASE_DIR, plain relative strings', () => {
    const staticRoot = (dir: string, expression: string, settings?: string) => {
      const files = nested(dir, expression);
      if (settings !== undefined) files[`${dir}/mysite/settings.py`] = `${settings}STATIC_ROOT = ${expression}\n`;
      return detectProject(makeProject({ files })).djangoStatic?.root;
    };
    expect(staticRoot('src', 'BASE_DIR.parent / "staticfiles"')).toBe('staticfiles');
    expect(staticRoot('src', 'os.path.join(BASE_DIR, "var", "static")')).toBe('src/var/static');
    // Collectstatic and the daemons run in the project root, where Django resolves a plain relative path.
    expect(staticRoot('src', '"collected"')).toBe('collected');
    const osPath = 'import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n';
    expect(staticRoot('src/backend', 'os.path.join(BASE_DIR, "static")', osPath)).toBe('src/backend/static');
    // A settings package (mysite/settings/production.py) climbs one more level.
    const files = nested('src');
    delete files['src/mysite/settings.py'];
    files['src/manage.py'] = DJANGO_MANAGE.replace('mysite.settings', 'mysite.settings.production');
    files['src/mysite/settings/production.py'] =
      'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n';
    expect(detectProject(makeProject({ files })).djangoStatic?.root).toBe('src/staticfiles');
    // Outside the project: left to the user.
    expect(staticRoot('src', 'BASE_DIR.parent.parent / "static"')).toBeUndefined();
  });
});

describe('detectProject: Python dependency files', () => {
  it('lists requirements.txt with its includes and the pyproject build backend', () => {
    const root = projectWith({
      'app.py': 'application = None\n',
      'requirements.txt': '-r requirements/base.txt\n',
      'requirements/base.txt': 'flask\n',
      'pyproject.toml':
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "app"\nversion = "1"\n',
    });
    expect(detectProject(root)).toMatchObject({
      requirementsTxt: true,
      requirementFiles: ['requirements.txt', 'requirements/base.txt'],
      pyprojectDependencies: true,
      pyprojectBuildBackend: 'hatchling.build',
    });
  });

  it('a pyproject.toml without [project] has no PEP 621 dependencies', () => {
    const root = makeProject({ files: { 'pyproject.toml': '[tool.ruff]\nline-length = 100\n# [project]\n' } });
    expect(detectProject(root)).toMatchObject({ pyprojectDependencies: false, requirementFiles: [] });
    expect(detectProject(root).pyprojectBuildBackend).toBeUndefined();
  });

  it('stops on dependencies it cannot install, before anything else', () => {
    const root = makeProject({ files: { 'requirements.txt': '-r ../shared.txt\n' } });
    expect(() => detectProject(root)).toThrow(
      /^requirements\.txt: line 1 "-r \.\.\/shared\.txt" includes a file outside the project/,
    );
  });
});
