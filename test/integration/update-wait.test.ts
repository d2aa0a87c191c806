import { randomBytes } from 'node:crypto';

import { connectTemporal } from '../../adapters/temporal/client';
import { actOnIncident } from '../../adapters/temporal/incidents';
import { sendApproval, trainingInput } from '../../adapters/temporal/pipeline-runs';
import { AppError } from '../../core/errors';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { trainingRequest } from '../../core/training/request';
import { sensorIncident } from '../../workflows/sensor-incident';
import { trainingPipeline } from '../../workflows/training-pipeline';

import { testConfig } from './test-env';

jest.setTimeout(60_000);

const config = testConfig();

/** What a caller gets back, error or value, without a try/catch in each test. */
async function outcome<T>(call: Promise<T>): Promise<T | AppError> {
  return call.catch((err: unknown) => {
    if (err instanceof AppError) return err;
    throw err;
  });
}

describe('an update no worker answers (the workflow sits on a task queue nobody polls)', () => {
  const started: string[] = [];
  const unpolled = `nobody-polls-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    const client = await connectTemporal(config);
    for (const id of started)
      await client.workflow
        .getHandle(id)
        .terminate('update-wait test done')
        .catch(() => undefined);
    await client.connection.close();
  });

  it('an approval answers 503 NO_WORKER_ANSWER after the wait instead of hanging', async () => {
    const client = await connectTemporal(config);
    const workflowId = `update-wait-training-${randomBytes(4).toString('hex')}`;
    const input = trainingInput(config, trainingRequest.parse({ kind: 'instant' }));
    await client.workflow.start(trainingPipeline, { taskQueue: unpolled, workflowId, args: [input] });
    started.push(workflowId);

    const before = Date.now();
    const result = await outcome(sendApproval(client, workflowId, { approver: 'ana', decision: 'approve' }, 1500));
    const waited = Date.now() - before;

    expect(result).toBeInstanceOf(AppError);
    expect(result).toMatchObject({ code: 'NO_WORKER_ANSWER', httpStatus: 503 });
    expect((result as AppError).message).toMatch(
      /no worker answered the approve of update-wait-training-.* within 1\.5 s/,
    );
    expect(waited).toBeGreaterThanOrEqual(1400);
  });

  it('an incident acknowledgement answers 503 NO_WORKER_ANSWER too', async () => {
    const client = await connectTemporal(config);
    const anomalyId = randomBytes(16).toString('hex');
    const workflowId = sensorIncidentWorkflowId(anomalyId);
    const opened = {
      anomalyId,
      sensorId: 'WAIT_1',
      anomalyType: 'flatline' as const,
      measurement: 'pm2_5',
      severity: 'warning' as const,
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'pm2_5 stuck at 12.5',
    };
    await client.workflow.start(sensorIncident, { taskQueue: unpolled, workflowId, args: [opened] });
    started.push(workflowId);

    const result = await outcome(actOnIncident(client, anomalyId, 'acknowledge', { by: 'ana' }, 1500));

    expect(result).toMatchObject({ code: 'NO_WORKER_ANSWER', httpStatus: 503 });
    expect((result as AppError).message).toContain(`the acknowledge of incident ${anomalyId}`);
  });
});
