import { randomUUID } from 'node:crypto';

import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';

import type { MlflowClient } from '../adapters/mlflow/client';
import type { DependencyCheck, DoctorReport } from '../core/doctor';
import { AppError } from '../core/errors';
import { topics } from '../core/topics';
import { searchAttributes } from '../temporal/search-attributes';

import type { PlatformChecksRepository } from './repositories';

export interface DoctorDeps {
  platformChecks: PlatformChecksRepository;
  kafka: Kafka;
  mlflow: MlflowClient;
  temporal: Client;
}

/**
 * One activity per dependency, each exercising it end to end the way the pipelines will: a query, a
 * produce/consume round trip, REST calls to tracking and registry, and a visibility search that must find
 * the very workflow asking. A failure throws, so Temporal retries it before the workflow reports it.
 */
export function createDoctorActivities({ platformChecks, kafka, mlflow, temporal }: DoctorDeps) {
  return {
    async checkPostgres(): Promise<DependencyCheck> {
      return timed('postgres', async () => {
        const database = await platformChecks.describe();
        return `PostgreSQL ${database.version}, ${database.migrations} migrations applied`;
      });
    },

    async checkKafka(): Promise<DependencyCheck> {
      return timed('kafka', async () => {
        const marker = randomUUID();
        const producer = kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        const [sent] = await producer
          .send({ topic: topics.doctor, messages: [{ key: 'doctor', value: marker }] })
          .finally(() => producer.disconnect());
        if (!sent) throw new AppError('DOCTOR_KAFKA', 'the broker acknowledged nothing');
        // A throwaway group that starts at the offset we just wrote: nothing older is read.
        const groupId = `doctor-${marker}`;
        const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
        await consumer.connect();
        try {
          await consumer.subscribe({ topic: topics.doctor, fromBeginning: false });
          let seen: () => void = () => undefined;
          const received = new Promise<void>((resolve) => (seen = resolve));
          await consumer.run({
            eachMessage: async ({ message }) => {
              if (message.value?.toString() === marker) seen();
            },
          });
          consumer.seek({ topic: topics.doctor, partition: sent.partition, offset: sent.baseOffset ?? '0' });
          await withTimeout(received, 20_000, `message ${marker} did not come back from ${topics.doctor}`);
        } finally {
          await consumer.disconnect();
          await kafka
            .admin()
            .deleteGroups([groupId])
            .catch(() => undefined);
        }
        return `produced and consumed ${topics.doctor}[${sent.partition}]@${sent.baseOffset ?? '?'}`;
      });
    },

    async checkMlflow(): Promise<DependencyCheck> {
      return timed('mlflow', async () => {
        const experiments = await mlflow.searchExperiments(100);
        const models = await mlflow.searchRegisteredModels(100);
        return `tracking (${experiments.length} experiments) and registry (${models.length} models) at ${mlflow.baseUrl}`;
      });
    },

    async checkTemporalVisibility(): Promise<DependencyCheck> {
      return timed('temporal', async () => {
        const workflowId = Context.current().info.workflowExecution?.workflowId;
        if (!workflowId) throw new AppError('DOCTOR_TEMPORAL', 'the visibility check must run inside a workflow');
        const query = `WorkflowId = '${workflowId}' AND ${searchAttributes.pipeline.name} = 'doctor'`;
        for (let attempt = 0; attempt < 20; attempt++) {
          for await (const execution of temporal.workflow.list({ query })) {
            return `visibility found ${execution.workflowId} (${execution.status.name}) by ${searchAttributes.pipeline.name}`;
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        throw new AppError('DOCTOR_TEMPORAL', `visibility query found nothing: ${query}`);
      });
    },

    /** Once per doctor run: a retried activity or a replayed workflow records the run once. */
    async recordPlatformCheck(input: { workflowId: string; report: DoctorReport }): Promise<void> {
      await platformChecks.record(input);
    },
  };
}

export type DoctorActivities = ReturnType<typeof createDoctorActivities>;

async function timed(
  dependency: DependencyCheck['dependency'],
  check: () => Promise<string>,
): Promise<DependencyCheck> {
  const started = Date.now();
  const detail = await check();
  return { dependency, ok: true, detail, latencyMs: Date.now() - started };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('TIMEOUT', message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
