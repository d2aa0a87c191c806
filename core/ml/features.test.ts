import { AppError } from '../errors';

import { type LocationSeries } from './dataset';
import {
  buildExamples,
  featureSpec,
  featureSpecFor,
  forecastFeatures,
  instantFeatures,
  instantInput,
  maxForecastHorizonHours,
} from './features';
import { syntheticSeries } from './synthetic-series';

const input = { pm2_5: 9, pm10: 19, carbon_monoxide: 99, sulphur_dioxide: 0, uv_index: 3 };

describe('instantInput and instantFeatures', () => {
  it('when the five concentrations are given, then the vector is log10(x + 1) in the spec order', () => {
    expect(instantFeatures(instantInput.parse(input))).toEqual([1, Math.log10(20), 2, 0, Math.log10(4)]);
    expect(featureSpecFor('instant', 0).names).toEqual([
      'log10_pm2_5',
      'log10_pm10',
      'log10_carbon_monoxide',
      'log10_sulphur_dioxide',
      'log10_uv_index',
    ]);
  });

  it.each([
    ['a negative value', { ...input, pm10: -1 }],
    ['an infinite value', { ...input, pm2_5: Infinity }],
    ['NaN', { ...input, uv_index: NaN }],
    ['a missing field', { pm2_5: 1, pm10: 1, carbon_monoxide: 1, sulphur_dioxide: 1 }],
    ['an extra field', { ...input, ozone: 40 }],
    ['a string', { ...input, pm2_5: '9' }],
  ])('when the request has %s, then it is refused', (_, body) => {
    expect(instantInput.safeParse(body).success).toBe(false);
  });
});

describe('featureSpecFor', () => {
  it('when an instant spec is asked for with any horizon, then its horizon is 0 and it has no baseline', () => {
    const spec = featureSpecFor('instant', 6);

    expect(spec).toMatchObject({ kind: 'instant', horizonHours: 0, target: { variable: 'european_aqi' } });
    expect(spec.baselineFeature).toBeUndefined();
  });

  it('when a forecast spec is built, then it parses as an artifact and names its baseline among its features', () => {
    const spec = featureSpecFor('forecast', 24);

    expect(featureSpec.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    expect(spec.names).toContain(spec.baselineFeature);
    expect(spec.target.method).toBe('eaqi-open-meteo-pre-2026-08');
  });

  it.each([0, -1, 1.5, maxForecastHorizonHours + 1])('when the forecast horizon is %d h, then it is refused', (h) => {
    expect(() => featureSpecFor('forecast', h)).toThrow(AppError);
  });
});

describe('forecastFeatures and buildExamples', () => {
  const series = syntheticSeries('lyon', 24 * 8);

  it.each([1, 6, 24])('when +%d h rows are built, then serving computes the very row training used (parity)', (h) => {
    const spec = featureSpecFor('forecast', h);
    const examples = buildExamples([series], spec);

    expect(examples.y.length).toBeGreaterThan(24 * 4);
    for (const i of [0, 17, examples.at.length - 1]) {
      const at = examples.at[i] as string;
      expect(forecastFeatures(series, at, spec)).toEqual(examples.x[i]);
      expect(examples.target[i]).toBe(new Date(Date.parse(at) + h * 3_600_000).toISOString().replace('.000Z', 'Z'));
    }
  });

  it('when readings after the forecast hour change, then the feature vector does not (no look-ahead)', () => {
    const spec = featureSpecFor('forecast', 6);
    const at = series.readings[100]?.observedAt as string;
    const altered: LocationSeries = {
      ...series,
      readings: series.readings.map((r, i) =>
        i > 100 ? { ...r, values: { ...r.values, pm2_5: 500 }, reported: { european_aqi: 300 } } : r,
      ),
    };

    expect(forecastFeatures(altered, at, spec)).toEqual(forecastFeatures(series, at, spec));
  });

  it('when an hour inside the 48-hour history is missing, then there is no vector for the hours that need it', () => {
    const spec = featureSpecFor('forecast', 1);
    const gap = 120;
    const holed: LocationSeries = { ...series, readings: series.readings.filter((_, i) => i !== gap) };
    const examples = buildExamples([holed], spec);
    const at = (i: number) => series.readings[i]?.observedAt as string;

    expect(forecastFeatures(holed, at(gap + 10), spec)).toBeUndefined();
    expect(forecastFeatures(holed, at(gap + 49), spec)).toBeDefined();
    expect(examples.at).not.toContain(at(gap + 48));
    expect(examples.at).toContain(at(gap + 49));
  });

  it('when the index is the PM one, then the +1 h baseline is the next hour’s index within rounding', () => {
    const spec = featureSpecFor('forecast', 1);
    const examples = buildExamples([series], spec);
    const baseline = spec.names.indexOf(spec.baselineFeature as string);

    examples.x.forEach((row, i) =>
      expect(Math.abs((row[baseline] as number) - (examples.y[i] as number))).toBeLessThanOrEqual(0.5),
    );
  });

  it('when instant examples are built, then each hour with all five inputs and an index gives one row', () => {
    const examples = buildExamples([series, { ...series, locationId: 'paris' }], featureSpecFor('instant', 0));

    expect(examples.y).toHaveLength(2 * (series.readings.length - 24));
    expect(examples.persistence).toEqual(examples.y);
    expect(new Set(examples.locationIds)).toEqual(new Set(['lyon', 'paris']));
    expect(examples.spec?.kind).toBe('instant');
  });

  it('when a series holds the same hour twice, then building refuses it', () => {
    const doubled = { ...series, readings: [...series.readings, series.readings[50] as (typeof series.readings)[0]] };

    expect(() => buildExamples([doubled], featureSpecFor('instant', 0))).toThrow(/appears twice/);
  });

  it('when the spec was made by other code, then neither building nor serving accepts it', () => {
    const foreign = { ...featureSpecFor('forecast', 6), names: ['something_else'] };

    expect(() => buildExamples([series], foreign)).toThrow(AppError);
    expect(() => forecastFeatures(series, series.readings[100]?.observedAt as string, foreign)).toThrow(AppError);
  });
});
