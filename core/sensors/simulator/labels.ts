import { z } from 'zod';

import { AppError } from '../../errors';
import { anomalyTypes, type AnomalyType } from '../anomaly';
import { sensorId } from '../reading';

/**
 * The ground truth of a simulation: one label per injected fault, written beside the stream (a JSON-lines
 * file or a table) and never into it, so the detector cannot know it is being tested.
 *
 * - `signal` faults change what a sensor measures and carry the anomaly type the detector should report
 *   (`core/sensors/anomaly.ts`); `measurement` names the value at fault, absent for a whole-sensor fault
 *   (a dropout).
 * - `delivery` faults change how a reading travels: a `duplicate` must be stored once, a `late` reading
 *   (beyond the allowed lateness) and a `malformed` message must go to the dead-letter topic.
 *
 * `start` and `end` are the event times of the first and last reading concerned (equal for one reading;
 * for a dropout, the first and last reading that never came).
 */

/** The signal faults the simulator injects; `rate_of_change` has no fault of its own (see evaluation.ts). */
export const signalFaultTypes = [
  'spike',
  'out_of_range',
  'flatline',
  'dropout',
  'step',
  'drift',
  'neighbour_disagreement',
] as const satisfies readonly AnomalyType[];
export type SignalFaultType = (typeof signalFaultTypes)[number];

export const deliveryFaultTypes = ['duplicate', 'late', 'malformed'] as const;
export type DeliveryFaultType = (typeof deliveryFaultTypes)[number];

export const faultTypes = [...signalFaultTypes, ...deliveryFaultTypes] as const;
export type FaultType = (typeof faultTypes)[number];

const instant = z.iso.datetime({ offset: true });

export const faultLabel = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('signal'),
    sensor_id: sensorId,
    type: z.enum(anomalyTypes),
    measurement: z.string().optional(),
    start: instant,
    end: instant,
    /** What was done, for a person reading the labels: `sentinel -999`, `step ×0.3`, … */
    detail: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('delivery'),
    sensor_id: sensorId,
    type: z.enum(deliveryFaultTypes),
    start: instant,
    end: instant,
    detail: z.string().optional(),
  }),
]);
export type FaultLabel = z.infer<typeof faultLabel>;
export type SignalLabel = Extract<FaultLabel, { kind: 'signal' }>;

/** One label a line, in the order given (the simulator orders them by start, sensor, type). */
export function labelsToJsonLines(labels: readonly FaultLabel[]): string {
  return labels.map((label) => `${JSON.stringify(label)}\n`).join('');
}

/** Reads a labels file back; a line that is not a label names its line number. */
export function labelsFromJsonLines(text: string): FaultLabel[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const result = faultLabel.safeParse(parsed);
      if (!result.success) {
        throw new AppError('SIMULATION_LABELS', `labels line ${number}: not a fault label`, { httpStatus: 422 });
      }
      return result.data;
    });
}
