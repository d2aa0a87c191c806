import type { SensorAnomaly } from '../anomaly';
import { anomalyOf, isoTime } from '../anomaly-record';

import type { HourlyFinding } from './finding';

/**
 * One hourly check (drift, or neighbour disagreement) for one sensor and measurement, followed from one
 * evaluation to the next, so that a fault found hour after hour is one anomaly whose window grows, and the
 * first evaluation that no longer finds it closes it. The caller keeps the open anomaly (it is stored) and
 * passes it back; `evaluatedAt` (the event time the evaluation covers up to) is the detection time.
 */
export interface FollowedFinding {
  opened?: SensorAnomaly;
  closed?: { anomaly: SensorAnomaly; closedAt: string };
  /** The open anomaly after this evaluation (updated window and score), if any. */
  open?: SensorAnomaly;
}

export function followHourlyFinding(
  open: SensorAnomaly | undefined,
  finding: HourlyFinding | undefined,
  evaluatedAt: string,
  criticalScore: number,
): FollowedFinding {
  if (open === undefined && finding === undefined) return {};
  if (open === undefined && finding !== undefined) {
    const anomaly = anomalyOf(
      {
        sensorId: finding.sensorId,
        type: finding.type,
        measurement: finding.measurement,
        startMs: Date.parse(finding.start),
        endMs: Date.parse(finding.end),
        detectedMs: Date.parse(evaluatedAt),
        score: finding.score,
        evidence: finding.evidence,
      },
      criticalScore,
    );
    return { opened: anomaly, open: anomaly };
  }
  const current = open as SensorAnomaly;
  if (finding === undefined) return { closed: { anomaly: current, closedAt: isoTime(Date.parse(evaluatedAt)) } };
  const score = Math.max(current.score, finding.score);
  const extended = anomalyOf(
    {
      sensorId: current.sensor_id,
      type: current.type,
      ...(current.measurement === undefined
        ? {}
        : { measurement: current.measurement as HourlyFinding['measurement'] }),
      startMs: Date.parse(current.window.start),
      endMs: Math.max(Date.parse(current.window.end), Date.parse(finding.end)),
      detectedMs: Date.parse(current.detected_at),
      score,
      evidence: finding.evidence,
    },
    criticalScore,
  );
  return { open: extended };
}
