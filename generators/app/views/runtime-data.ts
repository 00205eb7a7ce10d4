import {
  APP_DIR,
  APP_UID,
  HEALTHCHECK_USER_AGENT,
  IMAGE_SCRIPTS_DIR,
  PROCESS_GROUP,
  TLS_CA_EXPORT,
  TLS_DIR,
} from '../../lib/image-layout.js';
import { APACHE_WORKERS, MAXIMUM_MEMORY } from '../../lib/tunables.js';
import { DEV_OUTPUT_DIR } from '../../lib/development-switches.js';
import { type RuntimeEnv, runtimeEnv } from '../runtime-env.js';
import { type CommonView, commonView } from './common.js';
import { inContainer, type ProjectModel } from './model.js';

/** The view of docker/wsgi-apache.env and docker/wsgi-apache.json: what the runtime files (runtime/) read that varies per project. */
export interface RuntimeDataView extends CommonView {
  appUid: number;
  /** what runtime/envvars, start-apache and entrypoint read ({@link runtimeEnv}) */
  runtimeEnv: RuntimeEnv;
  /** how envvars derives and bounds `APACHE_MAX_REQUEST_WORKERS` (tunables.ts) */
  apacheWorkers: typeof APACHE_WORKERS;
  /** how envvars derives and bounds `WSGI_MAXIMUM_MEMORY` (tunables.ts) */
  maximumMemory: typeof MAXIMUM_MEMORY;
  devOutputDir: string;
  coveragePath: string;
  /** docker/dev-certificate's folder and the CA's copy in {@link devOutputDir} (image-layout.ts) */
  tlsDir: string;
  tlsCaExport: string;
  /** where the image keeps its own scripts (docker/dev-certificate) */
  imageScriptsDir: string;
  /** docker/wsgi-apache.json's text ({@link runtimeData}) */
  runtimeData: string;
}

/** The runtime data files' view. */
export function runtimeDataView(model: ProjectModel): RuntimeDataView {
  const sqliteFile = model.django?.sqliteFile;
  return {
    ...commonView(model),
    appUid: APP_UID,
    runtimeEnv: runtimeEnv(model.environment, model.mounts, model.devToolSettings, {
      secrets: model.secrets.map(secret => secret.name),
      dataDirs: model.dataDirs,
      builtOutputs: model.builtOutputDirs.map(inContainer),
      passwordUrls: model.passwordUrls,
    }),
    apacheWorkers: APACHE_WORKERS,
    maximumMemory: MAXIMUM_MEMORY,
    devOutputDir: DEV_OUTPUT_DIR,
    coveragePath: model.base.coveragePath,
    tlsDir: TLS_DIR,
    tlsCaExport: TLS_CA_EXPORT,
    imageScriptsDir: IMAGE_SCRIPTS_DIR,
    runtimeData: runtimeData(model, {
      // Production moves this SQLite file to the data volume (docker/django/wsgi_apache_settings.py).
      relocated: model.djangoSqliteData && sqliteFile ? [inContainer(sqliteFile)] : [],
    }),
  };
}

/**
 * The data the runtime files read from docker/wsgi-apache.json, as its text (2-space JSON):
 * - `reloadWatch` for runtime/reloader.py ({@link reloadWatch});
 * - `wsgiScript`, the container path of the project app's WSGI script, for runtime/debug.wsgi;
 * - `devTools` for runtime/devtools.wsgi: `apps` maps a process group (daemon mode) or
 *   application group (debug mode, `""` for %{GLOBAL}) to its WSGI script and the directory
 *   coverage measures (the project's, and each mounted app's); `outputDir`
 *   (project-relative), `coveragePath` (where the image keeps coverage.py outside the app's
 *   virtualenv, `""` for Debian's python3-coverage) and the health check's User-Agent, whose
 *   requests the tools leave out;
 * - `writeWatch.relocated` for runtime/write-watch.py: container paths of files inside the
 *   project that production moves to a data volume (Django's SQLite database), so writes to
 *   them need no --data-dir.
 */
function runtimeData(model: ProjectModel, writeWatch: { relocated: string[] }): string {
  const apps = {
    [PROCESS_GROUP]: [model.app.wsgiScript, APP_DIR],
    '': [`${APP_DIR}/docker/debug.wsgi`, APP_DIR],
    ...Object.fromEntries(model.mounts.map(mount => [mount.group, [mount.wsgiScript, mount.home]])),
  };
  return JSON.stringify(
    {
      reloadWatch: reloadWatch(model),
      wsgiScript: model.app.wsgiScript,
      devTools: {
        apps,
        outputDir: DEV_OUTPUT_DIR,
        coveragePath: model.base.coveragePath,
        healthcheckUserAgent: HEALTHCHECK_USER_AGENT,
      },
      writeWatch,
    },
    null,
    2,
  );
}

/**
 * What the reload monitor of each process group watches: the directory of its app, less the
 * directories of other groups' apps inside it, so an edit restarts only the group it belongs to.
 * @returns group → `{ root, skip }`, absolute container paths
 */
function reloadWatch(model: ProjectModel): Record<string, { root: string; skip: string[] }> {
  const dirs = [{ group: PROCESS_GROUP, dir: '.' }, ...model.answers.mounts.map(m => ({ group: m.group, dir: m.dir }))];
  return Object.fromEntries(
    dirs.map(({ group, dir }) => [
      group,
      {
        root: inContainer(dir),
        skip: dirs
          .filter(other => other.dir !== dir && (dir === '.' || other.dir.startsWith(`${dir}/`)))
          .map(other => inContainer(other.dir)),
      },
    ]),
  );
}
