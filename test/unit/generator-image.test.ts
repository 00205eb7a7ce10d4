/**
 * The generator image (top-level Dockerfile) packs the same package npm publishes: every
 * source folder package.json's `files` ships reaches its build stage. A folder left out of
 * the `COPY` lines or the .dockerignore allow-list gave a package that failed at `writing`
 * (runtime/pip-install doesn't exist) only inside the image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';

const read = (name: string) => readFileSync(join(packageRoot(), name), 'utf8');

/** package.json `files` entries that are source folders (not built output, not exclusions). */
function shippedSources(): string[] {
  const { files } = JSON.parse(read('package.json')) as { files: string[] };
  return files.filter(entry => !entry.startsWith('!') && !entry.startsWith('dist'));
}

describe('the generator image builds what npm publishes', () => {
  it('COPYs every shipped source into the build stage', () => {
    const copied = [...read('Dockerfile').matchAll(/^COPY (?!--)(.+) \S+$/gm)].flatMap(match => match[1].split(' '));
    const missing = shippedSources().filter(entry => !copied.includes(entry));
    expect(missing).toEqual([]);
  });

  it('lets every shipped source through .dockerignore', () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter(line => line.startsWith('!'))
      .map(line => line.slice(1).replace(/\/$/, ''));
    const missing = shippedSources().filter(entry => !allowed.includes(entry));
    expect(missing).toEqual([]);
  });
});
