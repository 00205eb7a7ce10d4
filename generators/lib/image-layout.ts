/**
 * Fixed facts of the generated image that both generators rely on: the app generator
 * writes them into the templates, the check finds the processes by them.
 */

/** Where the project lives inside the image. */
export const APP_DIR = '/srv/app';
/**
 * Root-owned copies of the scripts root may run (the HEALTHCHECK): outside {@link APP_DIR},
 * which the development shape bind-mounts from the developer's project, writable by the app.
 */
export const IMAGE_SCRIPTS_DIR = '/usr/local/lib/wsgi-apache';
/** The virtualenv mod_wsgi uses as `python-home`. */
export const VENV_DIR = '/opt/venv';
/** Apache listens here inside the container: a high port, so Apache needs no root at all. */
export const CONTAINER_PORT = 8080;
/**
 * The mod_wsgi daemon process group. Fixed and short: display-name=%{GROUP} overwrites
 * argv[0] (`/usr/sbin/apache2`, 17 bytes), so `(wsgi:app)` stays whole where a project
 * name would be cut off.
 */
export const PROCESS_GROUP = 'app';
/** uid/gid of the image's `app` user (docker init uses 10001 too). */
export const APP_UID = 10001;
/**
 * How runtime/write-watch.py's log lines begin: a write into the read-only project, with the
 * `--data-dir` that would take it. The check reports the lines that begin so.
 */
export const WRITE_WATCH_PREFIX = 'wsgi-apache: write-watch:';
/** The `User-Agent` of the image's HEALTHCHECK: the development tools leave its requests out of profiles and recordings. */
export const HEALTHCHECK_USER_AGENT = 'wsgi-apache-healthcheck';

/**
 * A daemon process's name: mod_wsgi's `display-name=%{GROUP}` (WSGIDaemonProcess docs) writes
 * `(wsgi:GROUP)` over Apache's argv[0]; the check counts processes per group by it.
 */
export function displayName(group: string): string {
  return `(wsgi:${group})`;
}
/** The group of a process whose command line begins with a {@link displayName}; undefined for any other. */
export function groupOfCommandLine(commandLine: string): string | undefined {
  return /^\(wsgi:([a-z0-9-]+)\)/.exec(commandLine)?.[1];
}

/**
 * The longest process group name whose display-name `(wsgi:NAME)` fits over Apache's argv[0]
 * (`/usr/sbin/apache2`, 17 bytes) whole: where the reload monitor and the check find them.
 */
export const MAX_GROUP_LENGTH = 17 - displayName('').length;

/** The variable compose.yaml publishes the app's host port from (`${PUBLISH_PORT:-PORT}`); the check sets it. */
export const PUBLISH_PORT_VARIABLE = 'PUBLISH_PORT';
/**
 * The app's container in a Compose project: Compose names a service's first container
 * `<project>-<service>-1`, and Testcontainers' DockerComposeEnvironment finds it as `<service>-1`;
 * the app's service is named after the project.
 */
export function appContainerName(name: string): string {
  return `${name}-1`;
}
/** The image's Apache environment (runtime/envvars): sourcing it gives the tunables in force, defaults filled in. */
export const ENVVARS_PATH = '/etc/apache2/envvars';
/** What envvars, start-apache and the entry point read (docker/wsgi-apache.env). */
export const RUNTIME_ENV_PATH = '/etc/apache2/wsgi-apache.env';

/**
 * The daemon process group of an app mounted at URL prefix `url` (`--mount`): its segments
 * joined by `-`, lowercase, at most {@link MAX_GROUP_LENGTH} characters; never {@link PROCESS_GROUP}.
 * @example groupOf('/api/v2') === 'api-v2'
 */
export function groupOf(url: string): string {
  const name = url
    .slice(1)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_GROUP_LENGTH)
    .replace(/^-+|-+$/g, '');
  return name === PROCESS_GROUP || name === '' ? `m-${name}`.slice(0, MAX_GROUP_LENGTH) : name;
}

/**
 * What the environment variables of a process group's tunables start with: `WSGI_` for the
 * project's own app ({@link PROCESS_GROUP}), `WSGI_API_V2_` for group `api-v2`.
 */
export function groupEnvPrefix(group: string): string {
  return group === PROCESS_GROUP ? 'WSGI_' : `WSGI_${group.toUpperCase().replaceAll('-', '_')}_`;
}

/**
 * Where the image keeps a hard-linked copy of each build-time output folder inside the
 * project (collectstatic's `STATIC_ROOT`), at its container path below this one. The
 * development shape puts a tmpfs over the folder, which the bind mount would hide, and the entry
 * point fills it from this copy at each start: a rebuilt image's files show on the next `up`,
 * where an anonymous volume would be reattached with the old ones (docker/compose#4337).
 */
export const BUILT_COPIES_DIR = '/usr/local/share/wsgi-apache/built';

/** The image's copy of the build-time output at `containerPath` ({@link BUILT_COPIES_DIR}). */
export function builtCopyOf(containerPath: string): string {
  return BUILT_COPIES_DIR + containerPath;
}

/** The image's entry point, docker/entrypoint's copy: ENTRYPOINT, and the workers' health checks, which go through it for the secrets' variables. */
export const IMAGE_ENTRYPOINT = '/usr/local/bin/wsgi-apache-entrypoint';

/**
 * A Docker Official Image's fully qualified reference: `python:3.13-slim-trixie` ->
 * `docker.io/library/python:3.13-slim-trixie`. Docker resolves either to the same image (a
 * short name means Docker Hub's `library/`); Podman's short-name resolution asks, or refuses
 * without a terminal, for the short one (containers-registries.conf(5), `short-name-mode`;
 * cookiecutter/cookiecutter-django#4804).
 */
export function officialImage(nameAndTag: string): string {
  return `docker.io/library/${nameAndTag}`;
}

/**
 * The build secret that carries a private index's URL (`PIP_INDEX_URL`, credentials included)
 * to the build stages that run pip: compose.yaml's `build.secrets` from the shell's
 * PIP_INDEX_URL, or `docker build --secret id=pip_index_url,env=PIP_INDEX_URL`. A secret is
 * mounted for one RUN only and is in neither the image nor its history, where an `ARG` would be
 * (Dockerfile reference, "RUN --mount=type=secret"; Docker's build check SecretsUsedInArgOrEnv).
 */
export const PIP_INDEX_SECRET = 'pip_index_url';

/** Where BuildKit mounts {@link PIP_INDEX_SECRET} for a RUN (its default target, /run/secrets/ID); docker/pip-install reads it. */
export const PIP_INDEX_SECRET_FILE = `/run/secrets/${PIP_INDEX_SECRET}`;

/**
 * pip's cache in the build stages, a BuildKit cache mount: downloads and wheels built from
 * source survive a changed requirements file, and never reach a layer (Dockerfile reference,
 * "RUN --mount=type=cache"; pip's default for root, ~/.cache/pip).
 */
export const PIP_CACHE_DIR = '/root/.cache/pip';

/**
 * `--https`, the development shape only: the container port Apache serves HTTPS (HTTP/2) on,
 * mod_wsgi-express's `--https-port` default. Published on the host as
 * `${PUBLISH_HTTPS_PORT:-8443}` ({@link PUBLISH_HTTPS_PORT_VARIABLE}), loopback only.
 */
export const HTTPS_CONTAINER_PORT = 8443;

/** The host variable compose.override.yaml publishes {@link HTTPS_CONTAINER_PORT} on. */
export const PUBLISH_HTTPS_PORT_VARIABLE = 'PUBLISH_HTTPS_PORT';

/**
 * Where docker/dev-certificate keeps the development CA and the server certificate: the
 * development shape's named volume, made the developer's by the entry point.
 */
export const TLS_DIR = '/var/lib/wsgi-apache/tls';

/** The development CA's certificate as docker/dev-certificate copies it into the project's dev output folder (`.wsgi/`), for the developer to trust. */
export const TLS_CA_EXPORT = 'tls-ca.crt';

/** The development shape's named volume at {@link TLS_DIR} (compose.override.yaml). */
export const TLS_VOLUME = 'development-tls';
