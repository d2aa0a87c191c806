import { AppError } from '../errors';

import {
  eaqiBand,
  eaqiSubIndex,
  europeanAqi,
  type EaqiPollutant,
  type EuropeanAqiMethod,
  type HourlySeries,
} from './european-aqi';

const preEea2024: EuropeanAqiMethod = 'eaqi-open-meteo-pre-2026-08';
const eea2024: EuropeanAqiMethod = 'eaqi-eea-2024';

function seriesOf(values: HourlySeries['values']): HourlySeries {
  const hours = Object.values(values)[0]?.length ?? 0;
  const observedAt = Array.from({ length: hours }, (_, h) => new Date(Date.UTC(2024, 0, 1, h)).toISOString());
  return { observedAt, values };
}

const constant = (hours: number, value: number | null): (number | null)[] => Array(hours).fill(value);

/** A small deterministic generator, so a failing property case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe('eaqiSubIndex', () => {
  it.each<[EuropeanAqiMethod, EaqiPollutant, number, number]>([
    [preEea2024, 'pm2_5', 0, 0],
    [preEea2024, 'pm2_5', 10, 20],
    [preEea2024, 'pm2_5', 22.5, 50],
    [preEea2024, 'pm2_5', 75, 100],
    [preEea2024, 'pm10', 45, 50],
    [preEea2024, 'nitrogen_dioxide', 40, 20],
    [preEea2024, 'nitrogen_dioxide', 65, 30],
    [preEea2024, 'ozone', 115, 50],
    [preEea2024, 'ozone', 380, 100],
    [preEea2024, 'sulphur_dioxide', 425, 70],
    [eea2024, 'pm2_5', 5, 20],
    [eea2024, 'pm2_5', 10, 30],
    [eea2024, 'pm2_5', 140, 100],
    [eea2024, 'pm10', 82.5, 50],
    [eea2024, 'nitrogen_dioxide', 80, 70],
    [eea2024, 'ozone', 170, 90],
    [eea2024, 'sulphur_dioxide', 30, 30],
  ])('when %s %s is %d µg/m³, then the sub-index is %d (linear inside its band)', (method, pollutant, c, expected) => {
    expect(eaqiSubIndex(method, pollutant, c)).toBeCloseTo(expected, 10);
  });

  it.each<[EuropeanAqiMethod, EaqiPollutant, number, number]>([
    [preEea2024, 'pm2_5', 100, 120],
    [preEea2024, 'pm10', 200, 120],
    [preEea2024, 'nitrogen_dioxide', 450, 120],
    [preEea2024, 'ozone', 450, 110],
    [preEea2024, 'sulphur_dioxide', 1000, 120],
    [eea2024, 'pm2_5', 165, 110],
    [eea2024, 'ozone', 200, 120],
  ])('when %s %s is %d µg/m³, above its last band, then the last slope continues to %d', (method, p, c, expected) => {
    expect(eaqiSubIndex(method, p, c)).toBeCloseTo(expected, 10);
  });

  it('when a concentration sits exactly on a band edge, then both neighbouring bands give the same index', () => {
    expect(eaqiSubIndex(preEea2024, 'ozone', 100 - 1e-9)).toBeCloseTo(40, 6);
    expect(eaqiSubIndex(preEea2024, 'ozone', 100)).toBe(40);
  });
});

describe('europeanAqi, pre-2026 Open-Meteo method', () => {
  it('when PM2.5 spikes at hour t, then the sub-index at t ignores it and the one at t+1 includes it', () => {
    const pm = [...constant(24, 10), 1000, 10];

    const result = europeanAqi(seriesOf({ pm2_5: pm }), preEea2024);

    expect(result[24]?.subIndices.pm2_5).toBeCloseTo(20, 10); // mean of hours 0..23
    // (23·10 + 1000) / 24 = 51.25 µg/m³, in band 50–75: 80 + 1.25/25·20 = 81
    expect(result[25]?.subIndices.pm2_5).toBeCloseTo(81, 10);
  });

  it('when fewer than 24 hours precede an hour, then that hour has no PM sub-index', () => {
    const result = europeanAqi(seriesOf({ pm2_5: constant(25, 10), pm10: constant(25, 20) }), preEea2024);

    expect(result.slice(0, 24)).toEqual(constant(24, null));
    expect(result[24]?.value).toBeCloseTo(20, 10);
  });

  it('when a PM hour is missing, then every hour whose 24-hour window holds it has no PM sub-index', () => {
    const pm = constant(56, 10);
    pm[30] = null;

    const result = europeanAqi(seriesOf({ pm2_5: pm }), preEea2024);

    expect(result[30]?.value).toBeCloseTo(20, 10); // window 6..29
    expect(result.slice(31, 55)).toEqual(constant(24, null)); // windows 7..30 up to 30..53
    expect(result[55]?.value).toBeCloseTo(20, 10); // window 31..54
  });

  it('when PM has no history yet, then the gases alone give the index', () => {
    const result = europeanAqi(seriesOf({ pm2_5: [50], nitrogen_dioxide: [65] }), preEea2024);

    expect(result[0]).toEqual({
      value: 30,
      dominant: 'nitrogen_dioxide',
      method: preEea2024,
      subIndices: { nitrogen_dioxide: 30 },
    });
  });
});

describe('europeanAqi, EEA 2024 method', () => {
  it('when PM2.5 spikes at hour t, then the hourly value counts at t itself', () => {
    const result = europeanAqi(seriesOf({ pm2_5: [10, 140, 10] }), eea2024);

    expect(result.map((r) => r?.value)).toEqual([30, 100, 30]);
    expect(result[1]?.method).toBe(eea2024);
  });
});

describe('europeanAqi, both methods', () => {
  it('when two pollutants are present, then the higher sub-index is the index and names the dominant one', () => {
    const [hour] = europeanAqi(seriesOf({ nitrogen_dioxide: [65], ozone: [115] }), preEea2024);

    expect(hour).toEqual({
      value: 50,
      dominant: 'ozone',
      method: preEea2024,
      subIndices: { nitrogen_dioxide: 30, ozone: 50 },
    });
  });

  it('when two sub-indices tie, then the dominant pollutant is the first in the index order', () => {
    const [hour] = europeanAqi(seriesOf({ sulphur_dioxide: [100], nitrogen_dioxide: [40] }), preEea2024);

    expect(hour?.dominant).toBe('nitrogen_dioxide');
  });

  it('when a gas is null at an hour, then that hour is indexed from the others, or null without any', () => {
    const result = europeanAqi(seriesOf({ ozone: [115, null, null], nitrogen_dioxide: [65, 65, null] }), preEea2024);

    expect(result[0]?.dominant).toBe('ozone');
    expect(result[1]?.subIndices).toEqual({ nitrogen_dioxide: 30 });
    expect(result[2]).toBeNull();
  });

  it('when the series has no pollutant the index uses, then every hour is null', () => {
    const result = europeanAqi(seriesOf({ carbon_monoxide: [200, 210] }), eea2024);

    expect(result).toEqual([null, null]);
  });

  it('when a value array does not line up with the hours, then it is refused as a caller bug', () => {
    const series: HourlySeries = { observedAt: ['2024-01-01T00:00:00Z'], values: { ozone: [1, 2] } };

    expect(() => europeanAqi(series, eea2024)).toThrow(AppError);
  });

  it.each([preEea2024, eea2024])('when PM2.5 rises at any one hour (%s), then no hour of the index falls', (method) => {
    const random = seededRandom(42);
    const hours = 72;
    const base = {
      pm2_5: Array.from({ length: hours }, () => random() * 120),
      pm10: Array.from({ length: hours }, () => random() * 160),
      ozone: Array.from({ length: hours }, () => random() * 200),
    };
    const before = europeanAqi(seriesOf(base), method);

    for (let trial = 0; trial < 50; trial++) {
      const raised = [...base.pm2_5];
      const hour = Math.floor(random() * hours);
      raised[hour] = (raised[hour] ?? 0) + random() * 100;
      const after = europeanAqi(seriesOf({ ...base, pm2_5: raised }), method);

      after.forEach((value, t) => expect(value?.value ?? -1).toBeGreaterThanOrEqual(before[t]?.value ?? -1));
    }
  });

  it.each([preEea2024, eea2024])('when PM2.5 climbs through every band (%s), then the index never drops', (method) => {
    let previous = -Infinity;
    for (let pm = 0; pm <= 300; pm += 0.5) {
      const index = europeanAqi(seriesOf({ pm2_5: constant(25, pm), nitrogen_dioxide: constant(25, 30) }), method)[24];

      expect(index?.value).toBeGreaterThanOrEqual(previous);
      previous = index?.value ?? Infinity;
    }
  });
});

describe('eaqiBand', () => {
  it.each<[number, string]>([
    [0, 'good'],
    [20, 'good'],
    [20.01, 'fair'],
    [40, 'fair'],
    [59.9, 'moderate'],
    [80, 'poor'],
    [100, 'very poor'],
    [100.01, 'extremely poor'],
    [444, 'extremely poor'],
  ])('when the index is %d, then the band is %s (upper edges inclusive)', (value, band) => {
    expect(eaqiBand(value)).toBe(band);
  });

  it('when the index is not a number, then the band is refused', () => {
    expect(() => eaqiBand(Number.NaN)).toThrow(RangeError);
  });
});
