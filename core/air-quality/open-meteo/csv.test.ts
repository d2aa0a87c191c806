import fs from 'node:fs';
import path from 'node:path';

import { bundledDataDir } from '../../../config/bundled-data';
import { AppError } from '../../errors';
import { reading, type Reading } from '../reading';

import { parseOpenMeteoCsv } from './csv';

const realData = bundledDataDir;
const fixtures = path.resolve(__dirname, '../../../test/fixtures/open-meteo');
const read = (dir: string, name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

function caught(act: () => unknown): AppError {
  try {
    act();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const expectAllValid = (readings: Reading[]): void => readings.forEach((r) => expect(reading.parse(r)).toEqual(r));

describe('parseOpenMeteoCsv on the real Open-Meteo files', () => {
  it('when the Lyon 2024 export is parsed, then it is 8,784 gap-free hours of one place', () => {
    const text = read(realData, 'lyon-2024-hourly.csv');

    const readings = parseOpenMeteoCsv(text);

    expect(readings).toHaveLength(8784);
    expect(readings[0]?.observedAt).toBe('2024-01-01T00:00:00Z');
    expect(readings.at(-1)?.observedAt).toBe('2024-12-31T23:00:00Z');
    const steps = readings.slice(1).map((r, i) => Date.parse(r.observedAt) - Date.parse(readings[i]?.observedAt ?? ''));
    expect(new Set(steps)).toEqual(new Set([3_600_000]));
    expect(new Set(readings.map((r) => r.latitude))).toEqual(new Set([45.7]));
    expectAllValid(readings);
  });

  it("when the Lyon export is parsed, then the first reading holds the file's first data line", () => {
    const text = read(realData, 'lyon-2024-hourly.csv');
    const [, pm10, pm25, co, eaqi, uv, so2] = (text.split('\n')[4] ?? '').split(',').map(Number);

    const [first] = parseOpenMeteoCsv(text);

    expect(first?.values).toEqual({ pm10, pm2_5: pm25, carbon_monoxide: co, uv_index: uv, sulphur_dioxide: so2 });
    expect(first?.reported).toEqual({ european_aqi: eaqi });
  });

  it('when the three-city pandas file is parsed, then each city has its 48 hours and values are kept as written', () => {
    const text = read(realData, 'paris-marseille-lyon-2025-06-01.csv');

    const readings = parseOpenMeteoCsv(text);

    expect(readings).toHaveLength(144);
    const perPlace = new Map<string | undefined, number>();
    readings.forEach((r) => perPlace.set(r.place, (perPlace.get(r.place) ?? 0) + 1));
    expect(Object.fromEntries(perPlace)).toEqual({ Marseille: 48, Lyon: 48, Paris: 48 });
    const parisFirst = readings.find((r) => r.place === 'Paris');
    expect(parisFirst).toMatchObject({ latitude: 48.8566, longitude: 2.3522, observedAt: '2025-06-01T00:00:00Z' });
    expect(parisFirst?.reported.european_aqi).toBe(19.19999885559082);
    expect(parisFirst?.values.nitrogen_dioxide).toBe(7.300000190734863);
    expectAllValid(readings);
  });
});

describe('parseOpenMeteoCsv on hand-written files', () => {
  it('when the export has NaN cells, then they become null and unstored columns are dropped', () => {
    const readings = parseOpenMeteoCsv(read(fixtures, 'export-with-nan.csv'));

    expect(readings).toHaveLength(4);
    expect(readings[2]).toEqual({
      latitude: 45.7,
      longitude: 4.800001,
      observedAt: '2024-03-10T02:00:00Z',
      values: { pm10: null, pm2_5: null, nitrogen_dioxide: 18.2, uv_index: 0 },
      reported: { european_aqi: null, us_aqi: null },
    });
    expectAllValid(readings);
  });

  it('when the export holds two locations with location_id, then each row gets its own place', () => {
    const readings = parseOpenMeteoCsv(read(fixtures, 'export-two-locations.csv'));

    expect(readings.map((r) => [r.latitude, r.longitude, r.observedAt])).toEqual([
      [43.3, 5.4, '2025-06-01T00:00:00Z'],
      [43.3, 5.4, '2025-06-01T01:00:00Z'],
      [48.9, 2.3500004, '2025-06-01T00:00:00Z'],
      [48.9, 2.3500004, '2025-06-01T01:00:00Z'],
    ]);
    expect(readings[1]).toMatchObject({ values: { pm2_5: null, ozone: 66 }, reported: { european_aqi: null } });
    expectAllValid(readings);
  });

  it('when a flat file has empty and NaN cells and a quoted city with a comma, then all are read', () => {
    const readings = parseOpenMeteoCsv(read(fixtures, 'flat-with-gaps.csv'));

    expect(readings.map((r) => r.place)).toEqual(['Aix-en-Provence, Bouches-du-Rhône', 'Paris', 'Paris']);
    expect(readings[0]?.values.pm10).toBeNull();
    expect(readings[2]?.values).toEqual({ pm10: null, pm2_5: 4.699999809265137 });
    expectAllValid(readings);
  });

  it('when a column is in another unit, then OPEN_METEO_UNIT names the column', () => {
    const error = caught(() => parseOpenMeteoCsv(read(fixtures, 'export-wrong-unit.csv')));

    expect(error.code).toBe('OPEN_METEO_UNIT');
    expect(error.message).toContain('line 4: column carbon_monoxide is in "mg/m³"');
  });

  it('when a row has a missing field, then the error names its line', () => {
    const error = caught(() => parseOpenMeteoCsv(read(fixtures, 'export-ragged-row.csv')));

    expect(error.code).toBe('OPEN_METEO_CSV');
    expect(error.message).toBe('line 7: 3 fields where the header on line 4 has 4');
  });

  it('when a time is not an hour, then the error names its line', () => {
    const text = read(fixtures, 'export-with-nan.csv').replace('2024-03-10T01:00', '2024-03-10 1h');

    expect(caught(() => parseOpenMeteoCsv(text)).message).toMatch(/^line 6: time "2024-03-10 1h"/);
  });

  it('when a flat time has no UTC offset, then the error names its line', () => {
    const text = '"time","latitude","longitude","pm10"\n"2025-06-01 00:00:00",48.8566,2.3522,8.2\n';

    expect(caught(() => parseOpenMeteoCsv(text)).message).toMatch(/^line 2: time/);
  });

  it('when the export also has a current or daily section, then the error points at it', () => {
    const text = `${read(fixtures, 'export-with-nan.csv')}\ntime,european_aqi (EAQI)\n2024-03-10,27\n`;

    expect(caught(() => parseOpenMeteoCsv(text)).message).toBe(
      'line 10: a second data section is not supported; export hourly data only',
    );
  });

  it('when the first line is neither layout, then line 1 is reported', () => {
    expect(caught(() => parseOpenMeteoCsv('date;pm10\n2024-01-01;3\n')).message).toMatch(/^line 1: /);
  });

  it('when the file has a byte-order mark and CRLF line ends, then it parses like the plain file', () => {
    const plain = read(fixtures, 'export-with-nan.csv');

    expect(parseOpenMeteoCsv(`\uFEFF${plain.replaceAll('\n', '\r\n')}`)).toEqual(parseOpenMeteoCsv(plain));
  });
});
