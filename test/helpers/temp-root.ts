/**
 * Vitest global setup: every temporary directory the tests make (a project per test, Yeoman's
 * and pip's scratch space) goes below one directory per run, removed when the run ends, instead
 * of thousands left in /tmp. TMPDIR is what os.tmpdir() and mkdtemp read; the workers inherit it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'wsgi-apache-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
