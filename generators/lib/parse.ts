/**
 * Parsers both generators share for their flags: whole numbers within bounds and list
 * flags. Each takes the raw value (a flag string, a prompt answer or a value from
 * `.yo-rc.json`) and throws an {@link InputError} that names the flag and the fix.
 */
import { split as shlexSplit } from 'shlex';
import { InputError } from './input-error.js';

/**
 * A whole number within bounds.
 * @param flag - the flag name used in the message, e.g. `--threads`
 * @param raw - string or number
 * @throws InputError when not a whole number or out of [min, max]
 */
export function parseInteger(flag: string, raw: unknown, min: number, max: number): number {
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) {
    throw new InputError(flag, `"${String(raw)}" is not a whole number`, `pass a whole number from ${min} to ${max}`);
  }
  const value = Number(text);
  if (value < min || value > max) {
    throw new InputError(flag, `${value} is out of range`, `pass a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * A list flag: repeated flags, comma-separated strings, or an array (from `.yo-rc.json`).
 * Empty items are dropped.
 */
export function toList(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items
    .flatMap(item => String(item).split(','))
    .map(item => item.trim())
    .filter(item => item.length > 0);
}

/** A repeatable flag's values as given, without splitting at commas. */
export function toRepeated(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

/**
 * One prompt line holding several items of a repeatable flag, split as a POSIX shell splits
 * words (shlex): `A=1 'B=two words'` is `['A=1', 'B=two words']`.
 * @param flag - the flag named in the message, e.g. `--setenv`
 * @throws InputError for a quote left open
 */
export function splitPromptLine(flag: string, line: string): string[] {
  try {
    return shlexSplit(line);
  } catch {
    throw new InputError(
      flag,
      `${line} has a quote left open`,
      "close it, or quote a value holding spaces as 'NAME=two words'",
    );
  }
}

/**
 * Items as one prompt line that {@link splitPromptLine} splits back into the same items: each
 * bare when it holds only characters a shell leaves alone, else in single quotes, a quote in it
 * written `'\''` (POSIX quoting). Not shlex's own join, whose `"'"` for a quote its split reads
 * back wrongly after a backslash (`a=\"'` came back as `a="'`).
 */
export function shellJoin(items: readonly string[]): string {
  return items.map(item => (/^[\w@%+=:,./-]+$/.test(item) ? item : `'${item.replaceAll("'", "'\\''")}'`)).join(' ');
}
