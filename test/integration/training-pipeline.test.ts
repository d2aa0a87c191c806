import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';

import { createMlflowClient } from '../../adapters/mlflow/client';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { sendApproval } from '../../adapters/temporal/pipeline-runs';
import { repoRoot } from '../../config/runtime';
import { AppError, describeError } from '../../core/errors';
import { appProcesses } from '../../stack/app-processes';
import { stackLayout } from '../../stack/layout';
import { isAlive } from '../../stack/processes';
import {
  approvePromotionSignal,
  approvePromotionUpdate,
  promotionStatusQuery,
  type PromotionStatus,
} from '../../workflows/promotion-approval';
import { rollbackModel } from '../../workflows/rollback-model';
import { trainingPipeline, type TrainingPipelineInput } from '../../workflows/training-pipeline';

import { supervisedPid, testConfig, testEnv, testProcessEnv } from './test-env';

/**
 * The model lifecycle against the real test stack: Temporal (pipeline and training workers), PostgreSQL
 * (the Lyon 2024 readings `npm start` backfilled, the audit table) and MLflow (runs, artifacts, registry).
 * The tests of the first describe share one registered model and run in order: approve, reject, expire,
 * a trainer killed mid-training, rollback.
 */
const config = testConfig();
// A restarted training worker inherits this environment: it must point at the test stack.
Object.assign(process.env, testEnv);
const mlflow = createMlflowClient(config.mlflow.url);
const temporalBin = path.join(stackLayout(config).toolsDir, 'venvs', 'temporal', 'bin', 'temporal');

jest.setTimeout(300_000);

let client: Client;
const pool = createPool(config, { max: 2 });
beforeAll(async () => {
  client = await connectTemporal(config);
});
afterAll(async () => {
  await client.connection.close();
  await pool.end();
});

// Lyon, trained on two months to keep each run to seconds; the holdout is December 2024 as in production.
const baseInput: Omit<TrainingPipelineInput, 'modelName'> = {
  kind: 'instant',
  locationIds: ['lyon'],
  trainFrom: '2024-09-01T00:00:00Z',
  validationFrom: '2024-11-01T00:00:00Z',
  testFrom: '2024-12-01T00:00:00Z',
  testTo: '2025-01-01T00:00:00Z',
  params: { seed: 7, randomForest: { nEstimators: 10, maxSamples: 500 } },
  trainingTaskQueue: config.temporal.trainingTaskQueue,
  approvalTimeout: '10m',
};

type TrainingHandle = WorkflowHandle<typeof trainingPipeline>;

async function startPipeline(input: TrainingPipelineInput): Promise<TrainingHandle> {
  return client.workflow.start(trainingPipeline, {
    taskQueue: config.temporal.taskQueue,
    workflowId: `test-training-${randomUUID()}`,
    args: [input],
  });
}

async function untilStage(handle: TrainingHandle, stages: string[]): Promise<PromotionStatus> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const status = await handle.query(promotionStatusQuery).catch(() => undefined);
    if (status && stages.includes(status.stage)) return status;
    if (Date.now() > deadline) throw new Error(`stage ${status?.stage} never became ${stages.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The Temporal CLI against the test stack (`temporal workflow <command> … --input <payload>`). */
function temporalCli(command: string[], workflowId: string, name: string, payload: unknown) {
  return spawnSync(
    temporalBin,
    [
      'workflow',
      ...command,
      '--address',
      config.temporal.address,
      '--namespace',
      config.temporal.namespace,
      '--workflow-id',
      workflowId,
      '--name',
      name,
      '--input',
      JSON.stringify(payload),
    ],
    { encoding: 'utf8' },
  );
}

/** The way an operator does it from a shell: the Temporal CLI's `workflow signal`. */
function signalWithCli(workflowId: string, payload: unknown): void {
  const result = temporalCli(['signal'], workflowId, approvePromotionSignal.name, payload);
  if (result.status !== 0) throw new Error(`temporal workflow signal failed: ${result.stderr}`);
}

/** How many updates the run's history holds as accepted (a validator's refusal leaves none). */
async function acceptedUpdates(handle: TrainingHandle): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

/** MLflow's own REST API, not our client: what any MLflow user would see. */
async function mlflowRest<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${config.mlflow.url}${pathAndQuery}`);
  if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function aliasVersion(modelName: string, alias: string): Promise<string | undefined> {
  return (await mlflow.getVersionByAlias(modelName, alias))?.version;
}

async function decisions(modelName: string) {
  const { rows } = await pool.query<{ model_version: string | null; decision: string; approver: string | null }>(
    'SELECT model_version, decision, approver FROM model_promotions WHERE model_name = $1 ORDER BY id',
    [modelName],
  );
  return rows;
}

describe('training pipeline: approve, reject, expire, crash, rollback on one model', () => {
  const modelName = `test-instant-${randomUUID().slice(0, 8)}`;
  let firstVersion = '';
  let secondVersion = '';

  it('when a candidate passes its gate and is approved through `temporal workflow signal`, then it becomes champion', async () => {
    const handle = await startPipeline({ ...baseInput, modelName });
    const waiting = await untilStage(handle, ['awaiting_approval']);
    firstVersion = String(waiting.version);

    // Visible through MLflow's REST API: the version, its alias, its run's params, metrics and artifacts.
    const { model_version: version } = await mlflowRest<{
      model_version: { run_id: string; aliases?: string[]; tags?: { key: string; value: string }[] };
    }>(`/api/2.0/mlflow/registered-models/alias?name=${modelName}&alias=challenger`);
    expect(version.aliases).toContain('challenger');
    const tags = Object.fromEntries((version.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags['aqi.workflow_id']).toBe(handle.workflowId);
    expect(tags['aqi.dataset_sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(tags['aqi.quality_report_id'])).toBeGreaterThan(0);
    const { run } = await mlflowRest<{
      run: { data: { params?: { key: string }[]; metrics?: { key: string; value: number }[] } };
    }>(`/api/2.0/mlflow/runs/get?run_id=${version.run_id}`);
    expect(run.data.params?.map((p) => p.key)).toEqual(expect.arrayContaining(['algorithm', 'dataset_sha256']));
    const metrics = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
    expect(metrics.test_mae).toBeLessThan(Number(metrics.baseline_test_mae));
    const listed = async (dir: string) =>
      (
        await mlflowRest<{ files?: { path: string }[] }>(
          `/api/2.0/mlflow/artifacts/list?run_id=${version.run_id}&path=${dir}`,
        )
      ).files?.map((f) => f.path) ?? [];
    expect(await listed('model')).toEqual(
      expect.arrayContaining(['model/model.json', 'model/MLmodel', 'model/feature-spec.json']),
    );
    expect(await listed('dataset')).toEqual(['dataset/snapshot.json']);
    expect(await listed('evaluation')).toEqual(['evaluation/report.json']);

    signalWithCli(handle.workflowId, { approver: 'ana', decision: 'approve', comment: 'holdout is fine' });
    const result = await handle.result();

    expect(result.outcome).toBe('promoted');
    expect(await aliasVersion(modelName, 'champion')).toBe(firstVersion);
    expect(await aliasVersion(modelName, 'challenger')).toBeUndefined();

    // A second approval after the promotion changes nothing.
    await handle.signal(approvePromotionSignal, { approver: 'bob', decision: 'approve' }).catch(() => undefined);
    expect(await aliasVersion(modelName, 'champion')).toBe(firstVersion);
    expect(await decisions(modelName)).toEqual([
      { model_version: firstVersion, decision: 'approved', approver: 'ana' },
    ]);
    const promoted = await mlflow.getModelVersion(modelName, firstVersion);
    expect(promoted?.tags['aqi.decided_by']).toBe('ana');
  });

  it('when a payload is invalid, then it is recorded and ignored; when the candidate is rejected, the champion stays', async () => {
    const handle = await startPipeline({
      ...baseInput,
      modelName,
      params: { seed: 8, randomForest: { nEstimators: 10, maxSamples: 500 } },
    });
    await untilStage(handle, ['awaiting_approval']);

    await handle.signal(approvePromotionSignal, { approver: '', decision: 'maybe' });
    await handle.signal(approvePromotionSignal, 'approve');
    const status = await handle.query(promotionStatusQuery);
    expect(status.stage).toBe('awaiting_approval');
    expect(status.invalidSignals.map((s) => s.reason)).toEqual([
      expect.stringMatching(/approver: .*decision: /),
      expect.stringMatching(/\(payload\)/),
    ]);
    expect(status.deadline).toBeDefined();

    signalWithCli(handle.workflowId, { approver: 'carl', decision: 'reject', comment: 'not now' });
    const result = await handle.result();

    expect(result.outcome).toBe('rejected');
    expect(await aliasVersion(modelName, 'champion')).toBe(firstVersion);
    expect((await decisions(modelName)).at(-1)).toEqual({
      model_version: result.version,
      decision: 'rejected',
      approver: 'carl',
    });
  });

  it('when nobody decides before the deadline, then the request expires and the champion stays', async () => {
    const handle = await startPipeline({
      ...baseInput,
      modelName,
      params: { seed: 9, randomForest: { nEstimators: 10, maxSamples: 500 } },
      approvalTimeout: '3s',
    });
    const result = await handle.result();

    expect(result.outcome).toBe('expired');
    expect(await aliasVersion(modelName, 'champion')).toBe(firstVersion);
    expect((await decisions(modelName)).at(-1)).toEqual({
      model_version: result.version,
      decision: 'expired',
      approver: null,
    });
  });

  it('when the training worker is SIGKILLed mid-training and restarted, then the run ends with exactly one new version', async () => {
    const trainer = appProcesses(config, stackLayout(config)).find((p) => p.name === 'trainer');
    if (!trainer) throw new Error('no trainer process defined');
    const before = (await mlflow.searchModelVersions(`name='${modelName}'`)).length;
    const handle = await startPipeline({
      ...baseInput,
      modelName,
      params: { seed: 10, randomForest: { nEstimators: 80, maxSamples: 1000 } },
      trainingHeartbeatTimeout: '5s',
    });
    try {
      await untilStage(handle, ['training']);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const pid = supervisedPid('trainer');
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
      await trainer.start();

      const waiting = await untilStage(handle, ['awaiting_approval']);
      secondVersion = String(waiting.version);
      await handle.signal(approvePromotionSignal, { approver: 'dana', decision: 'approve' });
      const result = await handle.result();

      expect(result.outcome).toBe('promoted');
      const versions = await mlflow.searchModelVersions(`name='${modelName}'`);
      expect(versions.length).toBe(before + 1);
      expect(versions.filter((v) => v.runId === result.runId)).toHaveLength(1);
      expect(await aliasVersion(modelName, 'champion')).toBe(secondVersion);
      expect(await aliasVersion(modelName, 'previous')).toBe(firstVersion);
    } finally {
      await trainer.start(); // leave a trainer running for the tests after this one
    }
  });

  it('when the model is rolled back, then champion returns to the previous version and the rollback is audited', async () => {
    const handle = await client.workflow.start(rollbackModel, {
      taskQueue: config.temporal.taskQueue,
      workflowId: `test-rollback-${randomUUID()}`,
      args: [{ modelName, requestedBy: 'erin', reason: 'drift after promotion' }],
    });
    const result = await handle.result();

    expect(result).toMatchObject({ champion: firstVersion, demoted: secondVersion });
    expect(await aliasVersion(modelName, 'champion')).toBe(firstVersion);
    expect(await aliasVersion(modelName, 'previous')).toBe(secondVersion);
    expect((await decisions(modelName)).at(-1)).toEqual({
      model_version: firstVersion,
      decision: 'rolled_back',
      approver: 'erin',
    });
  });
});

describe('training pipeline: evaluation gate', () => {
  it('when the candidate does not beat its baseline, then the run ends rejected by evaluation and registers nothing', async () => {
    const modelName = `test-gate-${randomUUID().slice(0, 8)}`;
    // A linear candidate against the linear baseline of the instant kind cannot beat it.
    const handle = await startPipeline({ ...baseInput, modelName, algorithm: 'linear' });
    const result = await handle.result();

    expect(result.outcome).toBe('rejected_by_evaluation');
    expect(result.evaluation.gate.passed).toBe(false);
    expect(result.evaluation.gate.reasons.join(' ')).toMatch(/baseline|linear/i);
    expect(await mlflow.searchModelVersions(`name='${modelName}'`)).toEqual([]);
    expect(await decisions(modelName)).toEqual([
      { model_version: null, decision: 'rejected_by_evaluation', approver: null },
    ]);
  });
});

describe('training pipeline: decisions through the approvePromotion update', () => {
  const modelName = `test-update-${randomUUID().slice(0, 8)}`;
  let handle: TrainingHandle;
  let version = '';

  it('when an update carries an invalid payload, then the validator refuses it at once with the reason and records nothing', async () => {
    handle = await startPipeline({
      ...baseInput,
      modelName,
      params: { seed: 11, randomForest: { nEstimators: 10, maxSamples: 500 } },
    });
    version = String((await untilStage(handle, ['awaiting_approval'])).version);

    // As an untyped caller can send it: `temporal workflow update execute` with any JSON.
    const refused = temporalCli(['update', 'execute'], handle.workflowId, approvePromotionUpdate.name, {
      approver: '',
      decision: 'maybe',
    });

    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/approver: approver must name a person/);
    expect(refused.stderr).toMatch(/decision: /);
    const status = await handle.query(promotionStatusQuery);
    expect(status.stage).toBe('awaiting_approval');
    expect(status.decision).toBeUndefined();
    // A validator's refusal is not in history, so it is not an invalid signal either.
    expect(status.invalidSignals).toEqual([]);
    expect(await acceptedUpdates(handle)).toBe(0);
  });

  it('when two people approve through the update at once, then one decision is taken with the stage after it, the other is refused at once naming it, and the run is promoted', async () => {
    const started = Date.now();
    const answers = await Promise.allSettled(
      ['fay', 'gus'].map((approver) =>
        handle.executeUpdate(approvePromotionUpdate, { args: [{ approver, decision: 'approve', comment: 'update' }] }),
      ),
    );
    const elapsed = Date.now() - started;

    const taken = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    const refusals = answers.flatMap<unknown>((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ decision: 'approve', comment: 'update', stage: 'promoting' });
    const winner = String(taken[0]?.approver);
    const loser = winner === 'fay' ? 'gus' : 'fay';
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(describeError(refusals[0])).toContain(
      `approve from ${loser} refused: already decided (approve by ${winner})`,
    );
    // Both answers came from the workflow's handlers, not from waiting for the promotion to finish.
    expect(elapsed).toBeLessThan(10_000);

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', version, decision: { approver: winner } });
    expect(await aliasVersion(modelName, 'champion')).toBe(version);
    expect(await decisions(modelName)).toEqual([{ model_version: version, decision: 'approved', approver: winner }]);
    expect(await acceptedUpdates(handle)).toBe(1);
    expect((await handle.query(promotionStatusQuery)).invalidSignals).toEqual([]);
  });

  it('when a decision is sent to a run that has closed, then it is refused (409) with the reason; to an unknown run, 404', async () => {
    const first = (await handle.query(promotionStatusQuery)).decision?.approver;

    const closed = await sendApproval(client, handle.workflowId, { approver: 'hal', decision: 'reject' }).catch(
      (err: unknown) => err,
    );
    const unknown = await sendApproval(client, `no-such-run-${randomUUID()}`, {
      approver: 'hal',
      decision: 'approve',
    }).catch((err: unknown) => err);

    expect(closed).toBeInstanceOf(AppError);
    expect(closed).toMatchObject({ code: 'APPROVAL_REFUSED', httpStatus: 409 });
    expect(describeError(closed)).toContain(
      `${handle.workflowId} is completed: reject from hal refused: already decided (approve by ${first})`,
    );
    expect(unknown).toMatchObject({ code: 'PIPELINE_NOT_FOUND', httpStatus: 404 });
  });

  it('when `airq approve --wait --json` decides (the Jenkinsfile), then it prints the promoted version; `airq reject` after it exits 1 with the reason', async () => {
    const run = await startPipeline({
      ...baseInput,
      modelName,
      params: { seed: 12, randomForest: { nEstimators: 10, maxSamples: 500 } },
      // Whatever it scores against the champion promoted above: this test is about the command.
      tolerance: 1,
    });
    const waiting = await untilStage(run, ['awaiting_approval']);
    const airq = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), ...args], {
        cwd: repoRoot,
        env: testProcessEnv(),
      });

    const approved = await airq(
      'approve',
      run.workflowId,
      '--approver',
      'ivy',
      '--comment',
      'jenkins',
      '--wait',
      '--json',
    );
    const rejected = await airq('reject', run.workflowId, '--approver', 'joe').catch(
      (err: { code?: number; stdout?: string }) => err,
    );

    expect(JSON.parse(approved.stdout)).toMatchObject({
      workflowId: run.workflowId,
      stage: 'promoted',
      modelName,
      version: waiting.version,
    });
    expect(approved.stderr).toContain(`${run.workflowId} took approve from ivy`);
    expect(rejected).toMatchObject({ code: 1 });
    expect(String(rejected.stdout)).toContain('reject from joe refused: already decided (approve by ivy)');
    expect(await aliasVersion(modelName, 'champion')).toBe(waiting.version);
  });
});
