import { indicesForPlace } from '../../core/air-quality/indices';
import type { RawReadingMessage } from '../../core/air-quality/messages';
import type { Reading } from '../../core/air-quality/reading';

import { indexNewReadings, type HistoryLoader } from './transform';

const hourMs = 3600_000;
const start = Date.UTC(2024, 0, 1);

function reading(h: number, pm2_5 = 5 + (h % 17)): Reading {
  return {
    latitude: 45.7,
    longitude: 4.8,
    observedAt: new Date(start + h * hourMs).toISOString().replace('.000Z', 'Z'),
    values: { pm2_5, pm10: 8 + (h % 11), ozone: 30 + (h % 23), nitrogen_dioxide: 12, carbon_monoxide: 200 },
    reported: {},
  };
}

const raw = (r: Reading, locationId = 'lyon'): RawReadingMessage => ({
  schema: 'aqi.raw/v1',
  locationId,
  source: 'test',
  runId: 'run-1',
  fetchedAt: '2024-03-01T00:00:00Z',
  reading: r,
});

/** A store kept in memory, answering like loadReadingHistory: 24 h before `earliest` up to `until`. */
function memoryHistory(stored: Reading[]): HistoryLoader {
  return async (_locationId, earliest, until) =>
    stored.filter((r) => Date.parse(r.observedAt) >= Date.parse(earliest) - 24 * hourMs && r.observedAt < until);
}

describe('indexing newly arrived readings', () => {
  it('when hours arrive chunk by chunk, then each gets the indices the batch path computes over the whole series', async () => {
    const all = Array.from({ length: 72 }, (_, h) => reading(h));
    const batch = indicesForPlace(all);
    const stored: Reading[] = [];
    const streamed = [];
    for (let from = 0; from < all.length; from += 10) {
      const chunk = all.slice(from, from + 10);
      streamed.push(
        ...(await indexNewReadings(
          chunk.map((r) => raw(r)),
          memoryHistory(stored),
        )),
      );
      stored.push(...chunk);
    }

    expect(streamed.map((s) => s.indices)).toEqual(batch);
    expect(batch[30]?.map((i) => i.method)).toContain('eaqi-open-meteo-pre-2026-08');
  });

  it('when a chunk holds the same hour twice, then the later message wins and the hour is indexed once', async () => {
    const first = raw(reading(30, 5));
    const correction = raw(reading(30, 80));
    const history = Array.from({ length: 30 }, (_, h) => reading(h));

    const indexed = await indexNewReadings([first, correction], memoryHistory(history));

    expect(indexed).toHaveLength(1);
    expect(indexed[0]?.message).toBe(correction);
    expect(indexed[0]?.indices).toEqual(indicesForPlace([...history, correction.reading])[30]);
  });

  it('when a stored hour comes again, then the new message replaces it in the series', async () => {
    const history = Array.from({ length: 30 }, (_, h) => reading(h));
    const replayed = raw(reading(20, 500));

    const [indexed] = await indexNewReadings([replayed], memoryHistory(history));

    const expected = indicesForPlace([...history.filter((_, h) => h !== 20), replayed.reading].sort(byHour));
    expect(indexed?.indices).toEqual(expected[20]);
  });

  it('when several locations arrive together, then each is indexed over its own history only', async () => {
    const loaded: string[] = [];
    const loader: HistoryLoader = async (locationId) => {
      loaded.push(locationId);
      return [];
    };

    const indexed = await indexNewReadings([raw(reading(0), 'lyon'), raw(reading(0), 'paris')], loader);

    expect(loaded.sort()).toEqual(['lyon', 'paris']);
    expect(indexed.map((i) => i.message.locationId).sort()).toEqual(['lyon', 'paris']);
  });
});

function byHour(a: Reading, b: Reading): number {
  return Date.parse(a.observedAt) - Date.parse(b.observedAt);
}
