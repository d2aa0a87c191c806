import { poorAirAboveDefault, type PoorAirHour } from '../core/alerts/air-quality-alerts';

import type { AirQualityRepository } from './repositories';

/**
 * `findPoorAir` (the hourly ingest, after the hours are stored and scored): the observed hours of the window
 * and the champions' forecasts made from them at "poor" or worse, for the workflow to tell people about.
 */
export function createAirQualityAlertActivities({ airQuality }: { airQuality: AirQualityRepository }) {
  return {
    async findPoorAir(input: { locationIds: string[]; from: string; to: string }): Promise<PoorAirHour[]> {
      return airQuality.poorHours({ ...input, above: poorAirAboveDefault });
    },
  };
}

export type AirQualityAlertActivities = ReturnType<typeof createAirQualityAlertActivities>;
