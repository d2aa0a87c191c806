import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { bundledDataDir } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { parseOpenMeteoJson } from '../../core/air-quality/open-meteo/json';

import { attribution, createReplayServer } from './replay-server';

const dataDir = bundledDataDir;
const csv = (file: string) => parseOpenMeteoCsv(readFileSync(path.join(dataDir, file), 'utf8'));
const lyon2024 = csv('lyon-2024-hourly.csv');
const threeCities = csv('paris-marseille-lyon-2025-06-01.csv');

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = createReplayServer({ dataDir, now: '2024-06-15T10:30:00Z' });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** The fields the tests read; an array answer is read through `asList`. */
interface Answer {
  latitude: number;
  error?: true;
  reason?: string;
  attribution?: string;
  hourly: { time: string[] } & Record<string, unknown[]>;
  hourly_units: Record<string, string>;
  current: Record<string, unknown>;
  current_units: Record<string, string>;
}
const asList = (body: Answer) => body as unknown as Answer[];

async function get(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/v1/air-quality?${query}`, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer };
}

describe('replay server GET /v1/air-quality', () => {
  it('when Lyon hours of 2024 are asked, then the values are the CSV export’s, from its grid cell', async () => {
    const { status, headers, body } = await get(
      'latitude=45.75&longitude=4.85&hourly=pm10,pm2_5,carbon_monoxide,european_aqi,uv_index,sulphur_dioxide' +
        '&start_date=2024-03-01&end_date=2024-03-02&timezone=GMT&cell_selection=nearest',
    );

    expect(status).toBe(200);
    expect(body).toMatchObject({ latitude: 45.7, longitude: 4.800001, utc_offset_seconds: 0, timezone: 'GMT' });
    expect(body.hourly.time).toHaveLength(48);
    expect(body.hourly.time[0]).toBe('2024-03-01T00:00');
    expect(body.hourly_units).toMatchObject({ time: 'iso8601', pm10: 'μg/m³', european_aqi: 'EAQI' });
    const expected = lyon2024.filter((r) => r.observedAt >= '2024-03-01' && r.observedAt < '2024-03-03');
    expect(parseOpenMeteoJson(body)).toEqual(expected);
    expect(headers.get('x-data-attribution')).toBe(attribution);
    expect(body.attribution).toBe(attribution);
  });

  it('when Paris hours are asked by start_hour/end_hour, then they are the 3-city file’s, end hour included', async () => {
    const { status, body } = await get(
      'latitude=48.85&longitude=2.35&hourly=nitrogen_dioxide,ozone,pm10&start_hour=2025-06-01T05:00&end_hour=2025-06-01T10:00',
    );

    expect(status).toBe(200);
    const paris = threeCities.filter(
      (r) => r.place === 'Paris' && r.observedAt >= '2025-06-01T05' && r.observedAt <= '2025-06-01T10:00:00Z',
    );
    expect(body.hourly.time).toEqual(paris.map((r) => r.observedAt.slice(0, 16)));
    expect(body.hourly.nitrogen_dioxide).toEqual(paris.map((r) => r.values.nitrogen_dioxide));
    expect(body.hourly.ozone).toEqual(paris.map((r) => r.values.ozone));
  });

  it('when two coordinates are asked, then the answer is an array in the order asked', async () => {
    const { status, body } = await get(
      'latitude=43.3,48.8566&longitude=5.37,2.3522&hourly=pm10&start_date=2025-06-01&end_date=2025-06-01',
    );

    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(asList(body).map((l) => l.latitude)).toEqual([
      threeCities.find((r) => r.place === 'Marseille')?.latitude,
      48.8566,
    ]);
  });

  it('when the 3-city file’s Lyon is asked, then it is the same place as the export, with nulls for what 2024 lacks', async () => {
    const june = await get(
      'latitude=45.764&longitude=4.8357&hourly=nitrogen_dioxide&start_date=2025-06-01&end_date=2025-06-01',
    );
    const march = await get(
      'latitude=45.764&longitude=4.8357&hourly=nitrogen_dioxide&start_date=2024-03-01&end_date=2024-03-01',
    );

    expect(june.body).toMatchObject({ latitude: 45.7, longitude: 4.800001 });
    expect(june.body.hourly.nitrogen_dioxide?.[0]).toBe(
      threeCities.find((r) => r.place === 'Lyon' && r.observedAt === '2025-06-01T00:00:00Z')?.values.nitrogen_dioxide,
    );
    expect(march.body.hourly.nitrogen_dioxide).toEqual(Array(24).fill(null));
  });

  it('when past_days and forecast_days are asked, then the range is counted from the day of now', async () => {
    const { body } = await get('latitude=45.7&longitude=4.8&hourly=pm10&past_days=1&forecast_days=1');

    expect(body.hourly.time[0]).toBe('2024-06-14T00:00');
    expect(body.hourly.time.at(-1)).toBe('2024-06-15T23:00');
  });

  it.each([
    [
      'a range outside the held data',
      'latitude=45.7&longitude=4.8&hourly=pm10&start_date=2023-12-31&end_date=2024-01-01',
      /2023-12-31T00:00\.\.2024-01-01T23:00 is outside the data held for \(45\.7, 4\.800001\): 2024-01-01T00:00\.\.2024-12-31T23:00, 2025-06-01T00:00\.\.2025-06-02T23:00/,
    ],
    [
      'a coordinate far from every place',
      'latitude=0&longitude=0&hourly=pm10&start_date=2024-01-01&end_date=2024-01-01',
      /no data near \(0, 0\); it holds .*Paris/,
    ],
    [
      'a timezone other than GMT',
      'latitude=45.7&longitude=4.8&hourly=pm10&start_date=2024-01-01&end_date=2024-01-01&timezone=Europe/Paris',
      /GMT only, not timezone 'Europe\/Paris'/,
    ],
    [
      'an unknown variable',
      'latitude=45.7&longitude=4.8&hourly=pm10,pm25&start_date=2024-01-01&end_date=2024-01-01',
      /Unknown hourly variable 'pm25'/,
    ],
    [
      'past_days with dates',
      'latitude=45.7&longitude=4.8&hourly=pm10&start_date=2024-01-01&end_date=2024-01-01&past_days=2',
      /'past_days' is mutually exclusive/,
    ],
    [
      'an impossible date',
      'latitude=45.7&longitude=4.8&hourly=pm10&start_date=2024-02-30&end_date=2024-03-01',
      /'start_date' must be yyyy-mm-dd/,
    ],
  ])(
    'when the request has %s, then the answer is 400 with an error body naming the reason',
    async (_, query, reason) => {
      const { status, body } = await get(query);

      expect(status).toBe(400);
      expect(body.error).toBe(true);
      expect(body.reason).toMatch(reason);
    },
  );

  it('when current values are asked, then they are the values of the hour of now, floored', async () => {
    const { status, body } = await get('latitude=45.7&longitude=4.8&current=pm10,european_aqi');

    const hour = lyon2024.find((r) => r.observedAt === '2024-06-15T10:00:00Z');
    expect(status).toBe(200);
    expect(body.current).toEqual({
      time: '2024-06-15T10:00',
      interval: 3600,
      pm10: hour?.values.pm10,
      european_aqi: hour?.reported.european_aqi,
    });
    expect(body.current_units).toEqual({ time: 'iso8601', interval: 'seconds', pm10: 'μg/m³', european_aqi: 'EAQI' });
  });

  it('when X-Replay-Now names another time, then current follows it, and a time outside the data is refused', async () => {
    const paris = await get('latitude=48.8566&longitude=2.3522&current=ozone', {
      'X-Replay-Now': '2025-06-01T12:59:59+00:00',
    });
    const outside = await get('latitude=48.8566&longitude=2.3522&current=ozone');
    const invalid = await get('latitude=48.8566&longitude=2.3522&current=ozone', { 'X-Replay-Now': 'yesterday' });

    expect(paris.body.current).toMatchObject({
      time: '2025-06-01T12:00',
      ozone: threeCities.find((r) => r.place === 'Paris' && r.observedAt === '2025-06-01T12:00:00Z')?.values.ozone,
    });
    expect(outside.status).toBe(400);
    expect(outside.body.reason).toMatch(/now \(2024-06-15T10:00\) is outside the data held for \(48\.8566, 2\.3522\)/);
    expect(invalid.status).toBe(400);
    expect(invalid.body.reason).toMatch(/X-Replay-Now "yesterday"/);
  });
});

describe('replay server GET /health', () => {
  it('when asked, then it lists the places with their held ranges and the attribution', async () => {
    const response = await fetch(`${baseUrl}/health`);
    const body = (await response.json()) as { attribution: string; places: { name?: string; ranges: unknown[] }[] };

    expect(response.status).toBe(200);
    expect(body.attribution).toBe(attribution);
    expect(body.places.map((p) => p.name).sort()).toEqual(['Lyon', 'Marseille', 'Paris']);
    expect(body.places.find((p) => p.name === 'Lyon')?.ranges).toEqual([
      { from: '2024-01-01T00:00', to: '2024-12-31T23:00' },
      { from: '2025-06-01T00:00', to: '2025-06-02T23:00' },
    ]);
  });
});
