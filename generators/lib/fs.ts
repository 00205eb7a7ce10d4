/** File-system questions asked while reading a project; a path that cannot be stat'ed is neither. */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** `read()`, or `fallback` when it throws: a project's files are only hints, so what cannot be read counts as absent. */
function orElse<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Whether `path` is a directory (following symlinks). */
export function isDirectory(path: string): boolean {
  return orElse(() => statSync(path).isDirectory(), false);
}

/** Whether `path` is a regular file (following symlinks). */
export function isFile(path: string): boolean {
  return orElse(() => statSync(path).isFile(), false);
}

/** A text file's content, or '' when it cannot be read (a project's files are only hints). */
export function readText(path: string): string {
  return orElse(() => readFileSync(path, 'utf8'), '');
}

/** A directory's entry names, unsorted, or [] when it cannot be read. */
export function safeReaddir(dir: string): string[] {
  return orElse(() => readdirSync(dir), []);
}
