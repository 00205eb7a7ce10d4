import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { GENERATED_FILES } from '../../generators/app/files.js';
import { resolveAnswers } from '../../generators/app/options.js';
import { toViewModel, type ViewModel } from '../../generators/app/view-model.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

const TEMPLATES = join(REPO_ROOT, 'templates');

function listTemplates(dir = TEMPLATES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? listTemplates(join(dir, entry.name)) : [relative(TEMPLATES, join(dir, entry.name))],
  );
}

/** A view with every optional part switched on: Django + static + pip deps + wheelhouse + apt packages + data dirs. */
function fullView(): ViewModel {
  const root = makeProject({
    files: {
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
      'mysite/wsgi.py': 'application = None\n',
      'mysite/settings.py': "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
      'requirements.txt': 'django\n',
      'pyproject.toml': '[project]\nname = "x"\n',
      'wheelhouse/x.whl': '',
      'media/.keep': '',
    },
  });
  const facts = detectProject(root);
  const answers = resolveAnswers(
    { static: ['/media=media'], aptPackages: ['python3-django'], dataDirs: ['uploads'] },
    {},
    { root, facts },
  );
  return toViewModel(answers, facts, root, '0.0.0-test');
}

type Token = [string, string, number, number, Token[]?];

/** Every variable or section name used, with the view object it must be looked up in. */
function checkTokens(tokens: Token[], scope: Record<string, unknown>, template: string, problems: string[]): void {
  for (const [type, name, , , children] of tokens) {
    if (!['name', '&', '#', '^'].includes(type)) continue;
    if (name !== '.' && !(name in scope)) problems.push(`${template}: {{${name}}} is not in the view model`);
    if (!children) continue;
    const value = scope[name];
    if (Array.isArray(value) && type === '#') {
      for (const item of value) checkTokens(children, typeof item === 'object' ? item : {}, template, problems);
    } else {
      checkTokens(children, scope, template, problems);
    }
  }
}

describe('templates', () => {
  it('are exactly the files GENERATED_FILES writes', () => {
    expect(listTemplates().sort()).toEqual(GENERATED_FILES.map(f => f.template).sort());
  });

  it('use only names the view model defines (mustache renders unknown names as empty text)', () => {
    const view = fullView() as unknown as Record<string, unknown>;
    const problems: string[] = [];
    for (const template of listTemplates()) {
      const tokens = Mustache.parse(readFileSync(join(TEMPLATES, template), 'utf8')) as Token[];
      checkTokens(tokens, view, template, problems);
    }
    expect(problems).toEqual([]);
  });

  it('never carry a BuildKit "# syntax=" line (it pulls a frontend image from a registry)', () => {
    for (const template of listTemplates()) {
      expect(readFileSync(join(TEMPLATES, template), 'utf8')).not.toMatch(/^#\s*syntax=/m);
    }
  });
});
