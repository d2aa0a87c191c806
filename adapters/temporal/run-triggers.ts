import type { Config } from '../../config';
import { parseTrigger, type WorkTrigger } from '../../core/work-ids/trigger';

/** One recorded trigger of a run, with where a person looks at it: the Airflow run that asked, if one did. */
export interface TriggerView extends WorkTrigger {
  url?: string;
}

/**
 * The triggers a run's memo lists (`triggers`, written by `recordTriggers`), oldest first, each Airflow one
 * linked to its DAG run in the Airflow UI (`<ui>/dags/<dag>/runs/<run id>`, from its detail `<dag>/<run id>`).
 * Entries that are not triggers are left out; a run started before triggers were recorded lists none.
 */
export function triggersOf(memo: Record<string, unknown> | undefined, config: Config): TriggerView[] {
  const recorded = memo?.triggers;
  if (!Array.isArray(recorded)) return [];
  return recorded.flatMap((entry) => {
    const trigger = parseTrigger(entry);
    if (trigger === undefined) return [];
    const url = trigger.source === 'airflow' ? airflowRunUrl(config, trigger.detail) : undefined;
    return [url === undefined ? trigger : { ...trigger, url }];
  });
}

function airflowRunUrl(config: Config, detail: string): string | undefined {
  const slash = detail.indexOf('/');
  if (slash <= 0 || slash === detail.length - 1) return undefined;
  const [dag, run] = [detail.slice(0, slash), detail.slice(slash + 1)];
  return `${config.airflow.url}/dags/${encodeURIComponent(dag)}/runs/${encodeURIComponent(run)}`;
}
