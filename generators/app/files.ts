import type { ViewModel } from './view-model.js';

/** One generated file: a mustache template under `templates/` and where it lands in the project. */
export interface GeneratedFile {
  /** path relative to `templates/` */
  template: string;
  /** path relative to the project root */
  destination: string;
  /** written only when this holds; always when absent */
  when?: (view: ViewModel) => boolean;
}

/** Every file the generator writes, in the order they are written. */
export const GENERATED_FILES: readonly GeneratedFile[] = [
  { template: 'Dockerfile.mustache', destination: 'Dockerfile' },
  { template: 'compose.yaml.mustache', destination: 'compose.yaml' },
  { template: 'compose.override.yaml.mustache', destination: 'compose.override.yaml' },
  { template: 'compose.watch.yaml.mustache', destination: 'compose.watch.yaml' },
  // npm drops .dockerignore-like dot-files from packages, so the template has no dot.
  { template: 'dockerignore.mustache', destination: '.dockerignore' },
  { template: 'DOCKER.md.mustache', destination: 'DOCKER.md' },
  { template: 'docker/apache2.conf.mustache', destination: 'docker/apache2.conf' },
  { template: 'docker/envvars.mustache', destination: 'docker/envvars' },
  { template: 'docker/start-apache.mustache', destination: 'docker/start-apache' },
  { template: 'docker/entrypoint.mustache', destination: 'docker/entrypoint' },
  { template: 'docker/init.mustache', destination: 'docker/init', when: view => view.hasInitCommands },
  {
    template: 'docker/django/wsgi_apache_settings.py.mustache',
    destination: 'docker/django/wsgi_apache_settings.py',
    when: view => view.django,
  },
  { template: 'docker/app.wsgi.mustache', destination: 'docker/app.wsgi', when: view => view.generatedScript },
  { template: 'docker/debug.wsgi.mustache', destination: 'docker/debug.wsgi' },
  { template: 'docker/reloader.py.mustache', destination: 'docker/reloader.py' },
  { template: 'docker/healthcheck.py.mustache', destination: 'docker/healthcheck.py' },
  { template: 'docker/access-log.py.mustache', destination: 'docker/access-log.py' },
  {
    template: 'kubernetes/configmap.yaml.mustache',
    destination: 'kubernetes/configmap.yaml',
    when: view => view.kubernetes,
  },
  {
    template: 'kubernetes/deployment.yaml.mustache',
    destination: 'kubernetes/deployment.yaml',
    when: view => view.kubernetes,
  },
  {
    template: 'kubernetes/service.yaml.mustache',
    destination: 'kubernetes/service.yaml',
    when: view => view.kubernetes,
  },
  {
    template: 'kubernetes/storage.yaml.mustache',
    destination: 'kubernetes/storage.yaml',
    when: view => view.kubernetes && view.hasDataDirs,
  },
];
