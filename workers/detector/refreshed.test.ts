import { refreshedEvery } from './refreshed';

describe('refreshedEvery', () => {
  it('answers from the last load until it is ttl old, then loads again', async () => {
    let loads = 0;
    let now = 1_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const read = refreshedEvery(10_000, async () => ++loads);

    const first = [await read(), await read()];
    now += 9_999;
    const before = await read();
    now += 1;
    const after = await read();

    expect({ first, before, after, loads }).toEqual({ first: [1, 1], before: 1, after: 2, loads: 2 });
    jest.restoreAllMocks();
  });
});
