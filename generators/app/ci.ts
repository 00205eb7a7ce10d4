/**
 * `--ci`: a CI workflow that gates each push on the project's own stack serving under load
 * (`yo wsgi-apache:check`), as cookiecutter-django writes `.github/workflows/ci.yml`.
 */
import { InputError } from '../lib/input-error.js';

/** The CI systems a workflow can be written for; `none` writes none. */
export const CI_SYSTEMS = ['none', 'github'] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

/** Where the GitHub Actions workflow lands (GitHub runs every file under .github/workflows/). */
export const GITHUB_WORKFLOW = '.github/workflows/wsgi-apache.yml';

/** The file the workflow keeps the check's JSON report in, uploaded as the run's artifact. */
export const CHECK_REPORT_FILE = 'wsgi-apache-check.json';

/**
 * `--ci github|none`.
 * @throws InputError naming `--ci` and the systems it knows
 */
export function parseCiSystem(raw: unknown): CiSystem {
  const value = String(raw ?? '')
    .trim()
    .toLowerCase();
  if ((CI_SYSTEMS as readonly string[]).includes(value)) return value as CiSystem;
  throw new InputError(
    '--ci',
    `"${String(raw)}" is not a CI system the generator writes for`,
    `pass one of ${CI_SYSTEMS.join(', ')}`,
  );
}
