import type { Client, Workflow, WorkflowHandle } from '@temporalio/client';

import { workflowUrl } from '../adapters/temporal/client';
import { startBackfill, startQualityCheck, type StartedPipeline } from '../adapters/temporal/pipeline-runs';
import { applySchedules, platformSchedules, removeSchedules } from '../adapters/temporal/schedules';
import { startOrJoin, type WorkflowOfInput } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { describeError } from '../core/errors';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { startOutcome, triggerNow, type WorkTrigger } from '../core/work-ids/trigger';
import { ingestHourlyWorkId } from '../core/work-ids/work-ids';
import type { checkDataQuality } from '../workflows/check-data-quality';
import {
  ingestHistoryProgressQuery,
  type ingestHistory,
  type IngestHistoryProgress,
} from '../workflows/ingest-history';
import { ingestHourly } from '../workflows/ingest-hourly';

import { cliActor, locationIdsOf } from './locations';

/**
 * The data pipeline's commands (`airq backfill`, `ingest-hour`, `quality`, `schedules`): each starts or joins
 * the Temporal workflow of its piece of work, prints the run's link, and follows it to its result.
 */
type Values = Record<string, string | boolean | undefined>;

function hourArg(value: string | undefined, name: string, endOfDay = false): string {
  if (!value) throw new Error(`--${name} is required`);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${endOfDay ? '23' : '00'}:00:00Z` : value;
  return toHourString(parseHour(iso, `--${name}`));
}

async function start<I, R>(
  client: Client,
  config: Config,
  workflow: WorkflowOfInput<I, R>,
  workflowId: string,
  input: NoInfer<I>,
  trigger: WorkTrigger,
): Promise<WorkflowHandle<WorkflowOfInput<I, R>>> {
  const run = await startOrJoin(client, config, workflow, workflowId, input, trigger);
  console.log(`${startOutcome(run, workflowId)}\n  ${workflowUrl(config, workflowId)}`);
  return run.handle;
}

/** airq as a trigger: the command and who ran it (--actor, else the login). */
const cliTrigger = (command: string, values: Values): WorkTrigger =>
  triggerNow('cli', `airq ${command} by ${cliActor(values)}`);

/** Prints a run started through the shared pipeline-runs functions and returns its handle, typed by its workflow. */
function announce<W extends Workflow>(client: Client, run: StartedPipeline): WorkflowHandle<W> {
  console.log(`${startOutcome(run, run.workflowId)}\n  ${run.url}`);
  return client.workflow.getHandle<W>(run.workflowId);
}

function bar(p: IngestHistoryProgress): string {
  const width = 30;
  const done = p.chunksTotal === 0 ? width : Math.round((p.chunksDone / p.chunksTotal) * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.chunksDone}/${p.chunksTotal} chunks, ${p.rowsWritten} rows written, ${p.rowsUnchanged} unchanged`;
}

export async function backfill(client: Client, config: Config, values: Values) {
  const locationIds = await locationIdsOf(config, values);
  const from = hourArg(values.from as string | undefined, 'from');
  const to = hourArg(values.to as string | undefined, 'to', true);
  const dryRun = values['dry-run'] === true;
  const run = await startBackfill(
    client,
    config,
    {
      locationIds,
      from,
      to,
      dryRun,
      ...(values.parallel ? { maxParallelChunks: Number(values.parallel) } : {}),
    },
    cliTrigger('backfill', values),
  );
  const handle = announce<typeof ingestHistory>(client, run);
  const result = handle.result();
  const interactive = process.stdout.isTTY;
  let finished = false;
  void result.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (finished) break;
    const progress = await handle.query(ingestHistoryProgressQuery).catch(() => undefined);
    if (progress) process.stdout.write(interactive ? `\r${bar(progress)}` : `${bar(progress)}\n`);
  }
  const final = await result;
  if (interactive) process.stdout.write('\n');
  if (final.dryRun) {
    if (final.source) {
      console.log(`source ${final.source.source}`);
      for (const l of final.source.locations) console.log(`  ${l.id} (${l.name}) at ${l.latitude}, ${l.longitude}`);
      console.log(`${final.source.calls.length} call(s) planned, e.g.\n  ${final.source.calls[0]?.url ?? '-'}`);
    }
    console.log(`dry run: ${final.chunks.length} chunks would be ingested`);
    for (const c of final.chunks) console.log(`  ${c.locationId} ${c.from} .. ${c.to}`);
  } else {
    console.log(bar(final));
  }
}

export async function ingestHour(client: Client, config: Config, values: Values) {
  const locationIds = await locationIdsOf(config, values);
  const hour = hourArg(values.hour as string | undefined, 'hour');
  const handle = await start(
    client,
    config,
    ingestHourly,
    ingestHourlyWorkId(locationIds, hour),
    { locationIds, hour },
    cliTrigger('ingest-hour', values),
  );
  console.log(JSON.stringify(await handle.result()));
}

export async function quality(client: Client, config: Config, values: Values) {
  const locationIds = await locationIdsOf(config, values);
  const from = hourArg(values.from as string | undefined, 'from');
  // The window is [from, to) inside the workflow; the command takes an inclusive last hour like backfill.
  const to = toHourString(Date.parse(hourArg(values.to as string | undefined, 'to', true)) + 3600_000);
  const handle = announce<typeof checkDataQuality>(
    client,
    await startQualityCheck(client, config, { locationIds, from, to }, cliTrigger('quality', values)),
  );
  try {
    const outcome = await handle.result();
    console.log(`verdict ${outcome.verdict} (report ${outcome.reportId}, ${outcome.rowsChecked} rows)`);
    for (const finding of outcome.findings) console.log(`  ${finding}`);
    return 0;
  } catch (err) {
    console.log(`verdict fail: ${describeError(err)}`);
    return 1;
  }
}

export async function schedules(client: Client, config: Config, values: Values) {
  const wanted = platformSchedules(config, await locationIdsOf(config, values));
  if (values.remove === true) {
    await removeSchedules(
      client,
      wanted.map((s) => s.scheduleId),
    );
    console.log(`removed ${wanted.map((s) => s.scheduleId).join(', ')}`);
    return;
  }
  for (const line of await applySchedules(client, wanted)) console.log(line);
  console.log(`  ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/schedules`);
}
