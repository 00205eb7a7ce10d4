import { type CommonView, commonView } from './common.js';
import type { EntryView, MountView, ProjectModel } from './model.js';

/** The view of docker/app.wsgi (the project's callable) and docker/mount.wsgi (the mounted callables). */
export interface WsgiScriptView
  extends
    Pick<CommonView, 'generatorVersion'>,
    Pick<EntryView, 'entryText' | 'entryModule' | 'entryCallable' | 'entryFactory'> {
  /** the mounts that are callables, which docker/mount.wsgi imports by process group */
  mountCallables: MountView[];
}

/** The generated WSGI scripts' view. */
export function wsgiScriptView(model: ProjectModel): WsgiScriptView {
  const { entryText, entryModule, entryCallable, entryFactory } = model.app;
  return {
    generatorVersion: model.generatorVersion,
    entryText,
    entryModule,
    entryCallable,
    entryFactory,
    mountCallables: model.mounts.filter(mount => mount.entryModule !== ''),
  };
}

/** The view of docker/init (`--init-command`). */
export interface InitView extends CommonView {
  /** each command, also single-quoted for `printf` */
  initCommands: { command: string; quoted: string }[];
  /** Kubernetes runs it too (its header says where) */
  kubernetes: boolean;
}

/** docker/init's view. */
export function initView(model: ProjectModel): InitView {
  return {
    ...commonView(model),
    initCommands: initCommands(model),
    kubernetes: model.answers.kubernetes,
  };
}

/** The `--init-command` lines, each with its single-quoted form for `printf`. */
export function initCommands(model: ProjectModel): InitView['initCommands'] {
  return model.answers.initCommands.map(command => ({ command, quoted: `'${command.replaceAll("'", "'\\''")}'` }));
}
