/**
 * Keeps Testcontainers' Ryuk reaper when its image can be had, and turns it off when it
 * cannot. Testcontainers starts Ryuk before anything else and fails outright when its
 * image is neither present nor pullable (an air-gapped machine, a registry outage). The
 * check removes what it starts itself, so Ryuk is a safety net it can do without.
 */
import Docker from 'dockerode';
import { ImageName } from 'testcontainers';
import { followProgress } from './docker-streams.js';

/** Testcontainers' own default (build/reaper/reaper.js, REAPER_IMAGE), which it does not export. */
export const DEFAULT_RYUK_IMAGE = 'testcontainers/ryuk:0.14.0';

/** How long a pull of Ryuk's image may take before the check goes on without it, in ms. */
export const RYUK_PULL_TIMEOUT_MS = 20_000;

/**
 * The image Testcontainers will start as Ryuk, computed as it does: `RYUK_CONTAINER_IMAGE`
 * or the default, normalised by ImageName (which also applies
 * `TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX` from process.env).
 */
export function ryukImage(env: NodeJS.ProcessEnv = process.env): string {
  return ImageName.fromString(env.RYUK_CONTAINER_IMAGE || DEFAULT_RYUK_IMAGE).string;
}

/** The two engine calls the decision needs; injectable so tests need no engine. */
export interface RyukEngine {
  /** Resolves true when the engine holds `image`, false when it does not or cannot say. */
  hasImage(image: string): Promise<boolean>;
  /** Pulls `image`; rejects when the pull fails, and soon after `signal` aborts. */
  pull(image: string, signal: AbortSignal): Promise<void>;
}

/** A RyukEngine over dockerode (DOCKER_HOST or /var/run/docker.sock by default). */
export function dockerRyukEngine(docker: Docker = new Docker()): RyukEngine {
  return {
    async hasImage(image) {
      try {
        await docker.getImage(image).inspect();
        return true;
      } catch {
        return false;
      }
    },
    async pull(image, signal) {
      const stream = await docker.pull(image, { abortSignal: signal });
      await followProgress(docker, stream);
    },
  };
}

export interface EnsureRyukOptions {
  /** prints the one line said when Ryuk is turned off */
  say: (line: string) => void;
  /** read for the image and the existing setting, written when Ryuk is turned off; default process.env */
  env?: NodeJS.ProcessEnv;
  /** default: dockerRyukEngine() */
  engine?: RyukEngine;
  /** bound on the pull in ms; default RYUK_PULL_TIMEOUT_MS */
  pullTimeoutMs?: number;
}

export type RyukOutcome =
  /** TESTCONTAINERS_RYUK_DISABLED was already set (to anything non-empty): left as it was */
  | { ryuk: 'preset'; image: string }
  /** the image was there: Ryuk runs */
  | { ryuk: 'present'; image: string }
  /** the image was pulled within the timeout: Ryuk runs */
  | { ryuk: 'pulled'; image: string }
  /** neither: env.TESTCONTAINERS_RYUK_DISABLED is now 'true'; `reason` is one short line */
  | { ryuk: 'disabled'; image: string; reason: string };

/**
 * Call before anything starts a Testcontainers environment: Testcontainers reads
 * TESTCONTAINERS_RYUK_DISABLED when it first needs the reaper. Never throws: every engine
 * failure becomes the 'disabled' outcome, announced by exactly one `say` line.
 */
export async function ensureRyuk(options: EnsureRyukOptions): Promise<RyukOutcome> {
  const env = options.env ?? process.env;
  const image = ryukImage(env);
  if (env.TESTCONTAINERS_RYUK_DISABLED !== undefined && env.TESTCONTAINERS_RYUK_DISABLED !== '')
    return { ryuk: 'preset', image };
  const engine = options.engine ?? dockerRyukEngine();
  if (await engine.hasImage(image).catch(() => false)) return { ryuk: 'present', image };
  const timeoutMs = options.pullTimeoutMs ?? RYUK_PULL_TIMEOUT_MS;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    // The race, not the signal alone, bounds the wait: an aborted pull may end its stream
    // without an error, or a fake engine may ignore the signal.
    await Promise.race([
      engine.pull(image, abort.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs / 1000} s`));
          abort.abort();
        }, timeoutMs);
      }),
    ]);
    return { ryuk: 'pulled', image };
  } catch (error) {
    const reason = shortReason(error);
    env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    options.say(
      `Ryuk (${image}) is neither present nor pullable (${reason}): running without it; this check removes what it starts itself.`,
    );
    return { ryuk: 'disabled', image, reason };
  } finally {
    clearTimeout(timer);
  }
}

/** The engine's message on one line, without dockerode's `(HTTP code 500) server error - ` prefix. */
export function shortReason(error: unknown, maxLength = 160): string {
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/^\(HTTP code \d+\)[^-]*- /, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (message === '') return 'unknown error';
  return message.length > maxLength ? `${message.slice(0, maxLength - 1)}…` : message;
}
