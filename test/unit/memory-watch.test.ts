/**
 * runtime/memory-watch.py outside Apache: the limit it reads from WSGI_MAXIMUM_MEMORY, and the
 * watch itself, which logs once and sends its own process SIGUSR1 (mod_wsgi's graceful restart)
 * when the resident set passes the limit. The container test (production.test.ts) runs it in
 * a daemon process.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { runWithModule } from '../helpers/runtime-module.js';

const SCRIPT = join(packageRoot(), 'runtime/memory-watch.py');

/** Runs `code` with the module loaded as `watch` (its file name has a dash), in isolated mode. */
function python(code: string, env: Record<string, string> = {}) {
  return runWithModule(SCRIPT, 'watch', `import signal\n${code}`, env);
}

describe('runtime/memory-watch.py', () => {
  it('reads WSGI_MAXIMUM_MEMORY as MiB; unset, empty and 0 are off', () => {
    const code = 'print(watch.limit_from_environment())';
    expect(python(code, { WSGI_MAXIMUM_MEMORY: '96' }).stdout).toBe(`${96 * 1024 * 1024}\n`);
    expect(python(code, { WSGI_MAXIMUM_MEMORY: '' }).stdout).toBe('0\n');
    expect(python(code, { WSGI_MAXIMUM_MEMORY: '0' }).stdout).toBe('0\n');
    expect(python(code).stdout).toBe('0\n');
    expect(python(code, { WSGI_MAXIMUM_MEMORY: '1.5g' }).stderr).toContain(
      'WSGI_MAXIMUM_MEMORY="1.5g" is not a whole number of MiB',
    );
  });

  it('measures this process: a resident set of some MiB, growing with memory written', () => {
    const { stdout } = python(
      'before = watch.resident_bytes()\nblock = bytearray(b"\\x01") * (64 << 20)\nprint(before, watch.resident_bytes())',
    );
    const [before, after] = stdout.trim().split(' ').map(Number);
    expect(before).toBeGreaterThan(1 << 20);
    expect(after - before).toBeGreaterThan(60 << 20);
  });

  it('past the limit: one line naming the process, its size and the limit, then SIGUSR1 to itself', () => {
    const { stdout, stderr, status } = python(
      [
        'signal.signal(signal.SIGUSR1, lambda *_: print("SIGUSR1", flush=True))',
        'sizes = iter([10 << 20, 20 << 20, 300 << 20])',
        'print("returned", watch.watch(200 << 20, 0.01, "app", measure=lambda: next(sizes)) >> 20, flush=True)',
      ].join('\n'),
    );
    expect(status).toBe(0);
    expect(stdout).toBe('SIGUSR1\nreturned 300\n');
    expect(stderr).toMatch(
      /^daemon process \(pid=\d+\) of group 'app' uses 300 MiB, past WSGI_MAXIMUM_MEMORY=200 MiB: restarting it gracefully\n$/,
    );
  });

  it('below the limit: no signal, polls until told to stop', () => {
    const { stdout, stderr } = python(
      [
        'signal.signal(signal.SIGUSR1, lambda *_: print("SIGUSR1", flush=True))',
        'polls = []',
        'print(watch.watch(200 << 20, 0.001, "app", measure=lambda: 10 << 20, stop=lambda: polls.append(1) or len(polls) > 5))',
      ].join('\n'),
    );
    expect(stdout).toBe('None\n');
    expect(stderr).toBe('');
  });
});
