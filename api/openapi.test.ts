import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import type { z } from 'zod';

import { trainingRequest } from '../core/training/request';
import { onlyCrossFieldIssues } from '../core/validation';
import { serveApp } from '../test/support/serve-app';

import { openApiDocument } from './openapi';
import { addLocationBody } from './routes/locations';
import { approvalBody, backfillBody, qualityBody } from './routes/pipelines';
import { predictBodyContract } from './routes/predict';
import { sensorReadingsBody } from './routes/sensors';

/**
 * The document states exactly what validation accepts: for each request body, the JSON Schema in
 * /openapi.json (checked by ajv, as any client would) and the zod schema the route validates with agree on
 * every value, except that a value breaking only a cross-field rule (422) is valid to the document.
 */
const maxRows = 3;
const doc = openApiDocument(maxRows);
type Operation = { requestBody?: { content: Record<string, { schema: object }> } };
const bodyOf = (path: string, method: string) => {
  const operation = (doc.paths as Record<string, Record<string, Operation>>)[path]?.[method];
  const body = operation?.requestBody?.content['application/json']?.schema;
  if (!body) throw new Error(`no JSON body for ${method} ${path}`);
  return body;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });

const hours = {
  valid: [
    '2024-01-01T00:00:00Z',
    '2024-11-01T00:00:00Z',
    '2024-12-01T00:00:00Z',
    '2025-01-01T00:00:00Z',
    '2024-02-29T23:00:00Z',
  ],
  invalid: [
    '2023-02-29T00:00:00Z',
    '2024-02-31T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:30:00Z',
    '2024-01-01',
    '2024-13-01T00:00:00Z',
    '0000-00-00T00:00:00Z',
    '0000-01-01T01:00:00Z',
    '\u0662\u0660\u0662\u0664-01-01T00:00:00Z',
  ],
};
const seedRow = { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135, sulphur_dioxide: 0.9, uv_index: 1 };
/** Per field, values on both sides of each rule the schemas state (lengths, ranges, patterns, types). */
const candidates: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  data: {
    valid: [seedRow, [seedRow], Array(maxRows).fill(seedRow), { ...seedRow, pm2_5: 0 }],
    invalid: [
      Array(maxRows + 1).fill(seedRow),
      [],
      { ...seedRow, extra: 1 },
      { ...seedRow, pm2_5: -1 },
      { ...seedRow, pm2_5: '7' },
      { ...seedRow, uv_index: undefined },
      null,
    ],
  },
  id: { valid: ['berlin', 'a', 'a-1', 'a'.repeat(64)], invalid: ['Berlin', '0abc', 'a'.repeat(65), '', 'a_b'] },
  name: {
    valid: ['Berlin', ' Berlin ', '\u00a0x', 'x'.repeat(200), '😀'.repeat(150)],
    invalid: ['', ' ', '\ufeff', '\u001c', 'a\u0000b', 'a\nb', 'x'.repeat(201), '😀'.repeat(201), 3],
  },
  latitude: { valid: [0, 52.5, 90, -90], invalid: [90.0001, -91, '52', null] },
  longitude: { valid: [0, 13.4, 180, -180], invalid: [180.5, -181] },
  force: { valid: [true, false], invalid: ['true'] },
  locationIds: {
    valid: [['lyon'], ['lyon', 'paris'], ['a-b'], ['a'.repeat(300)]],
    invalid: [[], ['Lyon'], 'lyon', [''], [1]],
  },
  from: hours,
  to: hours,
  dryRun: { valid: [true, false], invalid: [0] },
  kind: { valid: ['instant', 'forecast'], invalid: ['hourly'] },
  horizonHours: { valid: [1, 24, 72], invalid: [0, 73, 1.5, '24'] },
  algorithm: { valid: ['linear', 'random-forest', 'boosted-trees'], invalid: ['xgboost'] },
  params: { valid: [{}, { seed: 1 }], invalid: [[], null] },
  trainFrom: hours,
  validationFrom: hours,
  testFrom: hours,
  testTo: hours,
  approvalTimeout: { valid: ['72h', '10ms'], invalid: ['1w', '\u0663h', '5', ''] },
  tolerance: { valid: [0, 0.5, 1], invalid: [1.1, -0.1] },
  decision: { valid: ['approve', 'reject'], invalid: ['maybe'] },
  comment: { valid: ['ok', '', 'x'.repeat(2000), '😀'.repeat(1500)], invalid: ['x'.repeat(2001), '😀'.repeat(2001)] },
  sensor_id: { valid: ['CAP_001', 'a', 'A'.repeat(64)], invalid: ['', '_x', 'A'.repeat(65), 'a b', 1] },
  timestamp: {
    valid: ['2024-01-15T14:30:00Z', '2024-02-29T23:59:59.123+02:00', '2023-12-31T00:00:00-05:30'],
    invalid: [
      '2023-02-29T00:00:00Z',
      '2024-01-15T24:00:00Z',
      '2024-01-15 14:30:00Z',
      '2024-01-15T14:30:00',
      '0000-01-01T00:00:00Z',
    ],
  },
  location: {
    valid: [
      { lat: 48.8566, lon: 2.3522 },
      { lat: -90, lon: 180 },
    ],
    invalid: [{ lat: 91, lon: 0 }, { lat: 0 }, { lat: 0, lon: 0, alt: 1 }, null],
  },
  measurements: {
    valid: [
      { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
      { pm2_5: -999, pm10: 0, no2: 0, o3: 1, temperature: -5 },
    ],
    invalid: [
      { pm2_5: 1, pm10: 1 },
      { pm2_5: '1', pm10: 1, no2: 1 },
      { pm2_5: 1, pm10: 1, no2: 1, so2: 1 },
    ],
  },
  readings: {
    valid: [
      [
        {
          sensor_id: 'CAP_001',
          timestamp: '2024-01-15T14:30:00Z',
          location: { lat: 48.8566, lon: 2.3522 },
          measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
        },
      ],
    ],
    invalid: [[], [{}], 'x'],
  },
  unknown: { valid: [], invalid: [1] },
};
/** A field's value: valid 6 times in 7. */
const candidate = (key: string) => {
  const { valid, invalid } = candidates[key] ?? { valid: [], invalid: [] };
  return valid.length === 0
    ? fc.constantFrom(...invalid)
    : fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: fc.constantFrom(...invalid) },
      );
};
/** A key present `times` in `outOf`, with a value from `candidate`. */
const sometimes = (key: string, times: number, outOf: number) =>
  fc
    .oneof({ weight: outOf - times, arbitrary: fc.constant(undefined) }, { weight: times, arbitrary: candidate(key) })
    .map((v) => [key, v] as const);
/** Objects of the schema's own keys, each there 5 times in 6 (an unknown key 1 in 20), or no object at all. */
const bodies = (keys: string[]) =>
  fc.oneof(
    {
      weight: 19,
      arbitrary: fc
        .tuple(sometimes('unknown', 1, 20), ...keys.map((key) => sometimes(key, 5, 6)))
        .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined))),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, [], 'text', 1) },
  );

describe.each([
  ['/predict', 'post', predictBodyContract(maxRows), ['data']],
  ['/locations', 'post', addLocationBody, ['id', 'name', 'latitude', 'longitude', 'force']],
  ['/pipelines/backfill', 'post', backfillBody, ['locationIds', 'from', 'to', 'dryRun']],
  ['/pipelines/quality', 'post', qualityBody, ['locationIds', 'from', 'to']],
  [
    '/pipelines/training',
    'post',
    trainingRequest,
    [
      'kind',
      'horizonHours',
      'algorithm',
      'params',
      'locationIds',
      'trainFrom',
      'validationFrom',
      'testFrom',
      'testTo',
      'approvalTimeout',
      'tolerance',
    ],
  ],
  ['/pipelines/{id}/approval', 'post', approvalBody, ['decision', 'comment']],
  ['/sensors/readings', 'post', sensorReadingsBody, ['sensor_id', 'timestamp', 'location', 'measurements', 'readings']],
] as [string, string, z.ZodType, string[]][])('the body of %s %s', (path, method, zod, keys) => {
  const documented = ajv.compile(bodyOf(path, method));

  it('when any value is sent, then the document and the validation agree on it (a cross-field breach is the document’s)', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(bodies(keys), (body) => {
        const parsed = zod.safeParse(body);
        const valid = parsed.success || onlyCrossFieldIssues(parsed.error);
        seen[valid ? 'valid' : 'invalid'] += 1;
        expect({ body, documented: documented(body) }).toEqual({ body, documented: valid });
      }),
      { numRuns: 3000, seed: 7 },
    );
    // Both sides of the rules were tried, not only refusals.
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.invalid).toBeGreaterThan(100);
  });
});

describe('the answers of /predict', () => {
  it('when the route validates a body, then it agrees with the documented contract on every value', () => {
    const contract = ajv.compile(bodyOf('/predict', 'post'));
    const seed = { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135, sulphur_dioxide: 0.9, uv_index: 1 };
    expect(contract({ data: seed })).toBe(true);
    expect(contract({ data: [seed, seed, seed] })).toBe(true);
    expect(contract({ data: [seed, seed, seed, seed] })).toBe(false);
    expect(contract({ data: [] })).toBe(false);
    expect(contract({ data: seed, extra: 1 })).toBe(false);
  });
});

describe('the parameters and methods the document states', () => {
  const call = async (url: string, method = 'GET') => {
    const response = await fetch(url, { method });
    return { status: response.status, allow: response.headers.get('allow') };
  };

  it('when /forecast is asked for hours the integer parameter does not hold (hex, exponent, spaces), then 400', async () => {
    const api = await serveApp({
      forecast: { store: { get: () => undefined, list: () => [] } as never, history: {} as never },
    });
    try {
      for (const hours of ['0x10', '1e1', '%205', '1.5', '', '73', '0'])
        expect([hours, (await call(`${api.url}/forecast?location=lyon&hours=${hours}`)).status]).toEqual([hours, 400]);
      // Valid: the horizon has no champion here, so 404 says so.
      expect((await call(`${api.url}/forecast?location=lyon&hours=24`)).status).toBe(404);
    } finally {
      api.close();
    }
    const hoursParameter = doc.paths['/forecast'].get.parameters.find((p) => p.name === 'hours');
    expect(hoursParameter).toMatchObject({
      in: 'query',
      required: true,
      schema: { type: 'integer', minimum: 1, maximum: 72 },
    });
  });

  it('when a fixed path a template also matches is asked with another method, then 405; OPTIONS lists the methods', async () => {
    const api = await serveApp();
    try {
      expect(await call(`${api.url}/pipelines/backfill`)).toEqual({ status: 405, allow: 'POST' });
      expect(await call(`${api.url}/pipelines/backfill`, 'OPTIONS')).toEqual({ status: 204, allow: 'POST, OPTIONS' });
      expect(await call(`${api.url}/locations`, 'OPTIONS')).toEqual({ status: 204, allow: 'GET, POST, HEAD, OPTIONS' });
    } finally {
      api.close();
    }
  });

  it('when an operation has a path parameter, a 422 rule or errors, then each status it can answer is documented with its body', () => {
    const { paths } = doc;
    expect(Object.keys(paths['/pipelines/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    for (const path of ['/pipelines/backfill', '/pipelines/quality', '/pipelines/training'] as const)
      expect(Object.keys(paths[path].post.responses)).toContain('422');
    const notFound = paths['/locations/{id}'].delete.responses['404'];
    expect(notFound.content['application/json'].schema).toMatchObject({ required: ['error'] });
  });
});
