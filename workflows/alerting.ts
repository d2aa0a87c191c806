import { log, patched, proxyActivities } from '@temporalio/workflow';

import type { AlertActivities } from '../activities/alerts';
import type { PipelineAlert } from '../core/alerts/pipeline-alerts';

const { notify } = proxyActivities<AlertActivities>({
  startToCloseTimeout: '1 minute',
  // No attempt limit here: the activity itself gives up (and records it) at ALERT_MAX_ATTEMPTS.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Tells people from a workflow. An alert never fails the work it is about: a refusal is logged and the
 * workflow goes on. Behind the `alerts` patch, so histories recorded before alerts existed still replay
 * (they take the old path, with no notify step).
 */
export async function tell(alert: PipelineAlert): Promise<void> {
  if (!patched('alerts')) return;
  try {
    await notify(alert);
  } catch (err) {
    log.warn('alert not sent', { key: alert.key, error: err instanceof Error ? err.message : String(err) });
  }
}
