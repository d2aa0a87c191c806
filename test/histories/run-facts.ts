import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/** What a history says about its run: enough to tell the paths through a workflow apart. */
export interface RunFacts {
  input: unknown;
  ending: 'completed' | 'failed' | 'continued-as-new' | 'other';
  result: unknown;
  /** Activity types in the order the run scheduled them. */
  activities: string[];
  childFailed: boolean;
  /** How a person decided, when one did: the approvePromotion update or signal. */
  decidedBy?: 'update' | 'signal';
}

/** Reads the facts of a run from its history. */
export function factsOf(history: History): RunFacts {
  const events = history.events ?? [];
  const first = (payloads: temporal.api.common.v1.IPayloads | null | undefined) => {
    const payload = payloads?.payloads?.[0];
    return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
  };
  const last = events.at(-1);
  const ending = last?.workflowExecutionCompletedEventAttributes
    ? 'completed'
    : last?.workflowExecutionFailedEventAttributes
      ? 'failed'
      : last?.workflowExecutionContinuedAsNewEventAttributes
        ? 'continued-as-new'
        : 'other';
  return {
    input: first(events[0]?.workflowExecutionStartedEventAttributes?.input),
    ending,
    result: first(last?.workflowExecutionCompletedEventAttributes?.result),
    activities: events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
    childFailed: events.some((e) => e.childWorkflowExecutionFailedEventAttributes),
    ...(events.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
      ? { decidedBy: 'update' as const }
      : events.some((e) => e.workflowExecutionSignaledEventAttributes)
        ? { decidedBy: 'signal' as const }
        : {}),
  };
}

/** Whether `value` is an object whose `key` is set (to `equals`, when given). */
export function has(value: unknown, key: string, equals?: unknown): boolean {
  if (value === null || typeof value !== 'object' || !(key in value)) return false;
  const field = (value as Record<string, unknown>)[key];
  return equals === undefined ? field !== undefined : field === equals;
}
