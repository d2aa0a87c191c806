import { z } from 'zod';

import { trainingRequest } from '../../core/training/request';
import { triggerSources } from '../../core/work-ids/trigger';
import { approvalBody, backfillBody, qualityBody } from '../routes/pipelines';

import { error, forbidden, invalid, unauthenticated } from './errors';
import { answer, json, secured } from './schema';

/** Who asked for a run (its memo `triggers`), oldest first; an Airflow run carries its page in the Airflow UI. */
export const runTriggers = z.array(
  z.looseObject({
    source: z.enum(triggerSources),
    detail: z.string(),
    at: z.string(),
    url: z.string().optional(),
  }),
);
const startedRun = z.looseObject({
  workflowId: z.string(),
  started: z.boolean(),
  completedRun: z.string().optional().describe('set when the work had already completed: the run that did it'),
  url: z.string(),
});
/** The 202 of a pipeline start, linked to the status of the run it names (for clients and stateful tests). */
const started = {
  ...answer(
    'the run started or joined, or the run that had already done the work: {workflowId, started, completedRun?, url}',
    startedRun,
  ),
  links: { status: { operationId: 'pipelineStatus', parameters: { id: '$response.body#/workflowId' } } },
};

/** A pipeline run is named by its Temporal workflow id; the path segment is any text (percent-encoded). */
const runIdParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } };

/** The 422 of the pipeline starts: the body matches the schema, but its hours are out of order. */
const inconsistent = (rule: string) =>
  error(
    `\`INCONSISTENT_FIELDS\`: the body matches the schema but ${rule} (a rule between fields JSON Schema cannot state)`,
  );

/** The Temporal pipelines: starting (or joining) a run, its status, and the decision on a challenger. */
export const pipelinePaths = () => ({
  '/pipelines/backfill': {
    post: {
      summary: 'Start (or join) ingestHistory',
      security: secured,
      requestBody: { required: true, ...json(backfillBody) },
      responses: {
        '202': started,
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '422': inconsistent('`to` is before `from`'),
      },
    },
  },
  '/pipelines/quality': {
    post: {
      summary: 'Start (or join) checkDataQuality over [from, to)',
      security: secured,
      requestBody: { required: true, ...json(qualityBody) },
      responses: {
        '202': started,
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '422': inconsistent('`to` is not after `from`'),
      },
    },
  },
  '/pipelines/training': {
    post: {
      summary: 'Start (or join) trainingPipeline',
      security: secured,
      requestBody: { required: true, ...json(trainingRequest) },
      responses: {
        '202': started,
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '422': inconsistent('the windows are not in order (trainFrom < validationFrom < testFrom < testTo)'),
      },
    },
  },
  '/pipelines/{id}': {
    get: {
      operationId: 'pipelineStatus',
      summary: 'Status of a run (and promotionStatus of a training run)',
      parameters: [runIdParameter],
      responses: {
        '200': answer(
          'PipelineDescription',
          z.looseObject({
            workflowId: z.string(),
            type: z.string(),
            status: z.string(),
            url: z.string(),
            promotionStatus: z.looseObject({ stage: z.string(), modelName: z.string() }).optional(),
            triggers: runTriggers,
          }),
        ),
        '404': error('no run with this workflow id: `PIPELINE_NOT_FOUND`'),
      },
    },
  },
  '/pipelines/{id}/approval': {
    post: {
      summary: 'Decide on a challenger (the approvePromotion update) as the key’s name',
      security: secured,
      parameters: [runIdParameter],
      requestBody: { required: true, ...json(approvalBody) },
      responses: {
        '202': answer(
          'the decision was taken: {workflowId, approver, decision, stage}',
          z.looseObject({
            workflowId: z.string(),
            approver: z.string(),
            decision: z.enum(['approve', 'reject']),
            stage: z.string(),
          }),
        ),
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '404': error('no training run with this workflow id: `PIPELINE_NOT_FOUND`'),
        '409': error(
          'refused by the workflow (not awaiting approval, already decided): `APPROVAL_REFUSED`, the reason in error.message',
        ),
        '503': error(
          'no worker answered within TEMPORAL_UPDATE_WAIT_SECONDS: `NO_WORKER_ANSWER` (not confirmed; check the run before repeating)',
        ),
      },
    },
  },
});
