import type { Client } from '@temporalio/client';

import { findIncident, listIncidents, type StoredIncident } from '../adapters/postgres/incidents';
import { workflowUrl } from '../adapters/temporal/client';
import { actOnIncident } from '../adapters/temporal/incidents';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { incidentAction } from '../core/sensors/incident';

import { cliActor, withPool } from './locations';

type Values = Record<string, string | boolean | undefined>;

const minute = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 16).replace('T', ' '));

function line(i: StoredIncident): string {
  const what = `${i.anomalyType}${i.measurement ? `:${i.measurement}` : ''}`;
  const who = i.acknowledgedBy ? ` ack ${i.acknowledgedBy}` : '';
  return `${i.id}  ${i.sensorId.padEnd(12)} ${what.padEnd(22)} ${i.state.padEnd(12)} esc ${i.escalationLevel}  since ${minute(i.faultStartedAt)}${who}`;
}

/** `airq incidents list [--all] | show <id> | acknowledge <id> | resolve <id>`: sensor incidents and people's answers. */
export async function incidentsCommand(
  config: Config,
  values: Values,
  args: string[],
  temporal: () => Promise<Client>,
): Promise<number> {
  const [action = 'list', id] = args;
  const json = values.json === true;
  if (action === 'list') {
    const incidents = await withPool(config, (pool) => listIncidents(pool, values.all === true ? {} : { open: true }));
    if (json) console.log(JSON.stringify(incidents, null, 2));
    else if (incidents.length === 0) console.log(values.all === true ? 'no incident yet' : 'no open incident');
    else for (const i of incidents) console.log(line(i));
    return 0;
  }
  if (!id) throw new AppError('INVALID_COMMAND', `usage: airq incidents ${action} <incident id>`, { httpStatus: 400 });
  if (action === 'show') {
    const incident = await withPool(config, (pool) => findIncident(pool, id));
    if (json) {
      console.log(JSON.stringify(incident, null, 2));
      return 0;
    }
    console.log(`${line(incident)}\n  ${incident.summary}\n  ${workflowUrl(config, incident.workflowId)}`);
    for (const step of incident.steps) {
      console.log(
        `  ${step.seq}. ${minute(step.at)} ${step.event}${step.actor ? ` by ${step.actor}` : ''}${step.comment ? `: ${step.comment}` : ''}`,
      );
    }
    return 0;
  }
  if (action === 'acknowledge' || action === 'resolve') {
    const parsed = incidentAction.safeParse({
      by: cliActor(values),
      ...(typeof values.comment === 'string' ? { comment: values.comment } : {}),
    });
    if (!parsed.success) throw new AppError('INVALID_OPTION', parsed.error.issues.map((i) => i.message).join('; '));
    const taken = await actOnIncident(await temporal(), id, action, parsed.data, config.temporal.updateWaitMs);
    console.log(json ? JSON.stringify(taken, null, 2) : `${id} is ${taken.state} (${action} by ${parsed.data.by})`);
    return 0;
  }
  throw new AppError('INVALID_COMMAND', `unknown incidents action "${action}": list, show, acknowledge or resolve`, {
    httpStatus: 400,
  });
}
