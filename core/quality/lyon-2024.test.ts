import { readFileSync } from 'node:fs';

import { bundledExports } from '../../config/bundled-data';
import { indicesForPlace } from '../air-quality/indices';
import { parseOpenMeteoCsv } from '../air-quality/open-meteo/csv';

import { assessQuality } from './assess';
import type { QualityRow } from './context';
import type { QualityCheckName, QualityReport } from './report';

/**
 * The checks over a real year: Lyon 2024 from Open-Meteo (Air quality data by Open-Meteo.com (CAMS),
 * CC BY 4.0), with the platform's pre-2026 EAQI computed the way the pipeline stores it. The expectations
 * record what the year really looks like, including the check it does not pass cleanly.
 */
const file = bundledExports.lyon2024;

function lyonYear(): QualityRow[] {
  const readings = parseOpenMeteoCsv(readFileSync(file, 'utf8'));
  const indices = indicesForPlace(readings);
  return readings.map((r, i) => ({
    locationId: 'lyon',
    observedAt: r.observedAt,
    values: r.values,
    reportedEuropeanAqi: r.reported.european_aqi ?? null,
    computedEuropeanAqi: indices[i]?.find((x) => x.method === 'eaqi-open-meteo-pre-2026-08')?.value ?? null,
  }));
}

describe('assessQuality over the real Lyon 2024 export', () => {
  let report: QualityReport;
  const check = (name: QualityCheckName) => report.checks.find((c) => c.name === name);

  beforeAll(() => {
    report = assessQuality({
      window: { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' },
      now: '2025-01-01T00:00:00Z',
      locationIds: ['lyon'],
      rows: lyonYear(),
    });
  });

  it('when the year is checked, then its structure is sound: complete, no nulls, in range, unique, on time', () => {
    expect(report.rowsChecked).toBe(8784);
    for (const name of ['completeness', 'nulls', 'ranges', 'duplicates', 'future_timestamps', 'freshness'] as const) {
      expect({ name, status: check(name)?.status }).toEqual({ name, status: 'pass' });
    }
  });

  it('when values are rounded to 0.1 µg/m³, then low concentrations repeat for hours: stuck_values warns, never a day', () => {
    const stuck = check('stuck_values');

    expect(stuck?.status).toBe('warn');
    expect(stuck?.violations).toBe(581);
    // Mostly SO2 around 0.3 µg/m³, a resolution artefact rather than a stuck feed; the longest run is 16 h.
    expect(stuck?.detail).toMatch(/\(sulphur_dioxide 411, /);
    expect(stuck?.detail).toContain('longest sulphur_dioxide = 0.3 at lyon for 16 h');
  });

  it('when the export lacks NO2 and O3, then only the overshoot rule applies and the platform never exceeds the source', () => {
    const consistency = check('index_consistency');

    // The source's index also used NO2/O3, so a lower platform value on these rows proves nothing; a higher
    // one would (same bands, a subset of the inputs). The largest overshoot in the year is exactly 0.5.
    expect(consistency?.status).toBe('pass');
    // The first 24 hours have no PM history, so no index is recorded for them: 8,760 are compared.
    expect(consistency?.detail).toMatch(/^0 of 8760 compared rows .* 0 with the platform above/);
    expect(consistency?.detail).toContain('8760 rows lack some of pm2_5/pm10/nitrogen_dioxide/ozone/sulphur_dioxide');
    expect(report.verdict).toBe('warn');
  });
});
