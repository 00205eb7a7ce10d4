/**
 * @balena/dockerignore's factory, loaded as the CommonJS module it is: its types declare an
 * ES default export that Node's ESM import does not give (`module.exports = factory`).
 */
import { createRequire } from 'node:module';

export const dockerignore: typeof import('@balena/dockerignore').default = createRequire(import.meta.url)(
  '@balena/dockerignore',
);

/**
 * What the generated `.dockerignore` keeps out of the image as secrets, at any depth (`**`:
 * Docker matches each pattern against the whole path from the context root, so `.env` alone
 * would miss `config/.env`; Docker's .dockerignore reference). Environment files, private keys
 * and certificates, the credential files of ssh, AWS, GnuPG, Docker, kubectl, netrc, pip, npm
 * and git, service-account JSON, and SQLite databases (a development database is data, not
 * code). DOCKER.md lists the same patterns. A file the app does need goes back in with a
 * `!path` line after them.
 */
export const SECRET_PATTERNS: readonly string[] = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.ssh',
  '**/.aws',
  '**/.gnupg',
  '**/.docker',
  '**/.kube',
  '**/.netrc',
  '**/.pypirc',
  '**/.npmrc',
  '**/.git-credentials',
  '**/credentials.json',
  '**/*.sqlite3',
  '**/.secrets',
];

/** Version control at any depth: a vendored checkout's `sub/.git` too. */
export const VCS_PATTERNS: readonly string[] = ['**/.git', '**/.hg', '**/.svn'];
