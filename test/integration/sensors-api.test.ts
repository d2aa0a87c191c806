import { randomBytes } from 'node:crypto';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { listLocations } from '../../adapters/postgres/locations';
import { createPool } from '../../adapters/postgres/pool';
import { recordSightings } from '../../adapters/postgres/sensors';
import { connectTemporal } from '../../adapters/temporal/client';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { topics } from '../../core/topics';
import { sensorIncident } from '../../workflows/sensor-incident';

import { callApi, until } from './api-calls';
import { readTopic } from './kafka-topics';
import { testConfig } from './test-env';

jest.setTimeout(180_000);

const key = 'aqi-local-demo-key';
const config = testConfig();
const pool = createPool(config, { max: 2 });
const kafka = createKafka(config, createLogger('test', 'error'));
const admin = kafka.admin();

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await pool.end();
});

describe('POST /sensors/readings and GET /sensors', () => {
  it('refuses a bad reading naming the field, takes a batch once the broker has it, and the detector registers its sensors', async () => {
    const id = `API_${randomBytes(3).toString('hex').toUpperCase()}`;
    // A day old: older than the detector tests' windows, so these readings never move its watermark past them.
    const at = (minutes: number) =>
      new Date(Math.floor(Date.now() / 60_000) * 60_000 - 24 * 3600_000 - minutes * 60_000).toISOString();
    const reading = (minutes: number) => ({
      sensor_id: id,
      timestamp: at(minutes),
      location: { lat: 45.75, lon: 4.85 },
      measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
    });

    const anonymous = await callApi('POST', '/sensors/readings', reading(3));
    const bad = await callApi(
      'POST',
      '/sensors/readings',
      { ...reading(3), measurements: { pm2_5: 'high', pm10: 1, no2: 1 } },
      key,
    );
    const taken = await callApi('POST', '/sensors/readings', { readings: [reading(3), reading(2), reading(1)] }, key);
    const published = await until(
      `${id} on sensors.raw`,
      async () => {
        const messages = (await readTopic(kafka, admin, topics.sensorsRaw)).filter((m) => m.key === id);
        return messages.length === 3 ? messages : undefined;
      },
      { timeoutMs: 60_000 },
    );
    await recordSightings(
      pool,
      [{ sensorId: id, latitude: 45.75, longitude: 4.85, observedAt: at(1) }],
      await listLocations(pool),
    );
    const sensor = await callApi('GET', `/sensors/${id}`);
    const listed = await callApi('GET', '/sensors?status=active');

    expect(anonymous.status).toBe(401);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 'INVALID_BODY', fields: [expect.objectContaining({ path: 'measurements.pm2_5' })] },
    });
    expect(taken).toEqual({ status: 202, body: { accepted: 3 } });
    expect(published.map((m) => (JSON.parse(m.value) as { timestamp: string }).timestamp)).toEqual([
      at(3),
      at(2),
      at(1),
    ]);
    expect(sensor).toMatchObject({
      status: 200,
      body: {
        sensor: { id, nearestLocationId: 'lyon', status: 'active' },
        anomalies: [],
        calibration: { latest: [], baselines: [] },
      },
    });
    expect((listed.body.sensors as { id: string }[]).map((s) => s.id)).toContain(id);
    expect((await callApi('GET', '/sensors/NOPE_0')).status).toBe(404);
  });
});

describe('/incidents', () => {
  it('lists an open incident with its Web UI link, acknowledges it as the key’s name (a second is 409 with the reason), resolves it', async () => {
    const temporal = await connectTemporal(config);
    const anomalyId = randomBytes(16).toString('hex');
    await startOrJoin(temporal, config, sensorIncident, sensorIncidentWorkflowId(anomalyId), {
      anomalyId,
      sensorId: 'API_INC_1',
      anomalyType: 'dropout',
      severity: 'warning',
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'silent for 20 minutes',
    });
    const listed = await until(
      'the incident listed',
      async () => {
        const answer = await callApi('GET', '/incidents');
        return (answer.body.incidents as { id: string; url: string }[]).find((i) => i.id === anomalyId);
      },
      { timeoutMs: 60_000 },
    );

    const forbidden = await callApi('POST', `/incidents/${anomalyId}/acknowledge`, {});
    const acknowledged = await callApi('POST', `/incidents/${anomalyId}/acknowledge`, { comment: 'looking' }, key);
    const again = await callApi('POST', `/incidents/${anomalyId}/acknowledge`, {}, key);
    const resolved = await callApi('POST', `/incidents/${anomalyId}/resolve`, { comment: 'battery' }, key);
    await temporal.workflow.getHandle<typeof sensorIncident>(sensorIncidentWorkflowId(anomalyId)).result();
    const shown = await callApi('GET', `/incidents/${anomalyId}`);

    expect(listed.url).toContain(sensorIncidentWorkflowId(anomalyId));
    expect(forbidden.status).toBe(401);
    expect(acknowledged).toMatchObject({
      status: 200,
      body: { id: anomalyId, state: 'acknowledged', acknowledged: { by: 'demo' } },
    });
    expect(again).toMatchObject({
      status: 409,
      body: {
        error: { code: 'INCIDENT_ACTION_REFUSED', message: expect.stringContaining('already acknowledged by demo') },
      },
    });
    expect(resolved).toMatchObject({
      status: 200,
      body: { state: 'closed', closed: { reason: 'resolved', by: 'demo' } },
    });
    expect((shown.body.incident as { steps: { event: string }[] }).steps.map((s) => s.event)).toEqual(
      expect.arrayContaining(['opened', 'acknowledged', 'resolved', 'closed']),
    );
    expect((await callApi('GET', `/incidents/${'0'.repeat(32)}`)).status).toBe(404);
    await temporal.connection.close();
  });
});
