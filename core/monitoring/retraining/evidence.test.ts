import type { LiveAccuracy } from '../accuracy/live-accuracy';

import { accuracyVerdict, disjointWindows, driftVerdict, weighEvidence, type DriftVerdict } from './evidence';
import type { RetrainingPolicy } from './policy';

const policy: RetrainingPolicy = { maeMargin: 0.25, minHours: 72, driftWindows: 3, cooldownMs: 0 };
const week = (to: string, datasetDrift: boolean | undefined, reportId = Date.parse(to) / 1e9): DriftVerdict => ({
  reportId,
  from: new Date(Date.parse(to) - 7 * 86_400_000).toISOString().replace('.000Z', 'Z'),
  to,
  ...(datasetDrift === undefined ? {} : { datasetDrift }),
});
const accuracy = (mae: number | undefined, hours: number, holdoutMae: number | null = 4): LiveAccuracy => ({
  modelName: 'm',
  modelVersion: '1',
  horizonHours: 24,
  from: '2024-12-01T00:00:00Z',
  to: '2024-12-08T00:00:00Z',
  resolved: hours,
  hours,
  pending: 0,
  ...(mae === undefined ? {} : { mae }),
  ...(holdoutMae === null ? {} : { holdoutMae }),
});

describe('disjointWindows', () => {
  it('when daily reports overlap, then only the newest of each overlapping run is kept, up to the number needed', () => {
    const reports = ['2024-12-25', '2024-12-24', '2024-12-18', '2024-12-12', '2024-12-11', '2024-12-04'].map((d) =>
      week(`${d}T00:00:00Z`, true),
    );

    expect(disjointWindows(reports, 3).map((w) => w.to)).toEqual([
      '2024-12-25T00:00:00Z',
      '2024-12-18T00:00:00Z',
      '2024-12-11T00:00:00Z',
    ]);
  });

  it('when a report has no verdict (no reference), then it is not a window at all', () => {
    expect(disjointWindows([week('2024-12-25T00:00:00Z', undefined), week('2024-12-18T00:00:00Z', false)], 2)).toEqual([
      week('2024-12-18T00:00:00Z', false),
    ]);
  });
});

describe('driftVerdict', () => {
  it('when the last three disjoint windows all drift, then retrain, naming the newest report', () => {
    const verdict = driftVerdict(
      [
        week('2024-12-25T00:00:00Z', true, 3),
        week('2024-12-18T00:00:00Z', true, 2),
        week('2024-12-11T00:00:00Z', true, 1),
      ],
      policy,
    );

    expect(verdict).toMatchObject({ retrain: true, evidence: { reason: 'dataset_drift', reportId: 3 } });
  });

  it('when one of the last three disjoint windows did not drift, then no retrain, however many drifted before', () => {
    const verdict = driftVerdict(
      [
        week('2024-12-25T00:00:00Z', true),
        week('2024-12-18T00:00:00Z', false),
        week('2024-12-11T00:00:00Z', true),
        week('2024-12-04T00:00:00Z', true),
      ],
      policy,
    );

    expect(verdict).toEqual({
      retrain: false,
      why: 'dataset drift in 2 of the last 3 disjoint windows; 3 of 3 needed',
    });
  });
});

describe('accuracyVerdict', () => {
  it.each([
    ['worse by more than the margin over enough hours', accuracy(5.1, 72), true],
    ['worse by exactly the margin', accuracy(5, 72), false],
    ['worse, but over too few hours', accuracy(9, 71), false],
    ['no holdout to compare with', accuracy(9, 100, null), false],
    ['nothing resolved yet', accuracy(undefined, 0), false],
  ])('when live MAE is %s, then retrain is %s', (_case, row, expected) => {
    expect(accuracyVerdict([row], policy).retrain).toBe(expected);
  });
});

describe('weighEvidence', () => {
  it('when accuracy and drift both hold, then accuracy is the reason and the newest report is the one named', () => {
    const reports = [
      week('2024-12-25T00:00:00Z', true, 3),
      week('2024-12-18T00:00:00Z', true, 2),
      week('2024-12-11T00:00:00Z', true, 1),
    ];

    const verdict = weighEvidence({ reports, accuracy: [accuracy(8, 100)], policy });

    expect(verdict).toMatchObject({
      retrain: true,
      evidence: { reason: 'live_accuracy', reportId: 3, accuracy: { mae: 8 } },
    });
  });

  it('when neither holds, then the answer gives both reasons', () => {
    const verdict = weighEvidence({
      reports: [week('2024-12-25T00:00:00Z', true)],
      accuracy: [accuracy(4, 100)],
      policy,
    });

    expect(verdict.retrain).toBe(false);
    expect(!verdict.retrain && verdict.why).toMatch(/live MAE within 25 %.*; dataset drift in 1 of the last 1/);
  });
});
