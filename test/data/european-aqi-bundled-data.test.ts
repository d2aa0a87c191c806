import { readFileSync } from 'node:fs';
import path from 'node:path';

import { bundledDataDir } from '../../config/bundled-data';
import { europeanAqi } from '../../core/air-quality/european-aqi';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import type { Reading } from '../../core/air-quality/reading';
import { toHourlySeries } from '../../core/air-quality/series';

/**
 * The platform's EAQI against what Open-Meteo reported in the real exports bundled in data/open-meteo (Air quality
 * data by Open-Meteo.com (CAMS), CC BY 4.0), on every hour that has its 24 hours of PM history.
 */
const dataDir = bundledDataDir;

function comparisons(file: string) {
  const readings = parseOpenMeteoCsv(readFileSync(path.join(dataDir, file), 'utf8'));
  const byPlace = new Map<string, Reading[]>();
  for (const r of readings) {
    const key = `${r.latitude},${r.longitude}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), r]);
  }
  return [...byPlace.values()].flatMap((place) => {
    const computed = europeanAqi(toHourlySeries(place), 'eaqi-open-meteo-pre-2026-08');
    return place
      .map((r, i) => ({ at: r.observedAt, reported: r.reported.european_aqi, computed: computed[i]?.value }))
      .slice(24)
      .filter((c): c is { at: string; reported: number; computed: number } => c.reported != null && c.computed != null);
  });
}

describe('European AQI (pre-2026-08 method) recomputed on the bundled Open-Meteo exports', () => {
  it('when recomputed on the 3-city file, then every hour with 24 h of history matches within 1e-3', () => {
    const rows = comparisons('paris-marseille-lyon-2025-06-01.csv');
    const worst = Math.max(...rows.map((r) => Math.abs(r.computed - r.reported)));

    expect(rows).toHaveLength(3 * 24);
    expect(worst).toBeLessThan(1e-3);
  });

  it('when recomputed on the Lyon 2024 export, then it never exceeds the reported (rounded) index by more than rounding', () => {
    // This export carries PM2.5, PM10 and SO2 but not NO2 or O3, which Open-Meteo also used, and it
    // reports whole numbers: the platform's value can be lower than reported (an NO2/O3 hour), never higher.
    const rows = comparisons('lyon-2024-hourly.csv');
    const over = rows.filter((r) => r.computed - r.reported > 0.5 + 1e-6);
    const pmDominated = rows.filter((r) => Math.abs(r.computed - r.reported) <= 0.5);

    expect(rows).toHaveLength(8784 - 24);
    expect(over).toEqual([]);
    expect(pmDominated.length).toBeGreaterThan(3000);
    expect(pmDominated.filter((r) => Math.round(r.computed) !== r.reported).length).toBeLessThanOrEqual(10);
  });
});
