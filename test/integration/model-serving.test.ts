import { createMlflowClient } from '../../adapters/mlflow/client';
import type { PipelineDescription } from '../../adapters/temporal/pipeline-runs';
import { modelNameFor } from '../../core/training/promotion';

import { callApi, until } from './api-calls';
import { testConfig } from './test-env';

/**
 * The API of the test stack (started by `npm start`'s code, which trained and approved the default models)
 * serving real models from the real MLflow registry, and driving a training run over HTTP.
 */
const config = testConfig();
const mlflow = createMlflowClient(config.mlflow.url);
const instant = modelNameFor('instant', 0);
const demoKey = config.api.keys[0]?.key ?? '';

jest.setTimeout(300_000);

const seedBody = {
  data: { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 },
};

describe('serving the approved champion', () => {
  it("when the seed's exact request is sent, then the champion answers with a European AQI and its band", async () => {
    const champion = await mlflow.getVersionByAlias(instant, 'champion');
    const { status, body } = await callApi('POST', '/predict', seedBody);

    expect(status).toBe(200);
    expect(body.model).toEqual({ name: instant, version: champion?.version, alias: 'champion' });
    expect(body.european_aqi).toEqual(expect.any(Number));
    expect(body.european_aqi as number).toBeGreaterThan(0);
    expect(body.european_aqi as number).toBeLessThan(100);
    expect(['good', 'fair', 'moderate', 'poor', 'very poor', 'extremely poor']).toContain(body.band);
  });

  it('when a higher PM2.5 is sent with the rest unchanged, then the predicted index is not lower', async () => {
    const rows = [2, 40, 120].map((pm2_5) => ({ ...seedBody.data, pm2_5 }));
    const { body } = await callApi('POST', '/predict', { data: rows });
    const values = (body.predictions as { european_aqi: number }[]).map((p) => p.european_aqi);

    expect(values).toHaveLength(3);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] ?? Infinity);
  });

  it('when a training run is started and approved over HTTP, then /model serves the new version', async () => {
    const started = await callApi(
      'POST',
      '/pipelines/training',
      { kind: 'instant', params: { seed: 99, randomForest: { nEstimators: 12, maxSamples: 600 } }, tolerance: 1 },
      demoKey,
    );
    expect(started.status).toBe(202);
    const workflowId = String(started.body.workflowId);
    expect(String(started.body.url)).toContain(encodeURIComponent(workflowId));

    const waiting = await until('awaiting_approval', async () => {
      const { body } = await callApi('GET', `/pipelines/${workflowId}`);
      const described = body as unknown as PipelineDescription;
      return described.promotionStatus?.stage === 'awaiting_approval' ? described : undefined;
    });
    const version = String(waiting.promotionStatus?.version);
    const approved = await callApi('POST', `/pipelines/${workflowId}/approval`, { decision: 'approve' }, demoKey);
    expect(approved.status).toBe(202);
    expect(approved.body).toMatchObject({ approver: 'demo', decision: 'approve', stage: 'promoting' });

    const served = await until('the API to serve the new version', async () => {
      const { body } = await callApi('GET', '/model');
      return body.version === version ? body : undefined;
    });
    expect(served).toMatchObject({ name: instant, alias: 'champion', lineage: { 'aqi.workflow_id': workflowId } });
    const again = await callApi('POST', `/pipelines/${workflowId}/approval`, { decision: 'reject' }, demoKey);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      error: { message: expect.stringContaining('reject from demo refused: already decided (approve by demo)') },
    });
    const unknown = await callApi(
      'POST',
      `/pipelines/no-such-run-${Date.now()}/approval`,
      { decision: 'approve' },
      demoKey,
    );
    expect(unknown.status).toBe(404);
  });

  it('when the alias is moved in the registry by any path, then the API picks it up by polling', async () => {
    const versions = await mlflow.searchModelVersions(`name='${instant}'`);
    const current = await mlflow.getVersionByAlias(instant, 'champion');
    const other = versions.find((v) => v.version !== current?.version);
    if (!other || !current) throw new Error('the test stack should hold two versions of the instant model by now');

    await mlflow.setAlias(instant, 'champion', other.version);
    try {
      const started = Date.now();
      await until('the polled version', async () => {
        const { body } = await callApi('GET', '/model');
        return body.version === other.version ? body : undefined;
      });
      expect(Date.now() - started).toBeLessThan(config.api.modelPollMs + 5000);
    } finally {
      await mlflow.setAlias(instant, 'champion', current.version);
      await callApi('GET', '/reload');
    }
  });

  it('when reloads happen under load, then every prediction is still answered', async () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      i % 40 === 0 ? callApi('POST', '/reload', {}, demoKey) : callApi('POST', '/predict', seedBody),
    );
    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  });
});

describe('forecasting from stored history', () => {
  it('when a +24 h forecast is asked for Lyon as of a December hour, then the horizon champion answers from the stored readings', async () => {
    const champion = await mlflow.getVersionByAlias(modelNameFor('forecast', 24), 'champion');
    const { status, body } = await callApi('GET', '/forecast?location=lyon&hours=24&at=2024-12-15T00:00:00Z');

    expect(status).toBe(200);
    expect(body).toMatchObject({
      location: 'lyon',
      at: '2024-12-15T00:00:00Z',
      target: '2024-12-16T00:00:00Z',
      model: { name: 'aqi-eaqi-forecast-24h', version: champion?.version, alias: 'champion' },
    });
    expect(body.european_aqi as number).toBeGreaterThan(0);
  });

  it('when the horizon has no champion or the query is wrong, then 404 and 400 say why', async () => {
    const horizon = await callApi('GET', '/forecast?location=lyon&hours=5');
    expect(horizon.status).toBe(404);
    // Other horizons may be served by now (forecast-latest.test.ts promotes a +6 h champion).
    expect(JSON.stringify(horizon.body)).toMatch(/no champion forecasts 5 h ahead; served horizons: [\d, ]*\b24\b/);
    const bad = await callApi('GET', '/forecast?location=Lyon!&hours=0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/location/);
    expect(JSON.stringify(bad.body)).toMatch(/hours/);
  });
});
