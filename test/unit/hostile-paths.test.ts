/**
 * Issue 25, finding 8: project paths reach apache2.conf, the Dockerfile, Python literals and
 * YAML unquoted, so every path flag refuses characters that would split, end or inject a value,
 * in one line naming the flag, and discovery never offers such a file.
 */
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../generators/app/detect.js';
import { parseEntry } from '../../generators/app/entry.js';
import { parseMounts } from '../../generators/app/mounts.js';
import { parseDataDirs, parseStaticMappings } from '../../generators/app/validators.js';
import { InputError } from '../../generators/lib/input-error.js';
import { makeProject } from '../helpers/project.js';

/** Names that broke a generated file before (a space, a quote, `${...}`, a newline with a Dockerfile line). */
const HOSTILE = ['my static', 'say"hi', 'x${HOME}', 'x\nRUN echo INJECTED\n#', 'back\\slash', "it's", 'p%{ENV}'];
const APP = 'def application(environ, start_response):\n    return []\n';

/** The one-line InputError `parse` throws. */
function refusal(parse: () => unknown): InputError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('accepted');
}

describe.each(HOSTILE)('a path named %j', name => {
  const root = makeProject({
    files: { [`${name}/site.css`]: 'body {}\n', [`${name}.wsgi`]: APP, [`${name}/app.wsgi`]: APP, 'hello.py': APP },
  });

  it('is refused by --static, --entry, --mount and --data-dir, each in one line naming the flag', () => {
    const cases: [string, () => unknown][] = [
      ['--static', () => parseStaticMappings(`/static=${name}`, root)],
      ['--entry', () => parseEntry(`${name}.wsgi`, root)],
      ['--mount', () => parseMounts(`/api=${name}/app.wsgi`, root)],
      ['--data-dir', () => parseDataDirs(name, root)],
    ];
    for (const [flag, parse] of cases) {
      const error = refusal(parse);
      expect(error.input).toBe(flag);
      expect(error.message).toMatch(/characters other than letters, digits/);
      expect(error.message.split('\n')).toHaveLength(1);
    }
  });

  it('is never offered as a discovered entry point', () => {
    const candidates = detectProject(root).entryCandidates;
    expect(candidates).toContain('hello:application');
    expect(candidates.filter(entry => entry.includes(name))).toEqual([]);
  });
});

it('the same flags still take plain paths', () => {
  const root = makeProject({ files: { 'static/site.css': '', 'api/app.wsgi': APP, 'main.wsgi': APP } });
  expect(parseStaticMappings('/static=static', root)).toEqual([{ url: '/static', dir: 'static' }]);
  expect(parseEntry('main.wsgi', root)).toEqual({ kind: 'script', path: 'main.wsgi' });
  expect(parseMounts('/api=api/app.wsgi', root)[0]).toMatchObject({ url: '/api', dir: 'api' });
  expect(parseDataDirs('var/uploads', root)).toEqual(['var/uploads']);
  expect(detectProject(root).entryCandidates).toContain('main.wsgi');
});

it('an InputError is one line whatever the input carried: control characters are shown escaped', () => {
  const error = new InputError('--static', '"/x=a\nRUN echo INJECTED\r\n#" is not a mapping', 'write /url=dir');
  expect(error.message).toBe('--static: "/x=a\\nRUN echo INJECTED\\r\\n#" is not a mapping. Fix: write /url=dir.');
});
