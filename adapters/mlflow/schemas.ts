import { z } from 'zod';

/**
 * MLflow's REST answers (protobuf as JSON) and their translation into the adapter's own shapes: key/value
 * lists become records, snake_case becomes camelCase, absent lists become empty ones.
 */

export interface MlflowRun {
  runId: string;
  experimentId: string;
  runName?: string;
  status: string;
  artifactUri: string;
  startTime?: number;
  endTime?: number;
  params: Record<string, string>;
  /** The latest value of each metric. */
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  runId?: string;
  source: string;
  status: string;
  tags: Record<string, string>;
  aliases: string[];
  creationTimestamp?: number;
}

// int64 fields may come as JSON strings (protobuf's JSON mapping), doubles as "NaN" or "Infinity".
const int64 = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);
const keyValues = z
  .array(z.object({ key: z.string(), value: z.string().optional() }))
  .optional()
  .transform((entries = []) => Object.fromEntries(entries.map((e) => [e.key, e.value ?? ''])));

export const experiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  lifecycle_stage: z.string().optional(),
});
export type MlflowExperiment = z.infer<typeof experiment>;

export const searchExperimentsResponse = z.object({ experiments: z.array(experiment).optional().default([]) });
export const getExperimentResponse = z.object({ experiment });
export const createExperimentResponse = z.object({ experiment_id: z.string() });

const run = z
  .object({
    info: z.object({
      run_id: z.string(),
      experiment_id: z.string(),
      run_name: z.string().optional(),
      status: z.string(),
      artifact_uri: z.string(),
      start_time: int64.optional(),
      end_time: int64.optional(),
    }),
    data: z
      .object({
        params: keyValues,
        tags: keyValues,
        metrics: z.array(z.object({ key: z.string(), value: double })).optional(),
      })
      .optional(),
  })
  .transform(({ info, data }): MlflowRun => ({
    runId: info.run_id,
    experimentId: info.experiment_id,
    runName: info.run_name,
    status: info.status,
    artifactUri: info.artifact_uri,
    startTime: info.start_time,
    endTime: info.end_time,
    params: data?.params ?? {},
    metrics: Object.fromEntries((data?.metrics ?? []).map((m) => [m.key, m.value])),
    tags: data?.tags ?? {},
  }));

export const runResponse = z.object({ run });
export const searchRunsResponse = z.object({
  runs: z.array(run).optional().default([]),
  next_page_token: z.string().optional(),
});

export const listArtifactsResponse = z.object({
  files: z
    .array(z.object({ path: z.string(), is_dir: z.boolean().optional().default(false), file_size: int64.optional() }))
    .optional()
    .default([]),
  next_page_token: z.string().optional(),
});

export const searchRegisteredModelsResponse = z.object({
  registered_models: z
    .array(z.object({ name: z.string() }))
    .optional()
    .default([]),
});
export const registeredModelResponse = z.object({
  registered_model: z.object({
    name: z.string(),
    aliases: z
      .array(z.object({ alias: z.string(), version: z.string() }))
      .optional()
      .default([]),
  }),
});

const modelVersion = z
  .object({
    name: z.string(),
    version: z.string(),
    run_id: z.string().optional(),
    source: z.string(),
    status: z.string(),
    tags: keyValues,
    aliases: z.array(z.string()).optional().default([]),
    creation_timestamp: int64.optional(),
  })
  .transform((v): MlflowModelVersion => ({
    name: v.name,
    version: v.version,
    // A version registered without a run carries run_id "".
    runId: v.run_id === '' ? undefined : v.run_id,
    source: v.source,
    status: v.status,
    tags: v.tags,
    aliases: v.aliases,
    creationTimestamp: v.creation_timestamp,
  }));

export const modelVersionResponse = z.object({ model_version: modelVersion });
export const searchModelVersionsResponse = z.object({
  model_versions: z.array(modelVersion).optional().default([]),
  next_page_token: z.string().optional(),
});

/** Records as MLflow's request bodies carry them. */
export const toKeyValues = (record: Record<string, string> = {}) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

/** Calls that answer `{}`: anything that is an object is accepted. */
export const acknowledged = z.object({});
