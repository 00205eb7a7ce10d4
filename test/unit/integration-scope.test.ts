import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE_NAMES, DEFAULT_BASE } from '../../generators/app/bases.js';
import {
  checksCorpus,
  DEFAULT_BASE_ONLY,
  DEFAULT_BASE_ONLY_PARTS,
  DEFAULT_BASE_ONLY_SERVICE_PARTS,
  EVERY_BASE,
  integrationInclude,
  leftOut,
  loadsFixture,
  NOT_ON_BOOKWORM,
  NOT_ON_TRIXIE,
} from '../integration/scope.js';
import { FIXTURE_CASES } from '../integration/fixtures.js';

const files = readdirSync(new URL('../integration/', import.meta.url)).filter(name => name.endsWith('.test.ts'));
const notOnBookworm = Object.keys(NOT_ON_BOOKWORM);
const notOnTrixie = Object.keys(NOT_ON_TRIXIE);
const bookwormLines = Object.entries(NOT_ON_BOOKWORM).map(
  ([what, why]) => `${what}: not run on bookworm, because ${why}`,
);
const trixieLines = Object.entries(NOT_ON_TRIXIE).map(([what, why]) => `${what}: not run on trixie, because ${why}`);

describe('integration scope per base', () => {
  it('classifies every integration test file exactly once', () => {
    const classified = [...EVERY_BASE, ...Object.keys(DEFAULT_BASE_ONLY), ...notOnBookworm, ...notOnTrixie];
    expect(new Set(classified).size).toBe(classified.length);
    expect(classified.sort()).toEqual([...files].sort());
  });

  it('runs every file on the default base, leaving nothing out', () => {
    expect(integrationInclude(DEFAULT_BASE)).toEqual(['test/integration/**/*.test.ts']);
    expect(leftOut(DEFAULT_BASE)).toEqual([]);
    expect(checksCorpus(DEFAULT_BASE, 'django-polls')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'flaskr')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'werkzeug-upload')).toBe(false);
    expect(FIXTURE_CASES.every(fixture => loadsFixture(DEFAULT_BASE, fixture.id))).toBe(true);
  });

  it('runs the base-dependent files on every other base (trixie: the services, Radicale and Trac too; bookworm: the development loop and tools) and names each file left out with its reason', () => {
    for (const base of BASE_NAMES.filter(name => name !== DEFAULT_BASE)) {
      const own = base === 'trixie' ? notOnBookworm : notOnTrixie;
      expect(integrationInclude(base).map(glob => glob.replace('test/integration/', ''))).toEqual([
        ...EVERY_BASE,
        ...own,
      ]);
      const lines = leftOut(base);
      const parts = {
        ...DEFAULT_BASE_ONLY,
        ...DEFAULT_BASE_ONLY_PARTS,
        ...(base === 'trixie' ? DEFAULT_BASE_ONLY_SERVICE_PARTS : {}),
      };
      const notRun = base === 'bookworm' ? bookwormLines : trixieLines;
      expect(lines).toHaveLength(Object.keys(parts).length + notRun.length);
      for (const line of notRun) expect(lines).toContain(line);
      for (const [what, why] of Object.entries(parts)) {
        expect(lines).toContain(`${what}: run on ${DEFAULT_BASE} only, because ${why}`);
      }
      expect(checksCorpus(base, 'django-polls')).toBe(false);
      expect(FIXTURE_CASES.filter(fixture => loadsFixture(base, fixture.id)).map(f => f.id)).toEqual([
        'flask',
        'django',
      ]);
    }
  });
});
