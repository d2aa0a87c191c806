import { formatObservedAt } from '../../air-quality/reading';
import { sensorMeasurementNames, type SensorMeasurementName, type SensorReading } from '../reading';

import type { PlanWindow } from './fault-plan';
import type { FaultEffect, MalformedVariant } from './fault-shapes';
import type { RandomStream } from './random';
import type { SensorSeries } from './sensor-series';

/**
 * How one sensor's readings travel: each becomes a message (key = sensor id, value = the JSON text a device
 * would send) with the time to send it, counted from the window's start on the simulated clock. Normal
 * messages leave a short latency after their event time; a few go out of order, later than the next reading
 * but well within the allowed lateness; delivery faults add duplicates, late messages (well past the allowed
 * lateness) and malformed ones, which stand in for the reading they garble.
 */

export interface SimulatedMessage {
  /** The Kafka message key: the sensor id. */
  key: string;
  /** The message body as sent (UTF-8 text; JSON except for `bad_json`). */
  value: string;
  /** Event time of the reading the message carries (or garbles). */
  eventTime: string;
  /** When to send it, in ms after the window's start on the simulated clock; divide by a speed-up to replay. */
  sendOffsetMs: number;
}

export interface DeliveryFault {
  index: number;
  effect: Extract<FaultEffect, { kind: 'duplicate' | 'late' | 'malformed' }>;
}

export interface DeliverySettings {
  allowedLatenessSeconds: number;
  outOfOrderRate: number;
  minLatencyMs: number;
  maxLatencyMs: number;
}

/** A reading as the simulator builds it: any measurements, the contract's required ones included. */
export type ReadingFields = Omit<SensorReading, 'measurements'> & {
  measurements: Partial<Record<SensorMeasurementName, number>>;
};

/** The reading's JSON, fields in the contract's order so the same reading is always the same bytes. */
export function readingJson(reading: ReadingFields): string {
  const measurements: Record<string, number> = {};
  for (const name of sensorMeasurementNames) {
    const value = reading.measurements[name];
    if (value !== undefined) measurements[name] = value;
  }
  return JSON.stringify({
    sensor_id: reading.sensor_id,
    timestamp: reading.timestamp,
    location: { lat: reading.location.lat, lon: reading.location.lon },
    measurements,
  });
}

/** A message the detector cannot read as a `SensorReading`, made from the reading it replaces. */
export function malformedJson(reading: ReadingFields, variant: MalformedVariant): string {
  const json = readingJson(reading);
  const object = JSON.parse(json) as Record<string, unknown> & { measurements: Record<string, unknown> };
  switch (variant) {
    case 'bad_json':
      return json.slice(0, Math.floor(json.length / 2)); // a message cut in half
    case 'missing_timestamp':
      delete object.timestamp;
      return JSON.stringify(object);
    case 'missing_pm2_5':
      delete object.measurements.pm2_5;
      return JSON.stringify(object);
    case 'wrong_type_pm2_5':
      object.measurements.pm2_5 = String(object.measurements.pm2_5);
      return JSON.stringify(object);
    case 'wrong_type_timestamp':
      object.timestamp = Date.parse(reading.timestamp); // epoch ms instead of ISO 8601
      return JSON.stringify(object);
  }
}

export interface DeliveryInput {
  sensor: { sensorId: string; lat: number; lon: number };
  series: SensorSeries;
  /** Readings never sent (dropouts). */
  dropped: Uint8Array;
  faults: readonly DeliveryFault[];
  window: PlanWindow;
  settings: DeliverySettings;
}

/** One sensor's messages in reading order (the caller merges sensors and orders by send time). */
export function deliver(
  input: DeliveryInput,
  random: RandomStream,
): { messages: SimulatedMessage[]; outOfOrder: number } {
  const { sensor, series, window, settings } = input;
  const faultAt = new Map(input.faults.map((f) => [f.index, f.effect]));
  const names = sensorMeasurementNames.filter((name) => series[name] !== undefined);
  const lateness = settings.allowedLatenessSeconds * 1000;
  // Out of order: after the next reading's send, but within half the allowed lateness.
  const reorder = { min: Math.ceil(1.2 * window.intervalMs), max: Math.floor(lateness / 2) };
  const messages: SimulatedMessage[] = [];
  let outOfOrder = 0;

  for (let k = 0; k < window.readings; k++) {
    const latency = random.int(settings.minLatencyMs, settings.maxLatencyMs);
    const reordered = random.chance(settings.outOfOrderRate) && reorder.max > reorder.min;
    const extra = random.uniform(reorder.min, reorder.max);
    if (input.dropped[k] === 1) continue;

    const eventOffset = k * window.intervalMs;
    const timestamp = formatObservedAt(window.startMs + eventOffset);
    const measurements: ReadingFields['measurements'] = {};
    for (const name of names) measurements[name] = series[name]?.[k] ?? 0;
    const reading = {
      sensor_id: sensor.sensorId,
      timestamp,
      location: { lat: sensor.lat, lon: sensor.lon },
      measurements,
    };

    const fault = faultAt.get(k);
    const value = fault?.kind === 'malformed' ? malformedJson(reading, fault.variant) : readingJson(reading);
    let sendOffsetMs = eventOffset + latency;
    if (fault?.kind === 'late') sendOffsetMs = eventOffset + fault.delayMs;
    else if (reordered) {
      sendOffsetMs += Math.round(extra);
      outOfOrder++;
    }
    const message = { key: sensor.sensorId, value, eventTime: timestamp, sendOffsetMs };
    messages.push(message);
    if (fault?.kind === 'duplicate') messages.push({ ...message, sendOffsetMs: sendOffsetMs + fault.delayMs });
  }
  return { messages, outOfOrder };
}
