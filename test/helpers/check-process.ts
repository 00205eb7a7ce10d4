/** `yo wsgi-apache:check` (from the built package) in a process of its own, as yo runs it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { capture, type Captured } from './commands.js';

/** The runner script: `node RUN_CHECK <project> [flags]`; it exits 1 with the error's message on stderr. */
export const RUN_CHECK = fileURLToPath(new URL('../integration/support/run-check.mjs', import.meta.url));

/**
 * Starts `yo wsgi-apache:check --json FLAGS` on `dir` where Ryuk's image can never be had: an
 * unresolvable registry makes it unpullable on any machine, online or not, and
 * TESTCONTAINERS_RYUK_DISABLED is unset, so the check must decide to run without Ryuk itself.
 * @param env - on top of this process's environment (e.g. build arguments)
 * @returns its output as it comes, and its exit code once closed
 */
export function startCheckWithoutRyuk(dir: string, flags: string[], env: Record<string, string> = {}): Captured {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    RYUK_CONTAINER_IMAGE: 'registry.invalid/testcontainers/ryuk:0.14.0',
  };
  delete childEnv.TESTCONTAINERS_RYUK_DISABLED;
  return capture(
    spawn(process.execPath, [RUN_CHECK, dir, '--json', ...flags], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}
