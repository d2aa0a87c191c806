import { assessQuality } from './assess';
import {
  checkNamed,
  syntheticHour,
  syntheticInput,
  syntheticRowAt as rowAt,
  syntheticRows,
  unpassedChecks,
} from './synthetic-window';

const hoursFrom = (first: number, count: number): number[] => Array.from({ length: count }, (_, i) => first + i);

/** Faults along the hours of a location: gaps, lag, repeated values, index disagreement. */
describe('assessQuality on faults along the hours', () => {
  it('when 6 hours are missing at one location, then only completeness warns (93.8 %), sampling the gap', () => {
    const gap = new Set(hoursFrom(10, 6).map(syntheticHour));
    const rows = syntheticRows().filter((r) => !(r.locationId === 'lyon' && gap.has(r.observedAt)));

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ completeness: 'warn' });
    const check = checkNamed(report, 'completeness');
    expect(check.violations).toBe(6);
    expect(check.samples).toEqual([{ locationId: 'lyon', observedAt: syntheticHour(10) }]);
    expect(check.detail).toContain('90 of 96 expected rows (93.8 %)');
  });

  it('when the newest 5 hours have not arrived anywhere, then only freshness warns (lag 5 h > 3 h)', () => {
    const rows = syntheticRows().filter((r) => r.observedAt <= syntheticHour(42));

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ freshness: 'warn' });
    const check = checkNamed(report, 'freshness');
    expect(check.violations).toBe(2);
    expect(check.samples.map((s) => s.observedAt)).toEqual([syntheticHour(42), syntheticHour(42)]);
    expect(check.detail).toContain('by 5 h');
    expect(checkNamed(report, 'completeness').detail).toContain('see freshness');
  });

  it('when pm2_5 repeats one value for 4 hours, then only stuck_values warns', () => {
    const rows = syntheticRows();
    for (const h of hoursFrom(20, 4)) rowAt(rows, 'paris', h).values.pm2_5 = 12.3;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ stuck_values: 'warn' });
    const check = checkNamed(report, 'stuck_values');
    expect(check.violations).toBe(1);
    expect(check.samples).toEqual([
      { locationId: 'paris', observedAt: syntheticHour(20), variable: 'pm2_5', value: 12.3 },
    ]);
    expect(check.detail).toContain('for 4 h');
  });

  it('when pm2_5 repeats one value for 30 hours, then only stuck_values fails', () => {
    const rows = syntheticRows();
    for (const h of hoursFrom(5, 30)) rowAt(rows, 'lyon', h).values.pm2_5 = 7.1;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ stuck_values: 'fail' });
    expect(checkNamed(report, 'stuck_values').violations).toBe(1);
    expect(checkNamed(report, 'stuck_values').detail).toContain('for 30 h');
  });

  it('when 2 of 96 computed indices are 3 below the reported ones, then only index_consistency warns', () => {
    const rows = syntheticRows();
    for (const h of [7, 8]) {
      const row = rowAt(rows, 'paris', h);
      row.computedEuropeanAqi = (row.reportedEuropeanAqi ?? 0) - 3;
    }

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ index_consistency: 'warn' });
    const check = checkNamed(report, 'index_consistency');
    expect(check.violations).toBe(2);
    expect(check.samples[0]).toEqual({
      locationId: 'paris',
      observedAt: syntheticHour(7),
      variable: 'european_aqi_computed_minus_reported',
      value: -3,
    });
  });

  it('when 10 of 96 computed indices disagree, then only index_consistency fails (10.4 % > 5 %)', () => {
    const rows = syntheticRows();
    for (const h of hoursFrom(0, 10)) rowAt(rows, 'lyon', h).computedEuropeanAqi = 99;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ index_consistency: 'fail' });
    expect(checkNamed(report, 'index_consistency').violations).toBe(10);
  });
});
