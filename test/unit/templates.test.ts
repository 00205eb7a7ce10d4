import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { GENERATED_FILES } from '../../generators/app/files.js';
import { resolveAnswers } from '../../generators/app/options.js';
import { type ProjectModel, projectModel } from '../../generators/app/views/model.js';
import { partialTemplate } from '../../generators/lib/render.js';
import { defaultPlaces } from '../helpers/default-places.js';
import { projectWith, REPO_ROOT } from '../helpers/project.js';

const TEMPLATES = join(REPO_ROOT, 'templates');

function listTemplates(dir = TEMPLATES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? listTemplates(join(dir, entry.name)) : [relative(TEMPLATES, join(dir, entry.name))],
  );
}

/** A view with every optional part switched on: Django + static + pip deps + wheelhouse + apt packages + data dirs. */
function fullModel(): ProjectModel {
  const root = projectWith({
    'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    'mysite/wsgi.py': 'application = None\n',
    'mysite/settings.py': "STATIC_URL = 'static/'\nSTATIC_ROOT = BASE_DIR / 'staticfiles'\n",
    'requirements.txt': 'django\n',
    'pyproject.toml': '[project]\nname = "x"\n',
    'wheelhouse/x.whl': '',
    'media/.keep': '',
  });
  const facts = detectProject(root);
  const answers = resolveAnswers(
    { static: ['/media=media'], aptPackages: ['libpq5'], dataDirs: ['uploads'], kubernetes: true },
    {},
    { root, facts },
  );
  return projectModel(answers, facts, '0.0.0-test');
}

/** The other layout: a plain app at --mount-point /app behind a front end, with mounts and modules, installed from a uv.lock. */
function frontEndModel(): ProjectModel {
  const root = projectWith({
    'hello.py': 'def application(environ, start_response):\n    pass\n',
    'api/service.py': 'def application(environ, start_response):\n    pass\n',
    'api/requirements.txt': 'werkzeug\n',
    // Installed from its lock: the Dockerfile's locked-requirements stage.
    'pyproject.toml': '[project]\nname = "x"\ndependencies = ["werkzeug"]\n',
    'uv.lock': 'version = 1\n',
    'deploy/x.wsgi': 'def application(environ, start_response):\n    pass\n',
  });
  const facts = detectProject(root);
  const flags = {
    entry: 'hello:application',
    mountPoint: '/app',
    proxies: ['/=http://front:3000', '/svc=http://svc:8000'],
    mounts: ['/api=api/service:application', '/w=deploy/x.wsgi'],
    apacheModules: ['rewrite'],
  };
  return projectModel(resolveAnswers(flags, {}, { root, facts }), facts, '0.0.0-test');
}

type Token = [string, string, number, number, Token[]?];

/** A template's tokens with each `{{> partial}}` replaced by the partial's own. */
function templateTokens(template: string): Token[] {
  const expand = (tokens: Token[]): Token[] =>
    tokens.flatMap(([type, name, start, end, children]) =>
      type === '>'
        ? templateTokens(partialTemplate(name))
        : [[type, name, start, end, children && expand(children)] as Token],
    );
  return expand(Mustache.parse(readFileSync(join(TEMPLATES, template), 'utf8')) as Token[]);
}

/** The partials the templates name, as paths under templates/. */
function partialsUsed(template: string): string[] {
  const names = (tokens: Token[]): string[] =>
    tokens.flatMap(([type, name, , , children]) => [
      ...(type === '>' ? [partialTemplate(name), ...partialsUsed(partialTemplate(name))] : []),
      ...(Array.isArray(children) ? names(children) : []),
    ]);
  return names(Mustache.parse(readFileSync(join(TEMPLATES, template), 'utf8')) as Token[]);
}

/** Resolves a mustache name (`a` or `a.b.c`) the way mustache does: innermost scope first. */
function lookup(stack: Record<string, unknown>[], name: string): { found: boolean; value?: unknown } {
  const [head, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i--) {
    if (head in stack[i]) {
      let value: unknown = stack[i][head];
      for (const part of rest) {
        if (typeof value !== 'object' || value === null || !(part in value)) return { found: false };
        value = (value as Record<string, unknown>)[part];
      }
      return { found: true, value };
    }
  }
  return { found: false };
}

/** Every variable or section name used must resolve in the view (or the section item it is in). */
function checkTokens(tokens: Token[], stack: Record<string, unknown>[], template: string, problems: string[]): void {
  for (const [type, name, , , children] of tokens) {
    if (!['name', '&', '#', '^'].includes(type)) continue;
    const { found, value } = name === '.' ? { found: true, value: undefined } : lookup(stack, name);
    if (!found) problems.push(`${template}: {{${name}}} is not in the view model`);
    if (!children) continue;
    if (Array.isArray(value) && type === '#') {
      for (const item of value)
        checkTokens(children, [...stack, typeof item === 'object' ? item : {}], template, problems);
    } else if (type === '#' && typeof value === 'object' && value !== null) {
      checkTokens(children, [...stack, value as Record<string, unknown>], template, problems);
    } else if (type === '#' && value === undefined) {
      // An optional object this model leaves out (the Dockerfile's lock): the model that has one checks inside.
    } else {
      checkTokens(children, stack, template, problems);
    }
  }
}

/** The first part of every name a template uses, in any section. */
function tagNames(tokens: Token[]): string[] {
  return tokens.flatMap(([type, name, , , children]) => [
    ...(['name', '&', '#', '^'].includes(type) ? [name.split('.')[0]] : []),
    ...(children ? tagNames(children) : []),
  ]);
}

describe('templates', () => {
  it('are exactly the files GENERATED_FILES writes', () => {
    const rendered = GENERATED_FILES.filter(f => !f.verbatim).map(f => f.template);
    const partials = new Set(rendered.flatMap(partialsUsed));
    expect(partials.size).toBeGreaterThan(0);
    expect(listTemplates().sort()).toEqual([...rendered, ...partials].sort());
    // A runtime program is copied as it is: no mustache tag in it would be rendered.
    for (const file of GENERATED_FILES.filter(f => f.verbatim))
      expect(readFileSync(join(TEMPLATES, file.template), 'utf8')).not.toMatch(/\{\{/);
    // Each says, at its top, that the generator manages it and where the user's own changes go.
    for (const file of GENERATED_FILES.filter(f => f.verbatim)) {
      const head = readFileSync(join(TEMPLATES, file.template), 'utf8')
        .split('\n')
        .slice(0, 8)
        .map(line => line.replace(/^# ?/, ''))
        .join(' ');
      expect(head, file.template).toMatch(
        /Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours/,
      );
      expect(head, file.template).toMatch(/[Yy]our own settings go in the (environment|PIP_\* build arguments)/);
    }
  });

  it.each([
    ['Django with every list filled', fullModel],
    ['a front end, mounts and modules', frontEndModel],
  ])('use only names their own view defines (mustache renders unknown names as empty text): %s', (_name, make) => {
    const model = make();
    const problems: string[] = [];
    for (const file of GENERATED_FILES.filter(f => !f.verbatim)) {
      checkTokens(
        templateTokens(file.template),
        [file.view!(model) as Record<string, unknown>],
        file.template,
        problems,
      );
    }
    expect(problems).toEqual([]);
  });

  it('each view holds only what its templates show: every key is a name in one of them', () => {
    const model = fullModel();
    const byView = new Map<unknown, string[]>();
    for (const file of GENERATED_FILES.filter(f => !f.verbatim))
      byView.set(file.view, [...(byView.get(file.view) ?? []), file.template]);
    const unused: string[] = [];
    for (const [view, templates] of byView) {
      const names = new Set(templates.flatMap(t => tagNames(templateTokens(t))));
      for (const key of Object.keys((view as (m: ProjectModel) => object)(model)))
        if (!names.has(key)) unused.push(`${(view as { name: string }).name}.${key} (${templates.join(', ')})`);
    }
    expect(unused).toEqual([]);
  });

  it('never carry a BuildKit "# syntax=" line (it pulls a frontend image from a registry)', () => {
    for (const template of listTemplates()) {
      expect(readFileSync(join(TEMPLATES, template), 'utf8')).not.toMatch(/^#\s*syntax=/m);
    }
  });
});

describe('tunables', () => {
  it('each default is written once, in its row of tunables.ts: no template, runtime file or generator module repeats it', () => {
    const repeated = defaultPlaces().filter(({ places }) => places.length !== 1);
    expect(repeated).toEqual([]);
  });
});
