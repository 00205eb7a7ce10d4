/**
 * runtime/worker.py, the workers' runner, outside a container: what it watches, and the run
 * itself: in development a changed .py file restarts the command (SIGTERM first); in every shape
 * the image's stop signal (SIGWINCH) or SIGTERM reaches the command as SIGTERM and the runner
 * exits with its status. The container test (test/integration/services.test.ts) runs a real
 * Celery worker with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { runWithModule } from '../helpers/runtime-module.js';
import { pollFor } from '../helpers/poll.js';

const SCRIPT = join(packageRoot(), 'runtime/worker.py');
const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'worker-runner-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `code` with the module loaded as `runner` (its file name has a dash), in isolated mode. */
function python(code: string): string {
  const result = runWithModule(SCRIPT, 'runner', code, { ...process.env } as Record<string, string>);
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe('runtime/worker.py', () => {
  it('watches .py and .wsgi files and the extra patterns, not hidden, cache or virtualenv folders', () => {
    const dir = project({
      'app/tasks.py': '',
      'app.wsgi': '',
      'templates/page.html': '',
      'README.md': '',
      '.git/hook.py': '',
      'venv/lib/site.py': '',
      'app/__pycache__/tasks.cpython-313.py': '',
      'node_modules/x/y.py': '',
    });
    const listed = python(
      `print("\\n".join(sorted(p[len(${JSON.stringify(dir)}) + 1:] for p in runner.snapshot(${JSON.stringify(dir)}, ["templates/*.html"]))))`,
    );
    expect(listed.trim().split('\n')).toEqual(['app.wsgi', 'app/tasks.py', 'templates/page.html']);
  });

  it('tells added, removed and modified files apart from unchanged ones', () => {
    expect(python('print(runner.changed({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 4}))').trim()).toBe(
      "['b', 'c', 'd']",
    );
    expect(python('print(runner.exit_code(-15), runner.exit_code(3))').trim()).toBe('143 3');
  });

  it('in development, restarts the command when a watched file changes, and passes SIGTERM on, exiting with its status', async () => {
    const dir = project({ 'tasks.py': 'VALUE = 1\n' });
    const log = join(dir, 'starts.log');
    // The command logs each start and ends on SIGTERM with status 3, as a worker finishing its tasks would.
    const command = `trap 'echo stop >> ${log}; exit 3' TERM; echo start >> ${log}; while :; do sleep 0.1; done`;
    const child = spawn('python3', ['-I', '-B', SCRIPT, 'sh', '-c', command], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', WSGI_RELOAD_INTERVAL: '0.2', WSGI_RELOAD_ON_CHANGES: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += String(chunk)));
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const starts = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    await pollFor(
      () => starts().length === 1,
      30_000,
      () => `never started: ${stderr}`,
    );
    writeFileSync(join(dir, 'tasks.py'), 'VALUE = 2\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'tasks.py'), later, later);
    await pollFor(
      () => starts().length === 3,
      30_000,
      () => `not restarted: ${starts().join(',')} ${stderr}`,
    );
    expect(starts()).toEqual(['start', 'stop', 'start']);
    expect(stderr).toContain('tasks.py changed: restarting sh');
    child.kill('SIGTERM');
    expect(await exited).toBe(3);
    expect(starts()).toEqual(['start', 'stop', 'start', 'stop']);
  });

  it("elsewhere, watches nothing, passes the image's stop signal (SIGWINCH) on as SIGTERM, and ends with the command", async () => {
    const dir = project({ 'tasks.py': 'VALUE = 1\n' });
    const log = join(dir, 'starts.log');
    const command = `trap 'echo stop >> ${log}; exit 3' TERM; echo start >> ${log}; while :; do sleep 0.1; done`;
    const child = spawn('python3', ['-I', '-B', SCRIPT, 'sh', '-c', command], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const starts = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    await pollFor(
      () => starts().length === 1,
      30_000,
      () => 'never started',
    );
    writeFileSync(join(dir, 'tasks.py'), 'VALUE = 2\n');
    await new Promise(resolve => setTimeout(resolve, 1_500));
    expect(starts()).toEqual(['start']);
    child.kill('SIGWINCH');
    expect(await exited).toBe(3);
    expect(starts()).toEqual(['start', 'stop']);
  });

  it('elsewhere, exits with the status of a command that ends by itself', () => {
    const result = spawnSync('python3', ['-I', '-B', SCRIPT, 'sh', '-c', 'exit 7'], { encoding: 'utf8' });
    expect(result.status).toBe(7);
  });
});
