import { describe, expect, it } from 'vitest';
import { withNeededRecommends } from '../../generators/app/apt-recommends.js';

describe('withNeededRecommends', () => {
  it("adds Debian Django's jQuery, which --no-install-recommends would skip", () => {
    expect(withNeededRecommends(['python3-django', 'libpq5'])).toEqual(['python3-django', 'libpq5', 'libjs-jquery']);
  });

  it('reads a pinned name, and adds nothing already listed or not needed', () => {
    expect(withNeededRecommends(['python3-django=3:4.2.28-0+deb13u2'])).toEqual([
      'python3-django=3:4.2.28-0+deb13u2',
      'libjs-jquery',
    ]);
    expect(withNeededRecommends(['libjs-jquery=3.6.1+dfsg+~3.5.14-1', 'python3-django'])).toEqual([
      'libjs-jquery=3.6.1+dfsg+~3.5.14-1',
      'python3-django',
    ]);
    expect(withNeededRecommends(['python3-flask'])).toEqual(['python3-flask']);
    expect(withNeededRecommends([])).toEqual([]);
  });
});
