// A fixture project as the benchmarks use it: copied to a temporary directory, scaffolded
// by the built generator, and owned by the developer uid the development shape runs as.
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';

/** The uid:gid the development shape runs as here, as on a typical desktop (compose.override.yaml's UID). */
export const DEV_UID = 1000;

/**
 * Copies test/fixtures/<fixture> to a new temporary directory (world-readable, as a checkout is).
 * @returns {string} the directory; the caller removes it
 */
export function copyFixture(root, fixture) {
  const dir = mkdtempSync(join(tmpdir(), `wsgi-apache-bench-${fixture}-`));
  chmodSync(dir, 0o755);
  cpSync(join(root, 'test/fixtures', fixture), dir, { recursive: true });
  return dir;
}

/** Runs the built generator (dist/) in `dir` with flags only, as `yo wsgi-apache --yes` would. */
export async function scaffold(root, dir, name, args = []) {
  const env = createEnv({ cwd: dir, skipInstall: true });
  env.register(join(root, 'dist/generators/app/index.js'), { namespace: 'wsgi-apache:app' });
  await env.run(['wsgi-apache:app', '--yes', '--skip-build', '--name', name, ...args]);
}

/** Makes `dir` and everything in it DEV_UID's when running as root (a developer's checkout); else a no-op. */
export function ownAsDeveloper(dir) {
  if (process.getuid?.() !== 0) return;
  chownSync(dir, DEV_UID, DEV_UID);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    chownSync(join(entry.parentPath, entry.name), DEV_UID, DEV_UID);
  }
}
