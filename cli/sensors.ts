import { findSensor, listSensors, setSensorStatus } from '../adapters/postgres/sensors';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { sensorStatuses, type RegisteredSensor, type SensorStatus } from '../core/sensors/registry';

import { cliActor, withPool } from './locations';
import { rollupSensorDay } from './sensor-rollup';
import { simulateSensors } from './sensor-simulation';

type Values = Record<string, string | boolean | undefined>;

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function line(s: RegisteredSensor): string {
  const reference = s.nearestLocationId ? `${s.nearestLocationId} (${s.nearestLocationKm?.toFixed(1)} km)` : '-';
  return (
    `${s.id.padEnd(12)} ${s.status.padEnd(8)} ${s.latitude.toFixed(4).padStart(9)} ${s.longitude.toFixed(4).padStart(10)}  ` +
    `${reference.padEnd(24)} ${minute(s.firstSeen)} .. ${minute(s.lastSeen)}`
  );
}

function statusFilter(values: Values): { status?: SensorStatus } {
  if (values.status === undefined) return {};
  const status = sensorStatuses.find((s) => s === values.status);
  if (!status) {
    throw new AppError('INVALID_SENSOR_STATUS', `--status: one of ${sensorStatuses.join(', ')}`, { httpStatus: 400 });
  }
  return { status };
}

/**
 * `airq sensors list|show|retire|reinstate|simulate|rollup`: the IoT sensors the detector has registered, a
 * simulated network, and the daily rollup of one day.
 */
export async function sensorsCommand(config: Config, values: Values, args: string[]): Promise<number> {
  const [action = 'list', id] = args;
  if (action === 'simulate') return simulateSensors(config, values);
  if (action === 'rollup') return rollupSensorDay(config, values);
  const json = values.json === true;
  const print = (sensor: RegisteredSensor, text: string) => console.log(json ? JSON.stringify(sensor, null, 2) : text);
  return withPool(config, async (pool) => {
    if (action === 'list') {
      const sensors = await listSensors(pool, statusFilter(values));
      if (json) console.log(JSON.stringify(sensors, null, 2));
      else if (sensors.length === 0)
        console.log('no sensor has been seen yet: readings arrive on sensors.raw or POST /sensors/readings');
      else for (const s of sensors) console.log(line(s));
      return 0;
    }
    if (!id) throw new AppError('INVALID_COMMAND', `usage: airq sensors ${action} <sensor id>`, { httpStatus: 400 });
    if (action === 'show') {
      const s = await findSensor(pool, id);
      const changed = s.statusChangedAt
        ? `\n  status set ${minute(s.statusChangedAt)} by ${s.statusChangedBy}: ${s.statusReason ?? ''}`
        : '';
      print(s, `${line(s)}${changed}`);
      return 0;
    }
    if (action === 'retire' || action === 'reinstate') {
      const status: SensorStatus = action === 'retire' ? 'retired' : 'active';
      const reason = typeof values.reason === 'string' ? values.reason : undefined;
      const s = await setSensorStatus(pool, id, { status, actor: cliActor(values), ...(reason ? { reason } : {}) });
      print(s, `${s.id} is ${s.status}${s.statusChangedBy ? ` (set by ${s.statusChangedBy})` : ''}`);
      return 0;
    }
    throw new AppError(
      'INVALID_COMMAND',
      `unknown sensors action "${action}": list, show, retire, reinstate, simulate or rollup`,
      {
        httpStatus: 400,
      },
    );
  });
}
