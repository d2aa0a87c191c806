import { AppError } from '../errors';

import { hourOf } from './dataset';
import { emptyExamples, type Examples } from './examples';

/**
 * Train, validation and test sets by the hour each example predicts, never shuffled. Neighbouring hours share
 * most of a 24-hour PM window, so examples whose target lies within `gapHours` (default 24) before the next
 * set starts are dropped: no training target's window then shares an hour with a validation or test target's.
 */

export interface ChronologicalSplit {
  train: Examples;
  validation: Examples;
  test: Examples;
}

export interface SplitBounds {
  validationFrom: string;
  testFrom: string;
  /** Exclusive; without it the test set runs to the last example. */
  testTo?: string;
  gapHours?: number;
}

const defaultGapHours = 24;

function take(examples: Examples, keep: (i: number) => boolean): Examples {
  const out = emptyExamples(examples.spec);
  examples.y.forEach((_, i) => {
    if (!keep(i)) return;
    out.x.push(examples.x[i] as number[]);
    out.y.push(examples.y[i] as number);
    out.at.push(examples.at[i] as string);
    out.target.push(examples.target[i] as string);
    out.locationIds.push(examples.locationIds[i] as string);
    out.persistence.push(examples.persistence[i] as number);
  });
  return out;
}

export function chronologicalSplit(examples: Examples, bounds: SplitBounds): ChronologicalSplit {
  const validationFrom = hourOf(bounds.validationFrom);
  const testFrom = hourOf(bounds.testFrom);
  const testTo = bounds.testTo === undefined ? Infinity : hourOf(bounds.testTo);
  const gapMs = (bounds.gapHours ?? defaultGapHours) * 3_600_000;
  if (!(validationFrom <= testFrom && testFrom < testTo) || !(gapMs >= 0)) {
    throw new AppError('INVALID_SPLIT', 'the split needs validationFrom ≤ testFrom < testTo and a gap ≥ 0', {
      httpStatus: 400,
    });
  }
  const targets = examples.target.map(hourOf);
  const at = (i: number) => targets[i] as number;
  return {
    train: take(examples, (i) => at(i) < validationFrom - gapMs),
    validation: take(examples, (i) => at(i) >= validationFrom && at(i) < testFrom - gapMs),
    test: take(examples, (i) => at(i) >= testFrom && at(i) < testTo),
  };
}
