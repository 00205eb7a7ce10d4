/**
 * @balena/dockerignore's factory, loaded as the CommonJS module it is: its types declare an
 * ES default export that Node's ESM import does not give (`module.exports = factory`).
 */
import { createRequire } from 'node:module';

export const dockerignore: typeof import('@balena/dockerignore').default = createRequire(import.meta.url)(
  '@balena/dockerignore',
);
