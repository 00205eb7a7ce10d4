/** What every suggested project name must be, checked by the unit and the property tests over different strings. */
import { expect } from 'vitest';
import { parseProjectName, suggestProjectName } from '../../generators/app/validators.js';

/** Expects suggestProjectName(text) to be a DNS-1035 label of at most 63 characters that parseProjectName keeps as it is. */
export function expectValidSuggestion(text: string): void {
  const name = suggestProjectName(text);
  expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  expect(name.length).toBeLessThanOrEqual(63);
  expect(parseProjectName(name)).toBe(name);
}
