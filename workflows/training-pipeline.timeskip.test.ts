import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';

import {
  evaluationSummary,
  lifecycleDefaults,
  namesOf,
  recording,
  runRef,
  type ActivityCall,
  type LifecycleActivities,
} from '../test/workflows/activity-fakes';
import {
  eventually,
  timeSkippingForFile,
  withWorkers,
  workflowIdFor,
  type TaskQueues,
} from '../test/workflows/time-skipping';

import { approvePromotionSignal, approvePromotionUpdate, promotionStatusQuery } from './promotion-approval';
import { trainingPipeline, type TrainingPipelineInput } from './training-pipeline';

/**
 * trainingPipeline on Temporal's time-skipping test server, every branch, with fake activities: the
 * approval deadline at its real default of 72 hours takes the test seconds, and each test checks which
 * activities ran, in which order, with which arguments.
 */
const HOUR_MS = 3_600_000;
const input = {
  kind: 'instant',
  locationIds: ['lyon'],
  trainFrom: '2024-01-01T00:00:00Z',
  validationFrom: '2024-10-01T00:00:00Z',
  testFrom: '2024-11-15T00:00:00Z',
  testTo: '2025-01-01T00:00:00Z',
} satisfies Omit<TrainingPipelineInput, 'trainingTaskQueue'>;
const modelName = 'aqi-eaqi-instant';
const approve = { approver: 'ana', decision: 'approve', comment: 'beats the champion' } as const;
const throughPromotion = [
  'openTrainingRun',
  'extractDataset',
  'assessDataQuality',
  'trainCandidate',
  'evaluateCandidate',
  'registerChallenger',
  'notify',
  'promoteChampion',
  'recordDecision',
  'deployToApi',
];

jest.setTimeout(60_000);
const ts = timeSkippingForFile();

type Pipeline = WorkflowHandle<typeof trainingPipeline>;

/** Runs one pipeline over the fakes (the defaults, with `overrides`) while `drive` talks to it. */
async function pipelineRun<T>(
  overrides: Partial<LifecycleActivities>,
  drive: (handle: Pipeline) => Promise<T>,
): Promise<{ outcome: T; calls: ActivityCall[] }> {
  const { activities, calls } = recording({ ...lifecycleDefaults(), ...overrides });
  const outcome = await withWorkers(ts, activities, async ({ taskQueue, trainingTaskQueue }: TaskQueues) => {
    const handle = await ts.env.client.workflow.start(trainingPipeline, {
      taskQueue,
      workflowId: workflowIdFor('train-aqi-eaqi-instant'),
      args: [{ ...input, trainingTaskQueue }],
    });
    return drive(handle);
  });
  return { outcome, calls };
}

const awaitingApproval = (handle: Pipeline) =>
  eventually(
    ts.env,
    () => handle.query(promotionStatusQuery),
    (status) => status.stage === 'awaiting_approval',
  );

const inputOf = (calls: ActivityCall[], name: string) => calls.filter((c) => c.name === name).map((c) => c.input);

/** A promise and the function that settles it: a fake activity that waits for the test. */
function gate() {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('trainingPipeline on the time-skipping test server', () => {
  it('when the approver approves through the update, then it answers "promoting" and the run promotes, audits and deploys, in order', async () => {
    const { outcome, calls } = await pipelineRun({}, async (handle) => {
      const awaiting = await awaitingApproval(handle);
      const taken = await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
      return { awaiting, taken, result: await handle.result(), status: await handle.query(promotionStatusQuery) };
    });

    expect(outcome.awaiting).toMatchObject({ modelName, runId: 'run-1', version: '7', invalidSignals: [] });
    expect(outcome.taken).toMatchObject({ ...approve, stage: 'promoting' });
    expect(outcome.result).toMatchObject({
      outcome: 'promoted',
      modelName,
      runId: 'run-1',
      version: '7',
      qualityReportId: 41,
      previousChampion: '6',
      decision: { ...approve, receivedAt: outcome.taken.receivedAt },
      deploy: { confirmed: true, detail: `the API serves ${modelName}/7` },
    });
    expect(outcome.status).toMatchObject({ stage: 'promoted', decision: outcome.result.decision });
    expect(namesOf(calls)).toEqual(throughPromotion);
    expect(calls.every((c) => c.attempt === 1)).toBe(true);
    const candidate = { modelName, kind: 'instant', horizonHours: 0, algorithm: 'random-forest', params: {} };
    const windows = { validationFrom: input.validationFrom, testFrom: input.testFrom, testTo: input.testTo };
    const dataset = outcome.result.dataset;
    expect(inputOf(calls, 'openTrainingRun')).toEqual([{ candidate }]);
    expect(inputOf(calls, 'extractDataset')).toEqual([
      { run: runRef, locationIds: ['lyon'], from: input.trainFrom, to: input.testTo },
    ]);
    expect(inputOf(calls, 'assessDataQuality')).toEqual([
      { locationIds: ['lyon'], from: input.trainFrom, to: input.testTo, now: input.testTo },
    ]);
    expect(inputOf(calls, 'trainCandidate')).toEqual([{ run: runRef, dataset, candidate, windows }]);
    expect(inputOf(calls, 'evaluateCandidate')).toEqual([
      expect.objectContaining({ run: runRef, dataset, candidate, windows, tolerance: 0.05 }),
    ]);
    expect(inputOf(calls, 'registerChallenger')).toEqual([
      expect.objectContaining({ run: runRef, candidate, dataset, qualityReportId: 41 }),
    ]);
    expect(inputOf(calls, 'promoteChampion')).toEqual([{ modelName, version: '7' }]);
    expect(inputOf(calls, 'recordDecision')).toEqual([
      expect.objectContaining({
        modelName,
        modelVersion: '7',
        decision: 'approved',
        approver: 'ana',
        comment: approve.comment,
        previousVersion: '6',
        decidedAt: outcome.taken.receivedAt,
      }),
    ]);
    expect(inputOf(calls, 'deployToApi')).toEqual([{ modelName, version: '7' }]);
  });

  it('when the approver approves through the signal, then the run promotes with that decision', async () => {
    const { outcome, calls } = await pipelineRun({}, async (handle) => {
      await awaitingApproval(handle);
      await handle.signal(approvePromotionSignal, approve);
      return handle.result();
    });

    expect(outcome).toMatchObject({ outcome: 'promoted', version: '7', decision: approve });
    expect(namesOf(calls)).toEqual(throughPromotion);
    expect(inputOf(calls, 'recordDecision')).toEqual([
      expect.objectContaining({ decision: 'approved', approver: 'ana', comment: approve.comment }),
    ]);
  });

  it('when the approver rejects, then nothing is promoted or deployed and the rejection is audited', async () => {
    const reject = { approver: 'bob', decision: 'reject', comment: 'too slow on high PM' } as const;
    const { outcome, calls } = await pipelineRun({}, async (handle) => {
      await awaitingApproval(handle);
      const taken = await handle.executeUpdate(approvePromotionUpdate, { args: [reject] });
      return { taken, result: await handle.result(), status: await handle.query(promotionStatusQuery) };
    });

    expect(outcome.taken).toMatchObject({ ...reject, stage: 'rejected' });
    expect(outcome.result).toMatchObject({ outcome: 'rejected', version: '7', decision: reject });
    expect(outcome.result.deploy).toBeUndefined();
    expect(outcome.status.stage).toBe('rejected');
    expect(namesOf(calls)).toEqual(throughPromotion.slice(0, 7).concat('recordDecision'));
    expect(inputOf(calls, 'recordDecision')).toEqual([
      expect.objectContaining({ modelVersion: '7', decision: 'rejected', approver: 'bob', comment: reject.comment }),
    ]);
  });

  it('when nobody decides, then the run expires at the 72-hour deadline of workflow time, while the test takes seconds', async () => {
    const startedAt = Date.now();
    const { outcome, calls } = await pipelineRun({}, async (handle) => {
      const awaiting = await awaitingApproval(handle);
      const deadlineMs = Date.parse(awaiting.deadline ?? '');
      const clockBefore = await ts.env.currentTimeMs();
      await ts.env.sleep(deadlineMs - 60_000 - clockBefore);
      const minuteBefore = await handle.query(promotionStatusQuery);
      return { deadlineMs, clockBefore, minuteBefore, result: await handle.result() };
    });
    const tookMs = Date.now() - startedAt;

    expect(outcome.minuteBefore.stage).toBe('awaiting_approval');
    expect(outcome.result).toMatchObject({ outcome: 'expired', version: '7' });
    expect(outcome.result.decision).toBeUndefined();
    // Asked when the wait began, reminded 12 hours before the deadline, then expired.
    expect(namesOf(calls)).toEqual(throughPromotion.slice(0, 7).concat('notify', 'recordDecision'));
    const [asked, reminded] = inputOf(calls, 'notify') as { kind: string; key: string; at: string; facts: object }[];
    expect(asked).toMatchObject({
      kind: 'approval_pending',
      key: expect.stringMatching(/^approval:train-aqi-eaqi-instant-.*:7:pending$/),
      facts: { model: modelName, version: '7', 'holdout MAE': 2.1 },
    });
    expect(reminded).toMatchObject({ kind: 'approval_expiring', severity: 'warning' });
    expect(outcome.deadlineMs - Date.parse(reminded?.at ?? '')).toBeGreaterThanOrEqual(12 * HOUR_MS - 1000);
    expect(outcome.deadlineMs - Date.parse(reminded?.at ?? '')).toBeLessThanOrEqual(12 * HOUR_MS);
    const [expiry] = inputOf(calls, 'recordDecision') as { requestedAt: string; decidedAt: string; decision: string }[];
    expect(expiry?.decision).toBe('expired');
    // The default deadline is the real one (72 h after the request), and the run expired at it, not before;
    // the few milliseconds after are the server's own clock running while the timer's task is dispatched.
    expect(outcome.deadlineMs - Date.parse(expiry?.requestedAt ?? '')).toBe(72 * HOUR_MS);
    const lateMs = Date.parse(expiry?.decidedAt ?? '') - outcome.deadlineMs;
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1_000);
    // The workflow's clock went from the request to the expiry (72 h) while the test took seconds.
    const clockMovedMs = Date.parse(expiry?.decidedAt ?? '') - outcome.clockBefore;
    expect(clockMovedMs).toBeGreaterThan(72 * HOUR_MS - 60_000);
    expect(clockMovedMs).toBeLessThan(72 * HOUR_MS + 1_000);
    expect(tookMs).toBeLessThan(20_000);
  });

  it('when the approval comes one minute before the deadline, then it still promotes', async () => {
    const { outcome } = await pipelineRun({}, async (handle) => {
      const { deadline } = await awaitingApproval(handle);
      const deadlineMs = Date.parse(deadline ?? '');
      await ts.env.sleep(deadlineMs - 60_000 - (await ts.env.currentTimeMs()));
      const taken = await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
      return { deadlineMs, taken, result: await handle.result() };
    });

    expect(outcome.taken.stage).toBe('promoting');
    expect(outcome.result.outcome).toBe('promoted');
    const beforeDeadlineMs = outcome.deadlineMs - Date.parse(outcome.result.decision?.receivedAt ?? '');
    expect(beforeDeadlineMs).toBeGreaterThan(50_000);
    expect(beforeDeadlineMs).toBeLessThanOrEqual(60_000);
  });

  it('when the evaluation gate fails, then nothing is registered, nobody is asked and the run is closed and audited', async () => {
    const failing = evaluationSummary(false);
    const { outcome, calls } = await pipelineRun({ evaluateCandidate: async () => failing }, async (handle) => ({
      result: await handle.result(),
      status: await handle.query(promotionStatusQuery),
    }));

    expect(outcome.result).toMatchObject({ outcome: 'rejected_by_evaluation', evaluation: failing });
    expect(outcome.result.version).toBeUndefined();
    expect(outcome.status).toMatchObject({ stage: 'rejected_by_evaluation' });
    expect(outcome.status.deadline).toBeUndefined();
    expect(namesOf(calls)).toEqual([
      'openTrainingRun',
      'extractDataset',
      'assessDataQuality',
      'trainCandidate',
      'evaluateCandidate',
      'closeTrainingRun',
      'recordDecision',
    ]);
    expect(inputOf(calls, 'closeTrainingRun')).toEqual([
      { run: runRef, status: 'FINISHED', outcome: 'rejected_by_evaluation' },
    ]);
    expect(inputOf(calls, 'recordDecision')).toEqual([
      expect.objectContaining({ modelName, decision: 'rejected_by_evaluation', comment: failing.gate.reasons[0] }),
    ]);
    expect(inputOf(calls, 'recordDecision')[0]).not.toHaveProperty('modelVersion');
  });

  it('when the data-quality child fails, then the run fails with its DataQualityError and the MLflow run is closed as failed', async () => {
    const findings = ['fail completeness: 41% of hours missing'];
    const { outcome, calls } = await pipelineRun(
      { assessDataQuality: async () => ({ reportId: 42, verdict: 'fail', rowsChecked: 5100, findings }) },
      (handle) =>
        handle.result().then(
          () => undefined,
          (err: unknown) => err,
        ),
    );

    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const child = (outcome as WorkflowFailedError).cause;
    expect(child).toBeInstanceOf(ChildWorkflowFailure);
    const cause = (child as ChildWorkflowFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'DataQualityError', nonRetryable: true });
    expect(cause?.message).toBe(`data quality failed (report 42): ${findings[0]}`);
    // The quality check alerts people once; the pipeline adds no "failed" alert of its own for it.
    expect(namesOf(calls)).toEqual([
      'openTrainingRun',
      'extractDataset',
      'assessDataQuality',
      'notify',
      'closeTrainingRun',
    ]);
    expect(inputOf(calls, 'notify')).toEqual([
      expect.objectContaining({
        kind: 'quality_failed',
        severity: 'critical',
        facts: expect.objectContaining({ report: 42 }),
      }),
    ]);
    expect(inputOf(calls, 'closeTrainingRun')).toEqual([
      { run: runRef, status: 'FAILED', outcome: 'data_quality_failed' },
    ]);
  });

  it('when a payload is invalid, then the update refuses it without a trace and the signal records it, and the run still awaits approval', async () => {
    const nobody = { approver: ' ', decision: 'approve' } as const;
    const { outcome } = await pipelineRun({}, async (handle) => {
      await awaitingApproval(handle);
      const refused = await handle.executeUpdate(approvePromotionUpdate, { args: [nobody] }).then(
        () => undefined,
        (err: unknown) => err,
      );
      await handle.signal(approvePromotionSignal, nobody);
      const status = await handle.query(promotionStatusQuery);
      await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
      return { refused, status, result: await handle.result() };
    });

    expect(outcome.refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((outcome.refused as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'ApprovalRefused',
      message: 'approver: approver must name a person',
    });
    expect(outcome.status.stage).toBe('awaiting_approval');
    expect(outcome.status.invalidSignals).toEqual([
      { receivedAt: expect.any(String), reason: 'approver: approver must name a person' },
    ]);
    expect(outcome.result).toMatchObject({ outcome: 'promoted', decision: approve });
  });

  it('when a second decision arrives, then the update refuses it and the signal records it, and the first one stands', async () => {
    const promoting = gate();
    const reject = { approver: 'bob', decision: 'reject' } as const;
    const { outcome, calls } = await pipelineRun(
      {
        // Holds the run in `promoting` while the second decisions arrive.
        promoteChampion: async () => {
          await promoting.opened;
          return { previousVersion: '6', changed: true };
        },
      },
      async (handle) => {
        await awaitingApproval(handle);
        await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
        const refused = await handle.executeUpdate(approvePromotionUpdate, { args: [reject] }).then(
          () => undefined,
          (err: unknown) => err,
        );
        await handle.signal(approvePromotionSignal, reject);
        const status = await eventually(
          ts.env,
          () => handle.query(promotionStatusQuery),
          (s) => s.invalidSignals.length > 0,
        );
        promoting.open();
        return { refused, status, result: await handle.result() };
      },
    );

    const already = 'reject from bob refused: already decided (approve by ana)';
    expect((outcome.refused as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'ApprovalRefused',
      message: already,
    });
    expect(outcome.status).toMatchObject({ stage: 'promoting', decision: approve });
    expect(outcome.status.invalidSignals).toEqual([{ receivedAt: expect.any(String), reason: already }]);
    expect(outcome.result).toMatchObject({ outcome: 'promoted', decision: approve });
    expect(namesOf(calls)).toEqual(throughPromotion);
  });

  it('when the API cannot confirm the deploy, then deployToApi is tried four times and the promotion stands, reported unconfirmed', async () => {
    const { outcome, calls } = await pipelineRun(
      {
        deployToApi: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
        },
      },
      async (handle) => {
        await awaitingApproval(handle);
        await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
        return { result: await handle.result(), status: await handle.query(promotionStatusQuery) };
      },
    );

    expect(outcome.result).toMatchObject({ outcome: 'promoted', version: '7', previousChampion: '6' });
    expect(outcome.result.deploy).toEqual({
      confirmed: false,
      detail: 'the API did not confirm (it polls the aliases and will pick it up): connect ECONNREFUSED 127.0.0.1:8000',
    });
    expect(outcome.status).toMatchObject({ stage: 'promoted', deploy: outcome.result.deploy });
    expect(namesOf(calls)).toEqual([...throughPromotion, 'deployToApi', 'deployToApi', 'deployToApi']);
    expect(calls.filter((c) => c.name === 'deployToApi').map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('when an activity fails twice (PostgreSQL restarting), then it is retried, succeeds, and the run goes on from there', async () => {
    const defaults = lifecycleDefaults();
    let failuresLeft = 2;
    const { outcome, calls } = await pipelineRun(
      {
        extractDataset: async (request) => {
          if (failuresLeft-- > 0) throw new Error('Connection terminated: the database system is shutting down');
          return defaults.extractDataset(request);
        },
      },
      async (handle) => {
        await awaitingApproval(handle);
        await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
        return handle.result();
      },
    );

    expect(outcome).toMatchObject({ outcome: 'promoted', version: '7' });
    expect(namesOf(calls)).toEqual([
      'openTrainingRun',
      'extractDataset',
      'extractDataset',
      ...throughPromotion.slice(1),
    ]);
    expect(calls.filter((c) => c.name === 'extractDataset').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(inputOf(calls, 'extractDataset').map((i) => JSON.stringify(i))).size).toBe(1);
  });

  it("when a step fails for good, then the run fails and people get one pipeline_failed alert with the activity's words", async () => {
    const { outcome, calls } = await pipelineRun(
      {
        registerChallenger: async () => {
          throw ApplicationFailure.nonRetryable('model version refused by the registry', 'INVALID_MODEL');
        },
      },
      (handle) =>
        handle.result().then(
          () => undefined,
          (err: unknown) => err,
        ),
    );

    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect(namesOf(calls).slice(-2)).toEqual(['registerChallenger', 'notify']);
    expect(inputOf(calls, 'notify')).toEqual([
      expect.objectContaining({
        kind: 'pipeline_failed',
        key: expect.stringMatching(/^failed:train-aqi-eaqi-instant-/),
        text: 'model version refused by the registry',
        workflowId: expect.stringMatching(/^train-aqi-eaqi-instant-/),
      }),
    ]);
  });

  it('when the approval comes while the approval request is still being delivered, then it is taken at once and the run waits for the alert before it ends', async () => {
    let asking = false;
    let delivered = false;
    const { outcome } = await pipelineRun(
      {
        notify: async (alert) => {
          asking = true;
          if (alert.kind === 'approval_pending') await new Promise((resolve) => setTimeout(resolve, 3000));
          delivered = true;
          return { channels: ['log'], delivered: [], alreadyDelivered: [], gaveUp: [] };
        },
      },
      async (handle) => {
        await eventually(
          ts.env,
          async () => asking,
          (started) => started,
        );
        const taken = await handle.executeUpdate(approvePromotionUpdate, { args: [approve] });
        const deliveredWhenTaken = delivered;
        return { taken, deliveredWhenTaken, result: await handle.result(), deliveredAtEnd: delivered };
      },
    );

    expect(outcome.taken.stage).toBe('promoting');
    expect(outcome.deliveredWhenTaken).toBe(false);
    expect(outcome.result.outcome).toBe('promoted');
    expect(outcome.deliveredAtEnd).toBe(true);
  });
});
