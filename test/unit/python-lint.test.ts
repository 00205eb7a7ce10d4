/**
 * The Python the package ships passes Ruff (test/helpers/ruff.ts): the runtime programs copied
 * into projects as they are, checked and formatted as they stand in runtime/; and the Python the
 * templates render (the WSGI scripts, the reloader, the dev tools, the health check, the Django
 * settings), checked as rendered for a Flask project and a Django one with services and a worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { makeProject, runGenerator } from '../helpers/project.js';
import { ruffCheck, ruffFormat } from '../helpers/ruff.js';

/** Every `.py` and `.wsgi` file below `dir`, as absolute paths. */
function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && /\.(py|wsgi)$/.test(entry.name))
    .map(entry => join(entry.parentPath, entry.name));
}

describe('Python the package ships', () => {
  const runtime = join(packageRoot(), 'runtime');

  it('runtime/: no Ruff finding, formatted as ruff format writes it', () => {
    const files = pythonFiles(runtime);
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(ruffCheck(relative(runtime, file), source)).toEqual([]);
      expect(ruffFormat(source) === source, `${relative(runtime, file)}: not as ruff format writes it`).toBe(true);
    }
  });

  it("bench/'s Python: no Ruff finding, formatted as ruff format writes it", () => {
    const bench = join(packageRoot(), 'bench');
    const files = pythonFiles(bench);
    expect(files.map(file => relative(bench, file))).toContain('ceiling.py');
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(ruffCheck(relative(bench, file), source)).toEqual([]);
      expect(ruffFormat(source) === source, `${relative(bench, file)}: not as ruff format writes it`).toBe(true);
    }
  });

  it('the Python the templates render: no Ruff finding, for Flask and for Django with services and a worker', async () => {
    const flask = makeProject({ fixture: 'flask-factory' });
    await runGenerator(flask, { yes: true, name: 'shop', entry: 'shop:create_app()', 'data-dir': 'instance' });
    const django = makeProject({
      fixture: 'django-project',
      files: { 'api/service.py': 'def app(environ, start_response):\n    return []\n' },
    });
    await runGenerator(django, {
      yes: true,
      name: 'mysite',
      service: 'postgres,redis',
      worker: ['worker=python -m celery -A mysite worker'],
      mount: ['/api=api/service:app'],
    });
    const findings = [flask, django].flatMap(dir =>
      pythonFiles(join(dir, 'docker')).flatMap(file => ruffCheck(relative(dir, file), readFileSync(file, 'utf8'))),
    );
    expect(findings).toEqual([]);
  });
});
