import type { SensorAnomaly } from '../../core/sensors/anomaly';
import { evaluateDetections, type Score } from '../../core/sensors/evaluation';
import type { FaultLabel } from '../../core/sensors/simulator/labels';

import { falsePositives, typeMet } from './quality';
import { parseFaultMix } from './scenario';

const anomaly = (type: SensorAnomaly['type'], measurement: string, start: string, end = start): SensorAnomaly => ({
  schema: 'sensors.anomaly/v1',
  id: '0'.repeat(32),
  sensor_id: 'CAP_001',
  type,
  measurement,
  severity: 'warning',
  score: 1.5,
  window: { start, end },
  evidence: {},
  detected_at: end,
});

const labels: FaultLabel[] = [
  {
    kind: 'signal',
    type: 'drift',
    sensor_id: 'CAP_001',
    measurement: 'no2',
    start: '2024-01-15T10:00:00Z',
    end: '2024-01-16T10:00:00Z',
  },
  {
    kind: 'signal',
    type: 'neighbour_disagreement',
    sensor_id: 'CAP_001',
    measurement: 'co',
    start: '2024-01-17T10:00:00Z',
    end: '2024-01-17T12:00:00Z',
  },
  {
    kind: 'signal',
    type: 'spike',
    sensor_id: 'CAP_001',
    measurement: 'pm2_5',
    start: '2024-01-18T10:00:00Z',
    end: '2024-01-18T10:00:00Z',
  },
];
const tolerance = 300;
const twoHours = 2 * 3600_000;

describe('falsePositives', () => {
  it('when an anomaly is of a type its overlapping label accepts, then it is not listed', () => {
    expect(falsePositives(labels, [anomaly('spike', 'pm2_5', '2024-01-18T10:00:00Z')], tolerance, twoHours)).toEqual(
      [],
    );
  });

  it('when a step comes one reading after a drift ended, then its cause is the fault’s end', () => {
    const [fp] = falsePositives(labels, [anomaly('step', 'no2', '2024-01-16T10:01:00Z')], tolerance, twoHours);

    expect(fp?.cause).toBe('fault_end');
    expect(fp?.label).toMatch(/^drift no2/);
  });

  it('when the evaluation scores the same anomalies, then the fault-end ones are its redundant at a fault end and the others its false positives', () => {
    const anomalies = [
      anomaly('step', 'no2', '2024-01-16T10:01:00Z'),
      anomaly('spike', 'no2', '2024-01-16T10:05:00Z'),
      anomaly('spike', 'no2', '2024-01-16T10:05:01Z'),
      anomaly('step', 'co', '2024-01-17T10:30:00Z'),
      anomaly('spike', 'pm2_5', '2024-01-18T10:00:00Z'),
    ];
    const listed = falsePositives(labels, anomalies, tolerance, twoHours);
    const { overall } = evaluateDetections({
      labels,
      anomalies,
      sensors: ['CAP_001'],
      window: { start: '2024-01-15T00:00:00Z', end: '2024-01-19T00:00:00Z' },
      toleranceSeconds: tolerance,
    });

    expect(listed.map((fp) => fp.cause)).toEqual(['fault_end', 'fault_end', 'after_fault', 'inside_other_fault']);
    expect(overall).toMatchObject({ truePositives: 1, atFaultEnd: 2, redundant: 2, falsePositives: 2 });
  });

  it('when a spike comes an hour after the drift ended, then it is after a fault; three hours after, clean', () => {
    const causes = falsePositives(
      labels,
      [anomaly('spike', 'no2', '2024-01-16T11:00:00Z'), anomaly('spike', 'no2', '2024-01-16T13:00:00Z')],
      tolerance,
      twoHours,
    ).map((fp) => fp.cause);

    expect(causes).toEqual(['after_fault', 'clean']);
  });

  it('when a step lies inside a plume of the same measurement, then it is inside another fault; of another measurement, clean', () => {
    const causes = falsePositives(
      labels,
      [anomaly('step', 'co', '2024-01-17T10:30:00Z'), anomaly('step', 'pm10', '2024-01-17T10:30:00Z')],
      tolerance,
      twoHours,
    ).map((fp) => fp.cause);

    expect(causes).toEqual(['inside_other_fault', 'clean']);
  });
});

describe('parseFaultMix', () => {
  it('when only rates are given, then they are rates per sensor-day with the other types at their defaults', () => {
    const mix = parseFaultMix('{"spike":0.5}');

    expect(mix.kind).toBe('rates');
    expect(mix.kind === 'rates' && mix.perSensorDay.spike).toBe(0.5);
    expect(mix.kind === 'rates' && mix.perSensorDay.step).toBe(0.05);
  });

  it('when a whole mix or something invalid is given, then it is taken as it is or refused with the flag named', () => {
    expect(parseFaultMix('{"kind":"schedule","faults":[]}')).toEqual({ kind: 'schedule', faults: [] });
    expect(() => parseFaultMix('{"spike":-1}')).toThrow(/--mix/);
    expect(() => parseFaultMix('not json')).toThrow(/--mix: not JSON/);
  });
});

describe('typeMet', () => {
  const score = (over: Partial<Score>): Score => ({
    labels: 3,
    detected: 3,
    recall: 1,
    anomalies: 3,
    truePositives: 3,
    falsePositives: 0,
    redundant: 0,
    atFaultEnd: 0,
    precision: 1,
    falseAlarmsOnCleanDays: 0,
    falseAlarmsPerCleanSensorDay: 0,
    delaySeconds: { median: 0, p95: 0 },
    detections: [],
    ...over,
  });

  it('when every anomaly of the type was redundant (no true, no false one), then precision cannot miss and recall decides', () => {
    expect(typeMet('drift', score({ precision: null, truePositives: 0, redundant: 3 }))).toBe(true);
    expect(typeMet('drift', score({ precision: null, truePositives: 0, recall: 0.67, detected: 2 }))).toBe(false);
  });

  it('when precision is below the target, then it is missed; with no label, there is nothing to judge', () => {
    expect(typeMet('spike', score({ precision: 0.94 }))).toBe(false);
    expect(typeMet('spike', score({ labels: 0 }))).toBeNull();
  });
});
