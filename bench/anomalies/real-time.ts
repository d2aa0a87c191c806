import type { AnomalyType } from '../../core/sensors/anomaly';
import { percentile } from '../../core/sensors/evaluation';
import type { SimulatedMessage } from '../../core/sensors/simulator/delivery';

/**
 * The latency run in real time: the simulation's event times moved so that each reading's event time is
 * the wall time it is sent at (the simulator draws its series from the bundled 2024 data, so it cannot start
 * now itself), and its latencies split by when the detector can decide: at admission (what a reading shows
 * on its own) or at release, once the partition's watermark is the allowed lateness past the reading.
 */

/** Every message with its event time (in the body, and `eventTime`) moved by `shiftMs`; malformed bodies as they are. */
export function shiftEventTimes(messages: readonly SimulatedMessage[], shiftMs: number): SimulatedMessage[] {
  return messages.map((message) => {
    const eventTime = new Date(Date.parse(message.eventTime) + shiftMs).toISOString();
    let body: unknown;
    try {
      body = JSON.parse(message.value);
    } catch {
      return { ...message, eventTime };
    }
    if (typeof body !== 'object' || body === null || !('timestamp' in body)) return { ...message, eventTime };
    return { ...message, eventTime, value: JSON.stringify({ ...body, timestamp: eventTime }) };
  });
}

/** Decided when the reading is admitted (core/sensors/detector/admission.ts), not when it is released. */
export const decidedOnArrival = (type: AnomalyType): boolean => type === 'out_of_range';

export interface LatencySummary {
  measured: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export function summarise(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    measured: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1] ?? null,
  };
}
