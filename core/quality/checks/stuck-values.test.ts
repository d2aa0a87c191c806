import { buildContext, type QualityRow } from '../context';
import { syntheticHour, syntheticInput } from '../synthetic-window';

import { checkStuckValues } from './stuck-values';

const row = (h: number, values: QualityRow['values']): QualityRow => ({
  locationId: 'lyon',
  observedAt: syntheticHour(h),
  values,
});
const stuck = (rows: QualityRow[]) => checkStuckValues(buildContext(syntheticInput(rows)));

describe('checkStuckValues', () => {
  it('when a coarse-resolution variable (dust in whole µg/m³) holds one value for two days, then it is not watched', () => {
    const rows = Array.from({ length: 42 }, (_, h) => row(h, { dust: 1, ammonia: 2 }));

    expect(stuck(rows)).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('when a watched pollutant holds one value for a day, then the check fails', () => {
    const rows = Array.from({ length: 24 }, (_, h) => row(h, { nitrogen_dioxide: 12.3 }));

    expect(stuck(rows)).toMatchObject({ status: 'fail', violations: 1 });
  });

  it('when UV, dust and pollen stay at 0 all night, then that is physics, not a stuck source', () => {
    const rows = [0, 1, 2, 3, 4].map((h) => row(h, { uv_index: 0, dust: 0, birch_pollen: 0 }));

    expect(stuck(rows)).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('when UV repeats a non-zero value, then the exemption does not apply', () => {
    const rows = [0, 1, 2].map((h) => row(h, { uv_index: 4.2 }));

    expect(stuck(rows)).toMatchObject({ status: 'warn', violations: 1 });
  });

  it('when a pollutant stays at 0, then it is a run like any other value', () => {
    const rows = [0, 1, 2].map((h) => row(h, { sulphur_dioxide: 0 }));

    expect(stuck(rows).samples).toEqual([
      { locationId: 'lyon', observedAt: syntheticHour(0), variable: 'sulphur_dioxide', value: 0 },
    ]);
  });

  it('when a missing hour or a null interrupts a repeated value, then no run is long enough', () => {
    const rows = [row(0, { pm10: 9 }), row(1, { pm10: 9 }), row(3, { pm10: 9 }), row(4, { pm10: null })];
    rows.push(row(5, { pm10: 9 }), row(6, { pm10: 9 }));

    expect(stuck(rows)).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('when rows come out of order, then runs are found in time order', () => {
    const rows = [2, 0, 1].map((h) => row(h, { pm2_5: 5 }));

    expect(stuck(rows).samples).toEqual([
      { locationId: 'lyon', observedAt: syntheticHour(0), variable: 'pm2_5', value: 5 },
    ]);
  });

  it('when the run length is configured to 5, then a 4-hour run passes', () => {
    const rows = [0, 1, 2, 3].map((h) => row(h, { pm2_5: 5 }));
    const input = { ...syntheticInput(rows), thresholds: { stuckRunWarnHours: 5 } };

    expect(checkStuckValues(buildContext(input))).toMatchObject({ status: 'pass', violations: 0 });
  });
});
