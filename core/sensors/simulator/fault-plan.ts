import { AppError } from '../../errors';

import { drawShape, faultScale, type FaultEffect } from './fault-shapes';
import { deliveryFaultTypes, type DeliveryFaultType, type FaultType } from './labels';
import type { SimulationOptions } from './options';
import type { RandomStream } from './random';
import type { ReferencePollutant } from './reference';

/**
 * Which sensor gets which fault, when. Faults of one sensor never overlap and keep a quiet gap between them
 * (`spacing`), none starts in the warm-up or ends in the last gap of the window, so each label stands alone
 * and an event-level match is never ambiguous. Some sensors are kept clean (no fault of any kind) to count
 * false alarms on.
 */

export interface PlannedFault {
  sensorId: string;
  type: FaultType;
  measurement?: ReferencePollutant;
  /** First and last reading concerned, as reading numbers from the window's start. */
  first: number;
  last: number;
  effect: FaultEffect;
  detail: string;
}

export interface PlanSensor {
  sensorId: string;
  siteId: string;
  pollutants: readonly ReferencePollutant[];
}

export interface FaultPlan {
  faults: PlannedFault[];
  clean: ReadonlySet<string>;
  /** Faults the mix asked for that found no room (the window too short or too crowded). */
  unplaced: Partial<Record<FaultType, number>>;
}

export interface PlanWindow {
  startMs: number;
  intervalMs: number;
  /** Readings per sensor. */
  readings: number;
}

/** Longest first: they are the hardest to fit, and short ones fill the gaps left. */
const placementOrder: readonly FaultType[] = [
  'drift',
  'step',
  'neighbour_disagreement',
  'flatline',
  'dropout',
  'out_of_range',
  'spike',
  'malformed',
  'late',
  'duplicate',
];

/** Delivery faults change how a reading travels; the others (signal faults) change its values. */
export const isDelivery = (type: FaultType): type is DeliveryFaultType =>
  (deliveryFaultTypes as readonly string[]).includes(type);
const attemptsPerSensor = 40;

function spacingIn(options: SimulationOptions, window: PlanWindow) {
  const readings = (minutes: number) => Math.ceil((minutes * 60_000) / window.intervalMs);
  return {
    warmup: readings(options.spacing.warmupMinutes),
    gap: readings(options.spacing.minGapMinutes),
    deliveryGap: readings(options.spacing.deliveryGapMinutes),
  };
}

/**
 * The sensors kept clean: `cleanSensorFraction` of them (at least one, and at least one faulty when there
 * are two or more), taken in turn from each site so every neighbourhood has clean sensors when it can.
 */
export function chooseCleanSensors(
  sensors: readonly PlanSensor[],
  fraction: number,
  random: RandomStream,
): Set<string> {
  const count =
    sensors.length === 1 ? 1 : Math.min(sensors.length - 1, Math.max(1, Math.round(fraction * sensors.length)));
  const bySite = new Map<string, string[]>();
  for (const sensor of random.shuffle(sensors)) {
    bySite.set(sensor.siteId, [...(bySite.get(sensor.siteId) ?? []), sensor.sensorId]);
  }
  const interleaved: string[] = [];
  const sites = [...bySite.keys()].sort();
  for (let rank = 0; interleaved.length < sensors.length; rank++) {
    for (const site of sites) {
      const id = bySite.get(site)?.[rank];
      if (id !== undefined) interleaved.push(id);
    }
  }
  return new Set(interleaved.slice(0, count));
}

function conflicts(a: PlannedFault, b: PlannedFault, spacing: ReturnType<typeof spacingIn>): boolean {
  const gap = isDelivery(a.type) || isDelivery(b.type) ? spacing.deliveryGap : spacing.gap;
  return a.first <= b.last + gap && b.first <= a.last + gap;
}

function draft(
  type: FaultType,
  sensor: PlanSensor,
  options: SimulationOptions,
  window: PlanWindow,
  random: RandomStream,
  measurement?: ReferencePollutant,
  minutes?: number,
) {
  const chosen = measurement ?? random.pick(sensor.pollutants);
  const shape = drawShape(type, faultScale[chosen], random, {
    intervalSeconds: window.intervalMs / 1000,
    allowedLatenessSeconds: options.delivery.allowedLatenessSeconds,
    maxLength: Math.floor(window.readings * 0.4),
    ...(minutes === undefined ? {} : { minutes }),
  });
  return { shape, measurement: shape.perMeasurement ? chosen : undefined };
}

/** Places `round(rate × faulty sensor-days)` faults of each type over the faulty sensors, in turn. */
function planFromRates(
  sensors: readonly PlanSensor[],
  options: SimulationOptions,
  mix: Extract<SimulationOptions['faults'], { kind: 'rates' }>,
  window: PlanWindow,
  random: RandomStream,
): FaultPlan {
  const clean = chooseCleanSensors(sensors, mix.cleanSensorFraction, random);
  const faulty = random.shuffle(sensors.filter((s) => !clean.has(s.sensorId)));
  const days = (window.readings * window.intervalMs) / 86_400_000;
  const spacing = spacingIn(options, window);
  const held = new Map<string, PlannedFault[]>();
  const faults: PlannedFault[] = [];
  const unplaced: FaultPlan['unplaced'] = {};
  let cursor = 0;

  for (const type of placementOrder) {
    const rate = mix.perSensorDay[type];
    const wanted = faulty.length === 0 || rate === 0 ? 0 : Math.max(1, Math.round(rate * faulty.length * days));
    for (let n = 0; n < wanted; n++) {
      let placed: PlannedFault | undefined;
      for (let tried = 0; tried < faulty.length && placed === undefined; tried++) {
        const sensor = faulty[(cursor + tried) % faulty.length] as PlanSensor;
        const { shape, measurement } = draft(type, sensor, options, window, random);
        const margin = isDelivery(type) ? spacing.deliveryGap : spacing.gap;
        const latestFirst = window.readings - 1 - margin - (shape.length - 1);
        const earliestFirst = Math.max(1, spacing.warmup);
        if (latestFirst < earliestFirst) continue;
        const mine = held.get(sensor.sensorId) ?? [];
        for (let attempt = 0; attempt < attemptsPerSensor && placed === undefined; attempt++) {
          const first = random.int(earliestFirst, latestFirst);
          const candidate: PlannedFault = {
            sensorId: sensor.sensorId,
            type,
            ...(measurement === undefined ? {} : { measurement }),
            first,
            last: first + shape.length - 1,
            effect: shape.effect,
            detail: shape.detail,
          };
          if (!mine.some((other) => conflicts(candidate, other, spacing))) placed = candidate;
        }
      }
      cursor = (cursor + 1) % Math.max(1, faulty.length);
      if (placed === undefined) {
        unplaced[type] = (unplaced[type] ?? 0) + 1;
        continue;
      }
      held.set(placed.sensorId, [...(held.get(placed.sensorId) ?? []), placed]);
      faults.push(placed);
    }
  }
  return { faults, clean, unplaced };
}

/** Faults exactly where a schedule puts them; sensors it does not name are the clean ones. */
function planFromSchedule(
  sensors: readonly PlanSensor[],
  options: SimulationOptions,
  mix: Extract<SimulationOptions['faults'], { kind: 'schedule' }>,
  window: PlanWindow,
  random: RandomStream,
): FaultPlan {
  const byId = new Map(sensors.map((s) => [s.sensorId, s]));
  const faults = mix.faults.map((scheduled, i): PlannedFault => {
    const refuse = (why: string) =>
      new AppError('SIMULATION_SCHEDULE', `scheduled fault ${i + 1} (${scheduled.type}): ${why}`, { httpStatus: 400 });
    const sensor = byId.get(scheduled.sensor_id);
    if (sensor === undefined) throw refuse(`no simulated sensor ${scheduled.sensor_id}`);
    if (scheduled.measurement !== undefined && !sensor.pollutants.includes(scheduled.measurement)) {
      throw refuse(`${scheduled.sensor_id} does not measure ${scheduled.measurement}`);
    }
    const first = Math.ceil((Date.parse(scheduled.start) - window.startMs) / window.intervalMs);
    if (first < 0 || first >= window.readings) throw refuse(`${scheduled.start} is outside the simulated window`);
    const { shape, measurement } = draft(
      scheduled.type,
      sensor,
      options,
      window,
      random,
      scheduled.measurement,
      scheduled.minutes,
    );
    return {
      sensorId: sensor.sensorId,
      type: scheduled.type,
      ...(measurement === undefined ? {} : { measurement }),
      first,
      last: Math.min(window.readings - 1, first + shape.length - 1),
      effect: shape.effect,
      detail: shape.detail,
    };
  });
  const named = new Set(faults.map((f) => f.sensorId));
  const clean = new Set(sensors.filter((s) => !named.has(s.sensorId)).map((s) => s.sensorId));
  if (clean.size === 0 && sensors.length > 1) {
    throw new AppError('SIMULATION_SCHEDULE', 'the schedule leaves no clean sensor to count false alarms on', {
      httpStatus: 400,
    });
  }
  return { faults, clean, unplaced: {} };
}

export function planFaults(
  sensors: readonly PlanSensor[],
  options: SimulationOptions,
  window: PlanWindow,
  random: RandomStream,
): FaultPlan {
  const plan =
    options.faults.kind === 'rates'
      ? planFromRates(sensors, options, options.faults, window, random)
      : planFromSchedule(sensors, options, options.faults, window, random);
  const order = (a: PlannedFault, b: PlannedFault) =>
    a.first - b.first ||
    (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0) ||
    (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
  return { ...plan, faults: [...plan.faults].sort(order) };
}
