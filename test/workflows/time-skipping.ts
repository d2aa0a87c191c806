import { randomUUID } from 'node:crypto';

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';

import { configFromEnvironment } from '../../config/runtime';
import { temporalTestServerPath } from '../../stack/tools/temporal-test-server';
import { indexedType } from '../../temporal/register';
import { searchAttributes } from '../../temporal/search-attributes';

/**
 * What every time-skipping workflow test file shares: one test server and one workflow bundle per file
 * (both take seconds), then a fresh pair of workers per test, on task queues of its own, over fake activities.
 */
export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  workflowBundle: WorkflowBundle;
}

async function startTimeSkipping(): Promise<TimeSkipping> {
  // The SDK's warnings (each failing fake activity attempt, the training worker polling no workflows) would
  // flood the output; a failure the test did not plan shows in its assertions.
  const logger = new DefaultLogger('ERROR');
  Runtime.install({ logger, telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const [env, workflowBundle] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath(configFromEnvironment()) } },
    }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/index'), logger }),
  ]);
  // The workflows tag their runs (upsertSearchAttributes); the test server refuses attributes it does not know.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.values(searchAttributes).map((key) => [key.name, indexedType[key.type]]),
    ),
  });
  return { env, workflowBundle };
}

/**
 * Registers the calling test file's hooks: the server and bundle start before its first test and the server
 * is torn down after its last. The object returned reads them, so use it inside tests and hooks only; at the
 * file's top level it throws.
 */
export function timeSkippingForFile(): TimeSkipping {
  let started: TimeSkipping | undefined;
  beforeAll(async () => {
    started = await startTimeSkipping();
  });
  afterAll(async () => {
    await started?.env.teardown();
  });
  const current = (): TimeSkipping => {
    if (!started) throw new Error('the time-skipping server starts in beforeAll: read it inside a test or hook');
    return started;
  };
  return {
    get env() {
      return current().env;
    },
    get workflowBundle() {
      return current().workflowBundle;
    },
  };
}

export interface TaskQueues {
  /** The pipeline worker's queue: workflows, children and the lifecycle activities. */
  taskQueue: string;
  /** The training worker's queue (`trainingTaskQueue`): train and evaluate. */
  trainingTaskQueue: string;
}

/** Runs `body` while a pipeline worker and a training worker serve `activities`, then shuts both down. */
export async function withWorkers<T>(
  { env, workflowBundle }: TimeSkipping,
  activities: object,
  body: (queues: TaskQueues) => Promise<T>,
): Promise<T> {
  const id = randomUUID();
  const queues = { taskQueue: `pipeline-${id}`, trainingTaskQueue: `training-${id}` };
  const connection = env.nativeConnection;
  const [pipeline, training] = await Promise.all([
    Worker.create({ connection, taskQueue: queues.taskQueue, workflowBundle, activities }),
    Worker.create({ connection, taskQueue: queues.trainingTaskQueue, activities }),
  ]);
  return pipeline.runUntil(training.runUntil(body(queues)));
}

/**
 * Polls `read` until `done` holds, advancing the server's clock a second per poll (time skipping): the run
 * gets there at its own pace, retry backoffs included, without the test waiting in real time.
 */
export async function eventually<T>(
  env: TestWorkflowEnvironment,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  for (let polls = 0; polls < 600; polls++) {
    const value = await read();
    if (done(value)) return value;
    await env.sleep('1 second');
  }
  throw new Error('the workflow did not get there within 600 polls');
}

/** A workflow id of its own for each test. */
export const workflowIdFor = (name: string): string => `${name}-${randomUUID()}`;
