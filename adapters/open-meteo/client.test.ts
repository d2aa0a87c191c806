import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { bundledDataDir } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { AppError } from '../../core/errors';

import { createOpenMeteoClient } from './client';
import { createReplayServer } from './replay-server';

const dataDir = bundledDataDir;
const lyon2024 = parseOpenMeteoCsv(readFileSync(path.join(dataDir, 'lyon-2024-hourly.csv'), 'utf8'));
const threeCities = parseOpenMeteoCsv(readFileSync(path.join(dataDir, 'paris-marseille-lyon-2025-06-01.csv'), 'utf8'));
const lyon = { id: 'lyon', latitude: 45.7578, longitude: 4.832 };
const noWait = async () => undefined;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): void {
  server.closeAllConnections();
  server.close();
}

describe('Open-Meteo client against the replay server', () => {
  let server: Server;
  let baseUrl: string;
  let calls: string[];
  const countingFetch: typeof fetch = (input, init) => {
    calls.push(String(input));
    return fetch(input, init);
  };

  beforeAll(async () => {
    const app = createReplayServer({ dataDir, now: '2024-06-15T10:00:00Z' });
    server = createServer(app);
    baseUrl = await listen(server);
  });
  beforeEach(() => {
    calls = [];
  });
  afterAll(() => close(server));

  it('when 20 days of Lyon are fetched, then 4 chunked calls merge into 480 readings equal to the CSV', async () => {
    const client = createOpenMeteoClient({ baseUrl, fetchImpl: countingFetch });

    const { readings, payloads } = await client.fetchHourly({
      locations: [lyon],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-20T23:00:00Z',
    });

    expect(calls).toHaveLength(4);
    expect(new Set(payloads.map((p) => p.requestKey)).size).toBe(4);
    expect(readings).toHaveLength(480);
    expect(readings.every((r) => r.locationId === 'lyon')).toBe(true);
    const expected = lyon2024.filter((r) => r.observedAt <= '2024-01-20T23:00:00Z');
    expect(readings.map((r) => r.reading.observedAt)).toEqual(expected.map((r) => r.observedAt));
    readings.forEach(({ reading }, i) => {
      expect(reading.values).toMatchObject(expected[i]?.values ?? {});
      expect(reading.reported.european_aqi).toBe(expected[i]?.reported.european_aqi);
      // Asked for but not in the 2024 export: present, and null.
      expect(reading.values.nitrogen_dioxide).toBeNull();
    });
  });

  it('when several locations share a call, then readings are tied to the requested ids by position', async () => {
    const client = createOpenMeteoClient({ baseUrl, fetchImpl: countingFetch });
    const locations = [
      { id: 'marseille', latitude: 43.3, longitude: 5.37 },
      { id: 'paris', latitude: 48.85, longitude: 2.35 },
    ];

    const { readings } = await client.fetchHourly({
      locations,
      from: '2025-06-01T05:00:00Z',
      to: '2025-06-02T02:00:00Z',
      variables: ['ozone'],
    });

    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('start_hour=2025-06-01T05%3A00');
    expect(readings.filter((r) => r.locationId === 'paris')).toHaveLength(22);
    const parisAt8 = readings.find((r) => r.locationId === 'paris' && r.reading.observedAt === '2025-06-01T08:00:00Z');
    const csvAt8 = threeCities.find((r) => r.place === 'Paris' && r.observedAt === '2025-06-01T08:00:00Z');
    expect(csvAt8?.values.ozone).toEqual(expect.any(Number));
    expect(parisAt8?.reading.values.ozone).toBe(csvAt8?.values.ozone);
    expect(parisAt8?.reading.latitude).toBe(48.8566);
    expect(readings[0]?.locationId).toBe('marseille');
  });

  it('when current values are fetched, then each location gets the reading of the replay clock’s hour', async () => {
    const client = createOpenMeteoClient({ baseUrl });

    const current = await client.fetchCurrent([lyon]);

    expect(current).toEqual([
      { locationId: 'lyon', reading: expect.objectContaining({ observedAt: '2024-06-15T10:00:00Z' }) },
    ]);
    const hour = lyon2024.find((r) => r.observedAt === '2024-06-15T10:00:00Z');
    expect(current[0]?.reading.values.pm10).toBe(hour?.values.pm10);
  });

  it('when the range is outside the held data, then the refusal is an OPEN_METEO_ERROR after one call', async () => {
    const client = createOpenMeteoClient({ baseUrl, fetchImpl: countingFetch, sleep: noWait });

    const failure = client.fetchHourly({ locations: [lyon], from: '2023-12-31T00:00:00Z', to: '2023-12-31T23:00:00Z' });

    await expect(failure).rejects.toMatchObject({ code: 'OPEN_METEO_ERROR', message: /outside the data held/ });
    expect(calls).toHaveLength(1);
  });
});

describe('Open-Meteo client retries', () => {
  const body = {
    latitude: 45.7,
    longitude: 4.8,
    utc_offset_seconds: 0,
    hourly_units: { time: 'iso8601', pm10: 'μg/m³' },
    hourly: { time: ['2024-01-01T00:00'], pm10: [12.1] },
  };
  const request = { locations: [lyon], from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z', variables: ['pm10'] };

  /** A local server answering each call with the next scripted response (the last one repeats). */
  async function flaky(script: ((res: ServerResponse) => void)[]) {
    let count = 0;
    const server = createServer((_req, res) => {
      const respond = script[Math.min(count, script.length - 1)];
      count++;
      respond?.(res);
    });
    const baseUrl = await listen(server);
    return { baseUrl, calls: () => count, close: () => close(server) };
  }
  const json =
    (status: number, payload: unknown, headers: Record<string, string> = {}) =>
    (res: ServerResponse) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));

  it('when the first call gets 429 with Retry-After, then the client waits that long and the retry succeeds', async () => {
    const server = await flaky([
      json(429, { error: true, reason: 'Minutely API request limit exceeded' }, { 'retry-after': '2' }),
      json(200, body),
    ]);
    const waits: number[] = [];
    try {
      const client = createOpenMeteoClient({ baseUrl: server.baseUrl, sleep: async (ms) => void waits.push(ms) });

      const { readings } = await client.fetchHourly(request);

      expect(server.calls()).toBe(2);
      expect(waits[0]).toBeGreaterThanOrEqual(2000);
      expect(readings.map((r) => r.reading.values.pm10)).toEqual([12.1]);
    } finally {
      server.close();
    }
  });

  it('when every call gets 503, then the client gives up after maxRetries retries with a retryable error', async () => {
    const server = await flaky([json(503, { error: true, reason: 'overloaded' })]);
    try {
      const client = createOpenMeteoClient({ baseUrl: server.baseUrl, maxRetries: 3, sleep: noWait });

      const failure = client.fetchHourly(request);

      await expect(failure).rejects.toMatchObject({
        code: 'OPEN_METEO_UNAVAILABLE',
        message: /failed 4 time\(s\), last: HTTP 503/,
      });
      expect(server.calls()).toBe(4);
    } finally {
      server.close();
    }
  });

  it('when the answer is a 400 error body, then the client fails at once with the reason, without retrying', async () => {
    const reason = 'Cannot initialize variable from invalid String value pm25 for key hourly';
    const server = await flaky([json(400, { error: true, reason })]);
    try {
      const client = createOpenMeteoClient({ baseUrl: server.baseUrl, sleep: noWait });

      const failure = client.fetchHourly(request);

      await expect(failure).rejects.toBeInstanceOf(AppError);
      await expect(failure).rejects.toMatchObject({
        code: 'OPEN_METEO_ERROR',
        message: expect.stringContaining(reason),
      });
      expect(server.calls()).toBe(1);
    } finally {
      server.close();
    }
  });

  it('when the server is unreachable, then network errors are retried, then reported', async () => {
    const server = await flaky([json(200, body)]);
    server.close();
    const client = createOpenMeteoClient({ baseUrl: server.baseUrl, maxRetries: 1, sleep: noWait });

    await expect(client.fetchHourly(request)).rejects.toMatchObject({
      code: 'OPEN_METEO_UNAVAILABLE',
      message: /failed 2 time/,
    });
  });

  it('when more calls are due than callsPerMinute allows, then the bucket makes the extra call wait', async () => {
    const server = await flaky([json(200, body)]);
    const waits: number[] = [];
    try {
      const client = createOpenMeteoClient({
        baseUrl: server.baseUrl,
        callsPerMinute: 2,
        sleep: async (ms) => void waits.push(ms),
      });

      for (let i = 0; i < 3; i++) await client.fetchHourly(request);

      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(29_000);
    } finally {
      server.close();
    }
  });
});
