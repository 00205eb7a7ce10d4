/** generators/app/upgrade.ts: what a re-run does with each file, given what the last run wrote. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashText, lastWritten, planFile, recordOf } from '../../generators/app/upgrade.js';

const LABELS = { mine: 'f (yours)', base: 'old', next: 'new' };
const BASE = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';
const NEXT = 'one\ntwo\nthree\nfour\nfive\nSIX\nseven\n';

/** planFile with the base recorded as a hash and a text, as a run after a recorded run sees it. */
const plan = (onDisk: string | undefined, next = NEXT, base = BASE) =>
  planFile(onDisk, next, hashText(base), base, LABELS);

describe('planFile', () => {
  it('a missing file, or one that already holds the new text, is simply written', () => {
    expect(plan(undefined)).toEqual({ outcome: 'create', text: NEXT });
    expect(plan(NEXT)).toEqual({ outcome: 'create', text: NEXT });
  });

  it('a file as the generator last wrote it is replaced, even with only the hash recorded', () => {
    expect(plan(BASE)).toEqual({ outcome: 'update', text: NEXT });
    expect(planFile(BASE, NEXT, hashText(BASE), undefined, LABELS)).toEqual({ outcome: 'update', text: NEXT });
  });

  it("the user's change and the generator's, apart: both kept", () => {
    const mine = BASE.replace('two\n', 'two, mine\n');
    expect(plan(mine)).toEqual({ outcome: 'merged', text: NEXT.replace('two\n', 'two, mine\n') });
  });

  it('the same change on both sides is no conflict', () => {
    expect(plan(NEXT.replace('one', 'uno'), NEXT.replace('one', 'uno'))).toEqual({
      outcome: 'create',
      text: NEXT.replace('one', 'uno'),
    });
    const both = NEXT.replace('one\n', 'one\nzero\n');
    expect(plan(BASE.replace('six', 'SIX').replace('one\n', 'one\nzero\n'), both).outcome).toBe('create');
  });

  it("the same line changed on both sides: git's diff3-style markers, labelled", () => {
    expect(plan(BASE.replace('six', 'sechs'))).toEqual({
      outcome: 'conflict',
      text: 'one\ntwo\nthree\nfour\nfive\n<<<<<<< f (yours)\nsechs\n||||||| old\nsix\n=======\nSIX\n>>>>>>> new\nseven\n',
    });
  });

  it('no record: Yeoman decides; a record without the base text cannot merge either', () => {
    expect(planFile('mine\n', NEXT, undefined, undefined, LABELS)).toEqual({ outcome: 'unknown', text: NEXT });
    expect(planFile('mine\n', NEXT, hashText(BASE), undefined, LABELS).outcome).toBe('unknown');
  });

  it('keeps CRLF line ends and a missing final newline as they are', () => {
    const base = 'a\r\nb\r\nc\r\nd\r\ne';
    const mine = 'a\r\nb, mine\r\nc\r\nd\r\ne';
    expect(planFile(mine, 'a\r\nb\r\nc\r\nd\r\nE', hashText(base), base, LABELS)).toEqual({
      outcome: 'merged',
      text: 'a\r\nb, mine\r\nc\r\nd\r\nE',
    });
  });

  it('property: lines the user adds after line i and lines the generator adds after line j (i + 1 < j) are all kept, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 4, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        (lines, a, b) => {
          const base = lines.map((line, n) => `${n}:${line}`);
          const i = a % (base.length - 2);
          const j = i + 2 + (b % (base.length - i - 2));
          const mine = [...base.slice(0, i + 1), 'MINE', ...base.slice(i + 1)];
          const next = [...base.slice(0, j + 1), 'NEW', ...base.slice(j + 1)];
          const result = plan(mine.join('\n'), next.join('\n'), base.join('\n'));
          expect(result).toEqual({
            outcome: 'merged',
            text: [...base.slice(0, i + 1), 'MINE', ...base.slice(i + 1, j + 1), 'NEW', ...base.slice(j + 1)].join(
              '\n',
            ),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('lastWritten and recordOf', () => {
  const files = new Map([
    ['compose.yaml', 'services: {}\n'],
    ['Dockerfile', 'FROM x\n'],
  ]);

  it('round-trips: the record and the base file give back every text', () => {
    const { record, base } = recordOf('1.2.3', files);
    expect(Object.keys(record.files)).toEqual(['compose.yaml', 'Dockerfile']);
    expect(record.files['Dockerfile']).toBe(hashText('FROM x\n'));
    expect(hashText('FROM x\n')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const last = lastWritten(JSON.parse(JSON.stringify(record)), JSON.parse(base));
    expect(last?.version).toBe('1.2.3');
    expect(Object.fromEntries(last!.texts)).toEqual(Object.fromEntries(files));
  });

  it('a base text edited by hand no longer counts; its hash still does', () => {
    const { record, base } = recordOf('1.2.3', files);
    const edited = JSON.parse(base);
    edited.files['Dockerfile'] = 'FROM y\n';
    const last = lastWritten(record, edited)!;
    expect(last.texts.has('Dockerfile')).toBe(false);
    expect(last.texts.get('compose.yaml')).toBe('services: {}\n');
    expect(last.hashes.get('Dockerfile')).toBe(hashText('FROM x\n'));
  });

  it.each([
    ['nothing', undefined],
    ['no version', { files: {} }],
    ['files not an object', { version: '1', files: [] }],
  ])('a record that is %s counts as none', (_label, record) => {
    expect(lastWritten(record, undefined)).toBeUndefined();
  });

  it('a missing or malformed base file leaves the hashes', () => {
    const { record } = recordOf('1.2.3', files);
    for (const base of [undefined, 'text', { files: 5 }]) {
      const last = lastWritten(record, base)!;
      expect(last.texts.size).toBe(0);
      expect(last.hashes.size).toBe(2);
    }
  });
});
