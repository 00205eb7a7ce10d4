/**
 * Writing a project all or nothing.
 *
 * Yeoman commits its in-memory file system one file at a time, asking about each conflict
 * as it comes: an abort, a closed prompt (no terminal) or a file-system error half-way
 * leaves a half-written stack and a `.yo-rc.json` that no longer matches the files. Here
 * the same steps run in two halves: first every file goes through Yeoman's own pipeline
 * (`.yo-resolve`, `.yo-rc.json` forced, the conflicter and its prompt) without touching the
 * disk; then what is left is written in one go, and undone when any write fails.
 */
import {
  accessSync,
  constants,
  chmodSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import type { InputOutputAdapter } from '@yeoman/adapter/types';
import {
  type ConflicterOptions,
  createConflicterTransform,
  createYoResolveTransform,
  forceYoFiles,
} from '@yeoman/conflicter';
import type { Store } from 'mem-fs';
import type { MemFsEditorFile } from 'mem-fs-editor';
import {
  clearFileState,
  isFileNew,
  isFilePending,
  isFileStateDeleted,
  isFileStateModified,
  setCommittedFile,
} from 'mem-fs-editor/state';
import { InputError } from './input-error.js';

/** One change to the disk: write `contents` to `path` (creating its directories), or delete it when `contents` is null. */
export interface FileChange {
  /** absolute path */
  path: string;
  contents: Buffer | null;
  /** file mode to give a written file (Yeoman's `file.stat.mode`), when it has one */
  mode?: number;
}

/** The file-system calls a transaction makes; replaceable so that a test can make one fail half-way. */
export interface TransactionIo {
  /** undefined when nothing is at `path` */
  stat(path: string): Stats | undefined;
  readFile(path: string): Buffer;
  writeFile(path: string, contents: Buffer, mode?: number): void;
  chmod(path: string, mode: number): void;
  /** one directory, its parent exists */
  mkdir(path: string): void;
  rmdir(path: string): void;
  unlink(path: string): void;
}

/** {@link TransactionIo} on the real disk. */
export const nodeIo: TransactionIo = {
  stat: path => statIfAny(path),
  readFile: path => readFileSync(path),
  writeFile: (path, contents, mode) => writeFileSync(path, contents, mode === undefined ? undefined : { mode }),
  chmod: (path, mode) => chmodSync(path, mode),
  mkdir: path => mkdirSync(path),
  rmdir: path => rmdirSync(path),
  unlink: path => unlinkSync(path),
};

/** How to undo one step, newest last. */
type Undo =
  | { kind: 'created-file'; path: string }
  | { kind: 'created-dir'; path: string }
  | { kind: 'replaced'; path: string; contents: Buffer; mode: number };

/**
 * Applies `changes`, then creates `dirs` (with their parents), in order. When any step
 * fails, every step before it is undone in reverse (files restored with their old contents
 * and modes, created files and directories removed) and the error is thrown as one line.
 *
 * @param root - the project root: paths in the message are relative to it
 * @param changes - files to write or delete (absolute paths)
 * @param dirs - directories to create (absolute), e.g. data directories the stack bind-mounts
 * @param io - the file-system calls (default: the real disk)
 * @returns how many files were written or deleted and how many directories created
 * @throws InputError `path: cannot be written (CODE: reason); nothing was changed, ... Fix: ...`,
 *   naming the path that failed; it also names any path the rollback could not restore
 */
export function applyAllOrNothing(
  root: string,
  changes: readonly FileChange[],
  dirs: readonly string[] = [],
  io: TransactionIo = nodeIo,
): { files: number; dirs: number } {
  const undo: Undo[] = [];
  const ensureDir = (dir: string) => {
    const missing: string[] = [];
    for (let current = dir; io.stat(current) === undefined; current = dirname(current)) {
      if (dirname(current) === current) break;
      missing.unshift(current);
    }
    for (const path of missing) {
      io.mkdir(path);
      undo.push({ kind: 'created-dir', path });
    }
  };
  let current = root;
  let verb = 'written';
  try {
    for (const change of changes) {
      current = change.path;
      verb = change.contents === null ? 'deleted' : 'written';
      const existing = io.stat(change.path);
      if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (change.contents === null) {
        if (!existing) continue;
        const contents = io.readFile(change.path);
        io.unlink(change.path);
        undo.push({ kind: 'replaced', path: change.path, contents, mode: existing.mode });
        continue;
      }
      ensureDir(dirname(change.path));
      if (existing) {
        // Read before writing: the snapshot is what a rollback puts back.
        undo.push({ kind: 'replaced', path: change.path, contents: io.readFile(change.path), mode: existing.mode });
      } else {
        undo.push({ kind: 'created-file', path: change.path });
      }
      io.writeFile(change.path, change.contents, change.mode);
      if (change.mode !== undefined && (io.stat(change.path)!.mode & 0o7777) !== (change.mode & 0o7777))
        io.chmod(change.path, change.mode);
    }
    for (const dir of dirs) {
      current = dir;
      verb = 'created';
      const existing = io.stat(dir);
      if (existing && !existing.isDirectory())
        throw Object.assign(new Error('is not a directory'), { code: 'ENOTDIR' });
      ensureDir(dir);
    }
  } catch (error) {
    const failed = rollBack(undo, io);
    const written = undo.filter(step => step.kind !== 'created-dir').length;
    const restored =
      written === 0
        ? 'nothing was changed'
        : `nothing was changed: the ${written} file${written === 1 ? '' : 's'} written before it were put back as they were`;
    const notRestored =
      failed.length > 0 ? `; could not put back ${failed.map(path => show(root, path)).join(', ')}` : '';
    throw new InputError(
      show(root, current),
      `cannot be ${verb} (${describe(error)}); ${restored}${notRestored}`,
      fixFor(error, show(root, dirname(current))),
    );
  }
  return { files: changes.length, dirs: undo.filter(step => step.kind === 'created-dir').length };
}

/** Undoes `undo` newest first; returns the paths it could not restore. */
function rollBack(undo: readonly Undo[], io: TransactionIo): string[] {
  const failed: string[] = [];
  for (const step of [...undo].reverse()) {
    try {
      if (step.kind === 'created-file') {
        if (io.stat(step.path)) io.unlink(step.path);
      } else if (step.kind === 'created-dir') {
        io.rmdir(step.path);
      } else {
        io.writeFile(step.path, step.contents);
        io.chmod(step.path, step.mode & 0o7777);
      }
    } catch {
      failed.push(step.path);
    }
  }
  return failed;
}

/**
 * Makes sure every path can be written before anything is: each existing file is
 * writable, and for each path that does not exist yet, its nearest existing ancestor is
 * a directory we may create entries in. Read-only directories, immutable files and
 * read-only mounts all show here (`access(2)`, which also answers for root).
 *
 * @param root - the project root: paths in the message are relative to it
 * @param files - absolute paths of files about to be written
 * @param dirs - absolute paths of directories about to be created
 * @throws InputError naming the first path in the way, how many of the paths it blocks, and the fix
 */
export function checkWritable(root: string, files: readonly string[], dirs: readonly string[] = []): void {
  const blocked = new Map<string, { reason: string; error?: unknown; targets: string[] }>();
  const block = (path: string, reason: string, target: string, error?: unknown) => {
    const entry = blocked.get(path) ?? { reason, error, targets: [] };
    entry.targets.push(target);
    blocked.set(path, entry);
  };
  for (const [target, wantsDirectory] of [
    ...files.map(path => [path, false] as const),
    ...dirs.map(path => [path, true] as const),
  ]) {
    const existing = statIfAny(target);
    if (existing) {
      if (wantsDirectory) {
        if (!existing.isDirectory()) block(target, 'is a file, where a directory is needed', target);
      } else if (existing.isDirectory()) {
        block(target, 'is a directory, where a file would be written', target);
      } else {
        const error = accessError(target, constants.W_OK);
        if (error) block(target, 'is not writable', target, error);
      }
      continue;
    }
    let ancestor = dirname(target);
    let stat = statIfAny(ancestor);
    while (!stat && dirname(ancestor) !== ancestor) {
      ancestor = dirname(ancestor);
      stat = statIfAny(ancestor);
    }
    if (stat && !stat.isDirectory()) {
      block(ancestor, 'is a file, where a directory is needed', target);
      continue;
    }
    const error = accessError(ancestor, constants.W_OK | constants.X_OK);
    if (error) block(ancestor, 'is not writable', target, error);
  }
  if (blocked.size === 0) return;
  const [[path, { reason, error, targets }], ...others] = [...blocked];
  const shown = show(root, path);
  const what = error ? `${reason} (${describe(error)})` : reason;
  const alsoBlocked = others.length > 0 ? ` (also: ${others.map(([other]) => show(root, other)).join(', ')})` : '';
  const count = targets.length + others.reduce((sum, [, entry]) => sum + entry.targets.length, 0);
  // "docker: is not writable, so 3 paths cannot be written"; a lone target is its own subject.
  const onlyItself = count === 1 && targets[0] === path;
  const blocks = onlyItself ? '' : `, so ${count} path${count === 1 ? '' : 's'} cannot be written`;
  const fix = error ? fixFor(error, shown) : `move ${shown} out of the way`;
  throw new InputError(shown, `${what}${blocks}${alsoBlocked}; nothing was written`, fix);
}

/** `stat`, or undefined when nothing is there (also when a file stands where a directory of the path should be). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function accessError(path: string, mode: number): unknown {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** `path` relative to `root` as users see it in the project (`docker`, `docker/envvars`); the root itself and paths outside it absolute. */
function show(root: string, path: string): string {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted: read-only or immutable',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'already exists',
};

/** `CODE: reason` of a Node file-system error, one line. */
function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${code}: ${REASONS[code]}`;
  const message = error instanceof Error ? error.message : String(error);
  return (code ? `${code}: ${message}` : message).split('\n')[0]!;
}

function fixFor(error: unknown, where: string): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EACCES':
      return `make ${where} writable for you (e.g. chmod u+w ${where}) or run as its owner, then run again`;
    case 'EPERM':
      return `make ${where} writable (e.g. chattr -i ${where}, or mount it read-write), then run again`;
    case 'EROFS':
      return 'run it on a read-write copy of the project (or mount it read-write)';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space, then run again';
    default:
      return `move what is at ${where} out of the way, then run again`;
  }
}

/** What {@link commitAllOrNothing} needs of a yeoman-environment: its shared in-memory file system, adapter and conflicter options. */
export interface CommitEnvironment {
  sharedFs: Store<MemFsEditorFile>;
  adapter: InputOutputAdapter;
  /** Set by yeoman-environment from `--force`, `--bail`, `--dry-run`; absent from @yeoman/types' view of it. */
  conflicterOptions?: ConflicterOptions;
}

/**
 * yeoman-environment's conflicter options (from `--force`, `--bail`, `--dry-run`), which it keeps on
 * the environment outside @yeoman/types' interface.
 * @returns the options, `{}` when the environment has none
 */
export function conflicterOptionsOf(env: object): ConflicterOptions {
  const options = 'conflicterOptions' in env ? env.conflicterOptions : undefined;
  return typeof options === 'object' && options !== null ? options : {};
}

/**
 * Yeoman's commit, all or nothing: a `customCommitTask` for yeoman-environment.
 *
 * The pending files of the shared in-memory file system run through the same transforms as
 * yeoman-environment's own commit (`.yo-resolve`, `.yo-rc.json` forced, the conflicter, which
 * asks about each changed file in a terminal and honours `--force`, `--bail`, `--dry-run`),
 * but nothing is written while they do: an abort in the prompt leaves the disk as it was.
 * Then {@link applyAllOrNothing} writes what the conflicter let through and creates `dirs`.
 *
 * @param env - the generator's environment (`this.env`)
 * @param root - the project root, for messages
 * @param dirs - directories to create after the files (absolute), skipped on `--dry-run`
 * @throws whatever the conflicter throws (abort, bail), before anything is written;
 *   InputError from {@link applyAllOrNothing} after rolling back
 */
export async function commitAllOrNothing(
  env: CommitEnvironment,
  root: string,
  dirs: readonly string[] = [],
): Promise<void> {
  const changes: FileChange[] = [];
  const collect = new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile, _encoding, callback) {
      if (isFileStateModified(file)) {
        changes.push({
          path: file.path,
          contents: file.contents ?? Buffer.alloc(0),
          mode: file.stat?.mode ?? undefined,
        });
      } else if (isFileStateDeleted(file) && !isFileNew(file)) {
        changes.push({ path: file.path, contents: null });
      }
      if (isFilePending(file)) {
        // Committed as far as mem-fs knows: yeoman-environment queues another commit for a file still pending.
        setCommittedFile(file);
        clearFileState(file);
      }
      callback(null, file);
    },
  });
  await env.sharedFs.pipeline(
    { filter: file => isFilePending(file) || file.path.endsWith('.yo-resolve') },
    createYoResolveTransform(),
    forceYoFiles(),
    createConflicterTransform(env.adapter, env.conflicterOptions),
    collect,
  );
  applyAllOrNothing(resolve(root), changes, env.conflicterOptions?.dryRun ? [] : dirs);
}

/**
 * Whether the user can answer a prompt: true for a terminal, and for adapters without a
 * stdin of their own (yeoman-test's, whose answers are given); false when yo's terminal
 * adapter reads a stdin that is no TTY (CI, a pipe, `docker run` without `-t`), where
 * Inquirer would fail with "User force closed the prompt".
 *
 * @param adapter - `this.env.adapter`: yeoman-environment's QueuedAdapter (its `actualAdapter`
 *   is the TerminalAdapter) or an adapter itself
 */
export function hasTerminal(adapter: unknown): boolean {
  const actual = (adapter as { actualAdapter?: unknown } | undefined)?.actualAdapter ?? adapter;
  const stdin = (actual as { stdin?: { isTTY?: boolean } } | undefined)?.stdin;
  return stdin === undefined ? true : Boolean(stdin.isTTY);
}
