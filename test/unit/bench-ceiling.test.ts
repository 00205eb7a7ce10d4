/**
 * bench/ceiling.py, the app alone (issue 30), run with the host's python3 on the plain fixture:
 * it loads the callable as gunicorn does, calls it through a whole request, and reports the cost.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ceilingRate } from '../../bench/lib/ceiling.js';
import { packageRoot } from '../../generators/lib/package-root.js';
import { FIXTURES } from '../helpers/project.js';

const CEILING = join(packageRoot(), 'bench/ceiling.py');

function ceiling(fixture: string, ...args: string[]) {
  const result = spawnSync('python3', [CEILING, ...args], { cwd: join(FIXTURES, fixture), encoding: 'utf8' });
  return { ...result, measured: result.status === 0 ? JSON.parse(result.stdout) : undefined };
}

describe('bench/ceiling.py', () => {
  it('calls the app in a loop for the seconds given and reports its CPU per call and the first page', () => {
    const { measured, stderr } = ceiling('plain-wsgi', 'hello:application', '/', '0.3');
    expect(stderr).toBe('');
    expect(measured).toMatchObject({ status: '200 OK', body: 'Hello from plain WSGI\n' });
    expect(measured.calls).toBeGreaterThan(10);
    expect(measured.cpuMicrosPerCall).toBeGreaterThan(0);
    // One thread, nothing else to wait on: CPU is nearly all of the wall time, never more.
    expect(measured.cpuMicrosPerCall).toBeLessThanOrEqual(measured.wallMicrosPerCall * 1.05);
  });

  it('passes the query string and reports another status as it is', () => {
    const { measured } = ceiling('plain-wsgi', 'hello:application', '/env?name=PATH', '0.1');
    expect(measured.status).toBe('200 OK');
    expect(Object.keys(JSON.parse(measured.body))).toEqual(['PATH']);
  });

  it('fails on an app it cannot import, with Python saying which', () => {
    const { status, stderr } = ceiling('plain-wsgi', 'nosuch:application', '/', '0.1');
    expect(status).not.toBe(0);
    expect(stderr).toContain("No module named 'nosuch'");
  });

  it('ceilingRate: cores × 10⁶ / µs per request', () => {
    expect(ceilingRate(500, 2)).toBe(4000);
  });
});
