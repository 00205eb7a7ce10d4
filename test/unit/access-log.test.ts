import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { capture } from '../helpers/commands.js';

/** The piped access logger, copied as it is into every project. */
function loggerScript(): string {
  return join(packageRoot(), 'runtime/access-log.py');
}

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line ${from + i} "GET / HTTP/1.1" 200\n`).join('');

/** Starts the logger as Apache does (`python3 -I -S script FORMAT`, lines on stdin). */
function startLogger(format = 'combined') {
  const child = spawn('python3', ['-I', '-S', loggerScript(), format], { stdio: ['pipe', 'pipe', 'pipe'] });
  const { stdout, stderr, closed } = capture(child);
  return { child, exited: closed, output: stdout, errors: stderr };
}

/**
 * Starts the logger and writes `line`, resolving once the logger has shown it, or after `ms`
 * (the test's expect then says what was shown).
 */
async function loggerShowing(line: string, ms: number) {
  const logger = startLogger();
  logger.child.stdin.write(line);
  const deadline = Date.now() + ms;
  while (!logger.output().includes(line) && Date.now() < deadline) await sleep(10);
  return logger;
}

describe('docker/access-log.py (Apache piped access logger)', () => {
  it('passes every line through, in order, and exits when Apache closes the pipe', async () => {
    const logger = startLogger();
    logger.child.stdin.write(lines(0, 500));
    await sleep(120);
    logger.child.stdin.write(lines(500, 1000));
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
    expect(logger.errors()).toBe('');
    expect(logger.output()).toBe(lines(0, 1000));
  });

  it('shows a lone line within its batch interval, without waiting for more', async () => {
    // Without more input it would never show; the 10 s only bound Python's start on a loaded machine.
    const logger = await loggerShowing('single request\n', 10_000);
    expect(logger.output()).toBe('single request\n');
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
  });

  it('on SIGTERM writes what is already in the pipe before exiting', async () => {
    // Shown means running, its signal handler installed (a fixed wait failed on a loaded machine).
    const logger = await loggerShowing('first\n', 5_000);
    // Arrives while the logger sleeps between batches, then the stop signal.
    logger.child.stdin.write(lines(0, 200));
    await sleep(5);
    logger.child.kill('SIGTERM');
    expect(await logger.exited).toBe(0);
    expect(logger.output()).toBe('first\n' + lines(0, 200));
  });

  it('json: makes every line valid JSON with an RFC 3339 time, even when a batch splits an escape', async () => {
    // As Apache's json LogFormat writes them (ap_escape_logitem): bytes above 0x7e and controls as
    // \xhh, a vertical tab as \v, a quote and a backslash escaped; the time's offset without a colon.
    const line = (n: number) =>
      `{"time":"2026-12-04T14:00:00.123+0530","path":"/caf\\xc3\\xa9/${n}/\\xff\\x01","ua":"a\\"b\\\\x41\\vz"}\n`;
    const logger = startLogger('json');
    const text = line(1) + line(2);
    // The second line arrives in two writes, the first ending inside "\\xc3".
    const cut = text.indexOf('\\xc3', line(1).length) + 2;
    logger.child.stdin.write(text.slice(0, cut));
    await sleep(120);
    logger.child.stdin.write(text.slice(cut));
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
    expect(logger.errors()).toBe('');
    const parsed = logger
      .output()
      .trim()
      .split('\n')
      .map(entry => JSON.parse(entry) as Record<string, string>);
    expect(parsed).toEqual(
      [1, 2].map(n => ({
        time: '2026-12-04T14:00:00.123+05:30',
        // UTF-8 runs become their characters; a byte that is not UTF-8 and a control keep their value.
        path: `/café/${n}/\u00ff\u0001`,
        ua: 'a"b\\x41\u000bz',
      })),
    );
  });

  it("other formats pass Apache's escapes through as they are", async () => {
    const logger = startLogger('combined');
    logger.child.stdin.write('1.2.3.4 - - "GET /caf\\xc3\\xa9 HTTP/1.1" 200\n');
    logger.child.stdin.end();
    expect(await logger.exited).toBe(0);
    expect(logger.output()).toBe('1.2.3.4 - - "GET /caf\\xc3\\xa9 HTTP/1.1" 200\n');
  });
});
