/**
 * An error in what the user gave us (a flag, an answer, the project on disk).
 *
 * The message always names the input and says how to fix it, because `yo` prints
 * only `error.message` and exits 1 (yeoman `lib/cli.js` `onError`). It is one line: a
 * control character the user's input carried (a newline in a file name) is shown escaped.
 */
export class InputError extends Error {
  /**
   * @param input - the flag or thing at fault, e.g. `--port` or `the target directory`
   * @param problem - what is wrong with it, e.g. `"abc" is not a whole number`
   * @param fix - what to do instead, e.g. `pass a port from 1 to 65535`
   */
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(oneLine(`${input}: ${problem}. Fix: ${fix}.`));
    this.name = 'InputError';
  }
}

/** `text` with each control character as its escape (`\n`, `\u001b`): what JSON.stringify shows, without the quotes. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, char => JSON.stringify(char).slice(1, -1));
}
