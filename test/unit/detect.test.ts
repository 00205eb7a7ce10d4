import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { makeProject } from '../helpers/project.js';

const DJANGO_MANAGE = `import os, sys
def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
`;

describe('detectProject', () => {
  it('finds Django from manage.py, with STATIC_ROOT for collectstatic', () => {
    const root = makeProject({
      files: {
        'manage.py': DJANGO_MANAGE,
        'mysite/__init__.py': '',
        'mysite/wsgi.py': 'application = get_wsgi_application()\n',
        'mysite/settings.py': "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
        'requirements.txt': 'django\n',
      },
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
    const root = makeProject({
      files: {
        'manage.py': DJANGO_MANAGE,
        'mysite/wsgi.py': '',
        'mysite/settings.py': "STATIC_URL = '/assets/'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'var', 'static')\n",
      },
    });
    expect(detectProject(root).djangoStatic).toEqual({ url: '/assets', root: 'var/static' });
  });

  it('leaves Django static files alone without STATIC_ROOT or with a CDN URL', () => {
    const files = { 'manage.py': DJANGO_MANAGE, 'mysite/wsgi.py': '', 'mysite/settings.py': "STATIC_URL = 'static/'\n" };
    expect(detectProject(makeProject({ files })).djangoStatic).toBeUndefined();
    const cdn = { ...files, 'mysite/settings.py': "STATIC_URL = 'https://cdn.example/'\nSTATIC_ROOT = 'staticfiles'\n" };
    expect(detectProject(makeProject({ files: cdn })).djangoStatic).toBeUndefined();
  });

  it('finds a Flask app and an application factory, shallow files first', () => {
    const root = makeProject({
      files: {
        'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        'shop/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
        'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["flask"]\n',
      },
    });
    expect(detectProject(root)).toMatchObject({
      framework: 'flask',
      entryCandidates: ['app:app', 'shop:create_app()'],
      pyprojectDependencies: true,
    });
  });

  it('finds a plain WSGI callable, a src/ layout and .wsgi scripts', () => {
    const root = makeProject({
      files: {
        'src/api/wsgi.py': 'def application(environ, start_response):\n    pass\n',
        'site.wsgi': 'application = None\n',
        'wheelhouse/pkg-1.0-py3-none-any.whl': '',
      },
    });
    expect(detectProject(root)).toMatchObject({
      framework: 'generic',
      entryCandidates: ['api.wsgi:application', 'site.wsgi'],
      wheelhouse: true,
    });
  });

  it('ignores virtualenvs and tests', () => {
    const root = makeProject({
      files: {
        '.venv/lib/flask_app.py': 'from flask import Flask\napp = Flask(__name__)\n',
        'venv/app.py': 'application = 1\n',
        'tests/test_app.py': 'application = 1\n',
      },
    });
    expect(detectProject(root)).toMatchObject({ framework: undefined, entryCandidates: [] });
  });
});
