import { hourMs, isoHour, windowHours, type QualityContext } from '../context';
import { ViolationLog, type QualityCheck, type QualityStatus } from '../report';

/**
 * How far each location's newest hour lags behind the last hour that could exist (the window's last hour,
 * or the current hour when the window runs past now). Judged only when the window reaches now: in a
 * historical window a missing last hour is a gap, which completeness counts. A location with no row in a
 * live window has lagged at least the whole window.
 */
export function checkFreshness(context: QualityContext): QualityCheck {
  const { thresholds, lastPossibleHour } = context;
  if (!context.live) {
    return {
      name: 'freshness',
      status: 'pass',
      detail: `not judged: the window ended at ${isoHour(context.windowEnd)}, before the current hour, so its rows are history`,
      violations: 0,
      samples: [],
    };
  }

  const log = new ViolationLog();
  let status: QualityStatus = 'pass';
  let worst: { locationId: string; lagHours: number } | undefined;
  for (const locationId of context.locationIds) {
    const newest = windowHours(context, locationId).at(-1);
    const lagHours =
      newest === undefined
        ? (lastPossibleHour - context.windowStart) / hourMs + 1
        : (lastPossibleHour - newest.hour) / hourMs;
    if (worst === undefined || lagHours > worst.lagHours) worst = { locationId, lagHours };
    if (lagHours <= thresholds.maxStalenessHours) continue;
    // The sample is the newest hour the location has; with none, the window start it should have begun at.
    log.add({ locationId, observedAt: newest?.row.observedAt ?? isoHour(context.windowStart) });
    if (lagHours > thresholds.failStalenessHours) status = 'fail';
    else if (status === 'pass') status = 'warn';
  }

  const limits = `allowed ${thresholds.maxStalenessHours} h, fails beyond ${thresholds.failStalenessHours} h`;
  const detail =
    worst === undefined
      ? 'no location to judge'
      : `${log.count} location(s) lag behind ${isoHour(lastPossibleHour)}; worst ${worst.locationId} by ${worst.lagHours} h (${limits})`;
  return { name: 'freshness', status, detail, violations: log.count, samples: log.samples };
}
