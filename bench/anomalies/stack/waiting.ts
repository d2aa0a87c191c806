export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `done` holds, polling; returns the wall time it first held, or throws after `timeoutMs`. */
export async function until(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return performance.now();
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}
