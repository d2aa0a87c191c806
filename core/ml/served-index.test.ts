import { servedIndex } from './served-index';

describe('servedIndex', () => {
  it('when a model predicts below 0, then the client is given 0; otherwise the number unchanged', () => {
    expect(servedIndex(-3.25)).toBe(0);
    expect(servedIndex(-0)).toBe(0);
    expect(Object.is(servedIndex(-0), 0)).toBe(true);
    expect(servedIndex(0)).toBe(0);
    expect(servedIndex(41.123456789)).toBe(41.123456789);
    expect(servedIndex(1e-300)).toBe(1e-300);
  });
});
