import { randomBytes } from 'node:crypto';

import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { actOnIncident } from '../../adapters/temporal/incidents';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { ingestHourly } from '../../workflows/ingest-hourly';
import { sensorIncident } from '../../workflows/sensor-incident';
import type { ReceivedWebhook } from '../support/webhook-receiver';

import { sleep } from './drill-support';
import { testConfig, testWebhookReceiver } from './test-env';

jest.setTimeout(120_000);

const config = testConfig();
const receiver = `http://127.0.0.1:${testWebhookReceiver.port}`;

async function received(): Promise<ReceivedWebhook[]> {
  const response = await fetch(`${receiver}/received`);
  return (await response.json()) as ReceivedWebhook[];
}

/** Waits until the receiver holds a webhook matching `match`, and returns every such one. */
async function untilReceived(match: (hook: ReceivedWebhook) => boolean, count = 1): Promise<ReceivedWebhook[]> {
  for (let i = 0; i < 120; i++) {
    const hooks = (await received()).filter(match);
    if (hooks.length >= count) return hooks;
    await sleep(500);
  }
  throw new Error('the webhook did not arrive within 60 s');
}

const keyOf = (hook: ReceivedWebhook) => (hook.body as { key?: string }).key;
const textOf = (hook: ReceivedWebhook) => (hook.body as { text?: string }).text ?? '';

describe('alerts from the real worker to a local webhook receiver (ALERT_WEBHOOKS of the test stack)', () => {
  it('an incident opened then resolved reaches the JSON and Slack targets once per step; the refusing target is given up and recorded', async () => {
    const temporal = await connectTemporal(config);
    const pool = createPool(config, { max: 1 });
    const anomalyId = randomBytes(16).toString('hex');
    const sensorId = `ALERT_${anomalyId.slice(0, 6).toUpperCase()}`;
    await startOrJoin(temporal, config, sensorIncident, sensorIncidentWorkflowId(anomalyId), {
      anomalyId,
      sensorId,
      anomalyType: 'flatline',
      measurement: 'pm2_5',
      severity: 'warning',
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'pm2_5 stuck at 12.5',
    });

    const [opened] = await untilReceived((h) => h.path === '/alerts' && keyOf(h) === `incident:${anomalyId}:opened:0`);
    const [slackOpened] = await untilReceived((h) => h.path === '/slack' && textOf(h).includes(sensorId));
    await actOnIncident(temporal, anomalyId, 'resolve', { by: 'ana', comment: 'replaced' });
    await untilReceived((h) => h.path === '/alerts' && keyOf(h) === `incident:${anomalyId}:closed:0`);
    await temporal.workflow.getHandle(sensorIncidentWorkflowId(anomalyId)).result();
    const mine = (await received()).filter(
      (h) => (h.path === '/alerts' && keyOf(h)?.startsWith(`incident:${anomalyId}:`)) || textOf(h).includes(sensorId),
    );
    const { rows } = await pool.query<{ alert_key: string; target_id: string; outcome: string; reason: string | null }>(
      `SELECT alert_key, target_id, outcome, reason FROM alert_deliveries WHERE alert_key LIKE $1 ORDER BY alert_key, target_id`,
      [`incident:${anomalyId}:%`],
    );

    expect(opened?.body).toMatchObject({
      schema: 'aqi.alert/v1',
      kind: 'incident_opened',
      severity: 'warning',
      facts: { sensor: sensorId, fault: 'flatline (pm2_5)' },
      links: [{ url: expect.stringContaining(`/workflows/${sensorIncidentWorkflowId(anomalyId)}`) }],
    });
    expect(slackOpened?.body).toMatchObject({ blocks: expect.any(Array) });
    // Two steps (opened, closed) × three targets, each tried exactly once: two take it, the 404 is not retried.
    expect(mine.map((h) => h.path).sort()).toEqual(['/alerts', '/alerts', '/gone', '/gone', '/slack', '/slack']);
    expect(rows.map((r) => `${r.alert_key.split(':')[2]} ${r.target_id.split(':')[0]} ${r.outcome}`).sort()).toEqual([
      'closed json delivered',
      'closed json gave_up',
      'closed slack delivered',
      'opened json delivered',
      'opened json gave_up',
      'opened slack delivered',
    ]);
    expect(rows.find((r) => r.outcome === 'gave_up')?.reason).toContain('HTTP 404');
    expect(rows.map((r) => r.target_id).join(' ')).not.toContain('http');
    await pool.end();
    await temporal.connection.close();
  });

  it('poor air in Lyon on 2024-12-31, observed and forecast by the champions, is told once per kind, day and band however often the hours are ingested', async () => {
    const temporal = await connectTemporal(config);
    // npm start's stack has ingested 23:00 already (before its champions existed); 22:00 looks back over
    // the same evening, now with champions forecasting the next day.
    const hour = '2024-12-31T22:00:00Z';
    const { handle } = await startOrJoin(temporal, config, ingestHourly, ingestHourlyWorkId(['lyon'], hour), {
      locationIds: ['lyon'],
      hour,
    });
    await handle.result();
    const [observed] = await untilReceived(
      (h) => h.path === '/alerts' && keyOf(h)?.startsWith('air-poor:observed:lyon:2024-12-31:') === true,
    );
    await untilReceived((h) => h.path === '/alerts' && keyOf(h)?.startsWith('air-poor:forecast:lyon:') === true);
    const keys = (await received())
      .filter((h) => h.path === '/alerts' && keyOf(h)?.startsWith('air-poor:') === true)
      .map((h) => keyOf(h));

    expect(observed?.body).toMatchObject({
      kind: 'air_quality_poor',
      facts: { location: 'lyon', band: expect.stringMatching(/poor/) },
    });
    expect(keys.length).toBe(new Set(keys).size);
    await temporal.connection.close();
  });
});
