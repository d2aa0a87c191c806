import { sendApproval, trainingInput, untilDecisionPoint } from '../../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { runMonitor } from '../../cli/monitor';
import { trainingRequest } from '../../core/training/request';
import { promotionStatusQuery } from '../../workflows/promotion-approval';
import { trainingPipeline } from '../../workflows/training-pipeline';

import { stackClients } from './stack-clients';
import { testConfig } from './test-env';

/**
 * Retraining on evidence on the test stack (issue 14's acceptance): a small champion of its own name (so the
 * served models never move) is monitored on December weeks of Lyon 2024, each of which drifts against the
 * year it learned from. One drifted week is not enough; the third disjoint one starts `trainingPipeline` on
 * the latest windows (here the champion's own: the data ends with 2024); a fourth trigger within the
 * cooldown joins that run; it stops at the approval step, its
 * promotionStatus naming the report that caused it.
 */
const config = testConfig();
const modelName = 'retrain-evidence-instant';
const day = 86_400_000;

jest.setTimeout(600_000);

describe('retraining on evidence on the test stack', () => {
  const stack = stackClients(config);

  it('when drift persists over three disjoint weeks, then one retrain starts for two triggers and waits for a person, naming the report', async () => {
    // A champion: trained on the bundled year with a small forest, approved.
    const request = trainingRequest.parse({
      kind: 'instant',
      locationIds: ['lyon'],
      params: { seed: 11, randomForest: { nEstimators: 10, maxSamples: 500 } },
      tolerance: 1,
    });
    const trained = await startOrJoin(
      stack.client,
      config,
      trainingPipeline,
      `retrain-evidence-champion-${Date.now()}`,
      { ...trainingInput(config, request), modelName },
    );
    expect((await untilDecisionPoint(trained.handle, () => undefined))?.stage).toBe('awaiting_approval');
    await sendApproval(stack.client, trained.handle.workflowId, { approver: 'retrain-test', decision: 'approve' });
    expect((await trained.handle.result()).outcome).toBe('promoted');

    // Four monitor runs, each a trigger of its own (ids stamped a day apart).
    const start = Date.now();
    const monitor = async (to: string, n: number) =>
      (await runMonitor(stack.client, config, { modelName, to }, start + n * day)).results[0];
    // The third ends with the data, so the retrain's latest windows are the champion's own: the same seeded
    // model, which meets the gate. The fourth, an earlier week, is one more trigger within the cooldown.
    const first = await monitor('2024-12-18T00:00:00Z', 1);
    const second = await monitor('2024-12-25T00:00:00Z', 2);
    const third = await monitor('2025-01-01T00:00:00Z', 3);
    const fourth = await monitor('2024-12-11T00:00:00Z', 4);

    for (const report of [first, second, third, fourth]) expect(report?.datasetDrift).toBe(true);
    expect(first?.retraining).toMatchObject({ action: 'none', why: expect.stringContaining('1 of the last 1') });
    expect(second?.retraining).toMatchObject({ action: 'none', why: expect.stringContaining('2 of the last 2') });
    expect(third?.retraining).toMatchObject({ action: 'started', reason: 'dataset_drift' });
    const retrainId = third?.retraining?.action === 'started' ? third.retraining.workflowId : '';
    expect(retrainId).toBe(`retrain-${modelName}-v1-dataset-drift-20250101T00Z`);
    expect(fourth?.retraining).toMatchObject({ action: 'joined', workflowId: retrainId });

    const retrain = stack.client.workflow.getHandle<typeof trainingPipeline>(retrainId);
    const status = await untilDecisionPoint(retrain, () => undefined);
    expect(status).toMatchObject({
      stage: 'awaiting_approval',
      modelName,
      trigger: {
        reason: 'dataset_drift',
        fromVersion: '1',
        reportId: third?.reportId,
        reportUrl: third?.links?.html,
        summary: expect.stringContaining('dataset drift in each of the last 3 disjoint windows'),
      },
    });
    expect((await retrain.describe()).memo?.retrainTrigger).toMatchObject({ report: third?.links?.html });
    const { rows } = await stack.pool.query<{ outcome: string; training_workflow_id: string }>(
      'SELECT outcome, training_workflow_id FROM retraining_triggers WHERE model_name = $1 ORDER BY id',
      [modelName],
    );
    expect(rows).toEqual([
      { outcome: 'started', training_workflow_id: retrainId },
      { outcome: 'joined', training_workflow_id: retrainId },
    ]);
    const runs: string[] = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${retrainId}'` })) runs.push(run.runId);
    expect(runs).toHaveLength(1);
    expect((await retrain.query(promotionStatusQuery)).stage).toBe('awaiting_approval');

    // Left alone it would wait 72 h: the person says no.
    await sendApproval(stack.client, retrainId, { approver: 'retrain-test', decision: 'reject', comment: 'test over' });
    expect((await retrain.result()).outcome).toBe('rejected');
  });
});
