import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';

import { parseMetricSamples, sampleSum } from '../../adapters/metrics/samples';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { ingestHistoryWorkId } from '../../core/work-ids/work-ids';
import { ingestHistory } from '../../workflows/ingest-history';
import { promqlQueries, recordingRules, sqlQueries } from '../support/monitoring-queries';
import { metricReferences, scrapeMetrics, scrapeServes } from '../support/promql-metrics';

import { testConfig } from './test-env';

/**
 * Every metric the dashboards and alert rules (deploy/) query is served by the real processes of the test
 * stack, each at its own port (Prometheus's jobs). A labelled prom-client metric declares its family
 * (`# TYPE`) before its first event, which counts; the Temporal SDK's exporter shows a metric only once it
 * has a value, so the test first makes the events the queries need that the stack's start may not have
 * made: a workflow that fails in an activity (a backfill of 2019, which the replay source refuses).
 * The dashboards' SQL runs against the stack's database with Grafana's time macro over Lyon 2024.
 */
const config = testConfig();
const pool = createPool(config, { max: 2 });
let client: Client;
let scrapes: Record<string, string>;

jest.setTimeout(180_000);

const endpoints = {
  api: `${config.api.url}/metrics`,
  worker: `http://${config.bindHost}:${String(config.metrics.workerPort)}/metrics`,
  trainer: `http://${config.bindHost}:${String(config.metrics.trainerPort)}/metrics`,
  stream: `http://${config.bindHost}:${String(config.metrics.streamPort)}/metrics`,
  detector: `http://${config.bindHost}:${String(config.metrics.detectorPort)}/metrics`,
};

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${String(response.status)}`);
  return response.text();
}

beforeAll(async () => {
  client = await connectTemporal(config);
  const from = '2019-01-01T00:00:00Z';
  const to = '2019-01-01T23:00:00Z';
  const { handle } = await startOrJoin(client, config, ingestHistory, ingestHistoryWorkId(['lyon'], from, to), {
    locationIds: ['lyon'],
    from,
    to,
  });
  const failure = await handle.result().catch((err: unknown) => err);
  if (!(failure instanceof WorkflowFailedError)) throw new Error('the replay source was expected to refuse 2019');
  // The worker's exporter reports what its core has recorded; the failed run's counters reach it within a
  // scrape or two, so scrape until they are there.
  for (let attempt = 0; ; attempt++) {
    scrapes = Object.fromEntries(
      await Promise.all(Object.entries(endpoints).map(async ([job, url]) => [job, await scrape(url)] as const)),
    );
    const worker = scrapes.worker ?? '';
    const counted = ['temporal_workflow_failed_total', 'temporal_activity_execution_failed_total'];
    if (counted.every((name) => scrapeServes(worker, name)) || attempt === 20) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});
afterAll(async () => {
  await client.connection.close();
  await pool.end();
});

describe('metrics of the processes', () => {
  it('when each process is scraped, then it serves its own metrics, the refused backfill counted by the worker', () => {
    const worker = parseMetricSamples(scrapes.worker ?? '');

    expect(scrapes.api).toContain('aqi_api_request_duration_seconds');
    expect(scrapes.stream).toContain('aqi_stream_records_total');
    expect(scrapes.detector).toContain('aqi_detector_records_total');
    expect(scrapes.trainer).toContain('temporal_num_pollers');
    expect(
      sampleSum(worker, 'temporal_workflow_failed_total', { workflow_type: 'ingestHistory' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(worker, 'temporal_activity_execution_failed_total', { activity_type: 'planHistorySource' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('when a dashboard or an alert rule queries a metric, then the process of its job serves it', () => {
    const queries = promqlQueries();
    // Prometheus records these itself; the expressions that record them are among the queries checked.
    const recorded = new Set(recordingRules().map((rule) => rule.record));

    const missing = queries.flatMap((query) =>
      metricReferences(query.text)
        .filter((ref) => !scrapeMetrics.has(ref.name) && !recorded.has(ref.name))
        .filter((ref) =>
          ref.job === undefined
            ? !Object.values(scrapes).some((text) => scrapeServes(text, ref.name))
            : !scrapeServes(scrapes[ref.job] ?? '', ref.name),
        )
        .map((ref) => `${query.where}: ${ref.name}${ref.job === undefined ? '' : ` (job ${ref.job})`}`),
    );

    expect(queries.length).toBeGreaterThanOrEqual(40);
    expect(missing).toEqual([]);
  });

  it("when a dashboard's SQL runs over Lyon 2024, then it answers, and the AQI series has Lyon's hours", async () => {
    const results = [];
    for (const query of sqlQueries()) {
      const sql = query.text.replace(
        /\$__timeFilter\(([\w.]+)\)/g,
        "$1 >= '2024-01-01T00:00:00Z' AND $1 < '2025-01-01T00:00:00Z'",
      );
      results.push({ where: query.where, rows: (await pool.query<Record<string, unknown>>(sql)).rows });
    }

    const series = results.find((r) => r.where.includes('European AQI by location'))?.rows ?? [];

    expect(results.length).toBe(sqlQueries().length);
    expect(series.filter((row) => row.metric === 'Lyon').length).toBeGreaterThanOrEqual(8000);
  });
});
