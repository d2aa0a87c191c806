import { z } from 'zod';

/**
 * What the platform tells a person, whatever carries it (the worker's log, a generic JSON webhook, Slack,
 * Discord). Workflow code imports this file: keep it free of Node APIs.
 */
export const alertKinds = [
  'quality_failed',
  'air_quality_poor',
  'incident_opened',
  'incident_escalated',
  'incident_closed',
  'approval_pending',
  'approval_expiring',
  'model_degraded',
  'pipeline_failed',
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const alertLink = z.strictObject({ label: z.string().min(1).max(100), url: z.url() });
export type AlertLink = z.infer<typeof alertLink>;

export const alert = z.strictObject({
  /**
   * The same key is the same alert: a retried activity, a replayed workflow or a repeated condition with
   * the same key is delivered once per target. Build it from what the alert is about (the incident and
   * its step, the run and its stage), never from a clock.
   */
  key: z.string().min(1).max(300),
  kind: z.enum(alertKinds),
  severity: z.enum(alertSeverities),
  title: z.string().min(1).max(200),
  text: z.string().max(3000),
  /** Where a person acts or looks: the Web UI run, the dashboard, MLflow. */
  links: z.array(alertLink).max(5).default([]),
  /** A few facts shown as fields (sensor, location, stage, …). */
  facts: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** When the condition was seen (ISO 8601), from the workflow's clock. */
  at: z.iso.datetime({ offset: true }),
});
export type Alert = z.infer<typeof alert>;
export type AlertInput = z.input<typeof alert>;

/** Cuts a text to the alert's limits (a summary can be long; an alert is never refused for it). */
export function cutTo(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
