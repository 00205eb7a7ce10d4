/**
 * Lock files of Python's project tools. The image pip-installs `requirements.txt`, or else
 * `pyproject.toml`'s `[project].dependencies` as ranges; a lock file beside them is not read, so
 * without a requirements file the image is not what the developer tested (issue 29, point 2).
 * Until the image installs from a lock itself, the generator says so in one line with the
 * command that exports the locked versions as `requirements.txt`, which the image does install.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isFile } from '../lib/fs.js';

/** A tool's lock file and the command that writes its locked versions, the project's own runtime dependencies only, as requirements.txt. */
export interface LockFile {
  file: string;
  /** the tool that writes it, and the command that brings it up to date */
  relock: string;
  /** from each tool's docs: `uv export`, `poetry export` (poetry-plugin-export), `pdm export` */
  exportCommand: string;
}

/** The lock files looked for, in this order. */
export const LOCK_FILES: readonly LockFile[] = [
  {
    file: 'uv.lock',
    relock: 'uv lock',
    exportCommand: 'uv export --no-dev --no-hashes --no-emit-project -o requirements.txt',
  },
  {
    file: 'poetry.lock',
    relock: 'poetry lock',
    exportCommand: 'poetry export --only main --without-hashes -o requirements.txt',
  },
  { file: 'pdm.lock', relock: 'pdm lock', exportCommand: 'pdm export --prod --without-hashes -o requirements.txt' },
];

/**
 * What the generator says of the project's lock files, one line each: a lock file the image does
 * not install from (the dependencies come from `pyproject.toml` alone), a `requirements.txt`
 * older than the lock it was exported from, and a lock file older than `pyproject.toml` (by
 * modification time: a fresh clone has them in checkout order, so each is a hint, not a refusal).
 * @param root - the project root
 * @param hasRequirementFiles - the image installs `requirements.txt` (then the lock is the user's business)
 * @returns the lines, [] for none
 */
export function lockFileNotices(root: string, hasRequirementFiles: boolean): string[] {
  const pyproject = join(root, 'pyproject.toml');
  if (!isFile(pyproject)) return [];
  const notices: string[] = [];
  const lockTime = (lock: LockFile) => statSync(join(root, lock.file)).mtimeMs;
  for (const lock of LOCK_FILES.filter(lock => isFile(join(root, lock.file)))) {
    if (!hasRequirementFiles) {
      notices.push(
        `${lock.file} is not read: the image pip-installs pyproject.toml's dependencies as ranges, not the versions you locked; pin them with ${lock.exportCommand} and run yo wsgi-apache again`,
      );
    }
    const requirements = join(root, 'requirements.txt');
    if (hasRequirementFiles && isFile(requirements) && statSync(requirements).mtimeMs < lockTime(lock)) {
      notices.push(
        `requirements.txt is older than ${lock.file}: the image installs requirements.txt's pins, not the lock's; export them again with ${lock.exportCommand}`,
      );
    }
    if (lockTime(lock) < statSync(pyproject).mtimeMs) {
      notices.push(
        `${lock.file} is older than pyproject.toml: if you changed the dependencies since, run ${lock.relock}`,
      );
    }
  }
  return notices;
}
