import { partialTemplate, renderTemplate } from '../lib/render.js';
import type { ProjectModel } from './views/model.js';
import { apacheView } from './views/apache.js';
import { localConfView } from './views/common.js';
import { composeView } from './views/compose.js';
import { djangoSettingsView } from './views/django.js';
import { docsView } from './views/docs.js';
import { GITHUB_WORKFLOW } from './ci.js';
import { ciView } from './views/ci.js';
import { dockerfileView, runsPip } from './views/dockerfile.js';
import { ignoreView } from './views/ignore.js';
import { kubernetesView } from './views/kubernetes.js';
import { runtimeDataView } from './views/runtime-data.js';
import { initView, wsgiScriptView } from './views/scripts.js';

/** A pure function from the model to what one output's templates show (views/). */
export type View = (model: ProjectModel) => object;

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
  /** what its template is rendered with (none for a verbatim file) */
  view?: View;
  /** written only when this holds; always when absent */
  when?: (model: ProjectModel) => boolean;
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
function generated(
  destination: string,
  view: View,
  when?: (model: ProjectModel) => boolean,
  once = false,
): GeneratedFile {
  return { template: `${destination.replace(/^\./, '')}.mustache`, destination, view, when, once };
}

/** The runtime program `runtime/<name>`, copied as it is to `docker/<name>`. */
function managed(name: string, when?: (model: ProjectModel) => boolean): GeneratedFile {
  return { template: `../runtime/${name}`, destination: `docker/${name}`, when, verbatim: true };
}

/** The lines `templates/<name without its dot>.mustache` renders, merged into the project's `destination`. */
function lines(destination: string): GeneratedFile {
  return { ...generated(destination, ignoreView), lines: true };
}

const kubernetes = (model: ProjectModel) => model.answers.kubernetes;
const manifest = (name: string, when = kubernetes) => generated(`kubernetes/${name}.yaml`, kubernetesView, when);

/** Every file the generator writes, in the order they are written. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  generated('Dockerfile', dockerfileView),
  generated('compose.yaml', composeView),
  generated('compose.override.yaml', composeView),
  generated('compose.watch.yaml', composeView),
  generated('.dockerignore', ignoreView),
  lines('.gitattributes'),
  lines('.gitignore'),
  generated('DOCKER.md', docsView),
  generated('docker/apache2.conf', apacheView),
  // Your own Apache directives (rewrite rules, redirects, headers): docker/apache2.conf includes it.
  generated('docker/apache/local.conf', localConfView, undefined, true),
  managed('envvars'),
  // What envvars and start-apache read that varies per project: defaults and ranges, groups, switches.
  generated('docker/wsgi-apache.env', runtimeDataView),
  managed('start-apache'),
  managed('entrypoint'),
  generated('docker/init', initView, model => model.answers.initCommands.length > 0),
  generated('docker/django/wsgi_apache_settings.py', djangoSettingsView, model => model.django !== undefined),
  managed('django/wsgi_apache_container.py', model => model.django !== undefined),
  managed('django/wsgi_apache_database_url.py', model => model.django?.readsDatabaseUrl === false),
  generated('docker/app.wsgi', wsgiScriptView, model => model.generatedScript),
  generated('docker/mount.wsgi', wsgiScriptView, model => model.mounts.some(mount => mount.entryModule !== '')),
  managed('debug.wsgi'),
  managed('devtools.wsgi'),
  managed('embedded.wsgi'),
  managed('reloader.py'),
  // What the runtime files read that varies per project (reloader.py's watch roots).
  generated('docker/wsgi-apache.json', runtimeDataView),
  managed('memory-watch.py'),
  managed('write-watch.py'),
  managed('worker.py', model => model.workers.length > 0),
  managed('healthcheck.py'),
  managed('access-log.py'),
  managed('dev-certificate', model => model.answers.https),
  // The build stages that run pip run it through this (the image itself does not hold it).
  managed('pip-install', runsPip),
  manifest('configmap'),
  manifest('init-job', model => kubernetes(model) && kubernetesView(model).initJob),
  manifest('deployment'),
  manifest('service'),
  manifest('ingress', model => kubernetes(model) && model.answers.ingressHost !== ''),
  manifest('workers', model => kubernetes(model) && model.workers.length > 0),
  manifest('storage', model => kubernetes(model) && model.dataDirs.length > 0),
  manifest('disruption-budget'),
  manifest('autoscaler', model => kubernetes(model) && kubernetesView(model).kube.autoscaler.length > 0),
  manifest('kustomization'),
  generated(GITHUB_WORKFLOW, ciView, model => model.answers.ci === 'github'),
];

/**
 * One generated file's text for `model`: a runtime program as it is, a template rendered with its
 * view and the partials it names.
 * @param readTemplate - a path relative to `templates/` -> its text, null or undefined when absent
 * @throws Error when the template or a partial is missing from the package
 */
export function renderGenerated(
  file: GeneratedFile,
  model: ProjectModel,
  readTemplate: (template: string) => string | null | undefined,
): string {
  const read = (template: string) => {
    const text = readTemplate(template);
    if (text === null || text === undefined) throw new Error(`template ${template} is missing from the package`);
    return text;
  };
  const template = read(file.template);
  return file.verbatim || !file.view
    ? template
    : renderTemplate(template, file.view(model), name => read(partialTemplate(name)));
}
