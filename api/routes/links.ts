import { Router } from 'express';

import type { Config } from '../../config';

/** The Airflow DAGs that start the platform's runs, by what they do. */
const dags = {
  hourly: 'aqi_hourly',
  history: 'aqi_history',
  quality: 'aqi_quality',
  training: 'aqi_training',
  daily: 'aqi_daily',
  sensorRollup: 'aqi_sensor_rollup',
  monitoring: 'aqi_monitoring',
} as const;

/** Where people look further: the Temporal Web UI, MLflow and Airflow (its DAGs), as configured. */
export function linkAnswer(config: Config) {
  return {
    temporal: {
      ui: config.temporal.uiUrl,
      workflows: `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`,
    },
    mlflow: { ui: config.mlflow.url, models: `${config.mlflow.url}/#/models` },
    airflow: {
      ui: config.airflow.url,
      dags: Object.fromEntries(Object.entries(dags).map(([what, id]) => [what, `${config.airflow.url}/dags/${id}`])),
    },
  };
}

/** `GET /links`: the UIs of the platform's services, for the dashboard's links (no secret in them). */
export function linkRoutes(config: Config): Router {
  const router = Router();
  const links = linkAnswer(config);
  router.get('/links', (_req, res) => void res.json(links));
  return router;
}
