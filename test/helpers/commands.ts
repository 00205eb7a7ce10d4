/** Running commands as a user would: unprivileged, with a clean environment, fully captured. */
import { chownSync, mkdtempSync, readdirSync } from 'node:fs';
import { type ChildProcessByStdio, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** A user and group to run user-level commands (yo) as. */
export interface Ids {
  uid: number;
  gid: number;
}

/** Whether the tests run as root (they do in CI, under `bash .ci/run`). */
/** `docker run` for a throw-away container without a network: the start of its arguments. */
export const ISOLATED_RUN = ['run', '--rm', '--network', 'none'] as const;

export const IS_ROOT = process.getuid?.() === 0;

/**
 * The ids a user-level command runs as: this process's own, or `nobody:nogroup`
 * (65534, present on every Debian) when the tests run as root, because yo refuses root
 * (its root check downgrades to uid 1000 or exits). setpriv needs no passwd entry and no
 * user creation, so this works in a fresh clone.
 */
export function unprivilegedIds(): Ids {
  return IS_ROOT ? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };
}

/** `chown -R` when running as root; a no-op otherwise (the files are already the caller's). */
export function chownTree(path: string, ids: Ids): void {
  if (!IS_ROOT) return;
  chownSync(path, ids.uid, ids.gid);
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    chownSync(join(entry.parentPath, entry.name), ids.uid, ids.gid);
  }
}

/** A fresh, empty home directory owned by `ids`, as a new user has (yo keeps its config store there). */
export function freshHome(ids: Ids): string {
  const home = mkdtempSync(join(tmpdir(), 'wsgi-apache-home-'));
  chownTree(home, ids);
  return home;
}

/** What a finished command left behind. */
export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
  /** wall-clock seconds */
  seconds: number;
}

/** Where and how {@link run} runs a command. */
export interface RunOptions {
  cwd: string;
  /** the whole environment: nothing is inherited from the test runner, as in a new user's shell */
  env: Record<string, string | undefined>;
  /** run as these ids (through setpriv when we are root); default: as the test runner */
  as?: Ids;
  /** bytes for stdin */
  input?: string;
}

/** Runs `command args` to completion and returns its exit status and output. */
export function run(command: string, args: string[], options: RunOptions): Finished {
  const [file, argv] =
    options.as && IS_ROOT
      ? ['setpriv', [`--reuid=${options.as.uid}`, `--regid=${options.as.gid}`, '--clear-groups', command, ...args]]
      : [command, args];
  const start = performance.now();
  const result = spawnSync(file, argv, {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    seconds: (performance.now() - start) / 1000,
  };
}

/** `run`, but throws with the command's last output lines unless it exits 0. */
export function runOk(command: string, args: string[], options: RunOptions): Finished {
  const result = run(command, args, options);
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${tail}`);
  }
  return result;
}

/** What a spawned child has written so far, and its end. */
export interface Captured {
  stdout(): string;
  stderr(): string;
  /** the exit code, once the child has exited and both streams are read to their end */
  closed: Promise<number | null>;
}

/** Collects a child's piped stdout and stderr as they come, for a test to read while it runs or after. */
export function capture(child: ChildProcessByStdio<Writable | null, Readable, Readable>): Captured {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    closed: new Promise(resolve => child.on('close', code => resolve(code))),
  };
}
