import type { Client } from '@temporalio/client';
import { z } from 'zod';

import { listLocations, type Location } from '../adapters/postgres/locations';
import type { Pool } from '../adapters/postgres/pool';
import { workflowUrl } from '../adapters/temporal/client';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { describeError } from '../core/errors';
import { toHourString } from '../core/ingestion/chunks';
import { triggerNow } from '../core/work-ids/trigger';
import { dataQualityWorkId, ingestHistoryWorkId, ingestHourlyWorkId } from '../core/work-ids/work-ids';
import { checkDataQuality } from '../workflows/check-data-quality';
import { ingestHistory, ingestHistoryProgressQuery } from '../workflows/ingest-history';
import { ingestHourly } from '../workflows/ingest-hourly';

/**
 * What `npm start` runs on the bundled real data (offline, through the replay server):
 *   1. ask the replay server which places and hour ranges it holds, and match them to the seeded locations;
 *   2. backfill each range (ingestHistory, straight into PostgreSQL);
 *   3. ingest the replay clock's latest hour through Kafka (ingestHourly) for the locations that have it;
 *   4. check the data quality of each backfilled range (checkDataQuality);
 * and report rows per location, the verdicts and the Temporal Web UI links.
 */
const health = z.object({
  now: z.string(),
  places: z.array(
    z.object({
      latitude: z.number(),
      longitude: z.number(),
      ranges: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
  ),
});

export interface BundledRun {
  lines: string[];
  healthy: boolean;
}

interface Backfill {
  locationIds: string[];
  from: string;
  to: string;
}

const hour = (minute: string) => `${minute.slice(0, 13)}:00:00Z`;

/** Ranges held by the replay server, grouped so that locations sharing a range are backfilled together. */
async function plannedBackfills(
  config: Config,
  locations: Location[],
): Promise<{ backfills: Backfill[]; now: string }> {
  const response = await fetch(`${config.source.url}/health`, { signal: AbortSignal.timeout(5000) });
  const held = health.parse(await response.json());
  const byRange = new Map<string, Backfill>();
  for (const place of held.places) {
    const location = locations.find(
      (l) => Math.abs(l.latitude - place.latitude) <= 0.25 && Math.abs(l.longitude - place.longitude) <= 0.25,
    );
    if (!location) continue;
    for (const range of place.ranges) {
      const key = `${range.from}/${range.to}`;
      const entry = byRange.get(key) ?? { locationIds: [], from: hour(range.from), to: hour(range.to) };
      entry.locationIds.push(location.id);
      byRange.set(key, entry);
    }
  }
  return { backfills: [...byRange.values()], now: hour(held.now) };
}

/** `npm start` as a trigger, naming its step. */
const bundled = (step: string) => triggerNow('start', `npm start: bundled pipeline, ${step}`);

export async function runBundledPipeline(
  client: Client,
  pool: Pool,
  config: Config,
  say: (message: string) => void,
): Promise<BundledRun> {
  if (config.source.kind !== 'replay') {
    return { lines: ['source is the live Open-Meteo API: use `npx airq backfill` to ingest a range'], healthy: true };
  }
  const lines: string[] = [];
  let healthy = true;
  const { backfills, now } = await plannedBackfills(config, await listLocations(pool));

  for (const b of backfills) {
    const id = ingestHistoryWorkId(b.locationIds, b.from, b.to);
    say(`backfilling ${b.locationIds.join(', ')} ${b.from} .. ${b.to} (${id})`);
    const { handle } = await startOrJoin(client, config, ingestHistory, id, b, bundled('backfill'));
    const progress = setInterval(() => {
      void handle
        .query(ingestHistoryProgressQuery)
        .then((p) => say(`  ${p.chunksDone}/${p.chunksTotal} chunks, ${p.rowsWritten} rows written`))
        .catch(() => undefined);
    }, 3000);
    const result = await handle.result().finally(() => clearInterval(progress));
    lines.push(
      `backfill ${b.locationIds.join('+')} ${b.from.slice(0, 10)}..${b.to.slice(0, 10)}: ${result.rowsWritten} written, ${result.rowsUnchanged} unchanged  ${workflowUrl(config, id)}`,
    );
  }

  const current = backfills.filter((b) => b.from <= now && now <= b.to).flatMap((b) => b.locationIds);
  if (current.length > 0) {
    const id = ingestHourlyWorkId(current, now);
    say(`ingesting the replay clock's latest hour ${now} through Kafka (${id})`);
    const input = { locationIds: current, hour: now };
    const { handle } = await startOrJoin(client, config, ingestHourly, id, input, bundled('latest hour'));
    const result = await handle.result();
    lines.push(
      `hourly ${current.join('+')} ${now}: ${result.published} published, ${result.persisted} stored  ${workflowUrl(config, id)}`,
    );
  }

  for (const b of backfills) {
    const to = toHourString(Date.parse(b.to) + 3600_000);
    const id = dataQualityWorkId(b.locationIds, b.from, to);
    say(`checking data quality of ${b.locationIds.join(', ')} ${b.from} .. ${b.to}`);
    const input = { locationIds: b.locationIds, from: b.from, to };
    const { handle } = await startOrJoin(client, config, checkDataQuality, id, input, bundled('quality'));
    try {
      const q = await handle.result();
      lines.push(`quality ${b.locationIds.join('+')}: ${q.verdict} (report ${q.reportId})  ${workflowUrl(config, id)}`);
      for (const finding of q.findings) lines.push(`    ${finding}`);
    } catch (err) {
      healthy = false;
      lines.push(`quality ${b.locationIds.join('+')}: FAIL ${describeError(err)}  ${workflowUrl(config, id)}`);
    }
  }

  const { rows } = await pool.query<{ location_id: string; n: number; first: Date; last: Date }>(
    'SELECT location_id, count(*)::int AS n, min(observed_at) AS first, max(observed_at) AS last FROM readings GROUP BY location_id ORDER BY location_id',
  );
  for (const r of rows) {
    lines.push(
      `rows ${r.location_id}: ${r.n} (${r.first.toISOString().slice(0, 13)} .. ${r.last.toISOString().slice(0, 13)})`,
    );
  }
  return { lines, healthy };
}
