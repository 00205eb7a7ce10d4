/**
 * Debian packages the image installs with `apt-get install --no-install-recommends`, which
 * keeps it small but skips a Recommends that a package's own files point to. This table adds
 * those few back for the packages `--apt-packages` names (issue 26, finding 4).
 */

/**
 * Recommends a package cannot work without in the image, by package name.
 * - `python3-django` (bookworm 3.2, trixie 4.2): the admin's `vendor/jquery/jquery.js` is a
 *   symbolic link into `/usr/share/javascript/jquery`, shipped by `libjs-jquery`; without it
 *   `collectstatic` stops with `FileNotFoundError` and the admin has no jQuery.
 */
export const NEEDED_RECOMMENDS: Readonly<Record<string, readonly string[]>> = {
  'python3-django': ['libjs-jquery'],
};

/**
 * The packages to install: `packages` as given, then each one's {@link NEEDED_RECOMMENDS} not
 * already listed. A pin (`name=version`) names its package.
 * @param packages - `--apt-packages`, e.g. `['python3-django=3:4.2.28-0+deb13u2']`
 */
export function withNeededRecommends(packages: readonly string[]): string[] {
  const names = new Set(packages.map(entry => entry.split('=')[0]));
  const added = packages.flatMap(entry => NEEDED_RECOMMENDS[entry.split('=')[0]!] ?? []);
  return [...packages, ...[...new Set(added)].filter(name => !names.has(name))];
}
