import { eaqiBand, type EaqiBand } from '../air-quality/european-aqi';

import { cutTo } from './alert';
import type { PipelineAlert } from './pipeline-alerts';

/**
 * Alerts for the air itself (workflow code imports this file: no Node API, no clock). An hour at "poor" or
 * worse on the European AQI, seen in a stored reading (observed) or in a champion's prediction of a later
 * hour (forecast). One alert per location, kind, UTC day and band: the hourly ingest sees each hour three
 * times (its look-back) and a bad day is many hours, so the key names the day and the band, never the hour;
 * a day that gets worse (poor → very poor) is told again.
 */
export interface PoorAirHour {
  locationId: string;
  kind: 'observed' | 'forecast';
  /** The hour the index is for (the target hour of a forecast), ISO. */
  hour: string;
  europeanAqi: number;
  /** For a forecast: the model that made it and how far ahead. */
  model?: { name: string; version: string; horizonHours: number };
}

const poorBands: readonly EaqiBand[] = ['poor', 'very poor', 'extremely poor'];

/** Above this European AQI an hour is "poor" or worse (the upper edge of "moderate" is included in it). */
export const poorAirAboveDefault = 60;

export function isPoorOrWorse(europeanAqi: number): boolean {
  return poorBands.includes(eaqiBand(europeanAqi));
}

export function poorAirAlerts(hours: readonly PoorAirHour[], at: string): PipelineAlert[] {
  const worst = new Map<string, PoorAirHour & { band: EaqiBand }>();
  for (const hour of hours) {
    if (!isPoorOrWorse(hour.europeanAqi)) continue;
    const band = eaqiBand(hour.europeanAqi);
    const key = `air-poor:${hour.kind}:${hour.locationId}:${hour.hour.slice(0, 10)}:${band.replace(/ /g, '-')}`;
    const seen = worst.get(key);
    if (seen === undefined || hour.europeanAqi > seen.europeanAqi) worst.set(key, { ...hour, band });
  }
  return [...worst.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, hour]) => poorAirAlert(key, hour, at));
}

function poorAirAlert(key: string, hour: PoorAirHour & { band: EaqiBand }, at: string): PipelineAlert {
  const value = hour.europeanAqi.toFixed(0);
  const model = hour.model;
  const title =
    hour.kind === 'observed'
      ? `${hour.locationId}: air ${hour.band} (European AQI ${value}) at ${hour.hour}`
      : `${hour.locationId}: air forecast ${hour.band} (European AQI ${value}) for ${hour.hour}`;
  const text =
    model === undefined
      ? `The stored reading of ${hour.hour} has a European AQI of ${value}, "${hour.band}". Sensitive groups should reduce outdoor activity.`
      : `${model.name} version ${model.version} predicts a European AQI of ${value}, "${hour.band}", ${model.horizonHours} h ahead, for ${hour.hour}.`;
  return {
    key,
    kind: 'air_quality_poor',
    severity: hour.band === 'poor' ? 'warning' : 'critical',
    title: cutTo(title, 200),
    text: cutTo(text, 3000),
    facts: {
      location: hour.locationId,
      hour: hour.hour,
      'European AQI': Number(hour.europeanAqi.toFixed(1)),
      band: hour.band,
      ...(model === undefined ? {} : { model: `${model.name} v${model.version}`, horizon: `+${model.horizonHours} h` }),
    },
    at,
  };
}
