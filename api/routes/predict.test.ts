import type { Model } from '../../core/ml/models';
import { serveApp } from '../../test/support/serve-app';
import type { LoadedModel, ModelStore } from '../models/model-store';

/** A stand-in model whose answer is easy to check: the sum of its features. Real models: integration tests. */
const summingModel = {
  algorithm: 'linear',
  spec: {
    version: 'test',
    kind: 'instant',
    horizonHours: 0,
    names: [],
    target: { variable: 'european_aqi', method: 'm' },
  },
  params: {},
  predict: (x: readonly number[][]) => x.map((row) => row.reduce((a, b) => a + b, 0)),
  toJSON: () => ({}),
} as unknown as Model;

const served: LoadedModel = {
  name: 'aqi-eaqi-instant',
  version: '3',
  alias: 'champion',
  runId: 'r1',
  model: summingModel,
  metrics: { test_mae: 9.5 },
  tags: { 'aqi.dataset_sha256': 'abc', other: 'x' },
  loadedAt: '2026-11-22T10:00:00.000Z',
};

function storeWith(model: LoadedModel | undefined): ModelStore {
  return {
    get: (name) => (model?.name === name ? model : undefined),
    list: () => (model ? [model] : []),
    reload: () => Promise.resolve([]),
    startPolling() {},
    stop() {},
  };
}

async function serve(model: LoadedModel | undefined, maxBatchRows = 5) {
  const { url, close } = await serveApp({
    models: storeWith(model),
    serving: { predictModel: 'aqi-eaqi-instant', maxBatchRows, maxBodyBytes: '2kb' },
    keys: [{ name: 'ops', key: 'ops-key-123', permissions: ['models'] }],
  });
  return {
    url,
    post: async (body: string, contentType = 'application/json') => {
      const response = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    get: async (path: string) => {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close,
  };
}

const seedRow = { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 };

describe('POST /predict', () => {
  it("when the seed's exact body is sent, then the prediction comes with its band and the model that made it", async () => {
    const api = await serve(served);
    try {
      const { status, body } = await api.post(JSON.stringify({ data: seedRow }));
      expect(status).toBe(200);
      expect(body.model).toEqual({ name: 'aqi-eaqi-instant', version: '3', alias: 'champion' });
      expect(typeof body.european_aqi).toBe('number');
      expect(body.band).toEqual(expect.any(String));
    } finally {
      api.close();
    }
  });

  it('when a batch is sent, then there is one prediction per row, in order', async () => {
    const api = await serve(served);
    try {
      const rows = [seedRow, { ...seedRow, pm2_5: 70 }, { ...seedRow, pm2_5: 0 }];
      const { status, body } = await api.post(JSON.stringify({ data: rows }));
      const predictions = body.predictions as { european_aqi: number }[];
      expect(status).toBe(200);
      expect(predictions).toHaveLength(3);
      expect(predictions[1]?.european_aqi).toBeGreaterThan(predictions[0]?.european_aqi ?? Infinity);
      expect(predictions[2]?.european_aqi).toBeLessThan(predictions[0]?.european_aqi ?? -Infinity);
    } finally {
      api.close();
    }
  });

  it('when fields are missing, extra, non-numeric or negative, then 400 names the path of each', async () => {
    const api = await serve(served);
    try {
      const { pm10: _missing, ...withoutPm10 } = seedRow;
      const bad = {
        data: [
          { ...withoutPm10, ozone: 3 },
          { ...seedRow, uv_index: 'high', pm2_5: -1 },
        ],
      };
      const { status, body } = await api.post(JSON.stringify(bad));
      const error = body.error as { code: string; fields: { path: string }[] };
      expect(status).toBe(400);
      expect(error.code).toBe('INVALID_BODY');
      expect(error.fields.map((f) => f.path)).toEqual(
        expect.arrayContaining(['data.0.pm10', 'data.0', 'data.1.uv_index', 'data.1.pm2_5']),
      );
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
    } finally {
      api.close();
    }
  });

  it('when the body is not JSON, too large, or a batch over the limit, then 415, 413 and 400', async () => {
    const api = await serve(served, 2);
    try {
      expect((await api.post('pm2_5=7', 'application/x-www-form-urlencoded')).status).toBe(415);
      expect((await api.post(JSON.stringify({ data: Array(40).fill(seedRow) }))).status).toBe(413);
      const over = await api.post(JSON.stringify({ data: [seedRow, seedRow, seedRow] }));
      expect(over.status).toBe(400);
      expect(JSON.stringify(over.body)).toMatch(/at most 2 rows/);
      const broken = await api.post('{"data": {');
      expect(broken.status).toBe(400);
      expect((broken.body.error as { code: string }).code).toBe('INVALID_JSON');
    } finally {
      api.close();
    }
  });

  it('when no champion is loaded, then 503 says why', async () => {
    const api = await serve(undefined);
    try {
      const { status, body } = await api.post(JSON.stringify({ data: seedRow }));
      expect(status).toBe(503);
      expect((body.error as { message: string }).message).toMatch(/no champion of aqi-eaqi-instant/);
    } finally {
      api.close();
    }
  });
});

describe('GET /model and /models', () => {
  it('when a champion is loaded, then /model shows its version, metrics, lineage tags and load time', async () => {
    const api = await serve(served);
    try {
      const { status, body } = await api.get('/model');
      expect(status).toBe(200);
      expect(body).toMatchObject({
        name: 'aqi-eaqi-instant',
        version: '3',
        metrics: { test_mae: 9.5 },
        lineage: { 'aqi.dataset_sha256': 'abc' },
        loaded_at: '2026-11-22T10:00:00.000Z',
      });
      expect((body.lineage as Record<string, string>).other).toBeUndefined();
      expect(((await api.get('/models')).body.models as unknown[]).length).toBe(1);
    } finally {
      api.close();
    }
  });
});

describe('GET /metrics', () => {
  it('when predictions were served, then Prometheus sees their count, the model version and the request latency', async () => {
    const api = await serve(served);
    try {
      await api.post(JSON.stringify({ data: [seedRow, seedRow] }));
      const response = await fetch(`${api.url}/metrics`);
      const text = await response.text();
      expect(response.headers.get('content-type')).toMatch(/text\/plain/);
      expect(text).toMatch(/aqi_api_predictions_total\{model="aqi-eaqi-instant",version="3"\} 2/);
      expect(text).toMatch(/aqi_api_model_info\{model="aqi-eaqi-instant",version="3",alias="champion"\} 1/);
      expect(text).toMatch(/aqi_api_request_duration_seconds_count\{method="POST",route="\/predict",status="200"\} 1/);
    } finally {
      api.close();
    }
  });
});

describe('GET /openapi.json and /docs', () => {
  it('when the contract is asked for, then it is OpenAPI 3.1 with the request schemas the routes validate with', async () => {
    const api = await serve(served);
    try {
      const response = await fetch(`${api.url}/openapi.json`);
      const doc = (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      const predict = JSON.stringify(doc.paths['/predict']?.post?.requestBody?.content['application/json']?.schema);
      for (const field of ['pm2_5', 'pm10', 'carbon_monoxide', 'sulphur_dioxide', 'uv_index'])
        expect(predict).toContain(field);
      expect(predict).toContain('"maxItems":5');
      const training = JSON.stringify(
        doc.paths['/pipelines/training']?.post?.requestBody?.content['application/json']?.schema,
      );
      expect(training).toContain('horizonHours');
      const page = await (await fetch(`${api.url}/docs`)).text();
      expect(page).toContain('/pipelines/{id}/approval');
    } finally {
      api.close();
    }
  });
});
