import { describeAccuracy, type LiveAccuracy } from '../accuracy/live-accuracy';

import type { RetrainingPolicy } from './policy';

/**
 * Whether what the monitor found is enough to retrain a champion (issue 14, deliverable 4). Two kinds of
 * evidence, each with a rule against noise (the policy's reasons, ./policy.ts):
 * - live accuracy: the version's live MAE over at least `minHours` resolved hours is worse than its holdout
 *   MAE by more than `maeMargin`;
 * - dataset drift: the newest report and the reports before it, newest first, keeping only windows disjoint
 *   from those kept, give `driftWindows` windows, and every one of them is dataset drift.
 * Accuracy comes first when both hold: it says the model is worse, drift only that the air changed.
 */

/** A stored drift report of the version, as the rule reads it. */
export interface DriftVerdict {
  reportId: number;
  /** The current window [from, to) of the report. */
  from: string;
  to: string;
  /** Undefined for a report without a verdict (no reference snapshot). */
  datasetDrift?: boolean;
  summary?: string;
  reportUrl?: string;
}

export type RetrainReason = 'dataset_drift' | 'live_accuracy';

export interface RetrainEvidence {
  reason: RetrainReason;
  /** What the approver reads first. */
  summary: string;
  /** The report that caused it: the newest drift report of the version (its accuracy section for live_accuracy). */
  reportId?: number;
  reportUrl?: string;
  /** The disjoint windows judged (dataset drift). */
  driftWindows?: DriftVerdict[];
  /** The horizon whose live accuracy fell short (live accuracy). */
  accuracy?: LiveAccuracy;
}

export type EvidenceVerdict = { retrain: true; evidence: RetrainEvidence } | { retrain: false; why: string };

const overlaps = (a: DriftVerdict, b: DriftVerdict) => a.from < b.to && b.from < a.to;

/** The newest `needed` pairwise disjoint windows among reports given newest first (fewer when there are not enough). */
export function disjointWindows(reports: readonly DriftVerdict[], needed: number): DriftVerdict[] {
  const kept: DriftVerdict[] = [];
  for (const report of reports) {
    if (report.datasetDrift === undefined) continue;
    if (kept.length === needed) break;
    if (!kept.some((k) => overlaps(k, report))) kept.push(report);
  }
  return kept;
}

export function driftVerdict(reports: readonly DriftVerdict[], policy: RetrainingPolicy): EvidenceVerdict {
  const windows = disjointWindows(reports, policy.driftWindows);
  const drifted = windows.filter((w) => w.datasetDrift === true).length;
  const newest = windows[0];
  if (newest === undefined || windows.length < policy.driftWindows || drifted < windows.length) {
    return {
      retrain: false,
      why: `dataset drift in ${drifted} of the last ${windows.length} disjoint windows; ${policy.driftWindows} of ${policy.driftWindows} needed`,
    };
  }
  const span = `${windows[windows.length - 1]?.from ?? newest.from} – ${newest.to}`;
  return {
    retrain: true,
    evidence: {
      reason: 'dataset_drift',
      summary:
        `dataset drift in each of the last ${windows.length} disjoint windows (${span}): ${newest.summary ?? ''}`.trim(),
      reportId: newest.reportId,
      ...(newest.reportUrl === undefined ? {} : { reportUrl: newest.reportUrl }),
      driftWindows: windows,
    },
  };
}

export function accuracyVerdict(accuracy: readonly LiveAccuracy[], policy: RetrainingPolicy): EvidenceVerdict {
  const judged = accuracy.map((a) => ({ a, worse: isWorse(a, policy) }));
  const worst = judged.filter((j) => j.worse).sort((x, y) => (y.a.ratio ?? 0) - (x.a.ratio ?? 0))[0]?.a;
  if (worst === undefined) {
    const lines = accuracy.map((a) => `+${a.horizonHours} h: ${describeAccuracy(a)}`);
    return {
      retrain: false,
      why: `live MAE within ${Math.round(policy.maeMargin * 100)} % of the holdout or fewer than ${policy.minHours} h resolved${lines.length > 0 ? ` (${lines.join('; ')})` : ' (no prediction logged)'}`,
    };
  }
  return {
    retrain: true,
    evidence: {
      reason: 'live_accuracy',
      summary: `+${worst.horizonHours} h: ${describeAccuracy(worst)}, worse than the holdout by more than ${Math.round(policy.maeMargin * 100)} %`,
      accuracy: worst,
    },
  };
}

function isWorse(a: LiveAccuracy, policy: RetrainingPolicy): boolean {
  if (a.mae === undefined || a.holdoutMae === undefined || a.hours < policy.minHours) return false;
  return a.mae > a.holdoutMae * (1 + policy.maeMargin);
}

/** Live accuracy first, then drift; the report that caused either is the newest one. */
export function weighEvidence(input: {
  reports: readonly DriftVerdict[];
  accuracy: readonly LiveAccuracy[];
  policy: RetrainingPolicy;
}): EvidenceVerdict {
  const accuracy = accuracyVerdict(input.accuracy, input.policy);
  const newest = input.reports[0];
  if (accuracy.retrain) {
    return {
      retrain: true,
      evidence: {
        ...accuracy.evidence,
        ...(newest === undefined ? {} : { reportId: newest.reportId }),
        ...(newest?.reportUrl === undefined ? {} : { reportUrl: newest.reportUrl }),
      },
    };
  }
  const drift = driftVerdict(input.reports, input.policy);
  if (drift.retrain) return drift;
  return { retrain: false, why: `${accuracy.why}; ${drift.why}` };
}
