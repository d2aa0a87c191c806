import { z } from 'zod';

import {
  liveAccuracyAnswer,
  monitoringAccuracyQuery,
  monitoringReportIdText,
  monitoringReportsQuery,
} from '../routes/monitoring';

import { error, invalid } from './errors';
import { answer, parameters } from './schema';

const storedMonitoringReport = z.looseObject({
  id: z.number().int(),
  workflowId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  status: z.enum(['reported', 'no_reference']),
  reason: z.string().optional().describe('Why there is no drift report (no_reference)'),
  currentFrom: z.string(),
  currentTo: z.string(),
  datasetDrift: z.boolean().optional(),
  predictionDrift: z.boolean().optional(),
  targetDrift: z.boolean().optional(),
  summary: z.string().optional(),
  runUrl: z.string().optional().describe('The MLflow run of the report'),
  htmlUrl: z.string().optional().describe('The self-contained HTML report, served by MLflow'),
  accuracy: z.array(z.looseObject({})).optional().describe("The version's live accuracy over the window"),
  createdAt: z.string(),
});

/** Champion monitoring: the drift reports (monitorChampion) and the live accuracy of the served versions. */
export const monitoringPaths = () => ({
  '/monitoring/reports': {
    get: {
      summary: 'Champion drift reports (monitorChampion), newest first, with their verdicts and links',
      parameters: parameters(monitoringReportsQuery, 'query'),
      responses: {
        '200': answer('{reports}', z.looseObject({ reports: z.array(storedMonitoringReport) })),
        '400': invalid,
      },
    },
  },
  '/monitoring/accuracy': {
    get: {
      summary:
        'Live accuracy: rolling MAE of the predictions logged for real hours (GET /forecast, the hourly scoring), per model version and horizon, beside its holdout MAE',
      parameters: parameters(monitoringAccuracyQuery, 'query'),
      responses: {
        '200': answer('{accuracy}', z.looseObject({ accuracy: z.array(liveAccuracyAnswer) })),
        '400': invalid,
      },
    },
  },
  '/monitoring/reports/{id}': {
    get: {
      summary: 'One drift report with its full JSON (every column: method, score, threshold, decision)',
      parameters: parameters(z.object({ id: monitoringReportIdText }), 'path'),
      responses: {
        '200': answer(
          '{report}',
          z.looseObject({ report: storedMonitoringReport.extend({ report: z.unknown().optional() }) }),
        ),
        '400': invalid,
        '404': error('no report with this id: `UNKNOWN_MONITORING_REPORT`'),
      },
    },
  },
});
