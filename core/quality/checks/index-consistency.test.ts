import { buildContext, type QualityRow } from '../context';
import { syntheticHour, syntheticInput } from '../synthetic-window';

import { checkIndexConsistency } from './index-consistency';

const allInputs = { pm2_5: 10, pm10: 20, nitrogen_dioxide: 30, ozone: 40, sulphur_dioxide: 2 };
const rowWith = (
  h: number,
  reported: number | null,
  computed: number | null | undefined,
  values: QualityRow['values'] = allInputs,
): QualityRow => ({
  locationId: 'paris',
  observedAt: syntheticHour(h),
  values,
  reportedEuropeanAqi: reported,
  computedEuropeanAqi: computed,
});
const consistency = (rows: QualityRow[]) => checkIndexConsistency(buildContext(syntheticInput(rows)));

describe('checkIndexConsistency', () => {
  it('when a row lacks NO2/O3, then a platform value below the source is no violation but one above still is', () => {
    const partial = { pm2_5: 10, pm10: 20, sulphur_dioxide: 2 };
    const below = Array.from({ length: 40 }, (_, h) => rowWith(h, 60, 20, partial));
    const above = rowWith(40, 20, 25, partial);

    expect(consistency(below)).toMatchObject({ status: 'pass', violations: 0 });
    expect(consistency([...below, above])).toMatchObject({ status: 'warn', violations: 1 });
  });

  it('when the source rounds its index, then differences up to the tolerance pass', () => {
    const rows = [rowWith(0, 31, 30.5), rowWith(1, 31, 31.49), rowWith(2, 31, 30)];

    expect(consistency(rows)).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('when the platform exceeds the source by more than rounding, then it counts even within tolerance', () => {
    const rows = Array.from({ length: 40 }, (_, h) => rowWith(h, 31, 31));
    rows.push(rowWith(40, 31, 31.8));

    const check = consistency(rows);

    expect(check).toMatchObject({ status: 'warn', violations: 1 });
    expect(check.detail).toContain('1 with the platform above the source');
  });

  it('when no row has both values, then there is nothing to compare and the check passes', () => {
    const rows = [rowWith(0, 31, null), rowWith(1, null, 12), rowWith(2, 31, undefined)];

    expect(consistency(rows)).toMatchObject({ status: 'pass', violations: 0 });
    expect(consistency(rows).detail).toBe('no row has both a reported and a computed EAQI');
  });
});
