import { DEVELOPMENT_SWITCHES } from '../lib/development-switches.js';
import { builtCopyOf } from '../lib/image-layout.js';
import { type ImageVariable, TUNABLES } from '../lib/tunables.js';

/**
 * What the managed shell programs, runtime/envvars (the image's /etc/apache2/envvars) and
 * runtime/start-apache, read from the generated docker/wsgi-apache.env, as
 * templates/docker/wsgi-apache.env.mustache writes it. Every default and range comes from
 * generators/lib/tunables.ts and every switch from generators/lib/development-switches.ts:
 * nothing is typed twice.
 */
export interface RuntimeEnv {
  /** `NAME=VALUE` defaults of the image's other variables (no spaces or quotes in either) */
  defaults: string[];
  /**
   * `NAME:DEFAULT:MIN:MAX` for every whole-number tunable, in the order envvars checks them:
   * the global ones, then each `--mount` group's, whose DEFAULT `$WSGI_…` is the global value
   */
  integers: string[];
  /** the variable prefix of every daemon process group, space-separated: `WSGI_` then each mount's */
  groups: string;
  /** the development switches' names, space-separated */
  switches: string;
  /** `start-apache --help`, quoted for a single-quoted shell string (`'` as `'\''`) */
  help: string;
  /** the entry point's `--secret` names, space-separated */
  secrets: string;
  /** the data directories' container paths, space-separated (project paths hold no spaces: validators.ts) */
  dataDirs: string;
  /** `COPY:PATH` per build-time output folder, space-separated: the image's copy and the folder ({@link builtCopyOf}) */
  builtCopies: string;
  /**
   * `NAME PASSWORD BEFORE AFTER` per `--service` URL with a password: the entry point exports
   * NAME as BEFORE, the value of the variable PASSWORD, AFTER (no `eval`)
   */
  passwordUrls: string[];
}

/** What the entry point reads, from the project's answers as the view has them. */
export interface EntrypointInputs {
  secrets: readonly string[];
  dataDirs: readonly { path: string }[];
  /** container paths of the build-time output folders inside the project (collectstatic's) */
  builtOutputs: readonly string[];
  /** `url` holds `${password}` once, where the password goes */
  passwordUrls: readonly { name: string; password: string; url: string }[];
}

/**
 * The data for envvars and start-apache.
 * @param environment - the image's run-time variables with their defaults ({@link imageEnvironment})
 * @param mounts - each `--mount` group's variable prefix (e.g. `WSGI_API_`) and variable per tunable answer
 * @param devToolSettings - the reload monitor's and request tools' settings with the image's default, as the view has them
 * @param entrypoint - the secrets, data directories and password URLs the entry point handles
 * @throws Error when a password URL lacks its `${PASSWORD}` (a programming error in services.ts)
 */
export function runtimeEnv(
  environment: readonly ImageVariable[],
  mounts: readonly { envPrefix: string; env: Record<string, string> }[],
  devToolSettings: readonly DevToolDefault[],
  entrypoint: EntrypointInputs,
): RuntimeEnv {
  const value = (name: string) => environment.find(variable => variable.name === name)?.value ?? '';
  const integer = new Set(TUNABLES.map(t => t.env));
  return {
    defaults: environment
      .filter(variable => variable.value !== '' && !integer.has(variable.name))
      .map(variable => `${variable.name}=${variable.value}`),
    integers: [
      ...TUNABLES.map(t => `${t.env}:${value(t.env)}:${t.min}:${t.max}`),
      ...mounts.flatMap(mount =>
        TUNABLES.filter(t => t.answer !== undefined).map(t => `${mount.env[t.answer!]}:$${t.env}:${t.min}:${t.max}`),
      ),
    ],
    groups: ['WSGI_', ...mounts.map(mount => mount.envPrefix)].join(' '),
    switches: DEVELOPMENT_SWITCHES.map(s => s.env).join(' '),
    help: startApacheHelp(devToolSettings).replaceAll("'", "'\\''"),
    secrets: entrypoint.secrets.join(' '),
    dataDirs: entrypoint.dataDirs.map(dir => dir.path).join(' '),
    builtCopies: entrypoint.builtOutputs.map(path => `${builtCopyOf(path)}:${path}`).join(' '),
    passwordUrls: entrypoint.passwordUrls.map(({ name, password, url }) => {
      const [before, after, ...rest] = url.split(`\${${password}}`);
      if (after === undefined || rest.length > 0) throw new Error(`${name}: ${url} must hold \${${password}} once`);
      return [name, password, before, after].join(' ');
    }),
  };
}

/** A dev-tool setting with the image's default ('' for none). */
export interface DevToolDefault {
  env: string;
  summary: string;
  default: string;
}

/** `start-apache --help`: usage, then every development switch and dev-tool setting with its default. */
function startApacheHelp(devToolSettings: readonly DevToolDefault[]): string {
  return [
    'Usage: start-apache [APACHE FLAGS] | --configtest',
    'Starts Apache httpd + mod_wsgi in the foreground, configured by the environment (DOCKER.md).',
    '',
    'Development switches (1 or 0; honoured only with WSGI_ENVIRONMENT=development, which',
    'compose.override.yaml sets, unless WSGI_FORCE_DEVELOPMENT_FEATURES=1):',
    ...DEVELOPMENT_SWITCHES.flatMap(s => [`  ${s.env}  (mod_wsgi-express ${s.express})`, `      ${s.summary}`]),
    '',
    'Settings of the reload monitor and the request tools:',
    ...devToolSettings.flatMap(s => [
      `  ${s.env}${s.default === '' ? '' : ` (default ${s.default})`}`,
      `      ${s.summary}`,
    ]),
  ].join('\n');
}
