import { createMlflowClient } from '../../adapters/mlflow/client';
import { findMonitoringReport } from '../../adapters/postgres/monitoring-reports';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { runMonitor } from '../../cli/monitor';
import type { LiveAccuracy } from '../../core/monitoring/accuracy/live-accuracy';
import { modelNameFor } from '../../core/training/promotion';
import { ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { ingestHourly } from '../../workflows/ingest-hourly';

import { callApi, until } from './api-calls';
import { stackClients } from './stack-clients';
import { testConfig } from './test-env';

/**
 * Live accuracy on the test stack, with the champions npm start's code trained on the bundled Lyon year: a
 * forecast the API serves goes to the prediction log, waits for its hour, and is resolved by the hourly
 * ingest's scoring step, which also logs every champion's predictions of the hours it stored; the rolling
 * MAE beside the holdout MAE on GET /monitoring/accuracy, /metrics and the drift report.
 */
const config = testConfig();
const mlflow = createMlflowClient(config.mlflow.url);
const forecast24 = modelNameFor('forecast', 24);
const instant = modelNameFor('instant', 0);
// An hour of June no other test asks about: its predictions are this test's own.
const origin = '2024-06-15T07:00:00Z';
const target = '2024-06-16T07:00:00Z';

jest.setTimeout(300_000);

const accuracyOf = async (query: string): Promise<LiveAccuracy[]> => {
  const answer = await callApi('GET', `/monitoring/accuracy?${query}`);
  expect(answer.status).toBe(200);
  return answer.body.accuracy as LiveAccuracy[];
};

describe('live accuracy on the test stack', () => {
  const stack = stackClients(config);

  it("when a served forecast's hour is ingested, then its actual resolves it and the MAE per version and horizon is shown beside the holdout", async () => {
    const champion = await mlflow.getVersionByAlias(forecast24, 'champion');
    const trainingRun = await mlflow.getRun(champion?.runId ?? '');
    const served = await callApi('GET', `/forecast?location=lyon&hours=24&at=${origin}`);
    expect(served.body).toMatchObject({ at: origin, target, model: { name: forecast24, version: champion?.version } });
    const window = `model=${forecast24}&to=2024-06-16T08:00:00Z&hours=1`;

    // The API writes its predictions in batches: the row appears, waiting for its hour.
    const waiting = await until('the forecast in the prediction log', async () => {
      const [row] = await accuracyOf(window);
      return row && row.resolved + row.pending > 0 ? row : undefined;
    });
    expect(waiting).toMatchObject({ modelVersion: champion?.version, horizonHours: 24, resolved: 0, pending: 1 });

    const { handle } = await startOrJoin(
      stack.client,
      config,
      ingestHourly,
      `live-accuracy-${ingestHourlyWorkId(['lyon'], target)}`,
      { locationIds: ['lyon'], hour: target },
    );
    const ingested = await handle.result();

    expect(ingested.scoring?.models).toEqual(
      expect.arrayContaining([
        { modelName: forecast24, version: champion?.version, logged: 3 },
        expect.objectContaining({ modelName: instant, logged: 3 }),
      ]),
    );
    expect(ingested.scoring?.resolved).toBeGreaterThanOrEqual(1);
    const { rows } = await stack.pool.query<{ actual: number }>(
      `SELECT reported_european_aqi AS actual FROM readings WHERE location_id = 'lyon' AND observed_at = $1`,
      [target],
    );
    const actual = rows[0]?.actual ?? Number.NaN;
    const holdoutMae = trainingRun?.metrics.test_mae ?? Number.NaN;
    const [resolved] = await accuracyOf(window);
    const error = Math.abs((served.body.european_aqi as number) - actual);
    expect(resolved).toMatchObject({ resolved: 1, pending: 0, hours: 1, holdoutMae });
    expect(resolved?.mae).toBeCloseTo(error, 9);
    expect(resolved?.ratio).toBeCloseTo(error / holdoutMae, 9);
    // The instant champion scored the ingested hours themselves: their actuals were stored already. Asked by
    // the version that scored them: an earlier suite may have promoted another instant version since npm start.
    const scoredBy = ingested.scoring?.models.find((m) => m.modelName === instant)?.version;
    const [nowcast] = await accuracyOf(`model=${instant}&version=${scoredBy ?? ''}&to=2024-06-16T08:00:00Z&hours=3`);
    expect(nowcast).toMatchObject({ modelVersion: scoredBy, resolved: 3, hours: 3, pending: 0 });

    const metrics = await (await fetch(`${config.api.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`aqi_live_mae\\{model="${forecast24}",version="${champion?.version}",horizon="24"\\} [0-9.]+`),
    );

    // The drift report of the week ending after that hour carries the same accuracy (no retrain: one window).
    const monitored = await runMonitor(
      stack.client,
      config,
      { modelName: forecast24, to: '2024-06-17T00:00:00Z', retraining: { driftWindows: 12 } },
      Date.now(),
    );
    const [report] = monitored.results;
    expect(report?.retraining).toMatchObject({ action: 'none' });
    const stored = await findMonitoringReport(stack.pool, report?.reportId ?? 0);
    expect(stored.accuracy).toEqual([expect.objectContaining({ horizonHours: 24, holdoutMae })]);
    expect(stored.accuracy?.[0]?.resolved).toBeGreaterThanOrEqual(1);
    const listed = await callApi('GET', `/monitoring/reports/${report?.reportId ?? 0}`);
    expect((listed.body.report as { accuracy: LiveAccuracy[] }).accuracy).toEqual(stored.accuracy);
  });

  it('when the query is malformed, then GET /monitoring/accuracy answers 400', async () => {
    expect((await callApi('GET', '/monitoring/accuracy?hours=0')).status).toBe(400);
    expect((await callApi('GET', '/monitoring/accuracy?to=2024-06-16T08:30:00Z')).status).toBe(400);
    expect((await callApi('GET', '/monitoring/accuracy?extra=1')).status).toBe(400);
  });
});
