import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { runDoctor } from '../../cli/doctor';
import { dependencies } from '../../core/doctor';
import type { doctor } from '../../workflows/doctor';

import { testConfig } from './test-env';

const config = testConfig();

describe('doctor workflow against the real stack', () => {
  it('when the doctor runs, then every dependency checks out end to end', async () => {
    const run = await runDoctor(config, new Date(Date.UTC(2030, 0, 1, 0, 0, 1)));

    expect(run.report.healthy).toBe(true);
    expect(run.report.checks.map((c) => c.dependency)).toEqual([...dependencies]);
    for (const check of run.report.checks) expect(check).toMatchObject({ ok: true });
    expect(run.report.checks.find((c) => c.dependency === 'kafka')?.detail).toMatch(
      /produced and consumed platform\.doctor/,
    );
    expect(run.url).toContain(`/namespaces/${config.temporal.namespace}/workflows/${run.workflowId}/`);
  });

  it('when the doctor has run, then Temporal lists the run as completed, over gRPC and the HTTP API', async () => {
    const run = await runDoctor(config, new Date(Date.UTC(2030, 0, 1, 0, 0, 2)));
    const client = await connectTemporal(config);
    try {
      const described = await client.workflow.getHandle<typeof doctor>(run.workflowId).describe();
      expect(described.status.name).toBe('COMPLETED');
      expect(described.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toContainEqual([
        'AqiPipeline',
        'doctor',
      ]);
    } finally {
      await client.connection.close();
    }

    const query = encodeURIComponent(`WorkflowId = '${run.workflowId}'`);
    const response = await fetch(
      `http://${config.bindHost}:${config.temporal.httpPort}/api/v1/namespaces/${config.temporal.namespace}/workflows?query=${query}`,
    );
    const body = (await response.json()) as { executions?: { execution?: { workflowId?: string } }[] };
    expect(response.status).toBe(200);
    expect(body.executions?.map((e) => e.execution?.workflowId)).toEqual([run.workflowId]);
  });

  it('when the doctor has run, then its report is recorded once in PostgreSQL', async () => {
    const when = new Date(Date.UTC(2030, 0, 1, 0, 0, 3));
    const first = await runDoctor(config, when);
    // Same second, same id: the running or finished run is reused, not duplicated.
    const second = await runDoctor(config, when);
    const pool = createPool(config, { max: 1 });
    try {
      const { rows } = await pool.query<{ healthy: boolean; checks: number }>(
        `SELECT healthy, jsonb_array_length(report->'checks') AS checks FROM platform_checks WHERE workflow_id = $1`,
        [first.workflowId],
      );
      expect(second.workflowId).toBe(first.workflowId);
      expect(second.runId).toBe(first.runId);
      expect(rows).toEqual([{ healthy: true, checks: 4 }]);
    } finally {
      await pool.end();
    }
  });
});
