import * as z from 'zod/mini';

/** What the page reads of each answer: the documented shapes (api/openapi/), only the fields it uses. */
const numbers = z.array(z.nullable(z.number()));
const band = z.enum(['good', 'fair', 'moderate', 'poor', 'very poor', 'extremely poor']);

export const locationsAnswer = z.object({
  locations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      latitude: z.number(),
      longitude: z.number(),
      readings: z.number(),
      firstHour: z.nullable(z.string()),
      lastHour: z.nullable(z.string()),
    }),
  ),
});
export type LocationSummary = z.infer<typeof locationsAnswer>['locations'][number];

export const timelineAnswer = z.object({
  hours: z.array(z.number()),
  european_aqi: numbers,
  pollutants: z.record(z.string(), numbers),
});
export type Timeline = z.infer<typeof timelineAnswer>;

export const forecastsAnswer = z.object({
  model: z.object({ name: z.string(), version: z.string() }),
  forecasts: z.array(
    z.object({ at: z.string(), target: z.string(), predicted: z.number(), actual: z.nullable(z.number()) }),
  ),
});

const check = z.object({ name: z.string(), status: z.string(), detail: z.string() });
export const qualityAnswer = z.object({
  reports: z.array(
    z.object({ from: z.string(), to: z.string(), verdict: z.string(), checks: z.array(check), url: z.string() }),
  ),
});

export const latestSensorsAnswer = z.object({
  readings: z.array(
    z.object({
      sensorId: z.string(),
      at: z.string(),
      latitude: z.number(),
      longitude: z.number(),
      qcFlags: z.array(z.string()),
      europeanAqi: z.nullable(z.object({ value: z.number(), band })),
    }),
  ),
});
export type LatestSensor = z.infer<typeof latestSensorsAnswer>['readings'][number];

export const sensorAnswer = z.object({
  anomalies: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      severity: z.string(),
      window: z.object({ start: z.string(), end: z.string() }),
      closed_at: z.nullable(z.string()),
    }),
  ),
});
export const sensorSeriesAnswer = z.object({
  times: z.array(z.number()),
  pm2_5: z.array(z.number()),
  qc_flags: z.array(z.array(z.string())),
});

const incident = z.object({
  id: z.string(),
  sensorId: z.string(),
  anomalyType: z.string(),
  state: z.string(),
  escalationLevel: z.number(),
  url: z.string(),
});
export const incidentsAnswer = z.object({ incidents: z.array(incident) });
export const incidentActionAnswer = z.object({ id: z.string(), state: z.string() });

const version = z.object({
  version: z.string(),
  holdout: z.record(z.string(), z.number()),
  versionUrl: z.string(),
  runUrl: z.optional(z.string()),
});
export const lineupAnswer = z.object({
  models: z.array(z.object({ name: z.string(), champion: z.optional(version), challenger: z.optional(version) })),
});
export const accuracyAnswer = z.object({
  accuracy: z.array(
    z.object({
      modelName: z.string(),
      modelVersion: z.string(),
      horizonHours: z.number(),
      from: z.string(),
      to: z.string(),
      resolved: z.number(),
      hours: z.number(),
      pending: z.number(),
      mae: z.optional(z.number()),
      holdoutMae: z.optional(z.number()),
      ratio: z.optional(z.number()),
    }),
  ),
});
export const approvalsAnswer = z.object({
  approvals: z.array(
    z.object({
      workflowId: z.string(),
      url: z.string(),
      triggers: z.array(
        z.object({ source: z.string(), detail: z.string(), at: z.string(), url: z.optional(z.string()) }),
      ),
      status: z.optional(
        z.object({
          modelName: z.string(),
          version: z.optional(z.string()),
          deadline: z.optional(z.string()),
          evaluation: z.optional(z.looseObject({ candidate: z.optional(z.looseObject({ mae: z.number() })) })),
        }),
      ),
    }),
  ),
});
export const approvalTaken = z.object({ decision: z.string(), stage: z.string() });
export const driftAnswer = z.object({
  reports: z.array(
    z.object({
      modelName: z.string(),
      modelVersion: z.string(),
      status: z.string(),
      datasetDrift: z.optional(z.boolean()),
      predictionDrift: z.optional(z.boolean()),
      summary: z.optional(z.string()),
      htmlUrl: z.optional(z.string()),
      runUrl: z.optional(z.string()),
      createdAt: z.string(),
    }),
  ),
});
export const promotionsAnswer = z.object({
  promotions: z.array(
    z.object({
      modelName: z.string(),
      modelVersion: z.optional(z.string()),
      decision: z.string(),
      approver: z.optional(z.string()),
      decidedAt: z.string(),
      url: z.string(),
    }),
  ),
});
export const linksAnswer = z.object({
  temporal: z.object({ workflows: z.string() }),
  mlflow: z.object({ models: z.string() }),
  airflow: z.object({ ui: z.string(), dags: z.record(z.string(), z.string()) }),
});
export type Links = z.infer<typeof linksAnswer>;

export const liveReading = z.object({
  location: z.string(),
  at: z.string(),
  european_aqi: z.nullable(z.number()),
  band: z.nullable(band),
});
export const liveAnomaly = z.object({
  id: z.string(),
  sensorId: z.string(),
  anomalyType: z.string(),
  severity: z.string(),
  at: z.string(),
});
