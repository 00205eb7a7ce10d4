import { VENV_DIR } from '../../lib/image-layout.js';
import { SECRET_PATTERNS, VCS_PATTERNS } from '../../lib/dockerignore.js';
import { DEV_OUTPUT_DIR } from '../../lib/development-switches.js';
import { SECRETS_DIR } from '../app-environment.js';
import { BASE_FILE } from '../upgrade.js';
import type { CommonView } from './common.js';
import type { DataDir, ProjectModel } from './model.js';

/** The view of .dockerignore, .gitignore and .gitattributes. */
export interface IgnoreView extends Pick<CommonView, 'generatorVersion'> {
  /** `.dockerignore`'s version-control and secret patterns (dockerignore.ts), one a line */
  vcsPatterns: readonly string[];
  secretPatterns: readonly string[];
  venvDir: string;
  /** where the request tools write, project-relative (`.wsgi`) */
  devOutputDir: string;
  dataDirs: DataDir[];
  hasDataDirs: boolean;
  /** Django's SQLite file inside the project, kept out of the image ('' when none) */
  djangoSqliteFile: string;
  /** what the generator last wrote, the base of an upgrade's merge (upgrade.ts) */
  upgradeBaseFile: string;
  hasSecrets: boolean;
  secretsDir: string;
}

/** The ignore and attribute files' view. */
export function ignoreView(model: ProjectModel): IgnoreView {
  return {
    generatorVersion: model.generatorVersion,
    vcsPatterns: VCS_PATTERNS,
    secretPatterns: SECRET_PATTERNS,
    venvDir: VENV_DIR,
    devOutputDir: DEV_OUTPUT_DIR,
    dataDirs: model.dataDirs,
    hasDataDirs: model.dataDirs.length > 0,
    djangoSqliteFile: model.django?.sqliteFile ?? '',
    upgradeBaseFile: BASE_FILE,
    hasSecrets: model.secrets.length > 0,
    secretsDir: SECRETS_DIR,
  };
}
