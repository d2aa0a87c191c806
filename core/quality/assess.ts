import { checkCompleteness } from './checks/completeness';
import { checkDuplicates } from './checks/duplicates';
import { checkFreshness } from './checks/freshness';
import { checkFutureTimestamps } from './checks/future-timestamps';
import { checkIndexConsistency } from './checks/index-consistency';
import { checkNulls } from './checks/nulls';
import { checkRanges } from './checks/ranges';
import { checkStuckValues } from './checks/stuck-values';
import { buildContext, type QualityContext, type QualityInput } from './context';
import { worstStatus, type QualityCheck, type QualityReport } from './report';

export type { QualityInput, QualityRow } from './context';
export { qualityReport, type QualityCheck, type QualityCheckName, type QualityReport } from './report';
export { defaultQualityThresholds, type QualityThresholds } from './thresholds';

/**
 * The data-quality rules, pure (no I/O, no clock: `now` is an input), in the order of the report:
 * 1. completeness: every location has every due hour of the window;
 * 2. nulls: the required variables and the reported index are rarely null;
 * 3. ranges: values within physical bounds, never negative;
 * 4. duplicates: one row per (location, hour);
 * 5. future timestamps: nothing observed after now;
 * 6. freshness: in a window that reaches now, the newest hour is recent;
 * 7. stuck values: no variable repeats one value for hours on end;
 * 8. index consistency: the platform's EAQI agrees with the source's.
 */
export const qualityChecks: readonly ((context: QualityContext) => QualityCheck)[] = [
  checkCompleteness,
  checkNulls,
  checkRanges,
  checkDuplicates,
  checkFutureTimestamps,
  checkFreshness,
  checkStuckValues,
  checkIndexConsistency,
];

/** Runs every check over one window; the verdict is the worst check status. */
export function assessQuality(input: QualityInput): QualityReport {
  const context = buildContext(input);
  const checks = qualityChecks.map((check) => check(context));
  return { verdict: worstStatus(checks.map((c) => c.status)), checks, rowsChecked: input.rows.length };
}
