import type pg from 'pg';

import type { IncidentRecord, IncidentStep } from '../../activities/repositories';
import { AppError } from '../../core/errors';

import { withTransaction } from './transaction';

/**
 * Records one step of a sensor incident in one transaction: the incident row on its first step, the step
 * once per (incident, seq), and the incident's current state as that step left it. A retried activity
 * finds its step written and changes nothing.
 */
export async function recordIncidentStep(pool: pg.Pool, incident: IncidentRecord, step: IncidentStep): Promise<void> {
  return withTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO sensor_incidents (id, workflow_id, sensor_id, anomaly_type, measurement, severity, summary,
         fault_started_at, state, opened_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (id) DO NOTHING`,
      [
        incident.id,
        incident.workflowId,
        incident.sensorId,
        incident.anomalyType,
        incident.measurement ?? null,
        incident.severity,
        incident.summary,
        incident.faultStartedAt,
        step.after.state,
        step.at,
      ],
    );
    const inserted = await client.query(
      `INSERT INTO sensor_incident_events (incident_id, seq, event, at, actor, comment, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (incident_id, seq) DO NOTHING`,
      [
        incident.id,
        step.seq,
        step.event,
        step.at,
        step.actor ?? null,
        step.comment ?? null,
        JSON.stringify(step.details ?? {}),
      ],
    );
    if (inserted.rowCount === 1) {
      const { after } = step;
      await client.query(
        `UPDATE sensor_incidents SET state = $2, escalation_level = $3, acknowledged_at = $4, acknowledged_by = $5,
           closed_at = $6, closed_reason = $7, closed_by = $8, updated_at = $9
         WHERE id = $1`,
        [
          incident.id,
          after.state,
          after.escalationLevel,
          after.acknowledged?.at ?? null,
          after.acknowledged?.by ?? null,
          after.closed?.at ?? null,
          after.closed?.reason ?? null,
          after.closed?.by ?? null,
          step.at,
        ],
      );
    }
  });
}

export interface StoredIncident {
  id: string;
  workflowId: string;
  sensorId: string;
  anomalyType: string;
  measurement: string | null;
  severity: string;
  summary: string;
  faultStartedAt: string;
  state: 'open' | 'acknowledged' | 'closed';
  escalationLevel: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  closedAt: string | null;
  closedReason: 'resolved' | 'recovered' | null;
  closedBy: string | null;
  openedAt: string;
  updatedAt: string;
}

const selectIncident = `SELECT id, workflow_id, sensor_id, anomaly_type, measurement, severity, summary, fault_started_at,
  state, escalation_level, acknowledged_at, acknowledged_by, closed_at, closed_reason, closed_by, opened_at, updated_at
  FROM sensor_incidents`;

type IncidentRow = Record<string, unknown>;
const isoOrNull = (value: unknown) => (value instanceof Date ? value.toISOString() : null);

function toIncident(row: IncidentRow): StoredIncident {
  return {
    id: row.id as string,
    workflowId: row.workflow_id as string,
    sensorId: row.sensor_id as string,
    anomalyType: row.anomaly_type as string,
    measurement: (row.measurement as string | null) ?? null,
    severity: row.severity as string,
    summary: row.summary as string,
    faultStartedAt: (row.fault_started_at as Date).toISOString(),
    state: row.state as StoredIncident['state'],
    escalationLevel: row.escalation_level as number,
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    acknowledgedBy: (row.acknowledged_by as string | null) ?? null,
    closedAt: isoOrNull(row.closed_at),
    closedReason: (row.closed_reason as StoredIncident['closedReason']) ?? null,
    closedBy: (row.closed_by as string | null) ?? null,
    openedAt: (row.opened_at as Date).toISOString(),
    updatedAt: (row.updated_at as Date).toISOString(),
  };
}

/** Incidents newest first; `open` means not closed (open or acknowledged). */
export async function listIncidents(
  pool: pg.Pool,
  filter: { open?: boolean; sensorId?: string; limit?: number } = {},
): Promise<StoredIncident[]> {
  const { rows } = await pool.query<IncidentRow>(
    `${selectIncident}
     WHERE ($1::boolean IS NULL OR (state <> 'closed') = $1) AND ($2::text IS NULL OR sensor_id = $2)
     ORDER BY opened_at DESC, id LIMIT $3`,
    [filter.open ?? null, filter.sensorId ?? null, filter.limit ?? 100],
  );
  return rows.map(toIncident);
}

export interface StoredIncidentStep {
  seq: number;
  event: string;
  at: string;
  actor: string | null;
  comment: string | null;
  details: Record<string, unknown>;
}

/** One incident with its steps in order; an unknown id is a 404 naming it. */
export async function findIncident(
  pool: pg.Pool,
  id: string,
): Promise<StoredIncident & { steps: StoredIncidentStep[] }> {
  const { rows } = await pool.query<IncidentRow>(`${selectIncident} WHERE id = $1`, [id]);
  const incident = rows[0] ? toIncident(rows[0]) : undefined;
  if (!incident) throw new AppError('UNKNOWN_INCIDENT', `no incident "${id}"`, { httpStatus: 404 });
  const steps = await pool.query<Omit<StoredIncidentStep, 'at'> & { at: Date }>(
    `SELECT seq, event, at, actor, comment, details FROM sensor_incident_events WHERE incident_id = $1 ORDER BY seq`,
    [id],
  );
  return { ...incident, steps: steps.rows.map((step) => ({ ...step, at: step.at.toISOString() })) };
}
