import { hourlyMeans, type FlaggedReading } from './hourly-means';

const minuteMs = 60_000;
const start = Date.parse('2024-03-01T10:00:00Z');

/** One reading a minute of one sensor for `minutes`, PM2.5 = the minute index, PM10 = twice it. */
function readings(sensorId: string, minutes: number, from = start): FlaggedReading[] {
  return Array.from({ length: minutes }, (_, i) => ({
    sensor_id: sensorId,
    timestamp: new Date(from + i * minuteMs).toISOString(),
    measurements: { pm2_5: i % 60, pm10: 2 * (i % 60), no2: 20 },
    qc_flags: [],
  }));
}

const means = (rows: readonly FlaggedReading[], minCoverage?: number) =>
  hourlyMeans(rows, { intervalSeconds: 60, ...(minCoverage === undefined ? {} : { minCoverage }) });

describe('hourlyMeans', () => {
  it('when an hour has every reading, then each measurement gets its mean with n 60 and full coverage', () => {
    const { means: rows, excluded } = means(readings('CAP_001', 60));

    expect(excluded).toEqual([]);
    expect(rows).toEqual([
      { sensorId: 'CAP_001', measurement: 'pm2_5', hour: '2024-03-01T10:00:00Z', value: 29.5, n: 60, coverage: 1 },
      { sensorId: 'CAP_001', measurement: 'pm10', hour: '2024-03-01T10:00:00Z', value: 59, n: 60, coverage: 1 },
      { sensorId: 'CAP_001', measurement: 'no2', hour: '2024-03-01T10:00:00Z', value: 20, n: 60, coverage: 1 },
    ]);
  });

  it('when a reading is flagged by any check, then it leaves every mean of its hour', () => {
    const rows = readings('CAP_001', 60).map((r, i) => (i === 59 ? { ...r, qc_flags: ['spike:pm10'] } : r));

    const pm25 = means(rows).means.find((m) => m.measurement === 'pm2_5');

    // Minutes 0..58: the flag named PM10, yet the reading is out of the PM2.5 mean too.
    expect(pm25).toMatchObject({ value: 29, n: 59 });
    expect(pm25?.coverage).toBeCloseTo(59 / 60, 12);
  });

  it('when 45 of 60 readings remain, then the hour counts; with 44, it is excluded', () => {
    const clean45 = readings('CAP_001', 45);
    const flagged = readings('CAP_001', 60)
      .slice(44)
      .map((r) => ({ ...r, qc_flags: ['flatline:pm2_5'] }));

    const at75 = means(clean45);
    const below = means([...readings('CAP_001', 44), ...flagged]);

    expect(at75.means.map((m) => [m.measurement, m.n, m.coverage])).toEqual([
      ['pm2_5', 45, 0.75],
      ['pm10', 45, 0.75],
      ['no2', 45, 0.75],
    ]);
    expect(below.means).toEqual([]);
    expect(below.excluded.map((m) => [m.measurement, m.n])).toEqual([
      ['pm2_5', 44],
      ['pm10', 44],
      ['no2', 44],
    ]);
    expect(below.excluded[0]?.coverage).toBeCloseTo(44 / 60, 12);
  });

  it('when the interval is 5 minutes, then 9 of 12 readings make an hour', () => {
    const every5 = readings('CAP_001', 60).filter((_, i) => i % 5 === 0);

    expect(hourlyMeans(every5.slice(0, 9), { intervalSeconds: 300 }).means).toHaveLength(3);
    expect(hourlyMeans(every5.slice(0, 8), { intervalSeconds: 300 }).means).toEqual([]);
  });

  it('when an optional measurement is absent, then it has no row at all (neither mean nor exclusion)', () => {
    const { means: rows, excluded } = means(readings('CAP_001', 60));

    expect([...rows, ...excluded].some((m) => m.measurement === 'o3')).toBe(false);
  });

  it('when readings come shuffled, repeated and across hours and sensors, then the rows are the same and sorted', () => {
    const rows = [...readings('CAP_002', 120), ...readings('CAP_001', 120)];
    const shuffled = [...rows].reverse();
    shuffled.splice(10, 0, rows[5] as FlaggedReading, { ...(rows[6] as FlaggedReading), qc_flags: ['spike:pm2_5'] });

    const ordered = means(rows);
    const again = means(shuffled);

    expect(again).toEqual(ordered);
    expect(ordered.means.map((m) => `${m.sensorId} ${m.measurement} ${m.hour.slice(11, 13)}`)).toEqual([
      'CAP_001 pm2_5 10',
      'CAP_001 pm2_5 11',
      'CAP_001 pm10 10',
      'CAP_001 pm10 11',
      'CAP_001 no2 10',
      'CAP_001 no2 11',
      'CAP_002 pm2_5 10',
      'CAP_002 pm2_5 11',
      'CAP_002 pm10 10',
      'CAP_002 pm10 11',
      'CAP_002 no2 10',
      'CAP_002 no2 11',
    ]);
  });
});
