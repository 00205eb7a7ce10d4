/**
 * runtime/reloader.py outside Apache: what a process group watches (docker/wsgi-apache.json),
 * the change detection (which files count, which directories are skipped), and one step of the
 * rolling restart. The dev-loop integration test runs it in the daemon processes.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { runWithModule } from '../helpers/runtime-module.js';

const SCRIPT = join(packageRoot(), 'runtime/reloader.py');

/** Runs `code` with the module loaded as `reloader`, in isolated mode; returns stdout, failing on stderr. */
function python(code: string): string {
  const result = runWithModule(SCRIPT, 'reloader', code);
  expect(result.stderr).toBe('');
  return result.stdout;
}

/** A project tree under a fresh directory: each path -> its content. */
function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'reloader-'));
  for (const path of files) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '');
  }
  return root;
}

describe('runtime/reloader.py', () => {
  it("watches the group's root from docker/wsgi-apache.json, the whole app directory for a group it does not name", () => {
    const root = tree([]);
    const data = join(root, 'wsgi-apache.json');
    writeFileSync(data, JSON.stringify({ reloadWatch: { api: { root: '/srv/app/api', skip: [] } } }));
    const code = [
      `print(json.dumps(reloader.watched("api", ${JSON.stringify(data)})))`,
      `print(json.dumps(reloader.watched("app", ${JSON.stringify(data)})))`,
      `print(json.dumps(reloader.watched("app", "/nonexistent.json")))`,
    ].join('\n');
    const appDir = join(packageRoot());
    expect(
      python(code)
        .trim()
        .split('\n')
        .map(line => JSON.parse(line) as unknown),
    ).toEqual([
      { root: '/srv/app/api', skip: [] },
      { root: appDir, skip: [] },
      { root: appDir, skip: [] },
    ]);
  });

  it('counts .py and .wsgi files and the extra patterns; never caches, hidden folders, virtualenvs or skipped groups', () => {
    const root = tree([
      'app.py',
      'site.wsgi',
      'pkg/models.py',
      'pkg/templates/page.html',
      'README.md',
      '__pycache__/app.cpython-313.py',
      '.git/hooks/x.py',
      'venv/lib/site.py',
      'node_modules/a/b.py',
      'api/views.py',
    ]);
    const code = `print(json.dumps(sorted(reloader._snapshot(["*.html", "pkg/templates/*.html"], {"root": ${JSON.stringify(root)}, "skip": [${JSON.stringify(join(root, 'api'))}]}))))`;
    expect(JSON.parse(python(code))).toEqual(
      ['app.py', 'pkg/models.py', 'pkg/templates/page.html', 'site.wsgi'].map(path => join(root, path)),
    );
  });

  it('sees an edit as a new mtime, and a new or removed file as a change of the file set', () => {
    const root = tree(['app.py', 'old.py']);
    const before = `before = reloader._snapshot([], {"root": ${JSON.stringify(root)}, "skip": []})`;
    const after = `after = reloader._snapshot([], {"root": ${JSON.stringify(root)}, "skip": []})`;
    const edit = [
      before,
      `os.utime(${JSON.stringify(join(root, 'app.py'))}, ns=(1, 10**18))`,
      after,
      'print(before != after, sorted(set(after) ^ set(before)) == [])',
    ].join('\n');
    expect(python(edit).trim()).toBe('True True');
    utimesSync(join(root, 'app.py'), 1, 1);
    const files = [
      before,
      `os.remove(${JSON.stringify(join(root, 'old.py'))})`,
      `open(${JSON.stringify(join(root, 'new.py'))}, "w").close()`,
      after,
      'print(json.dumps(sorted(set(after) ^ set(before))))',
    ].join('\n');
    expect(JSON.parse(python(files))).toEqual([join(root, 'new.py'), join(root, 'old.py')]);
  });

  it('a rolling restart step: SIGINT to one process, then wait until Apache has replaced it', () => {
    const code = [
      'import signal',
      'sent, calls = [], [0]',
      'def group_pids(group):',
      '    calls[0] += 1',
      '    return [11, 12] if not sent or calls[0] < 3 else [12, 13]',
      'reloader._group_pids = group_pids',
      'reloader.os.kill = lambda pid, sig: sent.append((pid, sig))',
      'reloader.time.sleep = lambda s: None',
      'reloader._restart_one(11, "app", expected=2)',
      'print(json.dumps([sent, calls[0] >= 3]))',
    ].join('\n');
    expect(JSON.parse(python(code))).toEqual([[[11, 2]], true]);
  });
});
