/**
 * Ruff (the Python linter and formatter, as its WebAssembly build on npm) for the Python the
 * package ships: the runtime programs copied into projects and the Python the templates render.
 * Settings: pycodestyle errors and warnings, Pyflakes, flake8-bugbear and pyupgrade, lines up to
 * 120 characters (the runtime's style), Python 3.10 and newer (the oldest --python takes).
 */
import { createRequire } from 'node:module';

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
}

interface RuffWorkspace {
  check(source: string): RuffDiagnostic[];
  format(source: string): string;
}

const ruff = createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs') as {
  Workspace: new (options: object, encoding: number) => RuffWorkspace;
  PositionEncoding: { Utf16: number };
};

const workspace = new ruff.Workspace(
  { 'line-length': 120, 'target-version': 'py310', lint: { select: ['E', 'F', 'W', 'B', 'UP'] } },
  ruff.PositionEncoding.Utf16,
);

/** Ruff's findings on `source`, one `path:row:column CODE message` line each; [] when clean. */
export function ruffCheck(path: string, source: string): string[] {
  return workspace
    .check(source)
    .map(d => `${path}:${d.start_location.row}:${d.start_location.column} ${d.code ?? ''} ${d.message}`);
}

/** `source` as `ruff format` writes it. */
export function ruffFormat(source: string): string {
  return workspace.format(source);
}
