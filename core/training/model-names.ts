import { modelNameFor } from './promotion';

/** What a registered model name stands for. */
export interface ModelIdentity {
  kind: 'instant' | 'forecast';
  horizonHours: number;
}

const forecastName = /^aqi-eaqi-forecast-([1-9]\d{0,3})h$/;

/**
 * The kind and horizon of one of the platform's model names (`modelNameFor`'s inverse), or undefined for any
 * other registered model: how the API tells, from the registry alone, which champions it serves.
 */
export function modelIdentityOf(name: string): ModelIdentity | undefined {
  if (name === modelNameFor('instant', 0)) return { kind: 'instant', horizonHours: 0 };
  const match = forecastName.exec(name);
  if (!match) return undefined;
  const horizonHours = Number(match[1]);
  // Only a name modelNameFor would write: one spelling per model.
  return modelNameFor('forecast', horizonHours) === name ? { kind: 'forecast', horizonHours } : undefined;
}
