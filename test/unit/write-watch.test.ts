/**
 * runtime/write-watch.py outside Apache: which writes into the project need a data directory,
 * the folder each line names, the once-per-folder rule, and the audit hook itself in a Python
 * process whose "project" is a temporary folder. The production test runs it in a daemon process.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWatchLines } from '../../generators/check/index.js';
import { WRITE_WATCH_PREFIX } from '../../generators/lib/image-layout.js';
import { packageRoot } from '../../generators/lib/package-root.js';
import { runWithModule } from '../helpers/runtime-module.js';

const SCRIPT = join(packageRoot(), 'runtime/write-watch.py');

/** Runs `code` with the module loaded as `ww` (its file name has a dash), in isolated mode. */
function python(code: string, env: Record<string, string> = {}, script = SCRIPT) {
  return runWithModule(script, 'ww', code, env);
}

/** A WriteWatch over the project `root`, with `mounts`; prints what `folder_of` gives each path. */
function foldersOf(
  root: string,
  paths: string[],
  options: { production: boolean; writable: boolean; mounts?: string[] },
) {
  const code = [
    `w = ww.WriteWatch(${JSON.stringify(root)}, ${JSON.stringify(options.mounts ?? [])}, ${options.production ? 'True' : 'False'}, print, writable=lambda folder: ${options.writable ? 'True' : 'False'})`,
    `for p in ${JSON.stringify(paths)}: print(repr(w.folder_of(p)))`,
  ].join('\n');
  const { stdout, stderr } = python(code);
  expect(stderr).toBe('');
  return stdout.trim().split('\n');
}

describe('runtime/write-watch.py', () => {
  it('declares the prefix the check looks for', () => {
    expect(python('print(ww.PREFIX)').stdout.trim()).toBe(WRITE_WATCH_PREFIX);
  });

  it('counts opens that write, never reads, in-memory SQLite or file descriptors', () => {
    const code = [
      'import os',
      'print(ww.written_path("open", ("a", "r", os.O_RDONLY)))',
      'print(ww.written_path("open", ("b", "w", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)))',
      'print(ww.written_path("open", ("c", None, os.O_RDWR)))',
      'print(ww.written_path("os.rename", ("d", "e", -1, -1)))',
      'print(ww.written_path("sqlite3.connect", (":memory:",)))',
      'print(ww.written_path("sqlite3.connect", ("db.sqlite3",)))',
      'print(ww.written_path("os.listdir", ("f",)))',
    ].join('\n');
    expect(python(code).stdout.trim().split('\n')).toEqual([
      '[]',
      "['b']",
      "['c']",
      "['d', 'e']",
      '[]',
      "['db.sqlite3']",
      '[]',
    ]);
  });

  it('names the shallowest folder without code; none for mounts, bytecode, .wsgi/ or paths outside', () => {
    const root = mkdtempSync(join(tmpdir(), 'write-watch-'));
    mkdirSync(join(root, 'pkg'));
    writeFileSync(join(root, 'pkg/__init__.py'), '');
    const paths = [
      `${root}/collections/collection-root/alice/x.ics`,
      `${root}/pkg/uploads/a.png`,
      `${root}/pkg/cache.json`,
      `${root}/db.sqlite3`,
      `${root}/var/db.sqlite3`,
      `${root}/pkg/__pycache__/m.cpython-313.pyc`,
      `${root}/.wsgi/coverage`,
      '/tmp/elsewhere',
      `${root}-sibling/x`,
      3,
    ];
    expect(
      foldersOf(root, paths as string[], { production: false, writable: true, mounts: [`${root}/var`, root] }),
    ).toEqual(["'collections'", "'pkg/uploads'", "''", "''", 'None', 'None', 'None', 'None', 'None', 'None']);
  });

  it('in production only a write the folder refuses counts; in development every one does', () => {
    const root = mkdtempSync(join(tmpdir(), 'write-watch-'));
    const path = [`${root}/media/a.png`];
    expect(foldersOf(root, path, { production: true, writable: true })).toEqual(['None']);
    expect(foldersOf(root, path, { production: true, writable: false })).toEqual(["'media'"]);
    expect(foldersOf(root, path, { production: false, writable: true })).toEqual(["'media'"]);
  });

  it('the hook in a process: one line per folder on stderr and in APACHE_RUN_DIR/write-hints', () => {
    const root = mkdtempSync(join(tmpdir(), 'write-watch-app-'));
    const run = mkdtempSync(join(tmpdir(), 'write-watch-run-'));
    mkdirSync(join(root, 'docker'));
    copyFileSync(SCRIPT, join(root, 'docker/write-watch.py'));
    // Django's SQLite file, which production moves to the data volume: no line for it or its journal.
    const sqlite = join(root, 'db.sqlite3');
    writeFileSync(join(root, 'docker/wsgi-apache.json'), JSON.stringify({ writeWatch: { relocated: [sqlite] } }));
    // mountinfo's 5th field is the mount point: the project and its data directory data/.
    writeFileSync(
      join(run, 'mountinfo'),
      `1 0 8:1 / ${root} rw - ext4 /dev/sda1 rw\n2 1 8:1 / ${root}/data rw - ext4 /dev/sda1 rw\n`,
    );
    const code = [
      `ww.install(mountinfo=${JSON.stringify(join(run, 'mountinfo'))})`,
      `os.makedirs(${JSON.stringify(join(root, 'uploads'))})`,
      `open(${JSON.stringify(join(root, 'uploads/a.txt'))}, "w").close()`,
      `open(${JSON.stringify(join(root, 'uploads/b.txt'))}, "w").close()`,
      `os.makedirs(${JSON.stringify(join(root, 'data'))})`,
      `open(${JSON.stringify(join(root, 'data/c.txt'))}, "w").close()`,
      `open(${JSON.stringify(join(root, 'docker/write-watch.py'))}).read()`,
      `import sqlite3; sqlite3.connect(${JSON.stringify(sqlite)}).execute("create table t (x)")`,
      `open(${JSON.stringify(`${sqlite}-journal`)}, "w").close()`,
    ].join('\n');
    const { status, stderr } = python(
      code,
      { WSGI_ENVIRONMENT: 'development', APACHE_RUN_DIR: run },
      join(root, 'docker/write-watch.py'),
    );
    expect(status).toBe(0);
    const expected = `${WRITE_WATCH_PREFIX} the app writes ${root}/uploads (os.mkdir), which works here, but production's read-only project refuses: give it a volume with --data-dir uploads (yo wsgi-apache --data-dir uploads)`;
    expect(stderr.trim().split('\n')).toEqual([expected]);
    expect(readFileSync(join(run, 'write-hints'), 'utf8')).toBe(`${expected}\n`);
  });

  it('the check picks the lines out of Apache’s error log, each once, without Apache’s prefix', () => {
    const line = `${WRITE_WATCH_PREFIX} the app writes /srv/app/x/y (open), which ...`;
    expect(
      writeWatchLines([
        '[Fri Dec 04 10:00:00 2026] [wsgi:error] [pid 12] ' + line,
        'Traceback (most recent call last):',
        '[Fri Dec 04 10:00:01 2026] [wsgi:error] [pid 13] ' + line,
      ]),
    ).toEqual([line]);
  });

  it("the image's health check prints the lines when the app answers 5xx, not when it is healthy", async () => {
    const run = mkdtempSync(join(tmpdir(), 'write-watch-run-'));
    const hint = `${WRITE_WATCH_PREFIX} the app writes /srv/app/media/a.png (open), which ...`;
    writeFileSync(join(run, 'write-hints'), `${hint}\n`);
    const script = join(packageRoot(), 'runtime/healthcheck.py');
    let status = 500;
    const server = createServer((_request, response) => response.writeHead(status).end());
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const probe = () =>
      new Promise<{ code: number | null; stdout: string }>(resolve => {
        const port = String((server.address() as AddressInfo).port);
        const child = spawn('python3', ['-I', script, port, 'test'], {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',

            APACHE_RUN_DIR: run,
          },
        });
        let stdout = '';
        child.stdout.on('data', chunk => (stdout += String(chunk)));
        child.on('close', code => resolve({ code, stdout }));
      });
    try {
      expect(await probe()).toEqual({ code: 1, stdout: `healthcheck: /: HTTP 500\n${hint}\n` });
      status = 200;
      expect(await probe()).toEqual({ code: 0, stdout: 'healthcheck: /: HTTP 200\n' });
    } finally {
      server.close();
    }
  });
});
