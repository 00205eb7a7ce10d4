/**
 * An error in what the user gave us (a flag, an answer, the project on disk).
 *
 * The message always names the input and says how to fix it, because `yo` prints
 * only `error.message` and exits 1 (yeoman `lib/cli.js` `onError`).
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
    super(`${input}: ${problem}. Fix: ${fix}.`);
    this.name = 'InputError';
  }
}
