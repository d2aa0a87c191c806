import { ApplicationFailure } from '@temporalio/common';

import { WebhookRefused, type AlertSender } from '../adapters/alerts/webhook';
import type { AlertInput } from '../core/alerts/alert';
import { parseAlertTargets } from '../core/alerts/targets';
import { AppError } from '../core/errors';
import { inActivityOf } from '../test/support/activity-context';
import { fakeAlerts } from '../test/support/repository-fakes';

import { createAlertActivities } from './alerts';

const targets = parseAlertTargets('json=http://receiver.test/a,slack=http://receiver.test/b');
const [json, slack] = targets.map((t) => t.id);

const poorAir: AlertInput = {
  key: 'air:lyon:2024-01-15T14',
  kind: 'air_quality_poor',
  severity: 'warning',
  title: 'Lyon: European AQI poor',
  text: 'Observed index 62 at 14:00',
  at: '2024-01-15T14:00:00Z',
};

/** A sender that answers each target as told (ok, or the error to throw) and keeps what it sent. */
function scriptedSender(answers: Record<string, (() => Error) | 'ok'>) {
  const sent: { target: string; body: unknown }[] = [];
  const sender: AlertSender = async (target, body) => {
    const answer = answers[target.id] ?? 'ok';
    if (answer !== 'ok') throw answer();
    sent.push({ target: target.id, body });
  };
  return { sender, sent };
}

function setUp(answers: Record<string, (() => Error) | 'ok'> = {}, maxAttempts = 4) {
  const store = fakeAlerts();
  const { sender, sent } = scriptedSender(answers);
  const { notify } = createAlertActivities({
    alerts: store.repository,
    alertSender: sender,
    alertTargets: targets,
    alertMaxAttempts: maxAttempts,
    workflowLink: (id) => `http://ui.test/workflows/${id}`,
  });
  return { store, sent, notify };
}

describe('notify', () => {
  it('when every target takes it, then each gets its own format once and the delivery is recorded', async () => {
    const { notify, sent, store } = setUp();

    const outcome = await inActivityOf('wf')(notify, poorAir);

    expect(outcome).toEqual({
      channels: ['log', json, slack],
      delivered: [json, slack],
      alreadyDelivered: [],
      gaveUp: [],
    });
    expect(sent.map((s) => s.target)).toEqual([json, slack]);
    expect(sent[0]?.body).toMatchObject({ schema: 'aqi.alert/v1', key: poorAir.key });
    expect(sent[1]?.body).toMatchObject({ text: 'Lyon: European AQI poor: Observed index 62 at 14:00' });
    expect([...store.deliveries.values()].map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('when the same key comes again (a retry, a repeat), then no target gets it twice', async () => {
    const { notify, sent } = setUp();
    await inActivityOf('wf')(notify, poorAir);

    const again = await inActivityOf('wf')(notify, { ...poorAir, text: 'seen again' });

    expect(sent).toHaveLength(2);
    expect(again).toMatchObject({ delivered: [], alreadyDelivered: [json, slack], channels: ['log', json, slack] });
  });

  it('when a target may recover (5xx, timeout), then the activity fails for Temporal to retry, and the retry sends only what is missing', async () => {
    let slackDown = true;
    const store = fakeAlerts();
    const sent: string[] = [];
    const { notify } = createAlertActivities({
      alerts: store.repository,
      alertSender: async (target) => {
        if (target.format === 'slack' && slackDown) throw new WebhookRefused(target.id, false, 'HTTP 503');
        sent.push(target.id);
      },
      alertTargets: targets,
      alertMaxAttempts: 4,
      workflowLink: (id) => `http://ui.test/workflows/${id}`,
    });

    const first = await inActivityOf('wf', { attempt: 1 })(notify, poorAir).catch((err: unknown) => err);
    slackDown = false;
    const second = await inActivityOf('wf', { attempt: 2 })(notify, poorAir);

    expect(first).toBeInstanceOf(AppError);
    expect(first).toMatchObject({ code: 'ALERT_UNDELIVERED' });
    expect((first as Error).message).toContain('HTTP 503');
    expect(sent).toEqual([json, slack]);
    expect(second).toMatchObject({ delivered: [slack], alreadyDelivered: [json] });
    expect(store.deliveries.get(`${poorAir.key}|${slack}`)).toMatchObject({ outcome: 'delivered', attempts: 2 });
  });

  it('when the last allowed attempt fails too, then the delivery is given up and recorded with the reason, and the activity completes', async () => {
    const { notify, store } = setUp(
      { [slack as string]: () => new WebhookRefused(slack as string, false, 'HTTP 502') },
      3,
    );

    const outcome = await inActivityOf('wf', { attempt: 3 })(notify, poorAir);

    expect(outcome.delivered).toEqual([json]);
    expect(outcome.gaveUp).toEqual([{ target: slack, reason: expect.stringContaining('HTTP 502') }]);
    expect(store.deliveries.get(`${poorAir.key}|${slack}`)).toMatchObject({ outcome: 'gave_up', attempts: 3 });
  });

  it('when a target refuses for good (a 4xx), then it is given up at once, on the first attempt', async () => {
    const { notify, store } = setUp({ [json as string]: () => new WebhookRefused(json as string, true, 'HTTP 404') });

    const outcome = await inActivityOf('wf', { attempt: 1 })(notify, poorAir);

    expect(outcome.gaveUp.map((g) => g.target)).toEqual([json]);
    expect(outcome.delivered).toEqual([slack]);
    expect(store.deliveries.get(`${poorAir.key}|${json}`)?.outcome).toBe('gave_up');
  });

  it('when the alert itself is invalid, then it fails without retry, naming the field', async () => {
    const { notify } = setUp();

    const failure = await inActivityOf('wf')(notify, { ...poorAir, links: [{ label: 'x', url: 'not a url' }] }).catch(
      (err: unknown) => err,
    );

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'INVALID_ALERT', nonRetryable: true });
    expect((failure as Error).message).toContain('links.0.url');
  });

  it("when the alert names its workflow, then the run's Web UI page is its first link", async () => {
    const { notify, sent } = setUp();

    await inActivityOf('wf')(notify, {
      ...poorAir,
      workflowId: 'quality-lyon-2024-01-15T00',
      links: [{ label: 'Dashboard', url: 'http://dash.test/lyon' }],
    });

    expect(sent[0]?.body).toMatchObject({
      links: [
        { label: 'Run in the Temporal Web UI', url: 'http://ui.test/workflows/quality-lyon-2024-01-15T00' },
        { label: 'Dashboard', url: 'http://dash.test/lyon' },
      ],
    });
    expect(sent[0]?.body).not.toHaveProperty('workflowId');
  });
});
