import { Partitioners } from 'kafkajs';

import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { listIncidents } from '../adapters/postgres/incidents';
import type { Pool } from '../adapters/postgres/pool';
import { workflowUrl } from '../adapters/temporal/client';
import type { Config } from '../config';
import { simulate } from '../core/sensors/simulator/simulate';
import { topics } from '../core/topics';
import { detectorGroupId } from '../workers/detector/processor';

import type { BundledRun } from './bundled-pipeline';
import { produce, references } from './sensor-simulation';

const prefix = 'DEMO';

const counts = (items: readonly string[]) =>
  Object.entries(items.reduce<Record<string, number>>((c, t) => ({ ...c, [t]: (c[t] ?? 0) + 1 }), {}))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');

/**
 * What `npm start` shows of the sensor side: six simulated low-cost sensors around Lyon over the last
 * stored day, a reading a minute with every kind of fault, produced to `sensors.raw` at once; then, once the
 * detector has caught up, the faults it found by type against those injected, and the incidents it opened
 * with their Web UI links. The same run again finds the same anomalies (ids from sensor, type and start).
 */
export async function runBundledSensors(
  pool: Pool,
  config: Config,
  say: (message: string) => void,
): Promise<BundledRun> {
  const { series, start } = await references(pool, ['lyon'], { days: 1 });
  const simulation = simulate({ seed: 20240115, sensors: 6, days: 1, start, sensorIdPrefix: prefix }, series);
  const kafka = createKafka(config, createLogger('aqi-start', 'warn', process.stderr));
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await produce(producer, simulation, 0, () => undefined);
  } finally {
    await producer.disconnect();
  }
  say(
    `produced ${simulation.messages.length} readings of 6 simulated sensors to ${topics.sensorsRaw}; waiting for the detector…`,
  );
  const caughtUp = await untilCaughtUp(kafka, pool, 120_000);
  const { rows } = await pool.query<{ type: string }>(
    `SELECT type FROM sensor_anomalies WHERE sensor_id LIKE $1 ORDER BY type`,
    [`${prefix}\\_%`],
  );
  const incidents = (await listIncidents(pool, { open: true })).filter((i) => i.sensorId.startsWith(`${prefix}_`));
  const injected = simulation.labels.filter((l) => l.kind === 'signal').map((l) => l.type);
  const delivery = simulation.labels.filter((l) => l.kind === 'delivery').map((l) => l.type);
  const query = encodeURIComponent(`AqiPipeline = "sensorIncident" AND PipelineStage != "closed"`);
  return {
    healthy: caughtUp,
    lines: [
      `sensors: ${prefix}_001..${prefix}_006 around lyon, ${simulation.window.start} .. ${simulation.window.end}, a reading a minute`,
      `  faults injected: ${counts(injected)}; delivery: ${counts(delivery)}`,
      caughtUp
        ? `  anomalies found: ${rows.length === 0 ? 'none' : counts(rows.map((r) => r.type))} (airq sensors list, table sensor_anomalies)`
        : '  the detector did not catch up within 2 minutes (see its log)',
      `  open incidents: ${incidents.length} (airq incidents list; Web UI ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows?query=${query})`,
      ...incidents
        .slice(0, 5)
        .map(
          (i) =>
            `    ${i.sensorId} ${i.anomalyType}${i.measurement ? `:${i.measurement}` : ''} ${workflowUrl(config, i.workflowId)}`,
        ),
    ],
  };
}

/** Until the detector's group has committed the end of sensors.raw and published its outbox. */
async function untilCaughtUp(kafka: ReturnType<typeof createKafka>, pool: Pool, timeoutMs: number): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ends = await admin.fetchTopicOffsets(topics.sensorsRaw);
      const [committed] = await admin.fetchOffsets({ groupId: detectorGroupId, topics: [topics.sensorsRaw] });
      // A partition is caught up when its committed offset is its end; one that never held a message has
      // nothing committed (-1) and nothing to catch up on.
      const behind = ends.some((end) => {
        const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
        return Number(end.high) > Math.max(at, Number(end.low));
      });
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM sensor_outbox');
      if (!behind && Number(rows[0]?.n) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return false;
  } finally {
    await admin.disconnect();
  }
}
