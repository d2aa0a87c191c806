import type pg from 'pg';

import { listLocations } from '../../adapters/postgres/locations';
import { commitDetectorChunk } from '../../adapters/postgres/sensor-stream';
import { dayMs } from '../../core/sensors/rollup-day';

import { asChecked, rollupScenario, type RollupScenario, type RollupScenarioOptions } from './sensor-rollup-scenario';

/**
 * Puts a rollup scenario into a stack's database as the detector would have stored it (checked readings,
 * the registry), for the integration test and the history capture: the sensors read the stored Open-Meteo
 * hours of `locationId` (backfill them first). Chunks go through `commitDetectorChunk` under a topic of
 * their own, so no partition state of the running detector is touched.
 */
export async function seedRollupScenario(
  pool: pg.Pool,
  options: Omit<RollupScenarioOptions, 'reference' | 'center'>,
): Promise<RollupScenario> {
  const from = Date.parse(`${options.firstDay}T00:00:00Z`);
  const to = from + options.days * dayMs;
  const { rows } = await pool.query<{ observed_at: Date; pm2_5: number | null; pm10: number | null }>(
    `SELECT observed_at, pm2_5, pm10 FROM readings WHERE location_id = $1 AND observed_at >= $2 AND observed_at < $3`,
    [options.locationId, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  const hours = new Map(rows.map((r) => [r.observed_at.getTime(), r]));
  const locations = await listLocations(pool);
  const location = locations.find((l) => l.id === options.locationId);
  if (!location) throw new Error(`no location ${options.locationId}`);
  const scenario = rollupScenario({
    ...options,
    center: { lat: location.latitude, lon: location.longitude },
    reference: (hourMs) => {
      const hour = hours.get(hourMs);
      if (typeof hour?.pm2_5 !== 'number' || typeof hour.pm10 !== 'number') {
        throw new Error(
          `${options.locationId} has no PM stored at ${new Date(hourMs).toISOString()}: backfill it first`,
        );
      }
      return { pm2_5: hour.pm2_5, pm10: hour.pm10 };
    },
  });
  const receivedAt = new Date(to).toISOString();
  const perChunk = 20_000;
  for (let i = 0; i < scenario.readings.length; i += perChunk) {
    const readings = scenario.readings.slice(i, i + perChunk);
    await commitDetectorChunk(pool, {
      topic: `seed-${options.prefix}`,
      partition: 0,
      nextOffset: String(i + readings.length),
      state: {
        partition: { schema: 'sensors.detector-partition/v1', watermarkMs: null, aheadClaims: [] },
        sensors: [],
        queued: [],
        released: [],
      },
      readings: asChecked(readings, receivedAt),
      anomalies: [],
      sightings: readings.map((r) => ({
        sensorId: r.sensor_id,
        latitude: r.location.lat,
        longitude: r.location.lon,
        observedAt: r.timestamp,
      })),
      locations,
      outbox: [],
    });
  }
  return scenario;
}
