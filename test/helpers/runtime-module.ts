import { spawnSync } from 'node:child_process';

/** What a Python process printed, and how it ended. */
export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `code` in `python3 -I -B` (isolated, no bytecode written) after loading the file at `path`
 * as the module `name`: a runtime program outside Apache, as the unit tests exercise them.
 * Loaded through SourceFileLoader, so a `.wsgi` file or a dashed file name loads too.
 * @param env - the whole environment of the process, besides PATH
 */
export function runWithModule(path: string, name: string, code: string, env: Record<string, string> = {}): PythonRun {
  const prelude = [
    'import importlib.machinery, importlib.util, json, os, sys',
    `_loader = importlib.machinery.SourceFileLoader(${JSON.stringify(name)}, ${JSON.stringify(path)})`,
    `_spec = importlib.util.spec_from_loader(${JSON.stringify(name)}, _loader)`,
    `${name} = importlib.util.module_from_spec(_spec)`,
    `_loader.exec_module(${name})`,
  ].join('\n');
  const result = spawnSync('python3', ['-I', '-B', '-c', `${prelude}\n${code}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
