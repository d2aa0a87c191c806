import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { latestSensorReadings, sensorReadingSeries } from '../../adapters/postgres/sensor-readings';
import { listBaselines, listCalibrations } from '../../adapters/postgres/sensor-rollup';
import { listSensorAnomalies } from '../../adapters/postgres/sensor-stream';
import { findSensor, listSensors } from '../../adapters/postgres/sensors';
import type { ApiKey } from '../../config';
import { withWindowRules, windowShape } from '../../core/dashboard/window';
import { sensorId, sensorReading, type SensorReading } from '../../core/sensors/reading';
import { sensorStatuses } from '../../core/sensors/registry';
import { sensorEuropeanAqi, sensorIndexMethod } from '../../core/sensors/sensor-index';
import { requirePermission } from '../middleware/api-key';

import { invalidBody, requireJson } from './predict';

/** Readings one request may carry. */
export const maxReadingsPerRequest = 1000;

/** One reading, or `{readings: [...]}`: the same contract as a message on `sensors.raw`. */
export const sensorReadingsBody = z.union([
  sensorReading,
  z.strictObject({ readings: z.array(sensorReading).min(1).max(maxReadingsPerRequest) }),
]);
export const sensorListQuery = z.strictObject({ status: z.enum(sensorStatuses).optional() });
/** The query of GET /sensors/{id}/readings: at most 7 days (a sensor may report every minute). */
export const sensorReadingsQuery = withWindowRules(z.strictObject(windowShape), 7);

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/** The body as readings: a body with `readings` is a batch, anything else one reading (errors name each field). */
function readingsOf(body: unknown): SensorReading[] {
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'readings' in body;
  return batch
    ? parse(z.strictObject({ readings: z.array(sensorReading).min(1).max(maxReadingsPerRequest) }), body).readings
    : [parse(sensorReading, body)];
}

/**
 * The IoT side over HTTP: readings in (to `sensors.raw`, answered 202 once the broker has them, so the
 * detector takes them as any producer's), and the registry out. Sending needs a key with `sensors`.
 */
export function sensorRoutes(deps: {
  pool: pg.Pool;
  keys: readonly ApiKey[];
  publish: (readings: SensorReading[]) => Promise<void>;
}): Router {
  const router = Router();
  router.post('/sensors/readings', requirePermission(deps.keys, 'sensors'), requireJson, async (req, res) => {
    const readings = readingsOf(req.body);
    await deps.publish(readings);
    res.status(202).json({ accepted: readings.length });
  });
  router.get('/sensors/readings/latest', async (_req, res) => {
    // The index is computed per reading for the map's colours; the raw values stay beside it.
    const latest = (await latestSensorReadings(deps.pool)).map((r) => ({
      ...r,
      europeanAqi: sensorEuropeanAqi(r.measurements),
    }));
    res.json({ method: sensorIndexMethod, readings: latest });
  });
  router.get('/sensors', async (req, res) => {
    res.json({ sensors: await listSensors(deps.pool, parse(sensorListQuery, req.query)) });
  });
  router.get('/sensors/:id', async (req, res) => {
    const id = parse(sensorId, req.params.id);
    const sensor = await findSensor(deps.pool, id);
    const [anomalies, calibrations, baselines] = await Promise.all([
      listSensorAnomalies(deps.pool, id),
      listCalibrations(deps.pool, { sensorId: id, latestOnly: true }),
      listBaselines(deps.pool, { sensorId: id }),
    ]);
    // Calibration is a property of the unit (its latest 7- and 30-day fits, judged against EPA's targets),
    // shown beside its anomalies; the baseline is what drift is judged from.
    res.json({ sensor, anomalies, calibration: { latest: calibrations, baselines } });
  });
  router.get('/sensors/:id/readings', async (req, res) => {
    const id = parse(sensorId, req.params.id);
    const window = parse(sensorReadingsQuery, req.query);
    await findSensor(deps.pool, id);
    res.json({ sensorId: id, ...window, ...(await sensorReadingSeries(deps.pool, id, window)) });
  });
  return router;
}
