import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyAllOrNothing,
  checkWritable,
  hasTerminal,
  nodeIo,
  type TransactionIo,
} from '../../generators/lib/transaction.js';
import { makeReadOnly } from '../helpers/read-only.js';

const dirs: string[] = [];
const undo: (() => void)[] = [];
afterEach(() => {
  for (const step of undo.splice(0).reverse()) step();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project with an existing file a (mode 0600), a directory d with file d/b. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgi-apache-transaction-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a'), 'old a\n', { mode: 0o600 });
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'b'), 'old b\n');
  return dir;
}

/** Every path below `dir` with its content and mode. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .map(entry => join(entry.parentPath, entry.name))
      .sort()
      .map(path => {
        const stat = statSync(path);
        const mode = (stat.mode & 0o777).toString(8);
        return [relative(dir, path), stat.isDirectory() ? `dir ${mode}` : `${mode} ${readFileSync(path, 'utf8')}`];
      }),
  );
}

/** The real disk, except that the `failAt`-th write (1-based) fails with `code`. */
function failingIo(failAt: number, code = 'ENOSPC'): TransactionIo {
  let writes = 0;
  return {
    ...nodeIo,
    writeFile(path, contents, mode) {
      if (++writes === failAt) throw Object.assign(new Error(`${code}: simulated`), { code });
      nodeIo.writeFile(path, contents, mode);
    },
  };
}

const change = (dir: string, path: string, text: string | null, mode?: number) => ({
  path: join(dir, path),
  contents: text === null ? null : Buffer.from(text),
  mode,
});

describe('applyAllOrNothing', () => {
  it('writes files (creating directories), deletes, creates directories', () => {
    const dir = project();
    const result = applyAllOrNothing(
      dir,
      [change(dir, 'a', 'new a\n'), change(dir, 'x/y/c', 'c\n', 0o755), change(dir, 'd/b', null)],
      [join(dir, 'data/uploads')],
    );
    expect(result).toEqual({ files: 3, dirs: 4 });
    expect(tree(dir)).toEqual({
      a: '600 new a\n',
      d: 'dir 755',
      data: 'dir 755',
      'data/uploads': 'dir 755',
      x: 'dir 755',
      'x/y': 'dir 755',
      'x/y/c': '755 c\n',
    });
  });

  it.each([1, 2, 3])('a failure at write %i puts everything back as it was, in one line naming the path', failAt => {
    const dir = project();
    const before = tree(dir);
    const changes = [
      change(dir, 'a', 'new a\n'),
      change(dir, 'd/b', null),
      change(dir, 'x/c', 'c\n'),
      change(dir, 'x/y/e', 'e\n'),
    ];
    let message = '';
    try {
      applyAllOrNothing(dir, changes, [join(dir, 'data')], failingIo(failAt));
    } catch (error) {
      message = (error as Error).message;
    }
    const failed = ['a', 'x/c', 'x/y/e'][failAt - 1];
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      new RegExp(`^${failed}: cannot be written \\(ENOSPC: no space left on device\\); nothing was changed`),
    );
    expect(tree(dir)).toEqual(before);
  });

  it('a directory that cannot be created rolls back every file written before it', () => {
    const dir = project();
    writeFileSync(join(dir, 'blocker'), '');
    const before = tree(dir);
    expect(() =>
      applyAllOrNothing(dir, [change(dir, 'a', 'new a\n'), change(dir, 'n/new', 'n\n')], [join(dir, 'blocker/data')]),
    ).toThrow(
      /^blocker\/data: cannot be created \(ENOTDIR: a file is in the way\); nothing was changed: the 2 files written before it were put back as they were\. Fix: /,
    );
    expect(tree(dir)).toEqual(before);
  });

  it('names what the rollback could not put back', () => {
    const dir = project();
    const io: TransactionIo = {
      ...failingIo(2),
      rmdir: () => {
        throw Object.assign(new Error('busy'), { code: 'EBUSY' });
      },
    };
    expect(() => applyAllOrNothing(dir, [change(dir, 'n/one', '1'), change(dir, 'n/two', '2')], [], io)).toThrow(
      /^n\/two: cannot be written .*; could not put back n\. Fix: /,
    );
  });
});

describe('checkWritable', () => {
  it('accepts writable targets, existing or not', () => {
    const dir = project();
    expect(() =>
      checkWritable(dir, [join(dir, 'a'), join(dir, 'new/deep/file')], [join(dir, 'd'), join(dir, 'data')]),
    ).not.toThrow();
  });

  it('refuses a directory where a file goes, and a file where a directory goes or in the path', () => {
    const dir = project();
    expect(() => checkWritable(dir, [join(dir, 'd')])).toThrow(
      /^d: is a directory, where a file would be written; nothing was written\. Fix: move d out of the way\.$/,
    );
    expect(() => checkWritable(dir, [], [join(dir, 'a')])).toThrow(
      /^a: is a file, where a directory is needed; nothing was written/,
    );
    expect(() => checkWritable(dir, [join(dir, 'a/x'), join(dir, 'a/y')])).toThrow(
      /^a: is a file, where a directory is needed, so 2 paths cannot be written; nothing was written\. Fix: move a out of the way\.$/,
    );
  });

  it('names a read-only directory once, with how many paths it blocks', () => {
    const dir = project();
    undo.push(makeReadOnly(join(dir, 'd')));
    expect(() => checkWritable(dir, [join(dir, 'd/new1'), join(dir, 'd/sub/new2'), join(dir, 'b')])).toThrow(
      /^d: is not writable \(E(PERM|ACCES): [^)]+\), so 2 paths cannot be written; nothing was written\. Fix: make d writable/,
    );
    // An existing file in a read-only directory can still be overwritten in place.
    expect(() => checkWritable(dir, [join(dir, 'd/b')])).not.toThrow();
  });
});

describe('hasTerminal', () => {
  it("follows the terminal adapter's stdin; an adapter without one (yeoman-test) answers its own prompts", () => {
    expect(hasTerminal({ actualAdapter: { stdin: { isTTY: true } } })).toBe(true);
    expect(hasTerminal({ actualAdapter: { stdin: { isTTY: false } } })).toBe(false);
    expect(hasTerminal({ stdin: {} })).toBe(false);
    expect(hasTerminal({ promptModule: {} })).toBe(true);
  });
});
