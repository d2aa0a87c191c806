import { awaitFirstLoad } from './first-load';

describe('awaitFirstLoad', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when the load finishes in time, then it resolves true at once', async () => {
    let finish: () => void = () => undefined;
    const load = new Promise<void>((resolve) => (finish = resolve));
    const waited = awaitFirstLoad(load, 30_000);
    await jest.advanceTimersByTimeAsync(1000);
    finish();

    await expect(waited).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('when the load takes longer than the wait, then it resolves false after the wait', async () => {
    const waited = awaitFirstLoad(new Promise(() => undefined), 30_000);
    let settled = false;
    void waited.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    await expect(waited).resolves.toBe(false);
  });
});
