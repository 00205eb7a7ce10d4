import { describe, expect, it } from 'vitest';
import { mergeLines } from '../../generators/app/lines.js';

const WANTED = '# why these\nDockerfile text eol=lf\n# and why this\ndocker/** text eol=lf\n';

describe('mergeLines', () => {
  it('writes the lines as they are where the user has no file', () => {
    expect(mergeLines(undefined, WANTED)).toBe(WANTED);
  });

  it("appends only the missing lines, each after its comment, and keeps every line of the user's", () => {
    const mine = '*.png binary\nDockerfile   text eol=lf\n';
    expect(mergeLines(mine, WANTED)).toBe(`${mine}# and why this\ndocker/** text eol=lf\n`);
  });

  it('leaves a file that has every line as it is, so a re-run changes nothing', () => {
    const once = mergeLines('node_modules/\n', WANTED);
    expect(mergeLines(once, WANTED)).toBe(once);
  });

  it("ends the user's last line first, and keeps the user's CRLF line ends", () => {
    expect(mergeLines('*.log', '/.wsgi/\n')).toBe('*.log\n/.wsgi/\n');
    expect(mergeLines('*.log\r\n', '# dev\n/.wsgi/\n')).toBe('*.log\r\n# dev\r\n/.wsgi/\r\n');
  });
});
