/**
 * The corpus smoke test alone (`npx vitest run --config test/corpus/vitest.config.ts`):
 * the repository's vitest.config.ts projects do not include test/corpus, so `npm test`
 * never runs it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/corpus/**/*.test.ts'],
    // Docker-backed and sequential: one container (and at most one build) at a time on 2 cores.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
