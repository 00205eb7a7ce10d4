/**
 * A generated project served in the development shape for one test suite, as a developer
 * whose uid is not 1000 runs it: shared by the development-loop and development-tools tests.
 */
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import { afterAll, beforeAll } from 'vitest';
import { composeBuild, composeUp, removeStack } from './compose.js';
import { ownProjectAsDeveloper } from './fixture-apps.js';
import { freePort } from './net.js';
import { scaffoldFixture } from './project.js';
import type { Library } from './test-base.js';

/** A development-shape stack of the enclosing suite; filled in by the time its tests run. */
export interface DevStack {
  dir: string;
  stack?: StartedDockerComposeEnvironment;
  baseUrl: string;
  /** with the `https` flag: `https://localhost:PORT`, the development shape's HTTPS port */
  httpsUrl?: string;
  containerId: string;
}

/**
 * For the enclosing suite: `fixture` scaffolded as `name` with `flags`, built, owned by the
 * developer and served in the development shape with `env` (beforeAll), removed after it (afterAll).
 */
export function developmentStack(
  fixture: string,
  name: string,
  flags: Record<string, unknown>,
  env: Record<string, string> = {},
  libraries: Library[] = [],
): DevStack {
  const dev = {} as DevStack;
  beforeAll(async () => {
    dev.dir = await scaffoldFixture(fixture, name, flags, libraries);
    composeBuild(dev.dir);
    ownProjectAsDeveloper(dev.dir);
    const port = await freePort();
    const httpsPort = flags.https === true ? await freePort() : undefined;
    dev.stack = await composeUp(dev.dir, name, 'development', {
      PUBLISH_PORT: String(port),
      ...(httpsPort === undefined ? {} : { PUBLISH_HTTPS_PORT: String(httpsPort) }),
      ...env,
    });
    dev.baseUrl = `http://127.0.0.1:${port}`;
    if (httpsPort !== undefined) dev.httpsUrl = `https://localhost:${httpsPort}`;
    dev.containerId = dev.stack.getContainer(`${name}-1`).getId();
  });
  afterAll(() => removeStack(dev.stack));
  return dev;
}
