import { startOrJoinWork } from '../adapters/temporal/start-or-join';
import type { WorkTrigger } from '../core/work-ids/trigger';
import { ingestHourlyWorkId } from '../core/work-ids/work-ids';
import { namesOf, recording } from '../test/workflows/activity-fakes';
import { timeSkippingForFile, withWorkers } from '../test/workflows/time-skipping';

import { ingestHourly } from './ingest-hourly';
import { startScheduledWork } from './start-scheduled-work';
import { triggeredBySignal } from './work-triggers';

/**
 * Who asked for a run, on the time-skipping test server: three starters of one hour through the project's
 * start-or-join (signal-with-start), the run held open by its persist step until all three have asked.
 */
jest.setTimeout(60_000);
const ts = timeSkippingForFile();

const trigger = (source: WorkTrigger['source'], detail: string, minute: number): WorkTrigger => ({
  source,
  detail,
  at: `2024-03-01T06:0${minute}:00.000Z`,
});

/** A gate the fake persist step waits on: the run stays open until the test opens it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

function hourlyFakes(persisted: Promise<void>) {
  return recording({
    publishRawReadings: async () => ({ published: 3, expected: [] }),
    awaitReadingsPersisted: async () => {
      await persisted;
      return { persisted: 3 };
    },
    scoreStoredHours: async () => ({ models: [], skipped: [], resolved: 0 }),
    findPoorAir: async () => [],
  });
}

describe('triggers of one piece of work', () => {
  it('when Airflow, a schedule and airq ask for the same hour while it runs, then one run records all three, and a fourth after it completed starts nothing', async () => {
    const held = gate();
    const { activities, calls } = hourlyFakes(held.wait);
    const hour = '2024-03-01T05:00:00Z';
    // Unique per test server run: the id is the work's, as every starter computes it.
    const workflowId = `${ingestHourlyWorkId(['lyon'], hour)}-${Date.now()}`;
    const outcome = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const ask = (t: WorkTrigger) =>
        startOrJoinWork(ts.env.client, {
          workflow: ingestHourly,
          workflowId,
          taskQueue,
          input: { locationIds: ['lyon'], hour },
          trigger: t,
        });
      const airflow = await ask(trigger('airflow', 'aqi_hourly/scheduled__2024-03-01T05:00:00+00:00', 1));
      const schedule = await ask(trigger('schedule', 'aqi-hourly-ingest at 2024-03-01T06:05:00.000Z', 2));
      const cli = await ask(trigger('cli', 'airq ingest-hour by ana', 3));
      held.open();
      const result = await airflow.handle.result();
      const description = await airflow.handle.describe();
      const late = await ask(trigger('cli', 'airq ingest-hour by bo', 4));
      const history = await airflow.handle.fetchHistory();
      return { airflow, schedule, cli, result, description, late, history };
    });

    expect([outcome.airflow.started, outcome.schedule.started, outcome.cli.started]).toEqual([true, false, false]);
    expect(outcome.result).toMatchObject({ from: '2024-03-01T03:00:00Z', to: hour, published: 3, persisted: 3 });
    // One run did the work once.
    expect(namesOf(calls).filter((n) => n === 'publishRawReadings')).toHaveLength(1);
    expect(outcome.description.memo?.triggers).toEqual([
      trigger('airflow', 'aqi_hourly/scheduled__2024-03-01T05:00:00+00:00', 1),
      trigger('schedule', 'aqi-hourly-ingest at 2024-03-01T06:05:00.000Z', 2),
      trigger('cli', 'airq ingest-hour by ana', 3),
    ]);
    expect(outcome.description.searchAttributes.AqiTrigger).toEqual(['airflow', 'cli', 'schedule']);
    // The completed work is the answer: nothing started, the run named, no signal added to its history.
    expect(outcome.late).toMatchObject({ started: false, completedRun: outcome.description.runId });
    const signals = (outcome.history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signals).toHaveLength(3);
  });

  it('when a payload is not a trigger, then the run ignores it and still completes', async () => {
    const { activities } = hourlyFakes(Promise.resolve());
    const hour = '2024-03-01T07:00:00Z';
    const description = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.signalWithStart(ingestHourly, {
        taskQueue,
        workflowId: `${ingestHourlyWorkId(['lyon'], hour)}-${Date.now()}`,
        args: [{ locationIds: ['lyon'], hour }],
        signal: triggeredBySignal,
        signalArgs: [{ source: 'cron', detail: 'not ours' }],
      });
      await handle.result();
      return handle.describe();
    });
    expect(description.status.name).toBe('COMPLETED');
    expect(description.memo?.triggers).toBeUndefined();
  });
});

describe('startScheduledWork', () => {
  it("when a schedule's run starts with the source's clock behind, then it starts the source's newest hour under the work's id", async () => {
    const { activities, calls } = recording({
      latestSourceHour: async () => '2024-12-31T23:00:00Z',
      startScheduledWorkRun: async (input: { plan: { workflowId: string } }) => ({
        workflowId: input.plan.workflowId,
        outcome: 'started' as const,
      }),
    });
    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(startScheduledWork, {
        taskQueue,
        workflowId: `scheduled-aqi-hourly-ingest-${Date.now()}`,
        args: [
          { work: 'ingestHourly', scheduleId: 'aqi-hourly-ingest', locationIds: ['lyon'], taskQueue: 'aqi-pipeline' },
        ],
      }),
    );
    expect(result).toMatchObject({ workflowId: 'ingest-hourly-lyon-2024-12-31T23', outcome: 'started' });
    expect(namesOf(calls)).toEqual(['latestSourceHour', 'startScheduledWorkRun']);
    expect(calls[1]?.input).toMatchObject({
      plan: {
        workflow: 'ingestHourly',
        workflowId: 'ingest-hourly-lyon-2024-12-31T23',
        input: { locationIds: ['lyon'], hour: '2024-12-31T23:00:00Z' },
      },
      taskQueue: 'aqi-pipeline',
      trigger: { source: 'schedule', detail: expect.stringMatching(/^aqi-hourly-ingest at /) },
    });
  });
});
