import { hourMs, isoHour, windowHours, type QualityContext } from '../context';
import { percent, ViolationLog, type QualityCheck, type QualityStatus } from '../report';

/**
 * The hours up to which every location must have a row. In a historical window that is its last hour (or now,
 * if the window runs past it). In a window that reaches now it is the newest hour ANY location has: hours no
 * location has yet are the source lagging as a whole, one fault that the freshness check reports (and fails
 * when it lasts), rather than a second time here as gaps. A location behind the others does have gaps. With
 * no row at all nothing has arrived, so every hour that has started is missing.
 */
function horizonOf(context: QualityContext): number {
  if (!context.live) return context.lastPossibleHour;
  let newest = Number.NEGATIVE_INFINITY;
  for (const id of context.locationIds) {
    for (const { hour } of windowHours(context, id)) newest = Math.max(newest, hour);
  }
  return Number.isFinite(newest) ? newest : context.lastPossibleHour;
}

export function checkCompleteness(context: QualityContext): QualityCheck {
  const { windowStart, thresholds } = context;
  const horizon = horizonOf(context);
  const hoursPerLocation = horizon < windowStart ? 0 : (horizon - windowStart) / hourMs + 1;
  const expected = hoursPerLocation * context.locationIds.length;
  const missing = new ViolationLog();
  let gapCount = 0;
  let longest: { locationId: string; start: number; hours: number } | undefined;

  for (const locationId of context.locationIds) {
    const present = new Set(windowHours(context, locationId).map((e) => e.hour));
    let gapStart: number | undefined;
    // One step past the horizon closes a gap that runs to the end.
    for (let hour = windowStart; hour <= horizon + hourMs; hour += hourMs) {
      const isMissing = hour <= horizon && !present.has(hour);
      if (isMissing && gapStart === undefined) gapStart = hour;
      if (isMissing || gapStart === undefined) continue;
      const hours = (hour - gapStart) / hourMs;
      missing.add({ locationId, observedAt: isoHour(gapStart) }, hours);
      gapCount++;
      if (longest === undefined || hours > longest.hours) longest = { locationId, start: gapStart, hours };
      gapStart = undefined;
    }
  }

  const share = expected === 0 ? 1 : (expected - missing.count) / expected;
  let status: QualityStatus = 'pass';
  if (share < thresholds.completenessFailBelow) status = 'fail';
  else if (share < thresholds.completenessWarnBelow) status = 'warn';

  const counted = `${expected - missing.count} of ${expected} expected rows (${percent(share)}) for ${context.locationIds.length} location(s)`;
  const gaps = longest
    ? `${gapCount} gap(s), longest ${longest.hours} h at ${longest.locationId} from ${isoHour(longest.start)}`
    : 'no gap';
  const lag =
    horizon < context.lastPossibleHour && horizon >= windowStart
      ? `; hours after ${isoHour(horizon)} not yet published by any location (see freshness)`
      : '';
  const detail = expected === 0 ? 'no hour of the window has started yet' : `${counted}; ${gaps}${lag}`;
  return { name: 'completeness', status, detail, violations: missing.count, samples: missing.samples };
}
