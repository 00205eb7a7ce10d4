/**
 * Files the generator shares with the user, line by line: `.gitignore` and `.gitattributes`
 * belong to the project, and the generator only needs some lines to be in them.
 */

/**
 * `existing` with every line of `wanted` it lacks appended (a comment line of `wanted` comes
 * along only when some line after it does), so a file that already has them stays as it is.
 * @param existing the file on disk, or undefined when there is none (then `wanted` as it is)
 * @param wanted the rendered template: comments and the lines the project needs
 * @returns the new text; `existing` itself when nothing is missing
 */
export function mergeLines(existing: string | undefined, wanted: string): string {
  if (existing === undefined) return wanted;
  // The same line with other spacing (`Dockerfile   text eol=lf`) counts as there.
  const normal = (line: string) => line.trim().split(/\s+/).join(' ');
  const have = new Set(existing.split(/\r?\n/).map(normal));
  const block: string[] = [];
  let comments: string[] = [];
  for (const line of wanted.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') {
      comments.push(line);
    } else {
      if (!have.has(normal(line))) block.push(...comments, line);
      comments = [];
    }
  }
  if (block.length === 0) return existing;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const separator = existing === '' || existing.endsWith('\n') ? '' : eol;
  return `${existing}${separator}${block.join(eol)}${eol}`;
}
