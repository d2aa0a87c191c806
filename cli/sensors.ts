import { listBaselines, listCalibrations, type StoredCalibration } from '../adapters/postgres/sensor-rollup';
import { findSensor, listSensors, setSensorStatus } from '../adapters/postgres/sensors';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import type { CalibrationBaseline } from '../core/sensors/hourly/baseline';
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

const figure = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/** One calibration line: window, fit, and whether it meets EPA's targets (naming those it misses). */
function calibrationLine(c: StoredCalibration): string {
  const verdict =
    c.verdict === null
      ? 'not judged (rolled up before verdicts)'
      : c.verdict.withinTargets
        ? 'within EPA targets'
        : `outside EPA targets: ${c.verdict.outside.join(', ')}`;
  return (
    `  ${c.measurement.padEnd(6)} ${String(c.windowDays).padStart(2)} days to ${c.asOf}: slope ${figure(c.slope)}, ` +
    `intercept ${figure(c.intercept)}, R² ${c.r2.toFixed(2)}, bias ${figure(c.bias)} (${c.n} h vs ${c.referenceLocationId}): ${verdict}`
  );
}

function baselineLine(b: CalibrationBaseline): string {
  return (
    `  ${b.measurement.padEnd(6)} baseline of the ${b.windowDays} days to ${b.establishedOn}: slope ${figure(b.slope)}, ` +
    `intercept ${figure(b.intercept)}, R² ${b.r2.toFixed(2)} (drift is judged from it)`
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
      const [calibrations, baselines] = await Promise.all([
        listCalibrations(pool, { sensorId: id, latestOnly: true }),
        listBaselines(pool, { sensorId: id }),
      ]);
      const changed = s.statusChangedAt
        ? `\n  status set ${minute(s.statusChangedAt)} by ${s.statusChangedBy}: ${s.statusReason ?? ''}`
        : '';
      const calibration =
        calibrations.length === 0
          ? '\n  calibration: none yet (the daily rollup fits one from two days of hourly means)'
          : `\n  calibration against the reference:\n${[...calibrations.map(calibrationLine), ...baselines.map(baselineLine)].join('\n')}`;
      if (json) console.log(JSON.stringify({ ...s, calibration: { latest: calibrations, baselines } }, null, 2));
      else console.log(`${line(s)}${changed}${calibration}`);
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
