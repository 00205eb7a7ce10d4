/**
 * A project whose dependencies come from its lock file (issue 29, point 2), built for real: the
 * image's `locked-requirements` stage runs the tool's own export (Debian trixie's Poetry 2.1
 * with poetry-plugin-export, and PDM 2.20: no index needed), and pip installs exactly the
 * exported pins from the offline wheelhouse. The locks in test/fixtures/lock-files were written
 * by those tools, resolving `django>=4.2,<5` against the wheelhouse. uv's stage is not built
 * here: its image (ghcr.io/astral-sh/uv) is not reachable, and Debian does not package uv.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENV_DIR } from '../../generators/lib/image-layout.js';
import { withDockerLock } from '../helpers/docker-lock.js';
import { removeImages } from '../helpers/docker-run.js';
import { buildImage, pipBuildEnv } from '../helpers/image-build.js';
import { FIXTURES, makeProject, scaffoldOnBase } from '../helpers/project.js';
import { offlineBuildEnv } from '../helpers/test-base.js';

/** What both locks pin, as `pip freeze` prints it; tzdata is Windows-only there (`sys_platform == "win32"`). */
const LOCKED = ['asgiref==3.8.1', 'Django==4.2.28', 'sqlparse==0.5.3'];

describe.each([
  { tool: 'poetry', stale: 'pyproject.toml changed significantly since poetry.lock was last generated' },
  { tool: 'pdm', stale: 'wsgi-apache: pdm.lock does not match pyproject.toml (pdm lock --check). Fix: run pdm lock' },
])('a project with a $tool lock and no requirements.txt', ({ tool, stale }) => {
  const tag = `wsgi-apache-lock-${tool}`;
  let dir: string;
  const build = (onLine?: (line: string) => void) =>
    withDockerLock(() =>
      buildImage({
        context: dir,
        tag,
        pip: { ...pipBuildEnv(), ...offlineBuildEnv(dir) },
        ...(onLine ? { onLine } : {}),
      }),
    );

  beforeAll(async () => {
    dir = makeProject({ fixture: 'plain-wsgi' });
    cpSync(join(FIXTURES, 'lock-files', tool), dir, { recursive: true });
    await scaffoldOnBase(dir, { name: `lock-${tool}` });
  });
  afterAll(async () => {
    await removeImages(tag);
    rmSync(dir, { recursive: true, force: true });
  });

  it("installs the locked versions, from the tool's export in the build", async () => {
    const lines: string[] = [];
    await build(line => lines.push(line));
    // BuildKit's step lines: `#12 [locked-requirements 5/5] RUN poetry export ...`.
    expect(lines.filter(line => line.includes('[locked-requirements') && line.includes(`${tool} export`))).not.toEqual(
      [],
    );
    const freeze = spawnSync(
      'docker',
      ['run', '--rm', '--entrypoint', `${VENV_DIR}/bin/python`, tag, '-m', 'pip', 'freeze', '--all'],
      { encoding: 'utf8' },
    );
    expect(freeze.status, freeze.stderr).toBe(0);
    const installed = freeze.stdout.trim().split('\n');
    expect(installed).toEqual(expect.arrayContaining(LOCKED));
    expect(installed.filter(line => /^tzdata==/i.test(line))).toEqual([]);
  });

  it('stops the build at the export, with the tool saying why, when pyproject.toml no longer matches the lock', async () => {
    const pyproject = join(dir, 'pyproject.toml');
    const locked = readFileSync(pyproject, 'utf8');
    writeFileSync(pyproject, locked.replace('"django>=4.2,<5"', '"django>=4.2,<5", "requests"'));
    const lines: string[] = [];
    try {
      await expect(build(line => lines.push(line))).rejects.toThrow(/failed/);
    } finally {
      writeFileSync(pyproject, locked);
    }
    expect(lines.join('\n')).toContain(stale);
  });
});
