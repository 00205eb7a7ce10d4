/**
 * package.json's `engines.node` promises only what every runtime dependency accepts (issue 29,
 * finding 9: it promised Node 20 while @renovatebot/pep440 5 wanted ^22.11.0 || >=24.10.0).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Every installed package the published one needs at run time (npm ls --omit=dev), with its engines.node. */
function runtimeEngines(): { id: string; range: string }[] {
  const dirs = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: packageRoot(),
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .slice(1);
  return dirs.flatMap(dir => {
    const manifest = read(dir);
    const range = manifest.engines?.node;
    return range ? [{ id: `${manifest.name}@${manifest.version}`, range }] : [];
  });
}

describe('engines.node', () => {
  const declared = read(packageRoot()).engines?.node ?? '';

  it('is a range every runtime dependency accepts', () => {
    const engines = runtimeEngines();
    expect(engines.length).toBeGreaterThan(20);
    const refusing = engines.filter(({ range }) => !semver.subset(declared, range, { includePrerelease: false }));
    expect(refusing.map(({ id, range }) => `${id} wants ${range}`)).toEqual([]);
  });

  it('starts at the oldest Node CI tests (.ci/node-matrix.sh derives it from this range)', () => {
    expect(semver.minVersion(declared)?.version).toBe('20.18.1');
  });
});
