import type { AnomalyType, SensorAnomaly } from '../anomaly';
import { anomalyOf, isoTime, type Fault } from '../anomaly-record';
import type { SensorMeasurementName } from '../reading';

import type { DetectorOutput } from './outputs';

/** What a check saw on one reading for a fault: where it started, how bad, and the facts for a person. */
export interface Sighting {
  startMs: number;
  endMs: number;
  score: number;
  evidence: Record<string, unknown>;
}

/** An open fault of one sensor; plain data, so it goes into snapshots as it is. */
export type OpenFault = Omit<Fault, 'sensorId'> & { flaggedReadings: number };

/**
 * The open faults of one sensor. A sustained fault is one anomaly: opened (published) when first seen,
 * extended silently while seen again (window end, highest score, latest evidence), closed (published again,
 * with its final window) on the first reading without it. A fault known whole at once, a spike or a step,
 * is opened and closed together.
 */
export class FaultBook {
  private readonly faults = new Map<string, OpenFault>();

  constructor(
    private readonly sensorId: string,
    private readonly criticalScore: number,
    faults: readonly OpenFault[] = [],
  ) {
    for (const fault of faults) this.faults.set(keyOf(fault.type, fault.measurement), structuredClone(fault));
  }

  isOpen(type: AnomalyType, measurement?: SensorMeasurementName): boolean {
    return this.faults.has(keyOf(type, measurement));
  }

  sighted(
    type: AnomalyType,
    measurement: SensorMeasurementName | undefined,
    sighting: Sighting,
    atMs: number,
  ): DetectorOutput[] {
    const key = keyOf(type, measurement);
    const open = this.faults.get(key);
    if (open !== undefined) {
      open.endMs = sighting.endMs;
      open.score = Math.max(open.score, sighting.score);
      open.flaggedReadings++;
      open.evidence = { ...sighting.evidence, flagged_readings: open.flaggedReadings };
      return [];
    }
    const fault: OpenFault = {
      type,
      ...(measurement === undefined ? {} : { measurement }),
      startMs: sighting.startMs,
      endMs: sighting.endMs,
      detectedMs: atMs,
      score: sighting.score,
      evidence: { ...sighting.evidence, flagged_readings: 1 },
      flaggedReadings: 1,
    };
    this.faults.set(key, fault);
    return [{ kind: 'anomaly_opened', anomaly: this.anomalyOf(fault) }];
  }

  cleared(type: AnomalyType, measurement: SensorMeasurementName | undefined, atMs: number): DetectorOutput[] {
    const key = keyOf(type, measurement);
    const open = this.faults.get(key);
    if (open === undefined) return [];
    this.faults.delete(key);
    return [{ kind: 'anomaly_closed', anomaly: this.anomalyOf(open), closedAt: isoTime(atMs) }];
  }

  episode(
    type: AnomalyType,
    measurement: SensorMeasurementName | undefined,
    sighting: Sighting,
    atMs: number,
  ): DetectorOutput[] {
    return [...this.sighted(type, measurement, sighting, atMs), ...this.cleared(type, measurement, atMs)];
  }

  open(): SensorAnomaly[] {
    return [...this.faults.values()].map((fault) => this.anomalyOf(fault));
  }

  snapshot(): OpenFault[] {
    return [...this.faults.values()].map((fault) => structuredClone(fault));
  }

  private anomalyOf(fault: OpenFault): SensorAnomaly {
    const { flaggedReadings: _counted, ...rest } = fault;
    return anomalyOf({ ...rest, sensorId: this.sensorId }, this.criticalScore);
  }
}

function keyOf(type: AnomalyType, measurement: SensorMeasurementName | undefined): string {
  return `${type}|${measurement ?? ''}`;
}
