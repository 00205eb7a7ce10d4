import { CHECK_REPORT_FILE } from '../ci.js';
import { type CommonView, commonView } from './common.js';
import type { ProjectModel } from './model.js';

/** The view of `.github/workflows/wsgi-apache.yml` (`--ci github`). */
export interface CiView extends Omit<CommonView, 'appDir'> {
  /** the secrets Compose mounts from `.secrets/`, which Git never holds: the run makes random ones */
  secrets: { name: string }[];
  hasSecrets: boolean;
  /** `generator-wsgi-apache@VERSION`: the check of the generator that wrote the project */
  generatorPackage: string;
  /** the Node major the workflow sets up for `npx` (one that package.json's engines admit) */
  nodeVersion: string;
  reportFile: string;
}

/** The CI workflow's view. */
export function ciView(model: ProjectModel): CiView {
  const { generatorVersion, name } = commonView(model);
  return {
    generatorVersion,
    name,
    secrets: model.secrets.map(({ name }) => ({ name })),
    hasSecrets: model.secrets.length > 0,
    generatorPackage: `generator-wsgi-apache@${model.generatorVersion}`,
    nodeVersion: '22',
    reportFile: CHECK_REPORT_FILE,
  };
}
