/** `yo wsgi-apache:check`: in-process through yeoman-test, or (from the built package) in a process of its own, as yo runs it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import helpers from 'yeoman-test';
import CheckGenerator from '../../generators/check/index.js';
import type { CheckReport } from '../../generators/check/report.js';
import { capture, type Captured } from './commands.js';

const CHECK_PATH = fileURLToPath(new URL('../../generators/check/index.ts', import.meta.url));

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

/** The check in-process on `dir`: 3 s at 32 connections after 1 s of warm-up unless `options` say otherwise. */
export function check(dir: string, options: Record<string, unknown>) {
  return helpers
    .run(CheckGenerator, { namespace: 'wsgi-apache:check', resolved: CHECK_PATH })
    .cd(dir)
    .withOptions({ duration: '3', warmup: '1', connections: '32', ...options } as unknown as Record<string, never>);
}

/** Runs the check with --json and returns what it printed on stdout, parsed. */
export async function checkJson(
  dir: string,
  options: Record<string, unknown>,
): Promise<{ report?: CheckReport; error?: Error }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => (written.push(String(chunk)), true));
  try {
    await check(dir, { ...options, json: true });
    return { report: JSON.parse(written.join('')) as CheckReport };
  } catch (error) {
    const text = written.join('');
    return { report: text ? (JSON.parse(text) as CheckReport) : undefined, error: error as Error };
  } finally {
    spy.mockRestore();
  }
}
