/**
 * Upgrades that merge (issue 28). Each run records what it wrote: the generator version and a
 * SHA-256 of every file it owns in `.yo-rc.json`, and the texts themselves in
 * {@link BASE_FILE}. The next run, by a newer generator or with other answers, compares each
 * file on disk with that record:
 * - unchanged since: the user never touched it, so the new text replaces it without asking;
 * - changed by the user: a three-way merge of what was written last time (the base), the
 *   user's file and the new text, as `git merge-file` does (node-diff3's diff3 merge, line by
 *   line). A clean merge is written; a conflict is written with git's diff3-style markers and
 *   named, and the run ends non-zero.
 * A file with no record (the user's own before the first run, or a project from a generator
 * that kept none) is left to Yeoman's conflict handling, as before.
 *
 * cookiecutter-django users have asked for this for years (cookiecutter-django#1047, #2601);
 * cruft and JHipster's upgrade command do it by regenerating the old version, which needs the
 * old package from the registry. Keeping the texts needs nothing but the project.
 */
import { createHash } from 'node:crypto';
import { mergeDiff3 } from 'node-diff3';

/** The texts the generator last wrote, by project-relative path: the base of the next merge. */
export const BASE_FILE = '.yo-wsgi-apache-base.json';

/** The key, in our `.yo-rc.json` entry, of what the last run wrote. */
export const RECORD_KEY = 'written';

/** What a run wrote, as `.yo-rc.json` keeps it under {@link RECORD_KEY}. */
export interface WrittenRecord {
  /** the generator's version (package.json) */
  version: string;
  /** project-relative path → `sha256:<hex>` of the text written */
  files: Record<string, string>;
}

/** What the last run wrote: its version, and per file the hash and, when the base file has it, the text. */
export interface LastWritten {
  version: string;
  hashes: ReadonlyMap<string, string>;
  texts: ReadonlyMap<string, string>;
}

/** What happens to one file. */
export type Outcome =
  /** no file there yet, or it already holds the new text */
  | 'create'
  /** as the generator last wrote it: replaced by the new text */
  | 'update'
  /** changed by the user, merged cleanly with the generator's changes */
  | 'merged'
  /** changed by the user where the generator changed it too: written with conflict markers */
  | 'conflict'
  /** no record of what the generator wrote: Yeoman's conflict handling decides */
  | 'unknown';

/** One file's new text and how it was reached. */
export interface Planned {
  outcome: Outcome;
  text: string;
}

/** `sha256:<hex>` of `text` (UTF-8). */
export function hashText(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * What the last run wrote, from our `.yo-rc.json` entry's {@link RECORD_KEY} value and the
 * parsed {@link BASE_FILE}. A base text counts only when its hash is the recorded one (a base
 * file edited or merged by hand is not trusted); a malformed record counts as none.
 * @param record - the value under {@link RECORD_KEY}, as read from JSON (anything)
 * @param base - {@link BASE_FILE} parsed (anything; undefined when missing or not JSON)
 * @returns undefined when there is no usable record
 */
export function lastWritten(record: unknown, base: unknown): LastWritten | undefined {
  if (!isObject(record) || typeof record.version !== 'string' || !isObject(record.files)) return undefined;
  const hashes = new Map(
    Object.entries(record.files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const stored = isObject(base) && isObject(base.files) ? base.files : {};
  const texts = new Map(
    Object.entries(stored).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && hashes.get(entry[0]) === hashText(entry[1]),
    ),
  );
  return { version: record.version, hashes, texts };
}

/**
 * The text to write for one file.
 * @param onDisk - the file's text now, undefined when missing
 * @param next - what the generator writes this time
 * @param hash - the recorded hash of what it wrote last time, if any
 * @param base - the text it wrote last time, if kept
 * @param labels - the names on the conflict markers: the user's side, the base, the new text
 */
export function planFile(
  onDisk: string | undefined,
  next: string,
  hash: string | undefined,
  base: string | undefined,
  labels: { mine: string; base: string; next: string },
): Planned {
  if (onDisk === undefined || onDisk === next) return { outcome: 'create', text: next };
  if (hash !== undefined && hashText(onDisk) === hash) return { outcome: 'update', text: next };
  if (base === undefined) return { outcome: 'unknown', text: next };
  const merged = mergeDiff3(lines(onDisk), lines(base), lines(next), {
    label: { a: labels.mine, o: labels.base, b: labels.next },
  });
  return { outcome: merged.conflict ? 'conflict' : 'merged', text: merged.result.join('\n') };
}

/**
 * The record of this run: the `.yo-rc.json` value and the {@link BASE_FILE} text (2-space JSON).
 * @param files - project-relative path → the text the generator wrote (not the merged one: the
 *   next merge's base is the generator's own text)
 */
export function recordOf(version: string, files: ReadonlyMap<string, string>): { record: WrittenRecord; base: string } {
  const sorted = [...files].sort(([a], [b]) => a.localeCompare(b));
  return {
    record: { version, files: Object.fromEntries(sorted.map(([path, text]) => [path, hashText(text)])) },
    base: `${JSON.stringify({ version, files: Object.fromEntries(sorted) }, null, 2)}\n`,
  };
}

/** Lines with their ends kept apart: joined with `\n` they give the text back, a final newline included. */
function lines(text: string): string[] {
  return text.split('\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
