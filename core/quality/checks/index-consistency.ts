import type { QualityContext } from '../context';
import { percent, ViolationLog, type QualityCheck, type QualityStatus } from '../report';

/**
 * Compares the EAQI the source reported with the platform's own (pre-2026 method) where both exist. Two rules:
 * - they may differ by `indexTolerance` (some exports round the index; the platform's value is lower when
 *   the stored row lacks NO2/O3, which the source's index did include);
 * - the platform may exceed the source only by `indexOvershootTolerance`: it computes from a subset of the
 *   source's pollutants with the same bands, so a higher value means its own computation is wrong.
 * The first rule needs the same inputs on both sides: it is applied only to rows that carry every
 * pollutant of the index (a row without NO2/O3 says nothing about whether the source's higher value is
 * right). The overshoot rule holds for every row.
 * A few inconsistent hours warn; above `indexWarnShareMax` of the compared rows the check fails.
 */
const indexPollutants = ['pm2_5', 'pm10', 'nitrogen_dioxide', 'ozone', 'sulphur_dioxide'] as const;
export function checkIndexConsistency(context: QualityContext): QualityCheck {
  const { indexTolerance, indexOvershootTolerance, indexWarnShareMax } = context.thresholds;
  const log = new ViolationLog();
  let compared = 0;
  let partial = 0;
  let overshoots = 0;
  let largest = 0;

  for (const row of context.rows) {
    const { reportedEuropeanAqi: reported, computedEuropeanAqi: computed } = row;
    if (reported === null || reported === undefined || computed === null || computed === undefined) continue;
    compared++;
    const complete = indexPollutants.every((p) => row.values[p] !== null && row.values[p] !== undefined);
    if (!complete) partial++;
    const difference = computed - reported;
    const overshoot = difference > indexOvershootTolerance;
    if ((!complete || Math.abs(difference) <= indexTolerance) && !overshoot) continue;
    if (overshoot) overshoots++;
    largest = Math.max(largest, Math.abs(difference));
    // The sample's value is computed − reported: negative where the platform is below the source.
    log.add({
      locationId: row.locationId,
      observedAt: row.observedAt,
      variable: 'european_aqi_computed_minus_reported',
      value: Number(difference.toFixed(3)),
    });
  }

  const share = compared === 0 ? 0 : log.count / compared;
  let status: QualityStatus = 'pass';
  if (share > indexWarnShareMax) status = 'fail';
  else if (log.count > 0) status = 'warn';

  const detail =
    compared === 0
      ? 'no row has both a reported and a computed EAQI'
      : `${log.count} of ${compared} compared rows (${percent(share)}) inconsistent, ${overshoots} with the platform above the source by > ${indexOvershootTolerance}; largest |difference| ${largest.toFixed(1)} (warn up to ${percent(indexWarnShareMax)} of rows)` +
        (partial > 0
          ? `; ${partial} rows lack some of ${indexPollutants.join('/')} and were checked for overshoot only`
          : '');
  return { name: 'index_consistency', status, detail, violations: log.count, samples: log.samples };
}
