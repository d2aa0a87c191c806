import type { Client } from '@temporalio/client';

import { workflowUrl } from '../adapters/temporal/client';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { triggerNow, type WorkTrigger } from '../core/work-ids/trigger';
import { latestMonitorWorkId, monitorChampionsWorkId } from '../core/work-ids/work-ids';
import { monitorChampion, type MonitorChampionInput, type MonitorChampionResult } from '../workflows/monitor-champion';
import { monitorChampions, type MonitorChampionsInput } from '../workflows/monitor-champions';

import { cliActor } from './locations';

type Values = Record<string, string | boolean | undefined>;

/** A run id stamped to the second, as the doctor's: each `airq monitor` is a new report. */
const stamp = (now: number) => new Date(now).toISOString().slice(0, 19).replace(/:/g, '-');

/** One line per champion: its verdict and where the report is. */
export function reportLines(results: readonly MonitorChampionResult[]): string[] {
  return results.flatMap((r) => {
    const head = `${r.modelName}${r.version ? ` v${r.version}` : ''}`;
    if (r.outcome === 'no_champion') return [`${head}: no champion (${r.reason ?? ''})`];
    if (r.outcome === 'no_reference')
      return [`${head}: no drift report (${r.reason ?? ''}), report ${r.reportId ?? ''}`];
    const retrain = r.retraining;
    return [
      `${head} ${r.window ? `${r.window.from} – ${r.window.to}` : ''}: ${r.summary ?? ''}`,
      `  report ${r.links?.html ?? ''}`,
      `  MLflow run ${r.links?.run ?? ''}`,
      ...(retrain && retrain.action !== 'none'
        ? [`  retrain ${retrain.action}: ${retrain.workflowId} (${retrain.summary}), awaits approval`]
        : []),
    ];
  });
}

/**
 * Runs the champion monitor once and waits: `monitorChampion` for one model, else `monitorChampions` (every
 * model with a champion). Returns the printed lines and the workflow id; what `airq monitor` and `npm start` do.
 */
export async function runMonitor(
  client: Client,
  config: Config,
  input: MonitorChampionsInput & { modelName?: string },
  now = Date.now(),
  trigger?: WorkTrigger,
): Promise<{ workflowId: string; url: string; results: MonitorChampionResult[]; failed: string[]; lines: string[] }> {
  const { modelName, ...options } = input;
  if (modelName !== undefined) {
    const workflowId = `monitor-${modelName}-${stamp(now)}`;
    const args: MonitorChampionInput = { ...options, modelName };
    const { handle } = await startOrJoin(client, config, monitorChampion, workflowId, args, trigger);
    const result = await handle.result();
    return {
      workflowId,
      url: workflowUrl(config, workflowId),
      results: [result],
      failed: [],
      lines: reportLines([result]),
    };
  }
  // A window (`to`) is shared work (the schedule and Airflow name it alike); "the newest hours" is new each time.
  const workflowId =
    options.to === undefined
      ? latestMonitorWorkId(stamp(now))
      : monitorChampionsWorkId(options.windowDays ?? 7, options.to);
  const { handle } = await startOrJoin(client, config, monitorChampions, workflowId, options, trigger);
  const { reports, failed } = await handle.result();
  const lines = [
    ...(reports.length === 0 && failed.length === 0 ? ['no model has a champion yet: nothing to monitor'] : []),
    ...reportLines(reports),
    ...failed.map((f) => `${f.modelName}: monitoring failed (${f.error}), ${workflowUrl(config, f.workflowId)}`),
  ];
  return {
    workflowId,
    url: workflowUrl(config, workflowId),
    results: reports,
    failed: failed.map((f) => f.modelName),
    lines,
  };
}

/** `airq monitor [--model <name>] [--days 7] [--to <hour>] [--json]`: exit 1 when a champion's monitor failed. */
export async function monitorCommand(client: Client, config: Config, values: Values): Promise<number> {
  const days = typeof values.days === 'string' ? Number(values.days) : undefined;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 90)) {
    throw new AppError('INVALID_ARGUMENT', '--days: a whole number of days from 1 to 90', { httpStatus: 400 });
  }
  const to = typeof values.to === 'string' ? toHourString(parseHour(values.to, '--to')) : undefined;
  const run = await runMonitor(
    client,
    config,
    {
      ...(typeof values.model === 'string' ? { modelName: values.model } : {}),
      ...(days === undefined ? {} : { windowDays: days }),
      ...(to === undefined ? {} : { to }),
    },
    Date.now(),
    triggerNow('cli', `airq monitor by ${cliActor(values)}`),
  );
  if (values.json === true) {
    console.log(
      JSON.stringify({ workflowId: run.workflowId, url: run.url, reports: run.results, failed: run.failed }, null, 2),
    );
  } else {
    console.log(`${run.workflowId}\n  ${run.url}`);
    for (const line of run.lines) console.log(`  ${line}`);
  }
  return run.failed.length > 0 ? 1 : 0;
}
