/** File-system questions asked while reading a project; a path that cannot be stat'ed is neither. */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** Whether `path` is a directory (following symlinks). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is a regular file (following symlinks). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A text file's content, or '' when it cannot be read (a project's files are only hints). */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A directory's entry names, unsorted, or [] when it cannot be read. */
export function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
