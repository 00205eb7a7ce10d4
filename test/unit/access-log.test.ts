import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';

/** The piped access logger as generated (its only mustache tag is the version). */
function loggerScript(): string {
  const source = readFileSync(join(packageRoot(), 'templates/docker/access-log.py.mustache'), 'utf8');
  const path = join(mkdtempSync(join(tmpdir(), 'access-log-')), 'access-log.py');
  writeFileSync(path, source.replaceAll('{{generatorVersion}}', 'test'));
  return path;
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line ${from + i} "GET / HTTP/1.1" 200\n`).join('');

/** Starts the logger as Apache does (`python3 -I -S script`, lines on stdin). */
function startLogger() {
  const child = spawn('python3', ['-I', '-S', loggerScript()], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return { child, exited, output: () => stdout, errors: () => stderr };
}

describe('docker/access-log.py (Apache piped access logger)', () => {
  it('passes every line through, in order, and exits when Apache closes the pipe', async () => {
    const logger = startLogger();
    logger.child.stdin.write(lines(0, 500));
    await new Promise(resolve => setTimeout(resolve, 120));
    logger.child.stdin.write(lines(500, 1000));
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
    expect(logger.errors()).toBe('');
    expect(logger.output()).toBe(lines(0, 1000));
  });

  it('shows a lone line within its batch interval, without waiting for more', async () => {
    const logger = startLogger();
    logger.child.stdin.write('single request\n');
    const deadline = Date.now() + 2_000;
    while (!logger.output().includes('single request') && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 10));
    expect(logger.output()).toBe('single request\n');
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
  });

  it('on SIGTERM writes what is already in the pipe before exiting', async () => {
    const logger = startLogger();
    logger.child.stdin.write('first\n');
    await new Promise(resolve => setTimeout(resolve, 200));
    // Arrives while the logger sleeps between batches, then the stop signal.
    logger.child.stdin.write(lines(0, 200));
    await new Promise(resolve => setTimeout(resolve, 5));
    logger.child.kill('SIGTERM');
    expect(await logger.exited).toBe(0);
    expect(logger.output()).toBe('first\n' + lines(0, 200));
  });
});
