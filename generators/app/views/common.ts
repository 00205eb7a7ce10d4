import { APP_DIR } from '../../lib/image-layout.js';
import type { ProjectModel } from './model.js';

/** What every generated file's header or paths name. */
export interface CommonView {
  /** this package's version, stamped into each file's header */
  generatorVersion: string;
  /** the project's name (`--name`): the image, the Compose project, the Kubernetes objects */
  name: string;
  /** the project's directory in the image */
  appDir: string;
}

/** {@link CommonView}'s values. */
export function commonView(model: ProjectModel): CommonView {
  return { generatorVersion: model.generatorVersion, name: model.answers.name, appDir: APP_DIR };
}

/** The view of docker/apache/local.conf, the user's own file once written: where its includes live. */
export function localConfView(): Pick<CommonView, 'appDir'> {
  return { appDir: APP_DIR };
}

/** Markdown inline code, comma-separated: `` `a`, `b` ``. */
export function codeList(items: readonly string[]): string {
  return items.map(item => `\`${item}\``).join(', ');
}
