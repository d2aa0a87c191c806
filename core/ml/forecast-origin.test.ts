import { formatObservedAt } from '../air-quality/reading';

import { hourMs, type LocationSeries } from './dataset';
import { featureSpecFor, forecastFeatures } from './features';
import { latestForecastOrigin } from './forecast-origin';
import { syntheticSeries } from './synthetic-series';

const spec = featureSpecFor('forecast', 24);
const tenDays = syntheticSeries('lyon', 24 * 10);
const lastHour = (series: LocationSeries) => series.readings.at(-1)?.observedAt ?? '';

describe('the hour a forecast "as of now" starts from', () => {
  it('when the newest stored hour has its history, then the forecast starts there, with the serving vector', () => {
    const origin = latestForecastOrigin(tenDays, spec);

    expect(origin?.at).toBe(lastHour(tenDays));
    expect(origin?.x).toEqual(forecastFeatures(tenDays, lastHour(tenDays), spec));
  });

  it('when a later export adds hours after a gap, then the forecast starts at the last hour before the gap', () => {
    const later = syntheticSeries('lyon', 48, {
      start: formatObservedAt(Date.parse(lastHour(tenDays)) + 150 * 24 * hourMs),
    });
    const stored = { locationId: 'lyon', readings: [...tenDays.readings, ...later.readings] };

    expect(latestForecastOrigin(stored, spec)?.at).toBe(lastHour(tenDays));
  });

  it('when the newest complete window lacks another value at its last hour, then the hour before is used', () => {
    const readings = tenDays.readings.map((r, i, all) =>
      i === all.length - 1 ? { ...r, values: { ...r.values, uv_index: null } } : r,
    );
    const origin = latestForecastOrigin({ locationId: 'lyon', readings }, spec);

    expect(origin?.at).toBe(tenDays.readings.at(-2)?.observedAt);
  });

  it('when no hour has two days of history before it, then there is no origin', () => {
    expect(latestForecastOrigin(syntheticSeries('paris', 48), spec)).toBeUndefined();
  });
});
