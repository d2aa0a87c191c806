#!/usr/bin/env node
import { parseArgs } from 'node:util';

import type { Client, WorkflowHandle } from '@temporalio/client';

import type { QualityOutcome } from '../activities/quality';
import { connectTemporal, workflowUrl } from '../adapters/temporal/client';
import { startBackfill, startQualityCheck, type StartedPipeline } from '../adapters/temporal/pipeline-runs';
import { applySchedules, platformSchedules, removeSchedules } from '../adapters/temporal/schedules';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { describeError } from '../core/errors';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { ingestHourlyWorkflowId } from '../core/ingestion/workflow-ids';
import type { IngestHistoryProgress, IngestHistoryResult } from '../workflows/ingest-history';

import { decide, promotions, rollback, train } from './models';

const help = `Usage: airq <command> [options]      (npx airq … or npm run airq -- …)

Operator commands: each starts a Temporal workflow (or joins the one already doing that work, since ids
are derived from the work) and prints its Temporal Web UI link.

Commands:
  backfill      --from <hour> --to <hour> [--locations lyon,paris] [--dry-run] [--parallel N]
                ingest a history range straight into PostgreSQL, with a progress bar
  ingest-hour   [--hour <hour>] [--locations …]
                fetch one hour (and the two before) through Kafka, wait until stored;
                without --hour, the source's latest hour
  quality       --from <hour> --to <hour> [--locations …]
                check the stored readings of [from, to]; exit 1 when the verdict is fail
  schedules     [--locations …] [--remove]
                create or update the Temporal Schedules (hourly ingest at :05, daily quality at
                00:30); offline, the replay data's latest hours only cover lyon: --locations lyon
  train         [--kind instant|forecast] [--horizon H] [--algorithm random-forest|linear]
                [--params '{"randomForest":{"nEstimators":60}}'] [--locations lyon] [--approval-timeout 72h] [--wait]
                train, evaluate and register a candidate; prints how to approve it (--wait: until decided)
  approve       <workflow id> --approver <name> [--comment …]   send the approvePromotion signal
  reject        <workflow id> --approver <name> [--comment …]
  rollback      <model name> --approver <name> [--comment …]    champion back to the previous version
  promotions    [--model <name>]                                the audit trail of model decisions

Hours are ISO UTC instants on the hour, e.g. 2024-01-01T00:00:00Z (a date alone means its first or last
hour). Locations default to every seeded one: lyon, marseille, paris.
  -h, --help    this help`;

const defaultLocations = ['lyon', 'marseille', 'paris'];

function hourArg(value: string | undefined, name: string, endOfDay = false): string {
  if (!value) throw new Error(`--${name} is required`);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${endOfDay ? '23' : '00'}:00:00Z` : value;
  return toHourString(parseHour(iso, `--${name}`));
}

async function start(
  client: Client,
  config: Config,
  workflow: string,
  workflowId: string,
  args: unknown,
): Promise<WorkflowHandle> {
  const { handle, started } = await startOrJoin(client, config, workflow, workflowId, args);
  console.log(
    `${started ? 'started' : 'joined the existing run of'} ${workflowId}\n  ${workflowUrl(config, workflowId)}`,
  );
  return handle;
}

/** Prints a run started through the shared pipeline-runs functions and returns its handle. */
function announce(client: Client, run: StartedPipeline): WorkflowHandle {
  console.log(`${run.started ? 'started' : 'joined the existing run of'} ${run.workflowId}\n  ${run.url}`);
  return client.workflow.getHandle(run.workflowId);
}

function bar(p: IngestHistoryProgress): string {
  const width = 30;
  const done = p.chunksTotal === 0 ? width : Math.round((p.chunksDone / p.chunksTotal) * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.chunksDone}/${p.chunksTotal} chunks, ${p.rowsWritten} rows written, ${p.rowsUnchanged} unchanged`;
}

async function backfill(client: Client, config: Config, values: Record<string, string | boolean | undefined>) {
  const locationIds = String(values.locations ?? defaultLocations.join(','))
    .split(',')
    .filter(Boolean);
  const from = hourArg(values.from as string | undefined, 'from');
  const to = hourArg(values.to as string | undefined, 'to', true);
  const dryRun = values['dry-run'] === true;
  const run = await startBackfill(client, config, {
    locationIds,
    from,
    to,
    dryRun,
    ...(values.parallel ? { maxParallelChunks: Number(values.parallel) } : {}),
  });
  const handle = announce(client, run);
  const result = handle.result() as Promise<IngestHistoryResult>;
  const interactive = process.stdout.isTTY;
  let finished = false;
  void result.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (finished) break;
    const progress = await handle.query<IngestHistoryProgress>('progress').catch(() => undefined);
    if (progress) process.stdout.write(interactive ? `\r${bar(progress)}` : `${bar(progress)}\n`);
  }
  const final = await result;
  if (interactive) process.stdout.write('\n');
  if (final.dryRun) {
    console.log(`dry run: ${final.chunks.length} chunks would be ingested`);
    for (const c of final.chunks) console.log(`  ${c.locationId} ${c.from} .. ${c.to}`);
  } else {
    console.log(bar(final));
  }
}

async function ingestHour(client: Client, config: Config, values: Record<string, string | boolean | undefined>) {
  const locationIds = String(values.locations ?? defaultLocations.join(','))
    .split(',')
    .filter(Boolean);
  const hour = hourArg(values.hour as string | undefined, 'hour');
  const handle = await start(client, config, 'ingestHourly', ingestHourlyWorkflowId(locationIds, hour), {
    locationIds,
    hour,
  });
  console.log(JSON.stringify(await handle.result()));
}

async function quality(client: Client, config: Config, values: Record<string, string | boolean | undefined>) {
  const locationIds = locationsOf(values);
  const from = hourArg(values.from as string | undefined, 'from');
  // The window is [from, to) inside the workflow; the command takes an inclusive last hour like backfill.
  const to = toHourString(Date.parse(hourArg(values.to as string | undefined, 'to', true)) + 3600_000);
  const handle = announce(client, await startQualityCheck(client, config, { locationIds, from, to }));
  try {
    const outcome = (await handle.result()) as QualityOutcome;
    console.log(`verdict ${outcome.verdict} (report ${outcome.reportId}, ${outcome.rowsChecked} rows)`);
    for (const finding of outcome.findings) console.log(`  ${finding}`);
    return 0;
  } catch (err) {
    console.log(`verdict fail: ${describeError(err)}`);
    return 1;
  }
}

async function schedules(client: Client, config: Config, values: Record<string, string | boolean | undefined>) {
  const wanted = platformSchedules(config, locationsOf(values));
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

function locationsOf(values: Record<string, string | boolean | undefined>): string[] {
  return String(values.locations ?? defaultLocations.join(','))
    .split(',')
    .filter(Boolean);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      hour: { type: 'string' },
      locations: { type: 'string' },
      parallel: { type: 'string' },
      'dry-run': { type: 'boolean' },
      remove: { type: 'boolean' },
      kind: { type: 'string' },
      horizon: { type: 'string' },
      algorithm: { type: 'string' },
      params: { type: 'string' },
      'approval-timeout': { type: 'string' },
      wait: { type: 'boolean' },
      approver: { type: 'string' },
      comment: { type: 'string' },
      model: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(help);
    return values.help ? 0 : 2;
  }
  const config = configFromEnvironment();
  const client = await connectTemporal(config);
  try {
    if (command === 'backfill') await backfill(client, config, values);
    else if (command === 'ingest-hour') await ingestHour(client, config, values);
    else if (command === 'quality') return await quality(client, config, values);
    else if (command === 'schedules') await schedules(client, config, values);
    else if (command === 'train') return await train(client, config, values);
    else if (command === 'approve' || command === 'reject') await decide(client, values, positionals[1], command);
    else if (command === 'rollback') await rollback(client, config, values, positionals[1]);
    else if (command === 'promotions') await promotions(config, values);
    else {
      console.error(`unknown command "${command}"\n\n${help}`);
      return 2;
    }
    return 0;
  } finally {
    await client.connection.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`airq: ${describeError(err)}`);
    process.exit(1);
  });
