/**
 * Waits until `done()` holds, checking every 50 ms.
 * @param describe - what went wrong, for the error after `timeoutMs`
 * @throws Error with `describe()` when it does not hold within `timeoutMs` milliseconds
 */
export async function pollFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const start = performance.now();
  for (;;) {
    try {
      if (done()) return;
    } catch {
      // Not there yet (a file not written so far): try again.
    }
    if (performance.now() - start > timeoutMs) throw new Error(describe());
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
