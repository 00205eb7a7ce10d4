import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE_NAMES, DEFAULT_BASE } from '../../generators/app/bases.js';
import {
  checksCorpus,
  DEFAULT_BASE_ONLY,
  DEFAULT_BASE_ONLY_PARTS,
  EVERY_BASE,
  integrationInclude,
  leftOut,
} from '../integration/scope.js';

const files = readdirSync(new URL('../integration/', import.meta.url)).filter(name => name.endsWith('.test.ts'));

describe('integration scope per base', () => {
  it('classifies every integration test file exactly once', () => {
    const classified = [...EVERY_BASE, ...Object.keys(DEFAULT_BASE_ONLY)];
    expect(new Set(classified).size).toBe(classified.length);
    expect(classified.sort()).toEqual([...files].sort());
  });

  it('runs every file on the default base and says nothing is left out there', () => {
    expect(integrationInclude(DEFAULT_BASE)).toEqual(['test/integration/**/*.test.ts']);
    expect(leftOut(DEFAULT_BASE)).toEqual([]);
    expect(checksCorpus(DEFAULT_BASE, 'django-polls')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'flaskr')).toBe(true);
    expect(checksCorpus(DEFAULT_BASE, 'werkzeug-upload')).toBe(false);
  });

  it('runs the base-dependent files on every other base and names each file left out with its reason', () => {
    for (const base of BASE_NAMES.filter(name => name !== DEFAULT_BASE)) {
      expect(integrationInclude(base).map(glob => glob.replace('test/integration/', ''))).toEqual([...EVERY_BASE]);
      const lines = leftOut(base);
      const parts = { ...DEFAULT_BASE_ONLY, ...DEFAULT_BASE_ONLY_PARTS };
      expect(lines).toHaveLength(Object.keys(parts).length);
      for (const [what, why] of Object.entries(parts)) {
        expect(lines).toContain(`${what}: run on ${DEFAULT_BASE} only, because ${why}`);
      }
      expect(checksCorpus(base, 'django-polls')).toBe(false);
    }
  });
});
