// Waiting in the e2e suite: the UI, the badge and the mailbox all change a moment after the action.

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until `check` accepts its value; throws with the last value seen. */
export async function eventually<T>(
  fn: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await fn();
      if (check(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: still not so after ${timeoutMs} ms (last: ${JSON.stringify(last)}${lastError ? `, error: ${String(lastError)}` : ''})`,
      );
    }
    await sleep(150);
  }
}
