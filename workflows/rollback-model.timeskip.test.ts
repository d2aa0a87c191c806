import { lifecycleDefaults, namesOf, recording } from '../test/workflows/activity-fakes';
import { timeSkippingForFile, withWorkers, workflowIdFor } from '../test/workflows/time-skipping';

import { rollbackModel } from './rollback-model';

/** rollbackModel on the time-skipping test server with fake registry, audit and deploy activities. */
jest.setTimeout(60_000);
const ts = timeSkippingForFile();

describe('rollbackModel on the time-skipping test server', () => {
  it('when an operator rolls back, then champion goes back to previous as read once, audited and deployed, in order', async () => {
    const modelName = 'aqi-eaqi-instant';
    const { activities, calls } = recording(lifecycleDefaults());

    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(rollbackModel, {
        taskQueue,
        workflowId: workflowIdFor('rollback-aqi-eaqi-instant'),
        args: [{ modelName, requestedBy: 'ana', reason: 'drift on high PM' }],
      }),
    );

    expect(result).toEqual({
      modelName,
      champion: '6',
      demoted: '7',
      deploy: { confirmed: true, detail: `the API serves ${modelName}/6` },
    });
    expect(namesOf(calls)).toEqual(['readAliases', 'rollbackChampion', 'recordDecision', 'deployToApi']);
    expect(calls.map((c) => c.input)).toEqual([
      { modelName },
      { modelName, from: { champion: '7', previous: '6' } },
      {
        modelName,
        modelVersion: '6',
        previousVersion: '7',
        decision: 'rolled_back',
        approver: 'ana',
        decidedAt: expect.any(String),
        comment: 'drift on high PM',
      },
      { modelName, version: '6' },
    ]);
  });
});
