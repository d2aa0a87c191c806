#!/usr/bin/env node
import { parseArgs } from 'node:util';

import type { Client } from '@temporalio/client';

import { connectTemporal } from '../adapters/temporal/client';
import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { describeError } from '../core/errors';

import { importExport } from './import-export';
import { incidentsCommand } from './incidents';
import { cliActor, locationsCommand, withPool } from './locations';
import { decide, promotions, rollback, train } from './models';
import { monitorCommand } from './monitor';
import { backfill, ingestHour, quality, schedules } from './pipelines';
import { sensorsCommand } from './sensors';
import { smoke } from './smoke';

const help = `Usage: airq <command> [options]      (npx airq … or npm run airq -- …)

Operator commands: most start a Temporal workflow (or join the one already doing that work, since ids
are derived from the work: an hour Airflow or a schedule asked for is the same run, which records each
trigger) and print its Temporal Web UI link; work already completed is not run again ("already done by
run …"); promotions and smoke only read.

Commands:
  locations     list | add <id> --name <name> --lat <lat> --lon <lon> [--force] | remove <id> [--purge]
                the registered places (ids: lower-case slugs); add refuses an existing id and, without
                --force, a place within 1 km of another; remove refuses a place with readings unless
                --purge (deleted readings are recorded in location_changes)
  sensors       list [--status active|retired] | show <id> | retire <id> [--reason …] | reinstate <id>
                the IoT sensors registered on first sight: position, reference location (nearest
                within 25 km), first/last reading; retire takes one out of service, with who and why
                simulate [--sensors 24] [--days 7] [--interval 60] [--seed N] [--start <hour>] [--speed X]
                [--labels <file.jsonl>] [--dry-run]: low-cost sensors around the locations, derived from
                their stored hours with per-sensor gain, offset and noise, produced to sensors.raw with
                labelled faults (labels to the file); --speed: simulated seconds per second (0: at once)
                rollup [--day YYYY-MM-DD] [--json]: the daily batch of one UTC day (default yesterday;
                the schedule runs it at 01:15): hourly means, 7/30-day calibration against the reference,
                drift and neighbour checks, drift incidents; waits and prints what it stored and found
  incidents     list [--all] | show <id> | acknowledge <id> [--comment …] | resolve <id> [--comment …]
                sensor incidents (one per flatline, dropout or drift); acknowledge and resolve go through
                the sensorIncident workflow's updates (exit 1 with the reason when refused); --actor names you
  import        <file.csv> [--location <id> [--create] [--name <name>]]
                load an Open-Meteo CSV export (either layout) like a backfill stores a fetch; each place
                goes to the registered location within 0.25°, or to --location (with --create: registered
                at the export's coordinates); a bad line refuses the whole file; again writes nothing
  backfill      --from <hour> --to <hour> [--locations lyon,paris] [--dry-run] [--parallel N]
                ingest a history range straight into PostgreSQL, with a progress bar; --dry-run prints
                the locations' coordinates and the source calls planned
  ingest-hour   [--hour <hour>] [--locations …]
                fetch one hour (and the two before) through Kafka, wait until stored;
                without --hour, the source's latest hour
  quality       --from <hour> --to <hour> [--locations …]
                check the stored readings of [from, to]; exit 1 when the verdict is fail
  schedules     [--locations …] [--remove]
                create or update the Temporal Schedules (hourly ingest at :05, daily quality at
                00:30, sensor rollup at 01:15, champion monitor at 02:00); offline, the replay data's latest hours only cover
                lyon: --locations lyon
  train         [--kind instant|forecast] [--horizon H] [--algorithm random-forest|linear]
                [--params '{"randomForest":{"nEstimators":60}}'] [--locations lyon] [--approval-timeout 72h]
                [--wait] [--json]
                train, evaluate and register a candidate; prints how to approve it (--wait: until decided)
  approve       <workflow id> --approver <name> [--comment …] [--wait] [--json]
                decide through the approvePromotion update: taken, or refused with the workflow's
                reason (exit 1); --wait: until promoted, exit 1 otherwise
  reject        <workflow id> --approver <name> [--comment …] [--wait] [--json]
  rollback      <model name> --approver <name> [--comment …]    champion back to the previous version
  promotions    [--model <name>]                                the audit trail of model decisions
  monitor       [--model <name>] [--days 7] [--to <hour>] [--json]
                the drift report of every champion (or one model's): its training snapshot against the
                last --days of stored hours (ending at --to, default after the newest stored hour);
                waits and prints each verdict with its HTML report and MLflow run; exit 1 if one failed
  smoke         --expect-version <N> [--model <name>]
                POST /predict (the seed's request) and GET /model on the API; exit 1 unless both
                answer with that version (and model)

--json (train, approve, reject): print one JSON object on stdout, progress on stderr: workflowId, url,
stage (awaiting_approval, promoted, rejected, …), modelName, version, summary (one line with the holdout
MAE), deadline, evaluation, deploy. Without --wait, train stops once the run awaits approval.

Hours are ISO UTC instants on the hour, e.g. 2024-01-01T00:00:00Z (a date alone means its first or last
hour). --locations defaults to every registered location (airq locations list).
  --json        (locations, sensors, incidents, import too) machine-readable output
  -h, --help    this help`;

/** Every command `airq` dispatches; the Jenkinsfile test checks the commands it runs against this list. */
export const airqCommands = [
  'locations',
  'sensors',
  'incidents',
  'import',
  'backfill',
  'ingest-hour',
  'quality',
  'schedules',
  'train',
  'approve',
  'reject',
  'rollback',
  'promotions',
  'smoke',
  'monitor',
] as const;
export type AirqCommand = (typeof airqCommands)[number];

/** The options every command parses (node:util parseArgs); exported for the same test. */
export const airqOptions = {
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
  json: { type: 'boolean' },
  approver: { type: 'string' },
  comment: { type: 'string' },
  model: { type: 'string' },
  'expect-version': { type: 'string' },
  name: { type: 'string' },
  lat: { type: 'string' },
  lon: { type: 'string' },
  force: { type: 'boolean' },
  purge: { type: 'boolean' },
  location: { type: 'string' },
  create: { type: 'boolean' },
  actor: { type: 'string' },
  status: { type: 'string' },
  all: { type: 'boolean' },
  sensors: { type: 'string' },
  days: { type: 'string' },
  interval: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  speed: { type: 'string' },
  labels: { type: 'string' },
  reason: { type: 'string' },
  day: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Record<string, string | boolean | undefined>;

interface Invocation {
  config: Config;
  values: Values;
  /** The positional after the command: a workflow id or a model name. */
  target: string | undefined;
  /** Every positional after the command (`locations add <id>`). */
  args: string[];
  /** Connects to Temporal on first use: commands that only speak to PostgreSQL or the API never do. */
  temporal: () => Promise<Client>;
}

const dispatch: Record<AirqCommand, (run: Invocation) => Promise<number | void>> = {
  locations: ({ config, values, args }) => locationsCommand(config, values, args),
  sensors: ({ config, values, args }) => sensorsCommand(config, values, args),
  incidents: ({ config, values, args, temporal }) => incidentsCommand(config, values, args, temporal),
  import: ({ config, values, target }) => importCommand(config, values, target),
  backfill: async ({ temporal, config, values }) => backfill(await temporal(), config, values),
  'ingest-hour': async ({ temporal, config, values }) => ingestHour(await temporal(), config, values),
  quality: async ({ temporal, config, values }) => quality(await temporal(), config, values),
  schedules: async ({ temporal, config, values }) => schedules(await temporal(), config, values),
  train: async ({ temporal, config, values }) => train(await temporal(), config, values),
  approve: async ({ temporal, config, values, target }) => decide(await temporal(), config, values, target, 'approve'),
  reject: async ({ temporal, config, values, target }) => decide(await temporal(), config, values, target, 'reject'),
  rollback: async ({ temporal, config, values, target }) => rollback(await temporal(), config, values, target),
  promotions: ({ config, values }) => promotions(config, values),
  smoke: ({ config, values }) => smoke(config, values),
  monitor: async ({ temporal, config, values }) => monitorCommand(await temporal(), config, values),
};

async function importCommand(config: Config, values: Values, file: string | undefined): Promise<number> {
  if (!file) throw new Error('usage: airq import <file.csv> [--location <id> [--create] [--name <name>]]');
  const options = {
    actor: cliActor(values),
    ...(typeof values.location === 'string' ? { locationId: values.location } : {}),
    ...(values.create === true ? { create: true } : {}),
    ...(typeof values.name === 'string' ? { name: values.name } : {}),
  };
  const imported = await withPool(config, (pool) => importExport(pool, file, options));
  if (values.json === true) {
    console.log(JSON.stringify(imported, null, 2));
    return 0;
  }
  for (const p of imported) {
    console.log(
      `${p.locationId}${p.created ? ' (created)' : ''}: ${p.rows} rows ${p.from} .. ${p.to}, ${p.written} written, ${p.unchanged} unchanged`,
    );
  }
  return 0;
}

function isAirqCommand(command: string): command is AirqCommand {
  return (airqCommands as readonly string[]).includes(command);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: airqOptions });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(help);
    return values.help ? 0 : 2;
  }
  if (!isAirqCommand(command)) {
    console.error(`unknown command "${command}"\n\n${help}`);
    return 2;
  }
  const config = configFromEnvironment();
  let client: Client | undefined;
  const temporal = async () => (client ??= await connectTemporal(config));
  try {
    return (
      (await dispatch[command]({ config, values, target: positionals[1], args: positionals.slice(1), temporal })) ?? 0
    );
  } finally {
    await client?.connection.close();
  }
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`airq: ${describeError(err)}`);
      process.exit(1);
    });
}
