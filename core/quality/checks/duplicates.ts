import type { QualityContext } from '../context';
import { ViolationLog, type QualityCheck } from '../report';

/**
 * The `readings` table keys rows by (location, hour), so a repeated pair means an upstream step (a replayed
 * payload, two sources for one place) produced two versions of one hour and one of them would be lost.
 * Hours are compared as instants, so `…T05:00:00Z` and `…T05:00:00.000Z` are the same hour.
 */
export function checkDuplicates(context: QualityContext): QualityCheck {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const log = new ViolationLog();
  for (const row of context.rows) {
    const key = `${row.locationId}\u0000${Date.parse(row.observedAt)}`;
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    // Every extra copy is a violation; the sample names each duplicated hour once.
    if (repeated.has(key)) log.count++;
    else log.add({ locationId: row.locationId, observedAt: row.observedAt });
    repeated.add(key);
  }
  return {
    name: 'duplicates',
    status: log.count > 0 ? 'fail' : 'pass',
    detail: `${log.count} extra row(s) over ${repeated.size} duplicated (location, hour) pair(s)`,
    violations: log.count,
    samples: log.samples,
  };
}
