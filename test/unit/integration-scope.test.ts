import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE_NAMES, DEFAULT_BASE } from '../../generators/app/bases.js';
import {
  checksCorpus,
  DEFAULT_BASE_ONLY,
  DEFAULT_BASE_ONLY_PARTS,
  EVERY_BASE,
  integrationExclude,
  integrationInclude,
  leftOut,
  loadsFixture,
  TRIXIE_ONLY,
} from '../integration/scope.js';
import { FIXTURE_CASES } from '../integration/fixtures.js';

const files = readdirSync(new URL('../integration/', import.meta.url)).filter(name => name.endsWith('.test.ts'));
const trixieOnly = Object.keys(TRIXIE_ONLY);
const trixieLines = Object.entries(TRIXIE_ONLY).map(([what, why]) => `${what}: run on trixie only, because ${why}`);

describe('integration scope per base', () => {
  it('classifies every integration test file exactly once', () => {
    const classified = [...EVERY_BASE, ...Object.keys(DEFAULT_BASE_ONLY), ...trixieOnly];
    expect(new Set(classified).size).toBe(classified.length);
    expect(classified.sort()).toEqual([...files].sort());
  });

  it('runs every file but the trixie-only ones on the default base, and says why those are left out', () => {
    expect(integrationInclude(DEFAULT_BASE)).toEqual(['test/integration/**/*.test.ts']);
    expect(integrationExclude(DEFAULT_BASE)).toEqual(trixieOnly.map(file => `test/integration/${file}`));
    expect(leftOut(DEFAULT_BASE)).toEqual(trixieLines);
    expect(checksCorpus(DEFAULT_BASE, 'django-polls')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'flaskr')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'werkzeug-upload')).toBe(false);
    expect(FIXTURE_CASES.every(fixture => loadsFixture(DEFAULT_BASE, fixture.id))).toBe(true);
  });

  it('runs the base-dependent files on every other base (trixie: its own too) and names each file left out with its reason', () => {
    for (const base of BASE_NAMES.filter(name => name !== DEFAULT_BASE)) {
      const own = base === 'trixie' ? trixieOnly : [];
      expect(integrationInclude(base).map(glob => glob.replace('test/integration/', ''))).toEqual([
        ...EVERY_BASE,
        ...own,
      ]);
      expect(integrationExclude(base)).toEqual([]);
      const lines = leftOut(base);
      const parts = { ...DEFAULT_BASE_ONLY, ...DEFAULT_BASE_ONLY_PARTS };
      expect(lines).toHaveLength(Object.keys(parts).length + (base === 'trixie' ? 0 : trixieLines.length));
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
