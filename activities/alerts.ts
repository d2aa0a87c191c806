import { Context } from '@temporalio/activity';

import { WebhookRefused, type AlertSender } from '../adapters/alerts/webhook';
import { alert as alertSchema, type Alert, type AlertInput } from '../core/alerts/alert';
import { alertBody } from '../core/alerts/payloads';
import type { PipelineAlert } from '../core/alerts/pipeline-alerts';
import type { AlertTarget } from '../core/alerts/targets';
import { AppError, describeError } from '../core/errors';

import { failFastOnPermanent } from './failures';
import type { AlertsRepository } from './repositories';

export interface AlertDeps {
  alerts: AlertsRepository;
  alertSender: AlertSender;
  /** ALERT_WEBHOOKS; none: alerts go to the worker's log only. */
  alertTargets: readonly AlertTarget[];
  /** The attempt at which an undelivered alert is given up (recorded) instead of retried: ALERT_MAX_ATTEMPTS. */
  alertMaxAttempts: number;
  /** The Web UI page of a workflow, for the alerts' links. */
  workflowLink: (workflowId: string) => string;
}

/** Where one alert went: `log` always, then each target by id. */
export interface AlertOutcome {
  channels: string[];
  delivered: string[];
  /** Delivered by an earlier attempt or an earlier alert with the same key: not sent again. */
  alreadyDelivered: string[];
  gaveUp: { target: string; reason: string }[];
}

/**
 * Delivers an alert to every target that has not had it (by its key), and records each outcome. A target
 * that refuses for good (a 4xx) is given up at once; one that may recover (timeout, 5xx, 429) makes the
 * activity fail so that Temporal retries it with its backoff, until attempt `alertMaxAttempts`, where what
 * is still undelivered is given up and recorded. Targets already reached are skipped on the retries, so a
 * person never gets the same alert twice from one target.
 */
export async function deliverAlert(deps: AlertDeps, input: AlertInput): Promise<AlertOutcome> {
  const parsed = alertSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_ALERT',
      `alert refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const alert: Alert = parsed.data;
  const { log, info } = Context.current();
  const attempt = info.attempt;
  log.warn(alert.title, { alertKey: alert.key, kind: alert.kind, severity: alert.severity, text: alert.text, attempt });
  const reached = new Set(await deps.alerts.deliveredTargets(alert.key));
  const outcome: AlertOutcome = { channels: ['log'], delivered: [], alreadyDelivered: [], gaveUp: [] };
  const retryLater: string[] = [];
  for (const target of deps.alertTargets) {
    if (reached.has(target.id)) {
      outcome.alreadyDelivered.push(target.id);
      outcome.channels.push(target.id);
      continue;
    }
    const base = { alertKey: alert.key, targetId: target.id, kind: alert.kind, title: alert.title, attempts: attempt };
    try {
      await deps.alertSender(target, alertBody(target.format, alert));
      await deps.alerts.record({ ...base, outcome: 'delivered' });
      outcome.delivered.push(target.id);
      outcome.channels.push(target.id);
    } catch (err) {
      const reason = describeError(err);
      const permanent = err instanceof WebhookRefused && err.permanent;
      if (permanent || attempt >= deps.alertMaxAttempts) {
        await deps.alerts.record({ ...base, outcome: 'gave_up', reason });
        outcome.gaveUp.push({ target: target.id, reason });
        log.error('alert given up', { alertKey: alert.key, target: target.id, reason, attempt });
      } else {
        retryLater.push(`${reason}`);
        log.warn('alert not delivered yet; Temporal retries', {
          alertKey: alert.key,
          target: target.id,
          reason,
          attempt,
        });
      }
    }
  }
  if (retryLater.length > 0) {
    throw new AppError('ALERT_UNDELIVERED', `alert ${alert.key} not delivered yet: ${retryLater.join('; ')}`, {
      operational: true,
    });
  }
  return outcome;
}

export function createAlertActivities(deps: AlertDeps) {
  return {
    /**
     * Tells people: the worker's log, then every webhook of ALERT_WEBHOOKS (see `deliverAlert`). With a
     * `workflowId`, the run's Web UI page comes first among the links.
     */
    async notify(input: PipelineAlert): Promise<AlertOutcome> {
      const { workflowId, ...alert } = input;
      const links =
        workflowId === undefined ? [] : [{ label: 'Run in the Temporal Web UI', url: deps.workflowLink(workflowId) }];
      return failFastOnPermanent(() =>
        deliverAlert(deps, { ...alert, links: [...links, ...(alert.links ?? [])].slice(0, 5) }),
      );
    },
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
