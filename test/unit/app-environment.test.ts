import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appVariables, parseAppEnvironment } from '../../generators/app/app-environment.js';
import { shellJoin, splitPromptLine } from '../../generators/lib/parse.js';

const refusal = (raw: unknown) => {
  try {
    parseAppEnvironment(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
};

describe('--setenv', () => {
  it('keeps NAME=VALUE items whole, commas and = in the value included, in the order given', () => {
    expect(parseAppEnvironment(['A=1', 'LIST=a,b=c', ' EMPTY= '])).toEqual(['A=1', 'LIST=a,b=c', 'EMPTY=']);
    expect(parseAppEnvironment(undefined)).toEqual([]);
  });

  it.each([
    ['NOVALUE', /^--setenv: "NOVALUE" has no value\. Fix: write it as NAME=VALUE/],
    ['1ABC=x', /^--setenv: "1ABC" is not a variable name/],
    ['MY-VAR=x', /^--setenv: "MY-VAR" is not a variable name/],
    ['WSGI_PROCESSES=4', /^--setenv: WSGI_PROCESSES is the image's own\. Fix: set it in \.env or your shell/],
    ['APACHE_LOG_LEVEL=info', /^--setenv: APACHE_LOG_LEVEL is the image's own/],
    ['DJANGO_SETTINGS_MODULE=x.settings', /^--setenv: DJANGO_SETTINGS_MODULE is the image's own/],
    ['PATH=/bin', /^--setenv: PATH is the image's own/],
  ])('refuses %s in one line naming the flag and the fix', (item, message) => {
    const text = refusal([item]);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('refuses a name given twice and a value over two lines', () => {
    expect(refusal(['A=1', 'A=2'])).toMatch(/^--setenv: A is given twice/);
    expect(refusal(['A=1\nB=2'])).toMatch(/^--setenv: A's value spans more than one line/);
  });

  it('writes each value as a YAML double-quoted scalar, $ doubled for Compose only', () => {
    expect(appVariables(['GREETING=hi "you" $HOME #x'])).toEqual([
      {
        name: 'GREETING',
        value: 'hi "you" $HOME #x',
        compose: '"hi \\"you\\" $$HOME #x"',
        yaml: '"hi \\"you\\" $HOME #x"',
      },
    ]);
  });
});

describe('--setenv at the prompt', () => {
  it('splits a line as a shell does: quotes keep spaces, commas and quotes inside one item', () => {
    expect(splitPromptLine('--setenv', `A=1  'B=two words' C="it's" D=a,b`)).toEqual([
      'A=1',
      'B=two words',
      "C=it's",
      'D=a,b',
    ]);
    expect(splitPromptLine('--setenv', '   ')).toEqual([]);
    // shlex's own join wrote "'" for the quote, which its split read back without the backslash.
    expect(splitPromptLine('--setenv', shellJoin(['a=\\"\'']))).toEqual(['a=\\"\'']);
  });

  it('any accepted items shown as a line come back as the same items', () => {
    const item = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z_]\w{0,15}$/),
        fc.string({ maxLength: 30, unit: 'binary' }).filter(value => !/[\n\r\0]/.test(value)),
      )
      .map(([name, value]) => `${name}=${value}`);
    fc.assert(
      fc.property(fc.uniqueArray(item, { maxLength: 6, selector: text => text.split('=')[0] }), items => {
        expect(splitPromptLine('--setenv', shellJoin(items))).toEqual(items);
      }),
      { numRuns: 500 },
    );
  });
});
