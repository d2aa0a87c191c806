import type { HourlySeries } from './interpolate';
import { epaSubIndex, microgramsToPpb, usAqi, usAqiTables } from './us-aqi';

function seriesOf(values: HourlySeries['values']): HourlySeries {
  const hours = Object.values(values)[0]?.length ?? 0;
  const observedAt = Array.from({ length: hours }, (_, h) => new Date(Date.UTC(2024, 0, 1, h)).toISOString());
  return { observedAt, values };
}

const constant = (hours: number, value: number | null): (number | null)[] => Array(hours).fill(value);

describe('epaSubIndex (EPA formula, hand-computed)', () => {
  it.each<[number, number]>([
    [0, 0],
    [9.0, 50],
    [9.05, 50], // truncated to 9.0, so it stays in the first row
    [9.1, 51],
    [12.0, 56], // 51 + 49/26.3 · 2.9 = 56.40
    [35.4, 100],
    [35.5, 101],
    [55.4, 150],
    [100, 182], // 151 + 49/69.9 · 44.5 = 182.19
    [325.4, 500],
    [400, 649], // beyond the table: 301 + 199/99.9 · 174.5 = 648.60
  ])('when the PM2.5 24-hour mean is %d µg/m³ (2024 table), then the sub-index is %d', (c, expected) => {
    expect(epaSubIndex(usAqiTables.pm2_5, c)).toBe(expected);
  });

  it.each<[keyof typeof usAqiTables, number, number | null]>([
    ['pm10', 54.9, 50], // truncated to 54
    ['pm10', 55, 51],
    ['pm10', 100, 73], // 51 + 49/99 · 45 = 73.27
    ['nitrogenDioxide1h', 100, 100],
    ['nitrogenDioxide1h', 106, 102], // 101 + 49/259 · 5 = 101.95
    ['carbonMonoxide8h', 4.3, 49], // 50/4.4 · 4.3 = 48.86
    ['ozone8h', 0.06, 67], // 51 + 49/0.015 · 0.005 = 67.33
    ['ozone8h', 0.2, 300],
    ['ozone1h', 0.1, null], // the 1-hour table starts at AQI 101
    ['ozone1h', 0.2, 195], // 151 + 49/0.039 · 0.035 = 194.97
    ['sulphurDioxide1h', 114, 118], // 101 + 49/109 · 38 = 118.08
  ])('when the %s concentration is %d, then the sub-index is %p', (table, c, expected) => {
    expect(epaSubIndex(usAqiTables[table], c)).toBe(expected);
  });

  it('when the 8-hour ozone table is capped and the mean is above it, then it stays at 300', () => {
    expect(epaSubIndex(usAqiTables.ozone8h, 0.25, 'cap')).toBe(300);
  });
});

describe('microgramsToPpb', () => {
  it('when converting at 25 °C, then ppb is µg/m³ × 24.45 over the molar mass', () => {
    expect(microgramsToPpb('nitrogen_dioxide', 200)).toBeCloseTo((200 * 24.45) / 46.0055, 10);
    expect(microgramsToPpb('ozone', 100)).toBeCloseTo(50.94, 2);
  });
});

describe('usAqi', () => {
  it('when PM2.5 spikes at hour t, then the sub-index at t ignores it and the one at t+1 includes it', () => {
    const result = usAqi(seriesOf({ pm2_5: [...constant(24, 12), 1000, 12] }));

    expect(result[24]?.subIndices.pm2_5).toBe(56);
    // (23·12 + 1000) / 24 = 53.17 → 53.1; 101 + 49/19.9 · 17.6 = 144.34
    expect(result[25]?.subIndices.pm2_5).toBe(144);
  });

  it('when fewer than 24 hours precede an hour, then that hour has no PM sub-index', () => {
    const result = usAqi(seriesOf({ pm2_5: constant(25, 12), pm10: constant(25, 100) }));

    expect(result.slice(0, 24)).toEqual(constant(24, null));
    expect(result[24]).toEqual({
      value: 73,
      dominant: 'pm10',
      method: 'us-aqi-epa',
      subIndices: { pm2_5: 56, pm10: 73 },
    });
  });

  it('when ozone has 8 hours of history, then the 8-hour mean of t-8..t-1 gives the sub-index', () => {
    // 130 µg/m³ = 66.22 ppb → 0.066 ppm; 51 + 49/0.015 · 0.011 = 86.93
    const result = usAqi(seriesOf({ ozone: constant(9, 130) }));

    expect(result[7]).toBeNull();
    expect(result[8]?.subIndices.ozone).toBe(87);
  });

  it('when the hourly ozone exceeds the 1-hour threshold, then the higher 1-hour sub-index counts', () => {
    // hour 8: 400 µg/m³ = 203.76 ppb → 0.203 ppm; 151 + 49/0.039 · 0.038 = 198.74
    const result = usAqi(seriesOf({ ozone: [...constant(8, 130), 400] }));

    expect(result[8]?.subIndices.ozone).toBe(199);
  });

  it('when only hourly gases are present, then the first hour already has an index', () => {
    // NO2 200 µg/m³ = 106.29 ppb → 102; SO2 300 µg/m³ = 114.49 ppb → 118
    const [hour] = usAqi(seriesOf({ nitrogen_dioxide: [200], sulphur_dioxide: [300] }));

    expect(hour).toEqual({
      value: 118,
      dominant: 'sulphur_dioxide',
      method: 'us-aqi-epa',
      subIndices: { nitrogen_dioxide: 102, sulphur_dioxide: 118 },
    });
  });

  it('when carbon monoxide has 8 hours of history, then its 8-hour mean in ppm is indexed', () => {
    // 5000 µg/m³ = 4.3645 ppm → 4.3; 50/4.4 · 4.3 = 48.86
    expect(usAqi(seriesOf({ carbon_monoxide: constant(9, 5000) }))[8]?.subIndices.carbon_monoxide).toBe(49);
  });

  it('when hourly SO2 reaches 305 ppb, then the 24-hour mean decides, and 200 if that mean is lower', () => {
    // 900 µg/m³ = 343.47 ppb → 343; 201 + 99/299 · 38 = 213.58
    const sustained = usAqi(seriesOf({ sulphur_dioxide: constant(25, 900) }));
    const burst = usAqi(seriesOf({ sulphur_dioxide: [...constant(24, 100), 900] }));

    expect(sustained[0]).toBeNull(); // no 24 hours to average yet
    expect(sustained[24]?.subIndices.sulphur_dioxide).toBe(214);
    expect(burst[24]?.subIndices.sulphur_dioxide).toBe(200);
  });

  it('when a pollutant is null or absent, then it is skipped, and an hour with nothing is null', () => {
    const result = usAqi(seriesOf({ nitrogen_dioxide: [200, null], uv_index: [3, 3] }));

    expect(result[0]?.dominant).toBe('nitrogen_dioxide');
    expect(result[1]).toBeNull();
  });

  it('when PM2.5 climbs through every row, then the AQI never drops', () => {
    let previous = -Infinity;
    for (let pm = 0; pm <= 400; pm += 0.25) {
      const hour = usAqi(seriesOf({ pm2_5: constant(25, pm), nitrogen_dioxide: constant(25, 60) }))[24];

      expect(hour?.value).toBeGreaterThanOrEqual(previous);
      previous = hour?.value ?? Infinity;
    }
  });
});
