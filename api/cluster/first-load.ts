/**
 * In a cluster, a process that listens takes its share of new connections at once. One starting up (or
 * replacing a process that died) would answer 503 NO_MODEL where its siblings answer with the champion, so
 * it waits for its first load of the champions before it listens: at most `waitMs`, so that an unreachable
 * registry does not keep it from serving everything else. Resolves true when the load finished in time.
 */
export async function awaitFirstLoad(load: Promise<unknown>, waitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)));
  try {
    return await Promise.race([load.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
