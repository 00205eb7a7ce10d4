/** Python module sources that several tests put into throw-away projects. */

/** A module-level Flask app (`module:app`). */
export const FLASK_APP = 'from flask import Flask\napp = Flask(__name__)\n';

/** A Flask application factory (`module:create_app()`), as in Flask's tutorial. */
export const FLASK_FACTORY = 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n';

/** manage.py as `django-admin startproject mysite` writes it: the settings module is set inside main(). */
export const DJANGO_MANAGE = `import os, sys
def main():
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
`;

/**
 * The files of a Django project laid out as `django-admin startproject mysite` lays them out:
 * manage.py, the mysite package with its wsgi.py, and `settings` as mysite/settings.py.
 * @param dir - the directory below the project root that holds it (default: the root itself)
 * @returns path -> content, for projectWith and makeProject
 */
export function djangoProject(settings: string, dir?: string): Record<string, string> {
  const files = {
    'manage.py': DJANGO_MANAGE,
    'mysite/__init__.py': '',
    'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    'mysite/settings.py': settings,
  };
  if (dir === undefined) return files;
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${dir}/${path}`, text]));
}
