/**
 * Read-only directories for tests that run the generator in-process. File modes do not stop
 * root (the tests run as root in CI), so as root a directory is made immutable
 * (`chattr +i`, which stops root too and which `access(2)` reports); as an ordinary user,
 * `chmod a-w` is what a read-only directory is.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT } from './commands.js';

/**
 * Makes the directory `path` unwritable for this process.
 * @returns the undo: makes it writable again (call it before removing the directory)
 * @throws Error when the file system refuses (e.g. chattr on a file system without attributes) or the
 *   directory stays writable
 */
export function makeReadOnly(path: string): () => void {
  let undo: () => void;
  if (IS_ROOT) {
    chattr('+i', path);
    undo = () => chattr('-i', path);
  } else {
    const mode = statSync(path).mode & 0o7777;
    chmodSync(path, mode & ~0o222);
    undo = () => chmodSync(path, mode);
  }
  // A test that relies on this must fail, not pass vacuously, where the directory stays writable.
  const probe = join(path, '.read-only-probe');
  try {
    writeFileSync(probe, '');
  } catch {
    return undo;
  }
  rmSync(probe, { force: true });
  undo();
  throw new Error(
    `${path} stayed writable after ${IS_ROOT ? 'chattr +i' : 'chmod a-w'}: these tests need a file system that honours it`,
  );
}

function chattr(flag: string, path: string): void {
  const result = spawnSync('chattr', [flag, path], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`chattr ${flag} ${path}: ${result.stderr.trim()}`);
}
