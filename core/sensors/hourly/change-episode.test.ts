import { normal, seededRandom } from '../testing/series';

import { bestEpisode, lineRss, type EpisodePair } from './change-episode';

/** 72 hourly pairs: a reference with a diurnal cycle, a sensor at 1.3 × it + 2 with 1 % noise, plus `extra`. */
function pairs(extra: (i: number, reference: number) => number): EpisodePair[] {
  const random = seededRandom(3);
  return Array.from({ length: 72 }, (_, i) => {
    const reference = 20 + 8 * Math.sin((2 * Math.PI * i) / 24) + 3 * Math.sin((2 * Math.PI * i) / 31);
    return { t: i / 24, reference, sensor: (1.3 * reference + 2) * (1 + 0.01 * normal(random)) + extra(i, reference) };
  });
}
const options = { minHours: 12, minOutside: 12 };

describe('bestEpisode', () => {
  it('when an offset ramps up by 12 over hours 30..53 and then vanishes, then the offset ramp is found there, with its line', () => {
    const data = pairs((i) => (i >= 30 && i <= 53 ? (12 * (i - 30)) / 23 : 0));

    const ramp = bestEpisode(data, 'offset', 'ramp', options);

    expect(ramp).toMatchObject({ first: 30, last: 53 });
    expect(ramp?.slope).toBeCloseTo(1.3, 1);
    expect((ramp?.change ?? 0) * (ramp?.slope ?? 0)).toBeCloseTo(12, 0);
    expect(ramp?.rss).toBeLessThan((lineRss(data) ?? 0) / 10);
  });

  it('when the sensitivity steps down to half mid-hour 40 and back mid-hour 51, then a gain step fits better than any ramp', () => {
    // Hours 40 and 51 average the two levels, as an hourly mean does when a step happens within it.
    const data = pairs((i, reference) => (i > 40 && i < 51 ? -0.65 : i === 40 || i === 51 ? -0.325 : 0) * reference);

    const step = bestEpisode(data, 'gain', 'step', { minHours: 1, minOutside: 12 });
    const ramp = bestEpisode(data, 'gain', 'ramp', options);

    expect(step).toMatchObject({ first: 41, last: 50 });
    expect(step?.change).toBeCloseTo(-0.5, 1);
    expect(step?.rss ?? Infinity).toBeLessThan(ramp?.rss ?? 0);
  });

  it('when nothing changes, then the best episode explains almost nothing of the line’s residuals', () => {
    const data = pairs(() => 0);

    const ramp = bestEpisode(data, 'offset', 'ramp', options);

    expect(1 - (ramp?.rss ?? 0) / (lineRss(data) ?? 1)).toBeLessThan(0.5);
  });
});
