import { firstHour, syntheticReference } from '../../../test/support/sensor-references';

import { drawSensorErrors, physical } from './error-model';
import type { FaultEffect } from './fault-shapes';
import { RandomStream } from './random';
import { referenceAt } from './reference';
import { applyValueFault, cleanSeries } from './sensor-series';

const window = { startMs: firstHour, intervalMs: 60_000, readings: 24 * 60 };
const air = syntheticReference('lyon');

function series(seed = 3) {
  const errors = drawSensorErrors(
    ['pm2_5', 'pm10', 'no2', 'temperature', 'relative_humidity'],
    new RandomStream(seed, ['e']),
  );
  return { errors, values: cleanSeries(air, errors, window, 4.85, new RandomStream(seed, ['n'])) };
}

describe('a working sensor', () => {
  it('when it reads PM2.5 for a day, then it follows the reference through its gain and offset', () => {
    const { errors, values } = series();
    const pm25 = [...(values.pm2_5 ?? [])];
    const reference = pm25.map((_, k) => referenceAt(air, 'pm2_5', firstHour + k * 60_000) ?? NaN);
    const fitted = reference.map((r) => (errors.pm2_5?.gain ?? 0) * r + (errors.pm2_5?.offset ?? 0));
    const residualSd = Math.sqrt(pm25.reduce((sum, v, k) => sum + (v - (fitted[k] ?? 0)) ** 2, 0) / pm25.length);

    expect(errors.pm2_5?.gain).toBeGreaterThanOrEqual(1.1);
    expect(errors.pm2_5?.gain).toBeLessThanOrEqual(1.7);
    expect(residualSd).toBeGreaterThan(0.5);
    expect(residualSd).toBeLessThan(2);
  });

  it('when it reports, then PM10 never reads below PM2.5, values are in hundredths, and no reading repeats 10 times', () => {
    const { values } = series();
    const pm25 = values.pm2_5 ?? new Float64Array();
    const pm10 = values.pm10 ?? new Float64Array();
    const longestRun = (xs: Float64Array) => {
      let longest = 1;
      for (let k = 1, run = 1; k < xs.length; k++)
        longest = Math.max(longest, (run = xs[k] === xs[k - 1] ? run + 1 : 1));
      return longest;
    };

    expect(pm10.every((v, k) => v >= (pm25[k] ?? Infinity))).toBe(true);
    expect(pm25.every((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6)).toBe(true);
    expect(longestRun(pm25)).toBeLessThan(10);
    expect(longestRun(values.no2 ?? new Float64Array())).toBeLessThan(10);
  });

  it('when noise would push a value below zero or humidity past 100 %, then it is reflected, not clipped', () => {
    expect(physical('pm2_5', -1.5)).toBe(1.5);
    expect(physical('relative_humidity', 103)).toBe(97);
    expect(physical('temperature', -4)).toBe(-4);
  });

  it('when the same seed is used twice, then the values are the same; another seed gives others', () => {
    expect(series(3).values.no2).toEqual(series(3).values.no2);
    expect(series(4).values.no2).not.toEqual(series(3).values.no2);
  });
});

describe('value faults', () => {
  const apply = (effect: FaultEffect, values = [10, 11, 12, 13, 14, 15], first = 2, last = 4) => {
    const array = Float64Array.from(values);
    applyValueFault(array, effect, first, last);
    return [...array];
  };

  it('when a spike, a sentinel, a sign error or a flatline is applied, then only its readings change as said', () => {
    expect(apply({ kind: 'add', amount: 100 }, undefined, 3, 3)).toEqual([10, 11, 12, 113, 14, 15]);
    expect(apply({ kind: 'set', value: -999 }, undefined, 3, 3)).toEqual([10, 11, 12, -999, 14, 15]);
    expect(apply({ kind: 'negate' }, [0.4, 5], 0, 1)).toEqual([-1, -5]);
    expect(apply({ kind: 'hold' })).toEqual([10, 11, 11, 11, 11, 15]);
  });

  it('when a step, a drift or a plume is applied, then it changes every reading of its window', () => {
    expect(apply({ kind: 'scale', factor: 0.5 })).toEqual([10, 11, 6, 6.5, 7, 15]);
    expect(apply({ kind: 'drift-add', amount: 30 })).toEqual([10, 11, 22, 33, 44, 15]);
    expect(apply({ kind: 'drift-scale', factor: 0.4 })).toEqual([10, 11, 9.6, 7.8, 5.6, 15]);
    const plume = apply({ kind: 'bump', amount: 40 });
    expect(plume.slice(2, 5).map((v, i) => v > 12 + i)).toEqual([true, true, true]);
    expect(plume[3]).toBe(53);
  });

  it('when a dropout or a delivery fault is applied to values, then the values stay as they were', () => {
    expect(apply({ kind: 'drop' })).toEqual([10, 11, 12, 13, 14, 15]);
    expect(apply({ kind: 'late', delayMs: 1 })).toEqual([10, 11, 12, 13, 14, 15]);
  });
});
