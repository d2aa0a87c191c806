import { ApplicationFailure } from '@temporalio/common';
import type { Producer } from 'kafkajs';

import type { Reading } from '../core/air-quality/reading';
import { AppError } from '../core/errors';
import { topics } from '../core/topics';
import { inActivityOf } from '../test/support/activity-context';
import { fakeLocations, fakeReadings } from '../test/support/repository-fakes';

import { createIngestionActivities, type HourlySource } from './ingestion';

const lyon = { id: 'lyon', name: 'Lyon', latitude: 45.76, longitude: 4.84 };
const hourMs = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function hour(observedAt: string, values: Reading['values']): Reading {
  return { latitude: 45.7, longitude: 4.8, observedAt, values, reported: {} };
}

/** Hours [from, to] inclusive with fixed pollutant values. */
function hours(from: string, to: string, values: Reading['values']): Reading[] {
  const out: Reading[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += hourMs) out.push(hour(iso(t), values));
  return out;
}

/** A source holding Lyon's hours from `first` on; before that it refuses, as Open-Meteo does out of range. */
function sourceFrom(first: string, values: Reading['values']) {
  const calls: { from: string; to: string }[] = [];
  const client: HourlySource = {
    async fetchHourly({ locations, from, to }) {
      calls.push({ from, to });
      if (Date.parse(from) < Date.parse(first)) throw new AppError('OPEN_METEO_ERROR', `no data before ${first}`);
      const readings = locations.flatMap((l) =>
        hours(from, to, values).map((reading) => ({ locationId: l.id, reading })),
      );
      return {
        readings,
        payloads: [{ requestKey: `${from}/${to}`, url: `https://source.test/?start=${from}`, body: {} }],
      };
    },
    fetchCurrent: async (locations) =>
      locations.map((l, i) => ({ locationId: l.id, reading: hour(`2024-03-01T1${i}:20:00Z`, values) })),
    planHourly: ({ locations, from, to }) => [
      { url: `https://source.test/?from=${from}&to=${to}`, locationIds: locations.map((l) => l.id), weight: 1 },
    ],
  };
  return { client, calls };
}

const inActivity = inActivityOf('ingest-history-lyon');
const pollutants = { pm10: 20, pm2_5: 10, nitrogen_dioxide: 15, ozone: 60, sulphur_dioxide: 2 };

function setUp(
  options: {
    first?: string;
    holdings?: () => Promise<{ latitude: number; longitude: number; ranges: { from: string; to: string }[] }[]>;
  } = {},
) {
  const readings = fakeReadings();
  const source = sourceFrom(options.first ?? '2024-01-01T00:00:00Z', pollutants);
  const sent: Parameters<Producer['send']>[0][] = [];
  const producer = {
    send: async (record: Parameters<Producer['send']>[0]) => void sent.push(record),
  } as unknown as Producer;
  const activities = createIngestionActivities({
    locations: fakeLocations([lyon]),
    readings: readings.repository,
    source: { name: 'replay', client: source.client, ...(options.holdings ? { holdings: options.holdings } : {}) },
    producer,
  });
  return { activities, readings, source, sent };
}

describe('planHistorySource', () => {
  it('when the offline source does not hold a location, then the run fails at once, naming the place and AQI_SOURCE', async () => {
    const { activities, source } = setUp({
      holdings: async () => [
        { latitude: 52.52, longitude: 13.4, ranges: [{ from: '2024-01-01T00:00', to: '2024-12-31T23:00' }] },
      ],
    });

    const planned = inActivity(activities.planHistorySource, {
      locationIds: ['lyon'],
      from: '2024-02-01T00:00:00Z',
      to: '2024-02-01T23:00:00Z',
    });

    await expect(planned).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(planned).rejects.toMatchObject({ type: 'SOURCE_NOT_COVERED', nonRetryable: true });
    await expect(planned).rejects.toThrow(/lyon.*AQI_SOURCE=open-meteo/s);
    expect(source.calls).toEqual([]);
  });

  it('when the source holds the window, then the plan names the source, the locations and the calls', async () => {
    const { activities } = setUp({
      holdings: async () => [
        { latitude: 45.7, longitude: 4.8, ranges: [{ from: '2024-01-01T00:00', to: '2024-12-31T23:00' }] },
      ],
    });

    const plan = await inActivity(activities.planHistorySource, {
      locationIds: ['lyon'],
      from: '2024-02-01T00:00:00Z',
      to: '2024-02-01T23:00:00Z',
    });

    expect(plan.source).toBe('replay');
    expect(plan.locations.map((l) => l.id)).toEqual(['lyon']);
    expect(plan.calls).toEqual([
      expect.objectContaining({ locationIds: ['lyon'], url: expect.stringContaining('2024-02-01') }),
    ]);
  });
});

describe('ingestHistoryChunk', () => {
  const chunk = { locationId: 'lyon', from: '2024-02-01T00:00:00Z', to: '2024-02-01T05:00:00Z' };

  it('stores the chunk with its payloads under the workflow id, and a second run writes nothing', async () => {
    const { activities, readings } = setUp();

    const first = await inActivity(activities.ingestHistoryChunk, chunk);
    const again = await inActivity(activities.ingestHistoryChunk, chunk);

    expect(first).toEqual({ locationId: 'lyon', fetched: 6, written: 6, unchanged: 0 });
    expect(again).toEqual({ locationId: 'lyon', fetched: 6, written: 0, unchanged: 6 });
    expect([...readings.rows.values()].map((r) => r.runId)).toEqual(Array(6).fill('ingest-history-lyon'));
    expect([...readings.payloads.values()].map((p) => p.source)).toEqual(['replay']);
  });

  it('when the source has the day before, then the first hour gets the indices that need 24-hour PM means; before its first day it cannot', async () => {
    const withHistory = setUp();
    const atStart = setUp({ first: chunk.from });

    await inActivity(withHistory.activities.ingestHistoryChunk, chunk);
    await inActivity(atStart.activities.ingestHistoryChunk, chunk);

    const firstHourMethods = (rows: ReturnType<typeof fakeReadings>['rows']) =>
      (rows.get(`lyon|${Date.parse(chunk.from)}`)?.indices ?? []).map((i) => i.method);
    expect(withHistory.source.calls).toContainEqual({ from: '2024-01-31T00:00:00Z', to: '2024-01-31T23:00:00Z' });
    const needingHistory = firstHourMethods(withHistory.readings.rows).filter(
      (m) => !firstHourMethods(atStart.readings.rows).includes(m),
    );
    expect(needingHistory.length).toBeGreaterThan(0);
    expect(atStart.readings.rows.size).toBe(6);
  });

  it('when the location is unknown, then it fails without retry and stores nothing', async () => {
    const { activities, readings } = setUp();

    const ingest = inActivity(activities.ingestHistoryChunk, { ...chunk, locationId: 'atlantis' });

    await expect(ingest).rejects.toMatchObject({ type: 'UNKNOWN_LOCATION', nonRetryable: true });
    expect(readings.rows.size).toBe(0);
  });
});

describe('latestSourceHour', () => {
  it('is the start of the oldest current hour among the locations', async () => {
    const activities = createIngestionActivities({
      locations: fakeLocations([lyon, { ...lyon, id: 'paris' }]),
      readings: fakeReadings().repository,
      source: { name: 'replay', client: sourceFrom('2024-01-01T00:00:00Z', pollutants).client },
      producer: {} as Producer,
    });

    await expect(inActivity(activities.latestSourceHour, { locationIds: ['lyon', 'paris'] })).resolves.toBe(
      '2024-03-01T10:00:00Z',
    );
  });
});

describe('publishRawReadings', () => {
  it('publishes each fetched hour to aqi.raw keyed by location, and returns what the wait must find stored', async () => {
    const { activities, sent, readings } = setUp();

    const result = await inActivity(activities.publishRawReadings, {
      locationIds: ['lyon'],
      from: '2024-02-01T00:00:00Z',
      to: '2024-02-01T01:00:00Z',
    });

    expect(sent.map((s) => s.topic)).toEqual([topics.aqiRaw]);
    const messages = sent[0]?.messages ?? [];
    expect(messages.map((m) => m.key)).toEqual(['lyon', 'lyon']);
    expect(JSON.parse(String(messages[0]?.value))).toMatchObject({
      schema: 'aqi.raw/v1',
      locationId: 'lyon',
      runId: 'ingest-history-lyon',
      reading: { observedAt: '2024-02-01T00:00:00Z', values: pollutants },
    });
    expect(result).toEqual({
      published: 2,
      expected: [
        { locationId: 'lyon', observedAt: '2024-02-01T00:00:00Z', values: pollutants },
        { locationId: 'lyon', observedAt: '2024-02-01T01:00:00Z', values: pollutants },
      ],
    });
    expect(readings.payloads.size).toBe(1);
  });
});

describe('awaitReadingsPersisted', () => {
  const observedAt = '2024-02-01T00:00:00Z';

  it('waits (throws) until every published value is the stored one, missing or revised alike', async () => {
    const { activities, readings } = setUp();
    await readings.repository.store(
      [{ locationId: 'lyon', reading: hour(observedAt, { pm10: 20, ozone: null }), indices: [] }],
      {
        source: 'replay',
        runId: 'r',
      },
    );

    const revised = inActivity(activities.awaitReadingsPersisted, {
      expected: [{ locationId: 'lyon', observedAt, values: { pm10: 21 } }],
    });
    const missing = inActivity(activities.awaitReadingsPersisted, {
      expected: [{ locationId: 'lyon', observedAt: '2024-02-01T01:00:00Z', values: { pm10: 20 } }],
    });
    const same = inActivity(activities.awaitReadingsPersisted, {
      expected: [{ locationId: 'lyon', observedAt: '2024-02-01T00:00:00.000Z', values: { pm10: 20, ozone: null } }],
    });

    await expect(revised).rejects.toMatchObject({ code: 'NOT_YET_PERSISTED' });
    await expect(missing).rejects.toThrow('stored 0 of 1');
    await expect(same).resolves.toEqual({ persisted: 1 });
  });
});
