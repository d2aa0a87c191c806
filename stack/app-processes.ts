import path from 'node:path';

import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Kafka, logLevel } from 'kafkajs';

import type { Config } from '../config';
import { repoRoot } from '../config/runtime';
import { detectorGroupId } from '../workers/detector/processor';
import { defaultGroupId } from '../workers/stream/processor';

import type { StackLayout } from './layout';
import { runningPid, startDetached, stopDetached } from './processes';
import { readSupervisedState, supervisorStateFile } from './supervisor/state';
import { probeQuietly, waitUntilReady } from './wait';

/** The platform's own long-running processes, started in the background by `npm start`. */
export interface AppProcess {
  name: 'worker' | 'trainer' | 'stream' | 'detector' | 'api';
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): Promise<boolean>;
  addresses(): Record<string, string>;
}

const tsEntry = (file: string) => ['--import', 'tsx', path.join(repoRoot, file)];

/**
 * The environment the platform's processes start with: the caller's, plus, when ALERT_WEBHOOKS names no
 * target, the stack's alert inbox as a generic JSON webhook, so alerts on embedded defaults reach a page a
 * person can open (`npm start` prints it) instead of only the worker's log.
 */
export function appEnvironment(config: Config, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (config.alerts.targets.length > 0) return env;
  return { ...env, ALERT_WEBHOOKS: `json=${config.alerts.inbox.url}/alerts` };
}

/** Whether the worker's alerts go to the stack's alert inbox (see `appEnvironment`). */
export const alertsGoToInbox = (config: Config) => config.alerts.targets.length === 0;

export function appProcesses(config: Config, layout: StackLayout): AppProcess[] {
  const pollerReady =
    (name: AppProcess['name'], taskQueue: string, type: 'workflow' | 'activity') => async (): Promise<boolean> => {
      const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 2000 });
      try {
        const queue = await connection.workflowService.describeTaskQueue({
          namespace: config.temporal.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType:
            type === 'workflow'
              ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
              : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        // A poller seen in the last minute may belong to a worker that was just stopped: also want our pid.
        return (queue.pollers?.length ?? 0) > 0 && runningPid(layout, name) !== undefined;
      } finally {
        await connection.close();
      }
    };
  // A consumer process is up when its consumer group is stable with at least one member.
  const groupReady = (name: AppProcess['name'], groupId: string) => async () => {
    const admin = new Kafka({
      clientId: 'aqi-stack',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      return group?.state === 'Stable' && group.members.length > 0 && runningPid(layout, name) !== undefined;
    } finally {
      await admin.disconnect();
    }
  };
  const apiReady = async () => (await fetch(`${config.api.url}/health`, { signal: AbortSignal.timeout(2000) })).ok;

  const managed = (
    name: AppProcess['name'],
    entry: string,
    isReady: () => Promise<boolean>,
    addresses: () => Record<string, string>,
  ): AppProcess => ({
    name,
    isReady,
    addresses,
    start: async () => {
      if (runningPid(layout, name) === undefined) {
        // Supervised like a compose service with a restart policy: a crash (or an exit on a dependency's
        // restart) brings the process back with backoff, logged in its log, counted in `stack:status`.
        const supervisor = [...tsEntry('stack/supervisor/supervise.ts'), '--name', name];
        const state = ['--state', supervisorStateFile(layout.runDir, name)];
        startDetached(layout, {
          name,
          command: process.execPath,
          args: [...supervisor, ...state, '--', process.execPath, ...tsEntry(entry)],
          cwd: repoRoot,
          env: appEnvironment(config),
        });
      }
      await waitUntilReady(name, isReady, {
        timeoutMs: 90_000,
        logFile: layout.logFile(name),
        alive: () => runningPid(layout, name) !== undefined,
      });
    },
    stop: async () => {
      await stopDetached(layout, name, 25_000);
    },
  });

  return [
    managed(
      'worker',
      'workers/pipeline-worker.ts',
      pollerReady('worker', config.temporal.taskQueue, 'workflow'),
      () => ({
        taskQueue: config.temporal.taskQueue,
      }),
    ),
    managed(
      'trainer',
      'workers/training-worker.ts',
      pollerReady('trainer', config.temporal.trainingTaskQueue, 'activity'),
      () => ({ taskQueue: config.temporal.trainingTaskQueue }),
    ),
    managed('stream', 'workers/stream-processor.ts', groupReady('stream', defaultGroupId), () => ({
      groupId: defaultGroupId,
    })),
    managed('detector', 'workers/sensor-detector.ts', groupReady('detector', detectorGroupId), () => ({
      groupId: detectorGroupId,
    })),
    managed('api', 'api/server.ts', apiReady, () => ({ url: config.api.url })),
  ];
}

/** Each process's addresses, whether it answers, and how often its supervisor restarted it. */
export async function appStatus(processes: AppProcess[], layout: StackLayout) {
  return Object.fromEntries(
    await Promise.all(
      processes.map(async (p) => {
        const supervised = readSupervisedState(supervisorStateFile(layout.runDir, p.name));
        const restarts = supervised?.restarts ?? 0;
        const lastExit = supervised?.lastExit;
        const exit = lastExit ? `${lastExit.signal ?? `code ${String(lastExit.code)}`} at ${lastExit.at}` : undefined;
        const status = { ...p.addresses(), up: (await probeQuietly(p.isReady)).ready, restarts: String(restarts) };
        return [p.name, exit && restarts > 0 ? { ...status, lastExit: exit } : status] as const;
      }),
    ),
  );
}
