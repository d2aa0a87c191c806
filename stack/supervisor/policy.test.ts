import { afterExit, defaultRestartPolicy } from './policy';

describe('restart policy of supervised processes', () => {
  it('when a process keeps crashing, then each restart waits twice as long, up to the cap', () => {
    const delays: number[] = [];
    let streak = 0;
    for (let i = 0; i < 8; i++) {
      const decision = afterExit({ ranMs: 10_000, stopping: false, firstRun: false }, streak);
      if (!decision.restart) throw new Error('expected a restart');
      delays.push(decision.delayMs);
      streak = decision.streak;
    }

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('when a process ran long enough before crashing, then the backoff starts over', () => {
    const decision = afterExit({ ranMs: defaultRestartPolicy.healthyAfterMs, stopping: false, firstRun: false }, 6);

    expect(decision).toEqual({ restart: true, delayMs: 1_000, streak: 1 });
  });

  it('when the stack stops it, or its very first run dies at once, then it is not restarted', () => {
    expect(afterExit({ ranMs: 100_000, stopping: true, firstRun: false }, 0).restart).toBe(false);
    expect(afterExit({ ranMs: 800, stopping: false, firstRun: true }, 0)).toEqual({
      restart: false,
      why: 'it failed during start-up (after 800 ms)',
    });
    expect(afterExit({ ranMs: 800, stopping: false, firstRun: false }, 0).restart).toBe(true);
  });
});
