import { distanceKm } from '../../locations/location';
import { madToSd, median, medianAbsoluteDeviation } from '../checks/robust';
import type { SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import type { HourlyFinding } from './finding';

/**
 * Disagreement with nearby sensors, for one hour and measurement: a sensor's hourly mean against the median
 * of its neighbours' (other sensors within `neighbourRadiusKm`). It disagrees when
 * |x − median| > max(k·1.4826·MAD, `neighbourMinDifference`, `neighbourMinRelative` × |median|): the
 * Hampel rule across space, with floors after Barkjohn et al. (5 µg/m³ for PM2.5, and 50 % of the median)
 * so that a tight, clean neighbourhood does not call ordinary sensor-to-sensor scatter a fault. The daily
 * checks pass means already on the reference's scale (each sensor's calibration taken out), so a sensor's
 * persistent offset or gain is not a disagreement. A median and a MAD need at
 * least `neighbourMinCount` (3) neighbours; with fewer the sensor is not judged. Neighbours are found by
 * comparing every pair, O(n²): fine for the hundreds of sensors of a city.
 */
export interface SensorHourlyMean {
  sensorId: string;
  location: { lat: number; lon: number };
  value: number;
}

export interface NeighbourAssessment {
  sensorId: string;
  neighbours: number;
  /** False with fewer than `neighbourMinCount` neighbours; the numbers below are then absent. */
  judged: boolean;
  median?: number;
  threshold?: number;
  finding?: HourlyFinding;
}

export function assessNeighbours(
  input: { hour: string; measurement: SensorMeasurementName; means: readonly SensorHourlyMean[] },
  thresholds: DetectorThresholds,
): NeighbourAssessment[] {
  const limits = thresholds.measurements[input.measurement];
  const hour = new Date(Date.parse(input.hour)).toISOString();
  const place = (m: SensorHourlyMean) => ({ latitude: m.location.lat, longitude: m.location.lon });
  const sensors = [...input.means].sort((a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
  return sensors.map((sensor) => {
    const values = sensors
      .filter((other) => other.sensorId !== sensor.sensorId)
      .filter((other) => distanceKm(place(sensor), place(other)) <= thresholds.neighbourRadiusKm)
      .map((other) => other.value);
    if (values.length < thresholds.neighbourMinCount) {
      return { sensorId: sensor.sensorId, neighbours: values.length, judged: false };
    }
    const center = median(values);
    const spread = medianAbsoluteDeviation(values, center);
    const threshold = Math.max(
      thresholds.neighbourK * madToSd * spread,
      limits.neighbourMinDifference,
      thresholds.neighbourMinRelative * Math.abs(center),
    );
    const assessment: NeighbourAssessment = {
      sensorId: sensor.sensorId,
      neighbours: values.length,
      judged: true,
      median: center,
      threshold,
    };
    const difference = Math.abs(sensor.value - center);
    if (difference > threshold) {
      assessment.finding = {
        sensorId: sensor.sensorId,
        type: 'neighbour_disagreement',
        measurement: input.measurement,
        start: hour,
        end: hour,
        score: difference / threshold,
        evidence: {
          value: sensor.value,
          neighbours_median: center,
          neighbours_mad: spread,
          neighbours: values.length,
          threshold,
        },
      };
    }
    return assessment;
  });
}
