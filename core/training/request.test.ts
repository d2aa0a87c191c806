import { z } from 'zod';

import { onlyCrossFieldIssues } from '../validation';
import { trainingWorkId } from '../work-ids/training';

import { isoHour, trainingRequest } from './request';

describe('training requests', () => {
  it('when only the kind is given, then the bundled-data defaults fill the rest', () => {
    const request = trainingRequest.parse({ kind: 'forecast' });
    expect(request).toMatchObject({
      kind: 'forecast',
      horizonHours: 24,
      algorithm: 'random-forest',
      locationIds: ['lyon'],
      testFrom: '2024-12-01T00:00:00Z',
    });
  });

  it('when windows are out of order or an instant model gets a horizon, then the field is named', () => {
    const disordered = trainingRequest.safeParse({ kind: 'instant', testFrom: '2024-10-01T00:00:00Z' });
    expect(disordered.success).toBe(false);
    expect(disordered.error?.issues[0]?.path).toEqual(['testFrom']);
    const horizon = trainingRequest.safeParse({ kind: 'instant', horizonHours: 6 });
    expect(horizon.error?.issues[0]?.path).toEqual(['horizonHours']);
  });

  it('when an unknown field or a non-hour time is sent, then it is refused', () => {
    expect(trainingRequest.safeParse({ kind: 'instant', epochs: 3 }).success).toBe(false);
    expect(trainingRequest.safeParse({ kind: 'instant', trainFrom: '2024-01-01T00:30:00Z' }).success).toBe(false);
  });

  it('when two requests differ only in key order, then they share a workflow id; other params do not', () => {
    const a = trainingRequest.parse({ kind: 'forecast', params: { nEstimators: 20, seed: 1 } });
    const b = trainingRequest.parse({ kind: 'forecast', params: { seed: 1, nEstimators: 20 } });
    const c = trainingRequest.parse({ kind: 'forecast', params: { seed: 2, nEstimators: 20 } });
    expect(trainingWorkId(a)).toBe(trainingWorkId(b));
    expect(trainingWorkId(a)).not.toBe(trainingWorkId(c));
    expect(trainingWorkId(a)).toMatch(/^train-aqi-eaqi-forecast-24h-2025-01-01-[0-9a-f]{12}$/);
  });

  it('when the windows are only out of order, then every issue is a cross-field one (the API answers 422, not 400)', () => {
    const disordered = trainingRequest.safeParse({ kind: 'instant', testFrom: '2024-10-01T00:00:00Z' });
    expect(disordered.error && onlyCrossFieldIssues(disordered.error)).toBe(true);
    const alsoBad = trainingRequest.safeParse({ kind: 'instant', testFrom: '2024-10-01T00:00:00Z', epochs: 1 });
    expect(alsoBad.error && onlyCrossFieldIssues(alsoBad.error)).toBe(false);
    const horizon = trainingRequest.safeParse({ kind: 'instant', horizonHours: 6 });
    expect(horizon.error && onlyCrossFieldIssues(horizon.error)).toBe(false);
  });

  it('when the JSON Schema of a request is generated, then it states the horizon rule the refinement checks', () => {
    const schema = z.toJSONSchema(trainingRequest, { io: 'input' });
    expect(schema).toMatchObject({
      if: { properties: { kind: { const: 'instant' } } },
      then: { not: { required: ['horizonHours'] } },
      additionalProperties: false,
    });
  });
});

describe('isoHour', () => {
  const pattern = new RegExp((z.toJSONSchema(isoHour) as { pattern: string }).pattern);
  const text = (y: number, m: number, d: number, h = 0) =>
    `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;

  it('when every year from 0000 to 9999 is tried at the ends of its months, then only real days of 0001-9999 pass', () => {
    const wrong: string[] = [];
    for (let y = 0; y <= 9999; y++) {
      for (let m = 1; m <= 12; m++) {
        for (const d of [28, 29, 30, 31]) {
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          const real = y > 0 && date.getUTCDate() === d;
          if (isoHour.safeParse(text(y, m, d)).success !== real || pattern.test(text(y, m, d)) !== real)
            wrong.push(text(y, m, d));
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when hours, months and days are out of range or the digits are not ASCII, then the pattern refuses them', () => {
    for (const bad of [
      '2024-01-01T24:00:00Z',
      '2024-00-01T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-01-00T00:00:00Z',
      '2024-01-01T00:30:00Z',
      '2024-01-01T00:00:00+00:00',
      '\u0662\u0660\u0662\u0664-01-01T00:00:00Z',
      '2024-01-01T00:00:00Z\n',
    ]) {
      expect([bad, isoHour.safeParse(bad).success, pattern.test(bad)]).toEqual([bad, false, false]);
    }
    expect(isoHour.safeParse(text(2024, 2, 29, 23)).success).toBe(true);
    expect(isoHour.safeParse(text(2000, 2, 29)).success).toBe(true);
    expect(isoHour.safeParse(text(1900, 2, 29)).success).toBe(false);
    // PostgreSQL has no year 0 (GET /forecast?at=0000-01-01T01:00:00Z answered 500).
    expect(isoHour.safeParse(text(0, 1, 1, 1)).success).toBe(false);
    expect(isoHour.safeParse(text(0, 2, 29)).success).toBe(false);
    expect(isoHour.safeParse(text(1, 1, 1)).success).toBe(true);
    expect(isoHour.safeParse(text(400, 2, 29)).success).toBe(true);
  });
});
