/**
 * Read-only directories for tests that run the generator in-process. File modes do not stop
 * root (the tests run as root in CI), so as root a directory is made immutable
 * (`chattr +i`, which stops root too and which `access(2)` reports); as an ordinary user,
 * `chmod a-w` is what a read-only directory is.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT } from './commands.js';

/**
 * Makes the directory `path` unwritable for this process.
 * @returns the undo: makes it writable again (call it before removing the directory)
 * @throws Error when the file system refuses (e.g. chattr on a file system without attributes)
 */
export function makeReadOnly(path: string): () => void {
  if (IS_ROOT) {
    chattr('+i', path);
    return () => chattr('-i', path);
  }
  const mode = statSync(path).mode & 0o7777;
  chmodSync(path, mode & ~0o222);
  return () => chmodSync(path, mode);
}

function chattr(flag: string, path: string): void {
  const result = spawnSync('chattr', [flag, path], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`chattr ${flag} ${path}: ${result.stderr.trim()}`);
}

/** Whether {@link makeReadOnly} works here (chattr present and supported by the temporary directory's file system). */
export const CAN_MAKE_READ_ONLY: boolean = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-read-only-'));
  try {
    const undo = makeReadOnly(dir);
    try {
      writeFileSync(join(dir, 'probe'), '');
      return false;
    } catch {
      return true;
    } finally {
      undo();
    }
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
