import { DEVELOPMENT_SWITCHES } from '../lib/development-switches.js';
import { type ImageVariable, TUNABLES } from '../lib/tunables.js';

/**
 * What runtime/envvars (copied as it is to /etc/apache2/envvars) reads from the generated
 * docker/wsgi-apache.env, as templates/docker/wsgi-apache.env.mustache writes it: every default
 * and range comes from generators/lib/tunables.ts, nothing is typed twice.
 */
export interface EnvvarsData {
  /** `NAME=VALUE` defaults of the image's other variables (no spaces or quotes in either) */
  defaults: string[];
  /**
   * `NAME:DEFAULT:MIN:MAX` for every whole-number tunable, in the order envvars checks them:
   * the global ones, then each `--mount` group's, whose DEFAULT `$WSGI_…` is the global value
   */
  integers: string[];
  /** the variable prefix of every daemon process group, space-separated: `WSGI_` then each mount's */
  groups: string;
  /** the development switches' names, space-separated (generators/lib/development-switches.ts) */
  switches: string;
}

/**
 * The data for envvars.
 * @param environment - the image's run-time variables with their defaults ({@link imageEnvironment})
 * @param mounts - each `--mount` group's variable prefix (e.g. `WSGI_API_`) and variable per tunable answer
 */
export function envvarsData(
  environment: readonly ImageVariable[],
  mounts: readonly { envPrefix: string; env: Record<string, string> }[],
): EnvvarsData {
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
  };
}
