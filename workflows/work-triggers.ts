/**
 * Who started a run and who joined it. Every starter (airq, the API, `npm start`, a Schedule's starter,
 * Airflow) sends `triggeredBy` with its start (signal-with-start), so a second trigger of running work joins
 * the run and is recorded here: memo `triggers` (who, which, when) and the `AqiTrigger` search attribute
 * (the distinct sources). Behind `patched('work-triggers')`: a run started before it registers no handler,
 * so a signal it took then adds no command when its history is replayed.
 */
import {
  defineSignal,
  log,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import { parseTrigger, triggerSourcesOf, withTrigger, type WorkTrigger } from '../core/work-ids/trigger';
import { searchAttributes } from '../temporal/search-attributes';

/** Unknown payload: the signal may come from any client (Python, the Web UI); the handler checks it. */
export const triggeredBySignal = defineSignal<[unknown]>('triggeredBy');

/** Call first in a workflow that starters start: records every trigger the run receives. */
export function recordTriggers(): void {
  if (!patched('work-triggers')) return;
  // A continued run (continue-as-new carries the memo) keeps the list it had.
  let recorded = carriedTriggers();
  setHandler(triggeredBySignal, (payload: unknown) => {
    const trigger = parseTrigger(payload);
    if (trigger === undefined) {
      log.warn('triggeredBy: not a trigger, ignored', { payload });
      return;
    }
    recorded = withTrigger(recorded, trigger);
    // Upserted even when a repeated trigger left the list as it was: a signal makes the same commands in
    // every history, whatever the list became.
    upsertMemo({ triggers: recorded });
    upsertSearchAttributes([{ key: searchAttributes.trigger, value: triggerSourcesOf(recorded) }]);
  });
}

function carriedTriggers(): WorkTrigger[] {
  const carried = workflowInfo().memo?.triggers;
  if (!Array.isArray(carried)) return [];
  return carried.map(parseTrigger).filter((t): t is WorkTrigger => t !== undefined);
}
