import { z } from 'zod';

import { calendarDate } from '../validation';

/**
 * One reading of a low-cost IoT air-quality sensor, as it arrives on `sensors.raw` (message key = sensor id)
 * or in `POST /sensors/readings`. Field names are the wire format's (snake case, as devices send them).
 * Values are taken as sent: an out-of-range or sentinel value (-999, a negative concentration) is valid
 * here and flagged by the detector's checks, never dropped; only what cannot be read goes to the DLQ.
 */

/** Sensor ids as devices name themselves: letters, digits, `_`, `-`, `.`; e.g. `CAP_001`. */
export const sensorId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a sensor id such as "CAP_001" (letters, digits, _ - .; at most 64)');

/** Units: µg/m³ for particles and gases (as the Open-Meteo reference), °C, % relative humidity. */
export const sensorMeasurementNames = ['pm2_5', 'pm10', 'no2', 'o3', 'co', 'temperature', 'relative_humidity'] as const;
export type SensorMeasurementName = (typeof sensorMeasurementNames)[number];

const value = z.number().finite();

export const sensorMeasurements = z.strictObject({
  pm2_5: value,
  pm10: value,
  no2: value,
  o3: value.optional(),
  co: value.optional(),
  temperature: value.optional(),
  relative_humidity: value.optional(),
});
export type SensorMeasurements = z.infer<typeof sensorMeasurements>;

export const sensorReading = z.strictObject({
  sensor_id: sensorId,
  /** When the sensor measured (event time), ISO 8601 with a zone: `2024-01-15T14:30:00Z`. */
  timestamp: z
    .string()
    .regex(
      new RegExp(
        `^${calendarDate}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$`,
      ),
      'an ISO 8601 instant with its zone, such as 2024-01-15T14:30:00Z',
    ),
  location: z.strictObject({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  }),
  measurements: sensorMeasurements,
});
export type SensorReading = z.infer<typeof sensorReading>;
