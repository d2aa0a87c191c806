import { assessQuality, qualityChecks } from './assess';
import { qualityCheckNames } from './report';
import {
  checkNamed,
  syntheticHour,
  syntheticInput,
  syntheticRowAt as rowAt,
  syntheticRows,
  unpassedChecks,
} from './synthetic-window';

/** Faults in single rows; faults along the hours are in assess-series.test.ts. */
describe('assessQuality on single-row faults', () => {
  it('when the window is clean, then every check passes with no violation, in the registry order', () => {
    const report = assessQuality(syntheticInput());

    expect(report.verdict).toBe('pass');
    expect(report.rowsChecked).toBe(96);
    expect(report.checks.map((c) => c.name)).toEqual(qualityCheckNames);
    expect(qualityChecks).toHaveLength(qualityCheckNames.length);
    expect(report.checks.map((c) => [c.name, c.violations, c.samples])).toEqual(
      qualityCheckNames.map((name) => [name, 0, []]),
    );
  });

  it('when pm2_5 is null or absent in 2 of 96 rows, then only nulls warns (2.1 % > 1 %)', () => {
    const rows = syntheticRows();
    rowAt(rows, 'paris', 5).values.pm2_5 = null;
    delete rowAt(rows, 'lyon', 30).values.pm2_5;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ nulls: 'warn' });
    expect(report.verdict).toBe('warn');
    const check = checkNamed(report, 'nulls');
    expect(check.violations).toBe(2);
    expect(check.samples).toEqual([
      { locationId: 'paris', observedAt: syntheticHour(5), variable: 'pm2_5' },
      { locationId: 'lyon', observedAt: syntheticHour(30), variable: 'pm2_5' },
    ]);
    expect(check.detail).toContain('pm2_5 2.1 %');
  });

  it('when the reported index is null in 11 of 96 rows, then only nulls fails (11.5 % > 10 %), keeping 10 samples', () => {
    const rows = syntheticRows();
    for (let h = 0; h < 11; h++) rowAt(rows, 'lyon', h).reportedEuropeanAqi = null;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ nulls: 'fail' });
    const check = checkNamed(report, 'nulls');
    expect(check.violations).toBe(11);
    expect(check.samples).toHaveLength(10);
  });

  it('when one hour is stored twice, then only duplicates fails', () => {
    const rows = syntheticRows();
    rows.push({ ...rowAt(rows, 'paris', 12) });

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ duplicates: 'fail' });
    expect(checkNamed(report, 'duplicates')).toMatchObject({
      violations: 1,
      samples: [{ locationId: 'paris', observedAt: syntheticHour(12) }],
    });
  });

  it('when pm10 is 900 µg/m³, then only ranges fails, naming the cell', () => {
    const rows = syntheticRows();
    rowAt(rows, 'lyon', 20).values.pm10 = 900;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ ranges: 'fail' });
    expect(checkNamed(report, 'ranges')).toMatchObject({
      violations: 1,
      samples: [{ locationId: 'lyon', observedAt: syntheticHour(20), variable: 'pm10', value: 900 }],
    });
  });

  it('when values are negative, bounded or not, then only ranges fails, once per cell', () => {
    const rows = syntheticRows();
    rowAt(rows, 'paris', 3).values.sulphur_dioxide = -0.4;
    rowAt(rows, 'paris', 4).values.dust = -1;

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ ranges: 'fail' });
    const check = checkNamed(report, 'ranges');
    expect(check.violations).toBe(2);
    expect(check.samples.map((s) => [s.variable, s.value])).toEqual([
      ['sulphur_dioxide', -0.4],
      ['dust', -1],
    ]);
  });

  it('when a row is stamped 2 hours after now, then only future_timestamps fails', () => {
    const rows = syntheticRows();
    rows.push({ ...rowAt(rows, 'paris', 47), observedAt: syntheticHour(50) });

    const report = assessQuality(syntheticInput(rows));

    expect(unpassedChecks(report)).toEqual({ future_timestamps: 'fail' });
    expect(checkNamed(report, 'future_timestamps')).toMatchObject({
      violations: 1,
      samples: [{ locationId: 'paris', observedAt: syntheticHour(50) }],
    });
  });
});
