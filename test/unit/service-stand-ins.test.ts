/**
 * The service stand-ins' recipes (images/services/): each a tag `--service` names, each entry
 * point clean under shellcheck. The servers themselves run in test/integration/services.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backingService, SERVICE_NAMES } from '../../generators/app/services.js';
import { packageRoot } from '../../generators/lib/package-root.js';

const DIR = join(packageRoot(), 'images/services');

describe('images/services', () => {
  it('builds a stand-in for the image of every --service, tagged as that image', () => {
    const build = readFileSync(join(DIR, 'build.sh'), 'utf8');
    const tags = Object.fromEntries([...build.matchAll(/\[(\w+)\]=([\w./:-]+)/g)].map(m => [m[1], m[2]]));
    const wanted = SERVICE_NAMES.map(name => backingService(name));
    expect(Object.values(tags).sort()).toEqual(wanted.map(service => service.image).sort());
    for (const service of wanted) expect(readdirSync(join(DIR, service.service))).toContain('Dockerfile');
  });

  it('has entry points and a build script shellcheck finds nothing in', () => {
    const scripts = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
      .filter(file => file.endsWith('.sh') && file !== 'build.sh')
      .map(file => join(DIR, file));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(execFileSync('shellcheck', ['--shell=sh', '--severity=style', ...scripts], { encoding: 'utf8' })).toBe('');
    expect(execFileSync('shellcheck', ['--severity=style', join(DIR, 'build.sh')], { encoding: 'utf8' })).toBe('');
  });
});
