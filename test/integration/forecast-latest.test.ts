import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createMlflowClient } from '../../adapters/mlflow/client';
import { createPool } from '../../adapters/postgres/pool';
import type { PipelineDescription } from '../../adapters/temporal/pipeline-runs';
import { modelNameFor } from '../../core/training/promotion';

import { callApi, until } from './api-calls';
import { testConfig, testStateDir } from './test-env';

/**
 * The README's forecast examples on the test stack as `npm start` leaves it (the bundled data backfilled, the
 * instant and +24 h champions approved): `/forecast` without `at` over the stored data as it is, and a
 * champion of a horizon nobody configured (+6 h), trained through the real pipeline and served without a
 * restart.
 */
const config = testConfig();
const api = config.api.url;
const mlflow = createMlflowClient(config.mlflow.url);
const pool = createPool(config, { max: 2 });
const demoKey = config.api.keys[0]?.key ?? '';
const plus6 = modelNameFor('forecast', 6);

jest.setTimeout(300_000);

afterAll(async () => {
  await pool.end();
});

const apiPid = () => Number(readFileSync(path.join(testStateDir, 'run', 'api.pid'), 'utf8'));
const servedNames = async () =>
  ((await callApi('GET', '/models')).body.models as { name: string }[]).map((m) => m.name);

describe('GET /forecast without `at` on the bundled data', () => {
  it('when the latest stored hour lacks history, then the +24 h champion answers from the latest hour that has it, and names both', async () => {
    const champion = await mlflow.getVersionByAlias(modelNameFor('forecast', 24), 'champion');
    const latest = (
      await pool.query<{ latest: Date }>(`SELECT max(observed_at) AS latest FROM readings WHERE location_id = 'lyon'`)
    ).rows[0]?.latest;

    const { status, body } = await callApi('GET', '/forecast?location=lyon&hours=24');

    expect(status).toBe(200);
    // The June 2025 export holds 48 hours of Lyon, one short of the 49 the features read: the forecast starts
    // at the last hour of the 2024 year.
    expect(latest?.toISOString()).toBe('2025-06-02T23:00:00.000Z');
    expect(body).toMatchObject({
      location: 'lyon',
      at: '2024-12-31T23:00:00Z',
      target: '2025-01-01T23:00:00Z',
      latest_stored_hour: '2025-06-02T23:00:00Z',
      model: { name: 'aqi-eaqi-forecast-24h', version: champion?.version, alias: 'champion' },
    });
    expect(body.note).toMatch(/2025-06-02T23:00:00Z.*lacks the 48 h of history.*2024-12-31T23:00:00Z/);
    // The same forecast as a backtest asked at that hour: one feature path.
    const asked = await callApi('GET', '/forecast?location=lyon&hours=24&at=2024-12-31T23:00:00Z');
    expect(asked.body.european_aqi).toBe(body.european_aqi);
    // And `at` in the short export keeps failing loudly, naming the problem.
    const gap = await callApi('GET', '/forecast?location=lyon&hours=24&at=2025-06-02T23:00:00Z');
    expect(gap.status).toBe(422);
    expect(JSON.stringify(gap.body)).toMatch(/NO_HISTORY.*gaps the features need/);
  });
});

describe('a champion of a new forecast horizon', () => {
  it('when a +6 h model is trained, approved and promoted, then /forecast?hours=6 serves it within the poll interval, without a restart', async () => {
    const pidBefore = apiPid();
    expect((await callApi('GET', '/forecast?location=lyon&hours=6')).status).toBe(404);

    const started = await callApi(
      'POST',
      '/pipelines/training',
      { kind: 'forecast', horizonHours: 6, algorithm: 'linear', tolerance: 1 },
      demoKey,
    );
    expect(started.status).toBe(202);
    const workflowId = String(started.body.workflowId);
    const waiting = await until('awaiting_approval', async () => {
      const described = (await callApi('GET', `/pipelines/${workflowId}`)).body as unknown as PipelineDescription;
      return described.promotionStatus?.stage === 'awaiting_approval' ? described : undefined;
    });
    const version = String(waiting.promotionStatus?.version);
    const approved = await callApi('POST', `/pipelines/${workflowId}/approval`, { decision: 'approve' }, demoKey);
    expect(approved.status).toBe(202);

    // From the moment the registry names it champion, the API must serve it within one poll.
    let promotedAt: number | undefined;
    const forecast = await until('the API to serve the +6 h champion', async () => {
      const answer = await callApi('GET', '/forecast?location=lyon&hours=6');
      if (answer.status === 200 && (answer.body.model as { version?: string }).version === version) return answer.body;
      // A lookup racing the alias being set can fail once; the next probe asks again.
      const champion = await mlflow.getVersionByAlias(plus6, 'champion').catch(() => undefined);
      if (promotedAt === undefined && champion?.version === version) {
        promotedAt = Date.now();
      }
      return undefined;
    });
    const servedAfterMs = promotedAt === undefined ? 0 : Date.now() - promotedAt;

    expect(servedAfterMs).toBeLessThan(config.api.modelPollMs + 3000);
    expect(forecast).toMatchObject({
      location: 'lyon',
      at: '2024-12-31T23:00:00Z',
      target: '2025-01-01T05:00:00Z',
      model: { name: plus6, version, alias: 'champion' },
    });
    expect(forecast.european_aqi as number).toBeGreaterThan(0);
    expect(await servedNames()).toEqual(expect.arrayContaining([plus6, 'aqi-eaqi-forecast-24h', 'aqi-eaqi-instant']));
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toContain(`aqi_api_model_info{model="${plus6}",version="${version}",alias="champion"} 1`);
    // The pipeline's deploy step, which used to report the horizon as not configured, confirms it.
    const done = await until('the pipeline to end', async () => {
      const described = (await callApi('GET', `/pipelines/${workflowId}`)).body as unknown as PipelineDescription;
      return described.status === 'COMPLETED' ? described : undefined;
    });
    expect(done.promotionStatus?.deploy).toMatchObject({ confirmed: true });
    expect(apiPid()).toBe(pidBefore);
  });

  it('when its champion alias is removed and set again in the registry, then polling alone stops and resumes serving it', async () => {
    const champion = await mlflow.getVersionByAlias(plus6, 'champion');
    if (!champion) throw new Error('the previous test should have promoted a +6 h champion');
    const pollBound = config.api.modelPollMs + 3000;

    await mlflow.deleteAlias(plus6, 'champion');
    let since = Date.now();
    try {
      await until('the +6 h model to be retired', async () =>
        (await servedNames()).includes(plus6) ? undefined : true,
      );
      expect(Date.now() - since).toBeLessThan(pollBound);
      const retired = await callApi('GET', '/forecast?location=lyon&hours=6');
      expect(retired.status).toBe(404);
      expect(JSON.stringify(retired.body)).toMatch(/no champion forecasts 6 h ahead; served horizons: 24/);
    } finally {
      await mlflow.setAlias(plus6, 'champion', champion.version);
      since = Date.now();
    }
    const back = await until('the +6 h champion to be served again', async () => {
      const answer = await callApi('GET', '/forecast?location=lyon&hours=6');
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(Date.now() - since).toBeLessThan(pollBound);
    expect(back.model).toEqual({ name: plus6, version: champion.version, alias: 'champion' });
  });
});
