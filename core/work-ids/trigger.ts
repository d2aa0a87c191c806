/**
 * Who asked for a piece of work. Every starter sends one with its start (signal-with-start of
 * `triggeredBy`), so a run lists each trigger that joined it: `source` is what kind of starter
 * (`AqiTrigger` search attribute), `detail` which one (the DAG run, the schedule and its time, the user).
 * Workflow code imports this file: keep it free of Node APIs.
 */
export const triggerSources = ['airflow', 'schedule', 'cli', 'api', 'start'] as const;
export type TriggerSource = (typeof triggerSources)[number];

export interface WorkTrigger {
  source: TriggerSource;
  detail: string;
  /** When the starter asked (ISO instant). */
  at: string;
}

/** A trigger stamped now (the starters' clock; a Schedule's starter uses the workflow's). */
export function triggerNow(source: TriggerSource, detail: string, now = Date.now()): WorkTrigger {
  return { source, detail, at: new Date(now).toISOString() };
}

/** What a starter says it did: started the run, joined the running one, or found the work done. */
export function startOutcome(run: { started: boolean; completedRun?: string }, workflowId: string): string {
  if (run.completedRun !== undefined) return `already done by run ${run.completedRun} of ${workflowId}`;
  return `${run.started ? 'started' : 'joined the existing run of'} ${workflowId}`;
}

/** A signal's payload comes from any client (a Python starter, the Web UI): only a well-formed trigger counts. */
export function parseTrigger(payload: unknown): WorkTrigger | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const { source, detail, at } = payload as Record<string, unknown>;
  if (typeof source !== 'string' || !(triggerSources as readonly string[]).includes(source)) return undefined;
  if (typeof detail !== 'string' || typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  return { source: source as TriggerSource, detail: detail.slice(0, 500), at };
}

/** How many triggers a run's memo keeps: the first (who started it) and the newest after it. */
export const maxRecordedTriggers = 50;

/**
 * The list after one more trigger: appended, the oldest joiners dropped past the cap (never the first). The
 * same trigger again (source, detail and time alike: a starter's retried signal) is not listed twice.
 */
export function withTrigger(recorded: readonly WorkTrigger[], trigger: WorkTrigger): WorkTrigger[] {
  const again = recorded.some((t) => t.source === trigger.source && t.detail === trigger.detail && t.at === trigger.at);
  if (again) return [...recorded];
  const all = [...recorded, trigger];
  return all.length <= maxRecordedTriggers ? all : [all[0] as WorkTrigger, ...all.slice(-(maxRecordedTriggers - 1))];
}

/** The distinct sources, sorted: the value of the `AqiTrigger` search attribute. */
export function triggerSourcesOf(recorded: readonly WorkTrigger[]): TriggerSource[] {
  return [...new Set(recorded.map((t) => t.source))].sort();
}
