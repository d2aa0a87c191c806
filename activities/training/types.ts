import type { Algorithm } from '../../core/ml/models';

/** What travels through Temporal between training steps: references and small summaries, never data. */

/** The MLflow run a training pipeline logs into. */
export interface TrainingRunRef {
  runId: string;
  experimentId: string;
  artifactUri: string;
}

/** A dataset snapshot stored as a run artifact. */
export interface DatasetRef {
  artifactPath: string;
  sha256: string;
  rows: number;
  from: string;
  to: string;
  locationIds: string[];
}

/** Chronological windows (ISO hours) by the hour predicted: train < validationFrom ≤ validation < testFrom ≤ test < testTo. */
export interface SplitWindows {
  validationFrom: string;
  testFrom: string;
  testTo: string;
}

export interface CandidateSpec {
  modelName: string;
  kind: 'instant' | 'forecast';
  horizonHours: number;
  algorithm: Algorithm;
  /** Hyper-parameters as given; defaults fill the rest (core/ml trainingParams). */
  params: Record<string, unknown>;
}

export interface TrainedCandidate {
  modelPath: string;
  modelSha256: string;
  trainRows: number;
  trainSeconds: number;
  featureNames: string[];
}
