import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The platform's custom search attributes: what makes its runs findable in the Temporal Web UI, e.g.
 * `AqiPipeline = "ingestHistory" AND AqiLocations = "lyon"`. Registered by temporal/register.ts.
 */
export const searchAttributes = {
  pipeline: defineSearchAttributeKey('AqiPipeline', SearchAttributeType.KEYWORD),
  locations: defineSearchAttributeKey('AqiLocations', SearchAttributeType.KEYWORD_LIST),
  rangeStart: defineSearchAttributeKey('AqiRangeStart', SearchAttributeType.DATETIME),
  rangeEnd: defineSearchAttributeKey('AqiRangeEnd', SearchAttributeType.DATETIME),
  modelVersion: defineSearchAttributeKey('AqiModelVersion', SearchAttributeType.KEYWORD),
  promotionStatus: defineSearchAttributeKey('AqiPromotionStatus', SearchAttributeType.KEYWORD),
  /** Where a training pipeline is: `PipelineStage = "awaiting_approval"` lists the pending approvals. */
  stage: defineSearchAttributeKey('PipelineStage', SearchAttributeType.KEYWORD),
  /** The sensor of an incident: `AqiPipeline = "sensorIncident" AND PipelineStage != "closed"` lists the open ones. */
  sensor: defineSearchAttributeKey('AqiSensor', SearchAttributeType.KEYWORD),
  anomalyType: defineSearchAttributeKey('AqiAnomalyType', SearchAttributeType.KEYWORD),
  /** Who asked for the work (airflow, schedule, cli, api, start): `AqiTrigger = "airflow"` lists Airflow's. */
  trigger: defineSearchAttributeKey('AqiTrigger', SearchAttributeType.KEYWORD_LIST),
} as const;
