import type { ViewModel } from './view-model.js';

/**
 * One generated file: a mustache template under `templates/`, or a runtime program under
 * `runtime/` copied as it is, and where it lands in the project.
 */
export interface GeneratedFile {
  /** path relative to `templates/` (a runtime program's: `../runtime/<name>`) */
  template: string;
  /** copied as it is, not rendered: a runtime program, linted and unit-tested in the package */
  verbatim?: boolean;
  /** path relative to the project root */
  destination: string;
  /** written only when this holds; always when absent */
  when?: (view: ViewModel) => boolean;
  /** the user's file once written: created when missing, never rewritten by a re-generation (not even with --force) */
  once?: boolean;
  /**
   * lines the file must hold (`.gitignore`, `.gitattributes`): a file the user has keeps every
   * line of its own and gets the missing ones appended (lines.ts)
   */
  lines?: boolean;
}

/**
 * The file written at `destination` from `templates/<destination>.mustache`; a leading dot is
 * dropped from the template's name because npm leaves `.dockerignore`-like dot-files out of packages.
 */
function generated(destination: string, when?: (view: ViewModel) => boolean, once = false): GeneratedFile {
  return { template: `${destination.replace(/^\./, '')}.mustache`, destination, when, once };
}

/** The runtime program `runtime/<name>`, copied as it is to `docker/<name>`. */
function managed(name: string, when?: (view: ViewModel) => boolean): GeneratedFile {
  return { template: `../runtime/${name}`, destination: `docker/${name}`, when, verbatim: true };
}

/** The lines `templates/<name without its dot>.mustache` renders, merged into the project's `destination`. */
function lines(destination: string): GeneratedFile {
  return { ...generated(destination), lines: true };
}

const kubernetes = (view: ViewModel) => view.kubernetes;

/** Every file the generator writes, in the order they are written. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  generated('Dockerfile'),
  generated('compose.yaml'),
  generated('compose.override.yaml'),
  generated('compose.watch.yaml'),
  generated('.dockerignore'),
  lines('.gitattributes'),
  lines('.gitignore'),
  generated('DOCKER.md'),
  generated('docker/apache2.conf'),
  // Your own Apache directives (rewrite rules, redirects, headers): docker/apache2.conf includes it.
  generated('docker/apache/local.conf', undefined, true),
  managed('envvars'),
  // What envvars and start-apache read that varies per project: defaults and ranges, groups, switches.
  generated('docker/wsgi-apache.env'),
  managed('start-apache'),
  managed('entrypoint'),
  generated('docker/init', view => view.hasInitCommands),
  generated('docker/django/wsgi_apache_settings.py', view => view.django),
  managed('django/wsgi_apache_database_url.py', view => view.django && !view.djangoReadsDatabaseUrl),
  generated('docker/app.wsgi', view => view.generatedScript),
  generated('docker/mount.wsgi', view => view.hasMountCallables),
  managed('debug.wsgi'),
  managed('devtools.wsgi'),
  managed('reloader.py'),
  // What the runtime files read that varies per project (reloader.py's watch roots).
  generated('docker/wsgi-apache.json'),
  managed('memory-watch.py'),
  managed('write-watch.py'),
  managed('worker.py', view => view.hasWorkers),
  managed('healthcheck.py'),
  managed('access-log.py'),
  // The build stages that run pip run it through this (the image itself does not hold it).
  managed('pip-install', view => view.runsPip),
  generated('kubernetes/configmap.yaml', kubernetes),
  generated('kubernetes/deployment.yaml', kubernetes),
  generated('kubernetes/service.yaml', kubernetes),
  generated('kubernetes/workers.yaml', view => view.kubernetes && view.hasWorkers),
  generated('kubernetes/storage.yaml', view => view.kubernetes && view.hasDataDirs),
  generated('kubernetes/disruption-budget.yaml', kubernetes),
  generated('kubernetes/autoscaler.yaml', view => view.kubernetes && view.kube.autoscaler.length > 0),
  generated('kubernetes/kustomization.yaml', kubernetes),
];
