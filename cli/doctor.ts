import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';

import { connectTemporal, workflowUrl } from '../adapters/temporal/client';
import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { formatReport, type DoctorReport } from '../core/doctor';
import { describeError } from '../core/errors';
import { searchAttributes } from '../temporal/search-attributes';
import { doctor } from '../workflows/doctor';

export interface DoctorRun {
  workflowId: string;
  runId: string;
  url: string;
  report: DoctorReport;
}

/** Starts the doctor workflow on the pipeline task queue and waits for its report. */
export async function runDoctor(config: Config, now = new Date()): Promise<DoctorRun> {
  const client = await connectTemporal(config);
  try {
    // One doctor run per second at most: a double click or a retried command joins the running or
    // finished run of that second instead of starting another.
    const workflowId = `doctor-${now.toISOString().slice(0, 19).replace(/:/g, '')}`;
    let handle;
    try {
      handle = await client.workflow.start(doctor, {
        taskQueue: config.temporal.taskQueue,
        workflowId,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowExecutionTimeout: '5 minutes',
        typedSearchAttributes: [{ key: searchAttributes.pipeline, value: doctor.name }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = client.workflow.getHandle<typeof doctor>(workflowId);
    }
    const report = await handle.result();
    const { runId } = await handle.describe();
    return { workflowId, runId, url: workflowUrl(config, workflowId, runId), report };
  } finally {
    await client.connection.close();
  }
}

if (require.main === module) {
  const config = configFromEnvironment();
  console.log(`running the doctor workflow on task queue ${config.temporal.taskQueue} at ${config.temporal.address}…`);
  runDoctor(config)
    .then((run) => {
      console.log(formatReport(run.report));
      console.log(`  workflow ${run.workflowId}: ${run.url}`);
      process.exit(run.report.healthy ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(`doctor could not run: ${describeError(err)}`);
      console.error('Is the stack up (npm start) and the pipeline worker running (npm run stack:status)?');
      process.exit(1);
    });
}
