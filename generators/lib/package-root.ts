import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory (the one holding `package.json`, `templates/`, `images/`).
 *
 * Found by walking up from this module, so it works both from `generators/` under the
 * test runner and from the compiled `dist/generators/` of an installed package.
 * @throws Error when no `package.json` is found above this file (a broken install).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('generator-wsgi-apache: cannot find its package root (package.json + templates/)');
    dir = parent;
  }
}
