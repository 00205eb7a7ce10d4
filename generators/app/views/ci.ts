import { PIP_INDEX_SECRET } from '../../lib/image-layout.js';
import { CHECK_REPORT_FILE } from '../ci.js';
import { type CommonView, commonView } from './common.js';
import { runsPip } from './dockerfile.js';
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
  /** a build stage runs pip: the build takes the repository's PIP_INDEX_URL secret, if set, as the build secret {@link PIP_INDEX_SECRET} */
  runsPip: boolean;
  /** build-push-action's `secrets:` line, e.g. `pip_index_url=${{ secrets.PIP_INDEX_URL }}` (GitHub's expression syntax, which mustache's own delimiters would take) */
  pipIndexBuildSecret: string;
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
    runsPip: runsPip(model),
    pipIndexBuildSecret: `${PIP_INDEX_SECRET}=\${{ secrets.PIP_INDEX_URL }}`,
  };
}
