import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TUNABLES } from '../../generators/lib/tunables.js';
import { REPO_ROOT } from './project.js';

/** What ships or builds the image: where a tunable's default could be typed. */
const SOURCES = ['generators', 'templates', 'runtime', 'images', 'Dockerfile'];

function files(path: string): string[] {
  const full = join(REPO_ROOT, path);
  try {
    return readdirSync(full, { recursive: true, withFileTypes: true })
      .filter(entry => entry.isFile())
      .map(entry => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
  } catch {
    return [path];
  }
}

/**
 * Where each tunable's default is written in the package's sources, `file:line`: its row in
 * generators/lib/tunables.ts, plus every `NAME=DEFAULT`, `NAME:-DEFAULT`, `"NAME", "DEFAULT"`,
 * or the same with a mustache tag for the value (`NAME:-{{processes}}`), anywhere else (a separator
 * of 1 to 8 non-word characters). Issue 28's goal: one place each.
 */
export function defaultPlaces(): { env: string; value: number; places: string[] }[] {
  const texts = SOURCES.flatMap(files).map(file => ({ file, text: readFileSync(join(REPO_ROOT, file), 'utf8') }));
  return TUNABLES.map(({ env, fallback }) => {
    const value = fallback ?? 0;
    const pattern = new RegExp(`\\b${env}\\b[^\\w\\n{]{1,8}(?:${value}\\b|\\{\\{\\w+\\}\\})`, 'g');
    const places = texts.flatMap(({ file, text }) =>
      [...text.matchAll(pattern)].map(match => `${file}:${text.slice(0, match.index).split('\n').length}`),
    );
    const row = texts.find(({ file }) => file === 'generators/lib/tunables.ts')!.text;
    const line = row.split('\n').findIndex(text => text.includes(`env: '${env}'`)) + 1;
    return { env, value, places: [`generators/lib/tunables.ts:${line}`, ...places] };
  });
}
