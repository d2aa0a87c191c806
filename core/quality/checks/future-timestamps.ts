import { isoHour, type QualityContext } from '../context';
import { ViolationLog, type QualityCheck } from '../report';

/**
 * A reading stamped after `now` cannot be an observation: it is a forecast stored as a measurement or a
 * timezone error (a local time read as UTC), and either would leak the future into training data.
 */
export function checkFutureTimestamps(context: QualityContext): QualityCheck {
  const log = new ViolationLog();
  for (const row of context.rows) {
    if (Date.parse(row.observedAt) > context.now) log.add({ locationId: row.locationId, observedAt: row.observedAt });
  }
  return {
    name: 'future_timestamps',
    status: log.count > 0 ? 'fail' : 'pass',
    detail: `${log.count} row(s) stamped after now (${isoHour(context.now)})`,
    violations: log.count,
    samples: log.samples,
  };
}
