import { createMlflowClient } from '../../adapters/mlflow/client';
import { listMonitoringReports } from '../../adapters/postgres/monitoring-reports';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { runMonitor } from '../../cli/monitor';
import { featureSpecFor } from '../../core/ml/features';
import { modelNameFor } from '../../core/training/promotion';

import { callApi } from './api-calls';
import { testConfig } from './test-env';

/**
 * monitorChampion on the test stack against the champion npm start's code trained and approved on the
 * bundled Lyon year: the report row, the MLflow run's artifacts and GET /monitoring/reports.
 */
const config = testConfig();
const mlflow = createMlflowClient(config.mlflow.url);
const instant = modelNameFor('instant', 0);

jest.setTimeout(300_000);

describe('the champion monitor on the test stack', () => {
  const pool = createPool(config, { max: 2 });
  afterAll(async () => {
    await pool.end();
  });

  it("when the instant champion is monitored on Lyon's last December week, then the row, the artifacts and the API agree", async () => {
    const client = await connectTemporal(config);
    const run = await runMonitor(client, config, { modelName: instant, to: '2025-01-01T00:00:00Z' }).finally(() =>
      client.connection.close(),
    );
    const [result] = run.results;
    const champion = await mlflow.getVersionByAlias(instant, 'champion');

    expect(result).toMatchObject({
      outcome: 'reported',
      modelName: instant,
      version: champion?.version,
      window: { from: '2024-12-25T00:00:00Z', to: '2025-01-01T00:00:00Z' },
    });
    const [row] = await listMonitoringReports(pool, { modelName: instant, limit: 1 });
    expect(row).toMatchObject({
      id: result?.reportId,
      workflowId: run.workflowId,
      modelVersion: champion?.version,
      status: 'reported',
      referenceSha256: champion?.tags['aqi.dataset_sha256'],
      currentRows: 168,
      columns: featureSpecFor('instant', 0).names.length,
      datasetDrift: result?.datasetDrift,
    });

    const runId = row?.mlflowRunId ?? '';
    const monitoringRun = await mlflow.getRun(runId);
    expect(monitoringRun?.tags).toMatchObject({ 'aqi.model_name': instant, 'aqi.model_version': champion?.version });
    expect(monitoringRun?.metrics.current_rows).toBe(168);
    const artifacts = (await mlflow.listArtifacts(runId, 'drift')).map((a) => a.path).sort();
    expect(artifacts).toEqual(['drift/report.html', 'drift/report.json']);
    const html = Buffer.from(await mlflow.downloadArtifact(monitoringRun!, 'drift/report.html')).toString('utf8');
    expect(html).toContain(`Drift report: ${instant} version ${champion?.version}`);
    expect(html).not.toMatch(/https?:|<script|src=/);
    const served = await fetch(result?.links?.html ?? '');
    expect(served.status).toBe(200);
    expect(await served.text()).toBe(html);

    const listed = await callApi('GET', `/monitoring/reports?model=${instant}`);
    expect(listed.status).toBe(200);
    expect((listed.body.reports as { id: number }[]).map((r) => r.id)).toContain(row?.id);
    const one = await callApi('GET', `/monitoring/reports/${row?.id}`);
    expect(one.status).toBe(200);
    const report = (one.body.report as { report: { features: { columns: { column: string }[] } } }).report;
    expect(report.features.columns.map((c) => c.column)).toEqual(featureSpecFor('instant', 0).names);
    expect((await callApi('GET', '/monitoring/reports/999999999')).status).toBe(404);
  });

  it('when a model has no champion, then the monitor says so and stores nothing', async () => {
    const client = await connectTemporal(config);
    const run = await runMonitor(client, config, { modelName: 'aqi-eaqi-forecast-7h' }).finally(() =>
      client.connection.close(),
    );

    expect(run.results).toEqual([
      expect.objectContaining({ outcome: 'no_champion', modelName: 'aqi-eaqi-forecast-7h' }),
    ]);
    expect(await listMonitoringReports(pool, { modelName: 'aqi-eaqi-forecast-7h' })).toEqual([]);
  });
});
