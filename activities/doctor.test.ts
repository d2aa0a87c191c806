import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';

import type { MlflowClient } from '../adapters/mlflow/client';
import { summarizeChecks } from '../core/doctor';
import { inActivityOf } from '../test/support/activity-context';
import { fakePlatformChecks } from '../test/support/repository-fakes';

import { createDoctorActivities } from './doctor';

const inActivity = inActivityOf('doctor-1');

/** The PostgreSQL side of the doctor; Kafka, MLflow and Temporal are checked against real ones in integration. */
function setUp(database?: { version: string; migrations: number }) {
  const checks = fakePlatformChecks(database);
  const activities = createDoctorActivities({
    platformChecks: checks.repository,
    kafka: {} as Kafka,
    mlflow: {} as MlflowClient,
    temporal: {} as Client,
  });
  return { activities, checks };
}

describe('the doctor activities on PostgreSQL', () => {
  it('checkPostgres reports the server version and the migrations applied, timed', async () => {
    const { activities } = setUp({ version: '17.10', migrations: 6 });

    const check = await inActivity(activities.checkPostgres);

    expect(check).toEqual({
      dependency: 'postgres',
      ok: true,
      detail: 'PostgreSQL 17.10, 6 migrations applied',
      latencyMs: expect.any(Number),
    });
  });

  it('recordPlatformCheck keeps one report per doctor run, the last one written', async () => {
    const { activities, checks } = setUp();
    const healthy = summarizeChecks([], '2024-05-01T10:00:00Z');
    const later = summarizeChecks([], '2024-05-01T10:05:00Z');

    await inActivity(activities.recordPlatformCheck, { workflowId: 'doctor-1', report: healthy });
    await inActivity(activities.recordPlatformCheck, { workflowId: 'doctor-1', report: later });

    expect([...checks.reports.entries()]).toEqual([['doctor-1', later]]);
  });
});
