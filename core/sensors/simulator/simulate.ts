import { formatObservedAt } from '../../air-quality/reading';
import { AppError } from '../../errors';
import type { SensorMeasurementName } from '../reading';

import { deliver, type DeliveryFault, type SimulatedMessage } from './delivery';
import { drawSensorErrors } from './error-model';
import { isDelivery, planFaults, type FaultPlan, type PlannedFault, type PlanWindow } from './fault-plan';
import type { FaultLabel, FaultType } from './labels';
import { simulationOptions, type SimulationOptions, type SimulationOptionsInput } from './options';
import { placeSensors } from './placement';
import { RandomStream } from './random';
import { referenceEndMs, referencePollutants, type ReferencePollutant, type ReferenceSeries } from './reference';
import { applyValueFault, cleanSeries } from './sensor-series';

/**
 * `airq sensors simulate` and the anomaly benchmark start here. Steps, in the order of the code:
 * 1. Validate the options and fix the window (first reading, interval, number of readings).
 * 2. Place the sensors around the reference locations and draw each one's errors.
 * 3. Plan the faults (which sensors stay clean, which fault goes where) and write their labels.
 * 4. For each sensor: clean values from the reference, then its value faults, then its messages.
 * 5. Merge every sensor's messages into one stream ordered by send time.
 * Pure and seeded: the same options and reference series give the same stream and labels, byte for byte.
 */

export interface SimulatedSensor {
  sensor_id: string;
  lat: number;
  lon: number;
  /** The nearest reference location, and how far it is. */
  location_id: string;
  distance_km: number;
  /** No fault of any kind: false alarms on this sensor are counted per clean sensor-day. */
  clean: boolean;
  measurements: SensorMeasurementName[];
}

export interface Simulation {
  options: SimulationOptions;
  window: { start: string; end: string; intervalSeconds: number; readingsPerSensor: number };
  sensors: SimulatedSensor[];
  labels: FaultLabel[];
  /** Ordered by send time (then key and event time): the order to produce them in. */
  messages: SimulatedMessage[];
  summary: {
    messages: number;
    labels: Partial<Record<FaultLabel['type'], number>>;
    /** Readings delivered out of order within the allowed lateness (normal operation, not labelled). */
    outOfOrder: number;
    unplaced: Partial<Record<FaultType, number>>;
    /** Reference pollutants that were derived rather than measured, per location. */
    derived: Record<string, Partial<Record<ReferencePollutant, string>>>;
  };
}

const required: readonly ReferencePollutant[] = ['pm2_5', 'pm10', 'no2'];

function simulationWindow(options: SimulationOptions, references: readonly ReferenceSeries[]): PlanWindow {
  const intervalMs = options.intervalSeconds * 1000;
  const startMs =
    options.start === undefined ? Math.max(...references.map((r) => r.firstHourMs)) : Date.parse(options.start);
  const readings = Math.floor((options.days * 86_400_000) / intervalMs);
  const lastMs = startMs + (readings - 1) * intervalMs;
  for (const reference of references) {
    // The last hour's value holds until the next hour would start.
    if (startMs < reference.firstHourMs || lastMs >= referenceEndMs(reference) + 3_600_000) {
      throw new AppError(
        'SIMULATION_WINDOW',
        `${reference.locationId} has hourly data from ${formatObservedAt(reference.firstHourMs)} to ` +
          `${formatObservedAt(referenceEndMs(reference))}; the simulation needs ${formatObservedAt(startMs)} to ${formatObservedAt(lastMs)}`,
        { httpStatus: 400 },
      );
    }
  }
  return { startMs, intervalMs, readings };
}

function label(fault: PlannedFault, window: PlanWindow): FaultLabel {
  const at = (k: number) => formatObservedAt(window.startMs + k * window.intervalMs);
  const common = { sensor_id: fault.sensorId, start: at(fault.first), end: at(fault.last), detail: fault.detail };
  const type = fault.type;
  if (isDelivery(type)) return { kind: 'delivery', type, ...common };
  return {
    kind: 'signal',
    type,
    ...(fault.measurement ? { measurement: fault.measurement } : {}),
    ...common,
  };
}

const countBy = <T extends string>(items: readonly T[]) =>
  items.reduce<Partial<Record<T, number>>>((counts, item) => ({ ...counts, [item]: (counts[item] ?? 0) + 1 }), {});

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function simulate(input: SimulationOptionsInput, references: readonly ReferenceSeries[]): Simulation {
  // 1. Options and window
  const options = simulationOptions.parse(input);
  if (references.length === 0) {
    throw new AppError('SIMULATION_REFERENCE', 'at least one location with hourly data is needed', { httpStatus: 400 });
  }
  for (const reference of references) {
    const missing = required.filter((p) => reference.values[p] === undefined);
    if (missing.length > 0) {
      throw new AppError('SIMULATION_REFERENCE', `${reference.locationId} has no ${missing.join(', ')}`, {
        httpStatus: 422,
      });
    }
  }
  const window = simulationWindow(options, references);
  const stream = (...path: (string | number)[]) => new RandomStream(options.seed, path);

  // 2. Sensors and their errors
  const referenceOf = new Map(references.map((r) => [r.locationId, r]));
  const placements = placeSensors(
    references,
    { count: options.sensors, prefix: options.sensorIdPrefix, radiusKm: options.placementRadiusKm },
    (id) => stream('placement', id),
  );
  const sensors = placements.map((placed) => {
    const air = referenceOf.get(placed.siteId) as ReferenceSeries;
    const pollutants = referencePollutants.filter((p) => air.values[p] !== undefined);
    const measurements: SensorMeasurementName[] = [
      ...pollutants,
      ...(options.weather ? (['temperature', 'relative_humidity'] as const) : []),
    ];
    return { placed, air, pollutants, errors: drawSensorErrors(measurements, stream('errors', placed.sensorId)) };
  });

  // 3. Faults and labels
  const plan: FaultPlan = planFaults(
    sensors.map((s) => ({ sensorId: s.placed.sensorId, siteId: s.placed.siteId, pollutants: s.pollutants })),
    options,
    window,
    stream('faults'),
  );
  const labels = plan.faults
    .map((fault) => label(fault, window))
    .sort((a, b) => byText(a.start, b.start) || byText(a.sensor_id, b.sensor_id) || byText(a.type, b.type));

  // 4. Each sensor's values and messages
  const messages: SimulatedMessage[] = [];
  let outOfOrder = 0;
  for (const { placed, air, errors } of sensors) {
    const series = cleanSeries(air, errors, window, placed.lon, stream('noise', placed.sensorId));
    const dropped = new Uint8Array(window.readings);
    const deliveryFaults: DeliveryFault[] = [];
    for (const fault of plan.faults.filter((f) => f.sensorId === placed.sensorId)) {
      const effect = fault.effect;
      if (effect.kind === 'drop') dropped.fill(1, fault.first, fault.last + 1);
      else if (effect.kind === 'duplicate' || effect.kind === 'late' || effect.kind === 'malformed') {
        deliveryFaults.push({ index: fault.first, effect });
      } else if (fault.measurement !== undefined) {
        const values = series[fault.measurement];
        if (values !== undefined) applyValueFault(values, effect, fault.first, fault.last);
      }
    }
    const delivered = deliver(
      { sensor: placed, series, dropped, faults: deliveryFaults, window, settings: options.delivery },
      stream('delivery', placed.sensorId),
    );
    for (const message of delivered.messages) messages.push(message);
    outOfOrder += delivered.outOfOrder;
  }

  // 5. One stream, in send order
  messages.sort((a, b) => a.sendOffsetMs - b.sendOffsetMs || byText(a.key, b.key) || byText(a.eventTime, b.eventTime));

  return {
    options,
    window: {
      start: formatObservedAt(window.startMs),
      end: formatObservedAt(window.startMs + window.readings * window.intervalMs),
      intervalSeconds: options.intervalSeconds,
      readingsPerSensor: window.readings,
    },
    sensors: sensors.map(({ placed, errors }) => ({
      sensor_id: placed.sensorId,
      lat: placed.lat,
      lon: placed.lon,
      location_id: placed.nearestLocationId,
      distance_km: placed.distanceKm,
      clean: plan.clean.has(placed.sensorId),
      measurements: Object.keys(errors) as SensorMeasurementName[],
    })),
    labels,
    messages,
    summary: {
      messages: messages.length,
      labels: countBy(labels.map((l) => l.type)),
      outOfOrder,
      unplaced: plan.unplaced,
      derived: Object.fromEntries(references.map((r) => [r.locationId, r.derived])),
    },
  };
}
