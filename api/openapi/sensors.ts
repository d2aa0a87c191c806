import { z } from 'zod';

import { sensorId } from '../../core/sensors/reading';
import { sensorStatuses } from '../../core/sensors/registry';
import { sensorListQuery, sensorReadingsBody, sensorReadingsQuery } from '../routes/sensors';

import { error, forbidden, invalid, unauthenticated, windowRules } from './errors';
import { answer, json, parameters, secured } from './schema';
import { band } from './serving';

const registeredSensor = z.looseObject({
  id: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  nearestLocationId: z.string().nullable(),
  status: z.enum(sensorStatuses),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
const fit = {
  measurement: z.string(),
  referenceLocationId: z.string(),
  bias: z.number(),
  slope: z.number(),
  intercept: z.number(),
  r2: z.number(),
  n: z.number().int(),
};
const storedCalibration = z.looseObject({
  ...fit,
  windowDays: z.number().int(),
  asOf: z.string(),
  verdict: z
    .looseObject({ withinTargets: z.boolean(), outside: z.array(z.enum(['slope', 'intercept', 'r2'])) })
    .nullable(),
});
const baseline = z.looseObject({ ...fit, establishedOn: z.string(), windowDays: z.number().int() });
const latestSensorReading = z.looseObject({
  sensorId: z.string(),
  at: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  measurements: z.record(z.string(), z.number()),
  qcFlags: z.array(z.string()),
  europeanAqi: z.looseObject({ value: z.number(), band }).nullable(),
});
const sensorSeries = z.looseObject({
  sensorId: z.string(),
  from: z.string(),
  to: z.string(),
  times: z.array(z.number().int()),
  pm2_5: z.array(z.number()),
  pm10: z.array(z.number()),
  no2: z.array(z.number()),
  qc_flags: z.array(z.array(z.string())),
});

/** The IoT sensors: sending readings, the registry, each sensor's anomalies, calibration and stored readings. */
export const sensorPaths = () => ({
  '/sensors/readings': {
    post: {
      summary: 'Send IoT sensor readings (one, or {readings: [...]}) to sensors.raw, as any producer does',
      security: secured,
      requestBody: { required: true, ...json(sensorReadingsBody) },
      responses: {
        '202': answer('the broker has them: {accepted}', z.looseObject({ accepted: z.number().int().min(1) })),
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '503': error('the broker did not take them (Kafka away): `BROKER_UNAVAILABLE`; send again'),
      },
    },
  },
  '/sensors': {
    get: {
      summary: 'The registered sensors: position, reference location, first and last reading, status',
      parameters: parameters(sensorListQuery, 'query'),
      responses: {
        '200': answer('every sensor (of that status)', z.looseObject({ sensors: z.array(registeredSensor) })),
        '400': invalid,
      },
    },
  },
  '/sensors/{id}': {
    get: {
      summary:
        'One sensor, its anomalies (newest first) and its calibration: the latest 7- and 30-day fits against its reference with their verdict against EPA targets, and its baselines',
      parameters: parameters(z.object({ id: sensorId }), 'path'),
      responses: {
        '200': answer(
          '{sensor, anomalies, calibration}',
          z.looseObject({
            sensor: registeredSensor,
            anomalies: z.array(z.looseObject({ id: z.string(), type: z.string() })),
            calibration: z.looseObject({ latest: z.array(storedCalibration), baselines: z.array(baseline) }),
          }),
        ),
        '400': invalid,
        '404': error('no sensor with this id has been seen: `UNKNOWN_SENSOR`'),
      },
    },
  },
  '/sensors/readings/latest': {
    get: {
      summary:
        "Each active sensor's newest reading with its QC flags and its European AQI (EEA 2024 bands, the raw values), for the map",
      responses: {
        '200': answer(
          '{method, readings}',
          z.looseObject({ method: z.string(), readings: z.array(latestSensorReading) }),
        ),
      },
    },
  },
  '/sensors/{id}/readings': {
    get: {
      summary: "One sensor's stored readings over [from, to) (at most 7 days) as columns, with each one's QC flags",
      parameters: [...parameters(z.object({ id: sensorId }), 'path'), ...parameters(sensorReadingsQuery, 'query')],
      responses: {
        '200': answer('{sensorId, from, to, times, pm2_5, pm10, no2, qc_flags}', sensorSeries),
        '400': invalid,
        '404': error('no sensor with this id has been seen: `UNKNOWN_SENSOR`'),
        '422': error(windowRules(7)),
      },
    },
  },
});
