import { defineConfig } from 'vitest/config';
import { DEFAULT_BASE, parseBase } from './generators/app/bases.js';
import { integrationInclude } from './test/integration/scope.js';

/** The base the integration project builds on (WSGI_APACHE_TEST_BASE); test/integration/scope.ts picks its files. */
const testBase = parseBase(process.env.WSGI_APACHE_TEST_BASE ?? DEFAULT_BASE);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/generator/**/*.test.ts'],
          globalSetup: ['test/helpers/temp-root.ts'],
          pool: 'forks',
          // At nice 10 beside the Docker-backed phases on a cold machine, a test that runs the
          // generator a few times took over 30 s; a beforeAll running it once took over 10 s
          // (vitest's default hook timeout) in a cold CI run (stop 38).
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Issue 13's property test: thousands of answer sets in-process, a sample through
        // `docker compose config` and `apache2 -t` (one container). Builds a small Apache image once.
        test: {
          name: 'property',
          include: ['test/property/**/*.test.ts'],
          globalSetup: ['test/helpers/temp-root.ts'],
          pool: 'forks',
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      {
        // Docker-backed: two files at a time (WSGI_APACHE_TEST_WORKERS; 1 runs them one by one).
        // Alone, one file at a time kept 2 cores about 65 % busy: the rest was waits on container
        // starts, health checks and the build lock. Each file's projects, images and Compose
        // projects have names of their own, and every build takes the machine's build lock.
        // Generous timeouts for cold builds and for the wait on that lock: a timeout must not
        // fire while a build waits, or the next test's synchronous build would wait on a lock
        // its own process still holds.
        test: {
          name: 'integration',
          include: integrationInclude(testBase),
          globalSetup: ['test/integration/global-setup.ts'],
          // Ryuk's image cannot be pulled without a registry; the tests clean up after themselves.
          env: { TESTCONTAINERS_RYUK_DISABLED: process.env.TESTCONTAINERS_RYUK_DISABLED ?? 'true' },
          pool: 'forks',
          maxWorkers: Number(process.env.WSGI_APACHE_TEST_WORKERS ?? 2),
          testTimeout: 1_500_000,
          hookTimeout: 1_500_000,
        },
      },
      {
        // The product as users get it: the packed tarball under the real `yo`, and the
        // top-level Dockerfile's image. Slow (npm install, docker build), one file at a time.
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 1_500_000,
        },
      },
    ],
  },
});
