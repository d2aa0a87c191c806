import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { trainingWorkId, type TrainingWork } from '../../core/work-ids/training';
import {
  dataQualityWorkId,
  ingestHistoryWorkId,
  ingestHourlyWorkId,
  latestMonitorWorkId,
  monitorChampionsWorkId,
  sensorDailyRollupWorkId,
} from '../../core/work-ids/work-ids';

/** The cases both sides are held to (test/fixtures/work-ids/cases.json; dags/tests/test_work_ids.py reads it too). */
export const sharedCasesFile = path.join(__dirname, '..', 'fixtures', 'work-ids', 'cases.json');

const sharedCase = z.object({
  note: z.string(),
  work: z.string(),
  input: z.record(z.string(), z.unknown()),
  id: z.string(),
});
export type SharedCase = z.infer<typeof sharedCase>;

export function readSharedCases(): SharedCase[] {
  return z.object({ cases: z.array(sharedCase).min(1) }).parse(JSON.parse(readFileSync(sharedCasesFile, 'utf8'))).cases;
}

const places = (input: Record<string, unknown>) => input.locationIds as string[];

/** The id TypeScript gives a case's work. */
export function workIdOf(work: string, input: Record<string, unknown>): string {
  switch (work) {
    case 'ingestHourly':
      return ingestHourlyWorkId(places(input), input.hour as string);
    case 'ingestHistory':
      return ingestHistoryWorkId(places(input), input.from as string, input.to as string, input.dryRun === true);
    case 'checkDataQuality':
      return dataQualityWorkId(places(input), input.from as string, input.to as string);
    case 'sensorDailyRollup':
      return sensorDailyRollupWorkId(input.day as string);
    case 'monitorChampions':
      return monitorChampionsWorkId(input.windowDays as number, input.to as string);
    case 'monitorChampionsLatest':
      return latestMonitorWorkId(input.stamp as string);
    case 'trainingPipeline':
      return trainingWorkId(input as unknown as TrainingWork);
    default:
      throw new Error(`no work id function for ${work}`);
  }
}
