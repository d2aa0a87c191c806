import { syntheticReference } from '../../test/support/sensor-references';

import { evaluateDetections, percentile, type DetectedAnomaly, type EvaluationInput } from './evaluation';
import type { FaultLabel } from './simulator/labels';
import { simulate } from './simulator/simulate';

const day = (d: number, time: string) => `2024-01-0${d}T${time}Z`;
const spike: FaultLabel = {
  kind: 'signal',
  sensor_id: 'CAP_001',
  type: 'spike',
  measurement: 'pm2_5',
  start: day(1, '10:00:00'),
  end: day(1, '10:00:00'),
};
const step: FaultLabel = {
  kind: 'signal',
  sensor_id: 'CAP_001',
  type: 'step',
  measurement: 'no2',
  start: day(1, '14:00:00'),
  end: day(1, '18:00:00'),
};
const late: FaultLabel = {
  kind: 'delivery',
  sensor_id: 'CAP_002',
  type: 'late',
  start: day(1, '09:00:00'),
  end: day(1, '09:00:00'),
};
const anomaly = (
  type: DetectedAnomaly['type'],
  sensor: string,
  start: string,
  detected: string,
  measurement?: string,
): DetectedAnomaly => ({
  type,
  sensor_id: sensor,
  window: { start, end: start },
  detected_at: detected,
  ...(measurement ? { measurement } : {}),
});
const evaluate = (anomalies: DetectedAnomaly[], more: Partial<EvaluationInput> = {}) =>
  evaluateDetections({
    labels: [spike, step, late],
    anomalies,
    sensors: ['CAP_001', 'CAP_002', 'CAP_003'],
    window: { start: day(1, '00:00:00'), end: day(3, '00:00:00') },
    ...more,
  });

describe('event-level evaluation', () => {
  it('when each fault is found once, then recall and precision are 1 and delays are from the label start', () => {
    const result = evaluate([
      anomaly('spike', 'CAP_001', day(1, '10:00:00'), day(1, '10:01:00'), 'pm2_5'),
      anomaly('step', 'CAP_001', day(1, '14:05:00'), day(1, '14:20:00'), 'no2'),
    ]);

    expect(result.byType.spike).toMatchObject({ labels: 1, detected: 1, recall: 1, precision: 1, truePositives: 1 });
    expect(result.byType.spike.delaySeconds).toEqual({ median: 60, p95: 60 });
    expect(result.byType.step.delaySeconds.median).toBe(20 * 60);
    expect(result.overall).toMatchObject({ labels: 2, detected: 2, falsePositives: 0 });
    // Each detection names the anomaly that found it by its place in the input.
    expect(result.byType.step.detections).toEqual([{ anomalyIndex: 1, delaySeconds: 20 * 60 }]);
    expect(result.byType.spike.detections).toEqual([{ anomalyIndex: 0, delaySeconds: 60 }]);
  });

  it('when one fault is reported twice, then it counts one true positive and the second is redundant, not false', () => {
    const result = evaluate([
      anomaly('step', 'CAP_001', day(1, '14:05:00'), day(1, '14:20:00'), 'no2'),
      anomaly('step', 'CAP_001', day(1, '18:00:00'), day(1, '18:03:00'), 'no2'),
    ]);

    expect(result.byType.step).toMatchObject({ detected: 1, truePositives: 1, redundant: 1, falsePositives: 0 });
    expect(result.byType.step.precision).toBe(1);
  });

  it('when an accepted equivalent type finds a fault, then it is detected; an unrelated type is a false positive', () => {
    const result = evaluate([
      anomaly('rate_of_change', 'CAP_001', day(1, '10:00:00'), day(1, '10:00:00'), 'pm2_5'),
      anomaly('flatline', 'CAP_001', day(1, '15:00:00'), day(1, '15:30:00'), 'no2'),
    ]);

    expect(result.byType.spike.detected).toBe(1);
    expect(result.byType.rate_of_change).toMatchObject({ truePositives: 1, precision: 1 });
    expect(result.byType.step.detected).toBe(0);
    expect(result.byType.flatline).toMatchObject({ falsePositives: 1, precision: 0, falseAlarmsOnCleanDays: 0 });
  });

  it('when a sustained fault summarises a labelled spike, then it is redundant, even before the spike is found; elsewhere it is false', () => {
    const frequent = (sensor: string, detected: string): DetectedAnomaly => ({
      ...anomaly('frequent_spikes', sensor, day(1, '09:30:00'), detected, 'pm2_5'),
      window: { start: day(1, '09:30:00'), end: day(1, '10:00:00') },
    });

    const result = evaluate([
      frequent('CAP_001', day(1, '10:00:00')),
      anomaly('spike', 'CAP_001', day(1, '10:00:00'), day(1, '10:01:00'), 'pm2_5'),
      frequent('CAP_003', day(1, '10:00:00')),
    ]);

    expect(result.byType.frequent_spikes).toMatchObject({ truePositives: 0, redundant: 1, falsePositives: 1 });
    expect(result.byType.spike).toMatchObject({ detected: 1, truePositives: 1 });
    expect(result.byType.spike.delaySeconds.median).toBe(60);
  });

  it('when out-of-range values repeat, then the single anomalies find the label and the repeated one is redundant', () => {
    const outOfRange: FaultLabel = {
      ...spike,
      type: 'out_of_range',
      start: day(1, '12:00:00'),
      end: day(1, '12:04:00'),
    };
    const single = (minute: number) =>
      anomaly('out_of_range', 'CAP_001', day(1, `12:0${minute}:00`), day(1, `12:0${minute}:00`), 'pm2_5');

    const result = evaluate(
      [
        single(0),
        single(1),
        {
          ...anomaly('repeated_out_of_range', 'CAP_001', day(1, '12:00:00'), day(1, '12:04:00'), 'pm2_5'),
          window: { start: day(1, '12:00:00'), end: day(1, '12:04:00') },
        },
      ],
      { labels: [outOfRange] },
    );

    expect(result.byType.out_of_range).toMatchObject({ labels: 1, detected: 1, truePositives: 1, redundant: 1 });
    expect(result.byType.repeated_out_of_range).toMatchObject({ redundant: 1, falsePositives: 0, precision: null });
  });

  it('when an anomaly is on another measurement or outside the tolerance, then it does not match', () => {
    const result = evaluate([
      anomaly('spike', 'CAP_001', day(1, '10:00:00'), day(1, '10:00:00'), 'pm10'),
      anomaly('spike', 'CAP_001', day(1, '10:06:00'), day(1, '10:06:00'), 'pm2_5'),
      anomaly('spike', 'CAP_001', day(1, '09:56:00'), day(1, '09:56:00')),
    ]);

    expect(result.byType.spike).toMatchObject({ detected: 1, truePositives: 1, falsePositives: 2 });
    expect(result.byType.spike.delaySeconds.median).toBe(0); // 4 minutes early, within tolerance: floored at 0
  });

  it('when a detection of a type its fault does not accept starts at the fault’s end or within the tolerance after it, then it is redundant, not false', () => {
    // The step on CAP_001's NO2 ends at 18:00; the series returning from it may look like a spike.
    const result = evaluate([
      anomaly('spike', 'CAP_001', day(1, '18:01:00'), day(1, '18:01:00'), 'no2'),
      anomaly('spike', 'CAP_001', day(1, '18:05:00'), day(1, '18:05:00')),
    ]);

    expect(result.byType.spike).toMatchObject({ truePositives: 0, falsePositives: 0, redundant: 2, atFaultEnd: 2 });
    expect(result.byType.spike.precision).toBeNull();
    expect(result.byType.step.detected).toBe(0);
  });

  it('when such a detection starts just past the tolerance after the end, before the end, or on another measurement, then it is false', () => {
    const result = evaluate([
      anomaly('spike', 'CAP_001', day(1, '18:05:01'), day(1, '18:05:01'), 'no2'),
      anomaly('spike', 'CAP_001', day(1, '17:59:00'), day(1, '17:59:00'), 'no2'),
      anomaly('spike', 'CAP_001', day(1, '18:01:00'), day(1, '18:01:00'), 'pm10'),
    ]);

    expect(result.byType.spike).toMatchObject({ falsePositives: 3, redundant: 0, atFaultEnd: 0, precision: 0 });
  });

  it('when alarms fall on clean sensor-days, then they are counted per clean sensor-day', () => {
    // CAP_001 and CAP_002 have labels on day 1 only, CAP_003 none: clean are CAP_001 and CAP_002 on day 2 and
    // CAP_003 on both days, 4 sensor-days. The dropout on CAP_002's labelled day 1 is false but not on a clean day.
    const result = evaluate([
      anomaly('flatline', 'CAP_003', day(1, '05:00:00'), day(1, '06:00:00'), 'pm2_5'),
      anomaly('dropout', 'CAP_002', day(2, '05:00:00'), day(2, '06:00:00')),
      anomaly('dropout', 'CAP_002', day(1, '05:00:00'), day(1, '06:00:00')),
    ]);

    expect(result.cleanSensorDays).toBe(4);
    expect(result.overall.falsePositives).toBe(3);
    expect(result.overall.falseAlarmsOnCleanDays).toBe(2);
    expect(result.overall.falseAlarmsPerCleanSensorDay).toBe(0.5);
    expect(result.byType.dropout.falseAlarmsPerCleanSensorDay).toBe(0.25);
  });

  it('when a detector records the event time of detection, then the delay uses it rather than detected_at', () => {
    const result = evaluate([
      {
        ...anomaly('spike', 'CAP_001', day(1, '10:00:00'), '2026-05-01T00:00:00Z', 'pm2_5'),
        detected_event_time: day(1, '10:02:00'),
      },
    ]);

    expect(result.byType.spike.delaySeconds.median).toBe(120);
  });

  it('when nothing is detected or there are no labels of a type, then ratios are null, not 0 or NaN', () => {
    const result = evaluate([]);

    expect(result.byType.spike).toMatchObject({
      recall: 0,
      precision: null,
      delaySeconds: { median: null, p95: null },
    });
    expect(result.byType.drift.recall).toBeNull();
  });

  it('when the 95th percentile of 20 delays is asked, then it is the 19th smallest (nearest rank)', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);

    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it('when a detector reports exactly a simulation’s signal labels, then recall and precision are 1, with no false alarm', () => {
    const simulation = simulate({ sensors: 6, days: 3, seed: 5 }, [syntheticReference('lyon')]);
    const oracle = simulation.labels.flatMap((l): DetectedAnomaly[] =>
      l.kind === 'signal'
        ? [
            {
              ...l,
              window: { start: l.start, end: l.end },
              detected_at: l.end,
              ...(l.measurement ? { measurement: l.measurement } : {}),
            },
          ]
        : [],
    );

    const result = evaluateDetections({
      labels: simulation.labels,
      anomalies: oracle,
      sensors: simulation.sensors.map((s) => s.sensor_id),
      window: simulation.window,
    });

    expect(result.overall).toMatchObject({ recall: 1, precision: 1, falsePositives: 0, redundant: 0 });
    expect(result.overall.labels).toBeGreaterThan(5);
    expect(result.cleanSensorDays).toBeGreaterThanOrEqual(3);
  });
});
