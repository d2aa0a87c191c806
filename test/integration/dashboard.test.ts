import { randomBytes } from 'node:crypto';

import type { Browser, Page } from 'playwright-core';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { createMlflowClient } from '../../adapters/mlflow/client';
import { timelineMethod } from '../../adapters/postgres/location-timeline';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import type { PipelineDescription } from '../../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { runBundledTraining } from '../../cli/bundled-training';
import type { RawReadingMessage } from '../../core/air-quality/messages';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { topics } from '../../core/topics';
import { modelNameFor } from '../../core/training/promotion';
import { trainingRequest } from '../../core/training/request';
import { trainingWorkId } from '../../core/work-ids/training';
import { incidentStatusQuery, sensorIncident } from '../../workflows/sensor-incident';
import { launchChromium } from '../support/chromium';

import { callApi, until } from './api-calls';
import { testConfig, testWebhookReceiver } from './test-env';

/**
 * The dashboard in a real browser (Chromium from the npm package @sparticuz/chromium, driven by
 * playwright-core) against the test stack: what a person sees and what their clicks do.
 */
jest.setTimeout(300_000);

const config = testConfig();
const api = config.api.url;
const key = config.api.keys[0]?.key ?? '';
const pool = createPool(config, { max: 2 });
const kafka = createKafka(config, createLogger('test', 'error'));
const mlflow = createMlflowClient(config.mlflow.url);

let browser: Browser;
let page: Page;
/** What the page printed as errors, and what it threw. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
});
afterAll(async () => {
  await browser.close();
  await pool.end();
});

async function openView(view: 'location' | 'sensors' | 'models'): Promise<void> {
  await page.goto(`${api}/`);
  await page.waitForSelector('[data-testid="timeline"][data-points]');
  await page.fill('#api-key', key);
  await page.click(`nav button[data-view="${view}"]`);
}

describe('the dashboard in Chromium', () => {
  it("when / is opened, then the page loads without a console error and the timeline draws every stored hour of Lyon's first year", async () => {
    await page.goto(`${api}/`);
    const timeline = await page.waitForSelector('[data-testid="timeline"][data-points]');
    await page.waitForSelector('[data-testid="forecast"]');
    const drawn = Number(await timeline.getAttribute('data-points'));
    const { rows } = await pool.query<{ n: string }>(
      `WITH first AS (SELECT min(observed_at) AS t FROM readings WHERE location_id = 'lyon')
       SELECT count(*) AS n FROM reading_indices, first
       WHERE location_id = 'lyon' AND method = $1 AND observed_at >= first.t AND observed_at < first.t + interval '366 days'`,
      [timelineMethod],
    );

    expect(page.url()).toBe(`${api}/dashboard/`);
    expect(await page.inputValue('[data-testid="location-select"]')).toBe('lyon');
    expect(drawn).toBeGreaterThan(8000);
    expect(drawn).toBe(Number(rows[0]?.n));
    expect(consoleErrors).toEqual([]);
  });

  it('when a reading is produced to Kafka, then the page shows it within 2 s without a reload (server-sent events)', async () => {
    const location = `live-${randomBytes(3).toString('hex')}`;
    const added = await callApi(
      'POST',
      '/locations',
      { id: location, name: 'Live test', latitude: -60, longitude: Math.random() * 100, force: true },
      key,
    );
    expect(added.status).toBe(201);
    await page.goto(`${api}/`);
    await page.waitForSelector('[data-testid="live-status"].live');
    const producer = kafka.producer();
    await producer.connect();
    const message: RawReadingMessage = {
      schema: 'aqi.raw/v1',
      locationId: location,
      source: 'dashboard-test',
      runId: 'dashboard-test',
      fetchedAt: new Date().toISOString(),
      reading: {
        latitude: -60,
        longitude: 0,
        observedAt: '2024-06-01T12:00:00Z',
        values: { pm2_5: 12, pm10: 20, nitrogen_dioxide: 30, ozone: 60, sulphur_dioxide: 2 },
        reported: { european_aqi: 31 },
      },
    };

    await producer.send({ topic: topics.aqiRaw, messages: [{ key: location, value: JSON.stringify(message) }] });
    const sentAt = Date.now();
    const shown = await page
      .waitForSelector(`[data-testid="live-reading"][data-location="${location}"]`, { timeout: 2000 })
      .then(() => Date.now() - sentAt)
      .catch(() => undefined);
    await producer.disconnect();
    const text =
      shown === undefined ? '' : await page.textContent(`[data-testid="live-reading"][data-location="${location}"]`);
    // The place and its hour go again: other suites count the stored hours of the bundled places only.
    const removed = await callApi('DELETE', `/locations/${location}?purge=true`, undefined, key);

    expect({ shownWithin2s: shown !== undefined, afterMs: shown }).toEqual({
      shownWithin2s: true,
      afterMs: expect.any(Number),
    });
    expect(text).toContain('2024-06-01');
    expect(removed.status).toBe(200);
  });

  it("when the models view opens, then each champion's live MAE per horizon shows beside its holdout MAE, as GET /monitoring/accuracy reports them", async () => {
    // A forecast for a real hour goes to the prediction log (flushed within a second): the +24 h champion has a row.
    const forecast = await callApi('GET', '/forecast?location=lyon&hours=24&at=2024-12-30T23:00:00Z');
    expect(forecast.status).toBe(200);
    const forecaster = forecast.body.model as { name: string; version: string };
    await until('the forecast in GET /monitoring/accuracy', async () => {
      const { body } = await callApi(
        'GET',
        `/monitoring/accuracy?model=${forecaster.name}&version=${forecaster.version}`,
      );
      return (body.accuracy as unknown[]).length > 0 || undefined;
    });
    await openView('models');
    await page.waitForSelector('[data-testid="live-accuracy"]');
    const shown = await page.$$eval('[data-testid="live-accuracy"] tr[data-model]', (rows) =>
      rows.map((row) => ({
        model: row.getAttribute('data-model'),
        version: row.getAttribute('data-version'),
        horizon: row.getAttribute('data-horizon'),
        liveMae: row.querySelector('[data-cell="live-mae"]')?.textContent,
        holdoutMae: row.querySelector('[data-cell="holdout-mae"]')?.textContent,
      })),
    );
    const lineup = (await callApi('GET', '/models/lineup')).body.models as {
      name: string;
      champion?: { version: string; holdout: Record<string, number> };
    }[];
    const { accuracy } = (await callApi('GET', '/monitoring/accuracy')).body as {
      accuracy: { modelName: string; modelVersion: string; horizonHours: number; mae?: number; holdoutMae?: number }[];
    };
    const fixed = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
    type Row = { model: string; version: string; horizon: string | null; liveMae: string; holdoutMae: string };
    const expected = lineup.flatMap(({ name, champion }): Row[] => {
      if (!champion) return [];
      const holdout = champion.holdout.test_mae;
      const logged = accuracy
        .filter((a) => a.modelName === name && a.modelVersion === champion.version)
        .sort((a, b) => a.horizonHours - b.horizonHours);
      if (logged.length === 0) {
        return [{ model: name, version: champion.version, horizon: null, liveMae: '—', holdoutMae: fixed(holdout) }];
      }
      return logged.map((a) => ({
        model: name,
        version: champion.version,
        horizon: String(a.horizonHours),
        liveMae: fixed(a.mae),
        holdoutMae: fixed(a.holdoutMae ?? holdout),
      }));
    });

    expect(expected).toContainEqual(
      expect.objectContaining({ model: forecaster.name, version: forecaster.version, horizon: '24' }),
    );
    expect(shown).toEqual(expected);
    expect(consoleErrors).toEqual([]);
  });

  it('when a pending challenger that npm start waits for is approved in the page, then npm start goes on, the champion alias moves to it in MLflow, and the approval request reached the webhook', async () => {
    const temporal = await connectTemporal(config);
    const said: string[] = [];
    const request = trainingRequest.parse({
      kind: 'instant',
      params: { seed: 4242, randomForest: { nEstimators: 8, maxSamples: 400 } },
      tolerance: 1,
    });
    const workflowId = trainingWorkId(request);
    // npm start's own code, as in a terminal: it prints how to approve, then waits for anybody's decision.
    const npmStart = runBundledTraining(temporal, config, (line) => said.push(line), {
      interactive: true,
      requests: [request],
    });
    try {
      await until(
        'npm start waiting for a decision',
        async () => said.some((line) => line.startsWith('waiting for your decision')) || undefined,
      );
      const waiting = (await callApi('GET', `/pipelines/${workflowId}`)).body as unknown as PipelineDescription;
      const version = String(waiting.promotionStatus?.version);
      // The list of pending approvals is Temporal's visibility, which follows the run within a moment.
      await until('the run listed as pending', async () => {
        const { body } = await callApi('GET', '/approvals');
        return (body.approvals as { workflowId: string }[]).some((a) => a.workflowId === workflowId) || undefined;
      });

      await openView('models');
      await page.click(`[data-testid="approve-${workflowId}"]`);
      await page.waitForSelector(`[data-testid="approval-result-${workflowId}"]:has-text("approve")`);
      const finished = await npmStart;
      const champion = await until('the champion alias on the approved version', async () => {
        const current = await mlflow.getVersionByAlias(modelNameFor('instant', 0), 'champion');
        return current?.version === version ? current : undefined;
      });

      expect(await page.textContent(`[data-testid="approval-result-${workflowId}"]`)).toMatch(/^approve: /);
      expect(said.join('\n')).toContain(`Page:   ${config.api.dashboardUrl}`);
      expect(finished.healthy).toBe(true);
      expect(finished.lines).toEqual([
        expect.stringMatching(new RegExp(`^model aqi-eaqi-instant: promoted version ${version},`)),
      ]);
      expect(champion.tags['aqi.workflow_id']).toBe(workflowId);
      expect(waiting.triggers).toEqual([
        expect.objectContaining({ source: 'start', detail: 'npm start: bundled training' }),
      ]);
      const hooks = (await (await fetch(`http://127.0.0.1:${testWebhookReceiver.port}/received`)).json()) as {
        path: string;
        body: { key?: string };
      }[];
      expect(
        hooks.filter((h) => h.path === '/alerts' && h.body.key === `approval:${workflowId}:${version}:pending`),
      ).toHaveLength(1);
    } finally {
      await temporal.connection.close();
    }
  });

  it("when an incident is acknowledged in the page, then the workflow's wait for a person ends (acknowledged by the key's name), and resolving it closes the run", async () => {
    const temporal = await connectTemporal(config);
    const anomalyId = randomBytes(16).toString('hex');
    const workflowId = sensorIncidentWorkflowId(anomalyId);
    await startOrJoin(temporal, config, sensorIncident, workflowId, {
      anomalyId,
      sensorId: 'DASH_INC_1',
      anomalyType: 'dropout',
      severity: 'warning',
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'silent for 20 minutes',
    });
    await until('the incident listed', async () => {
      const { body } = await callApi('GET', '/incidents');
      return (body.incidents as { id: string }[]).some((i) => i.id === anomalyId) || undefined;
    });
    const handle = temporal.workflow.getHandle<typeof sensorIncident>(workflowId);

    await openView('sensors');
    await page.click(`[data-testid="acknowledge-${anomalyId}"]`);
    await page.waitForSelector(`[data-testid="incident-state-${anomalyId}"]:has-text("acknowledged")`);
    const acknowledged = await handle.query(incidentStatusQuery);
    await page.click(`[data-testid="resolve-${anomalyId}"]`);
    const result = await handle.result();
    await temporal.connection.close();

    expect(acknowledged).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'demo' } });
    expect(result).toMatchObject({ state: 'closed', closed: { reason: 'resolved', by: 'demo' } });
    expect(consoleErrors).toEqual([]);
  });

  it('when the sensors view opens, then the map has a marker for each sensor the API lists as reporting', async () => {
    const latest = await callApi('GET', '/sensors/readings/latest');
    const reporting = (latest.body.readings as { sensorId: string }[]).map((r) => r.sensorId).sort();

    await openView('sensors');
    await page.waitForSelector('[data-testid="sensor-map"] circle[data-sensor]');
    const markers = await page.$$eval('[data-testid="sensor-map"] circle[data-sensor]', (circles) =>
      circles.map((c) => c.getAttribute('data-sensor') ?? ''),
    );

    // npm start (the suite's global setup) simulated DEMO_001..DEMO_006 around Lyon.
    expect(reporting.length).toBeGreaterThanOrEqual(6);
    expect(markers.sort()).toEqual(reporting);
    expect(consoleErrors).toEqual([]);
  });
});
