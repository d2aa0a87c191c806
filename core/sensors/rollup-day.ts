import { AppError } from '../errors';

/**
 * The day a sensor rollup covers: a UTC calendar day `YYYY-MM-DD`, [00:00, 24:00). Shared by the
 * `sensorDailyRollup` workflow, its triggers (airq, the schedule, the Airflow DAG) and its activities.
 * Workflow code imports this file: keep it free of Node APIs.
 */

export const dayMs = 24 * 3_600_000;

/**
 * How long after a day's end its rollup waits before reading it: the detector takes readings up to the
 * allowed lateness (5 min) behind its watermark, and the hourly ingest stores the reference's last hour
 * at :05. A run started earlier (an Airflow run at midnight) sleeps until then.
 */
export const rollupSettleMs = 15 * 60_000;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of the day's first instant; a malformed or impossible date is a 400 naming the field. */
export function dayStartMs(day: string, field = 'day'): number {
  const match = dayPattern.exec(day);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || toDay(ms) !== day) {
    throw new AppError('INVALID_DAY', `${field}: "${day}" is not a day such as 2024-03-05 (UTC)`, { httpStatus: 400 });
  }
  return ms;
}

/** The UTC day an instant falls in. */
export function toDay(ms: number): string {
  return new Date(ms - (((ms % dayMs) + dayMs) % dayMs)).toISOString().slice(0, 10);
}

/** The day before the one `nowMs` falls in: what a scheduled run covers. */
export function dayBefore(nowMs: number): string {
  return toDay(nowMs - dayMs);
}

/** [from, to) of the day as ISO instants. */
export function dayWindow(day: string): { from: string; to: string } {
  const start = dayStartMs(day);
  return { from: new Date(start).toISOString(), to: new Date(start + dayMs).toISOString() };
}
