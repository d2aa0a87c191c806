import { eaqiBand, type EaqiBand } from '../air-quality/european-aqi';
import { transformedReadingMessage } from '../air-quality/messages';
import { sensorAnomaly } from '../sensors/anomaly';
import { topics } from '../topics';

/** The index a live reading is shown with: the one the timeline draws (the platform's pre-2026 EAQI). */
const liveIndexMethod = 'eaqi-open-meteo-pre-2026-08';

/** A stored location hour, as `GET /events` sends it (`event: reading`). */
export interface LiveReading {
  type: 'reading';
  location: string;
  /** The hour, ISO UTC. */
  at: string;
  european_aqi: number | null;
  band: EaqiBand | null;
  storedAt: string;
}

/** A sensor anomaly, as `GET /events` sends it (`event: anomaly`). */
export interface LiveAnomaly {
  type: 'anomaly';
  id: string;
  sensorId: string;
  anomalyType: string;
  measurement?: string;
  severity: string;
  /** Event time the fault started. */
  at: string;
}

export type LiveEvent = LiveReading | LiveAnomaly;

/**
 * A Kafka message of `aqi.transformed` or `sensors.anomalies` as the small event the dashboard needs, or
 * undefined for one that is not of its topic's contract (a consumer of a shared topic skips what it cannot
 * read; the producers' dead-letter topics are where bad messages are kept).
 */
export function liveEventOf(topic: string, value: string): LiveEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (topic === topics.aqiTransformed) {
    const parsed = transformedReadingMessage.safeParse(json);
    if (!parsed.success) return undefined;
    const m = parsed.data;
    const index = m.indices.find((i) => i.method === liveIndexMethod)?.value ?? m.reading.reported.european_aqi ?? null;
    return {
      type: 'reading',
      location: m.locationId,
      at: m.reading.observedAt,
      european_aqi: index,
      band: index === null ? null : eaqiBand(index),
      storedAt: m.storedAt,
    };
  }
  if (topic === topics.sensorsAnomalies) {
    const parsed = sensorAnomaly.safeParse(json);
    if (!parsed.success) return undefined;
    const a = parsed.data;
    return {
      type: 'anomaly',
      id: a.id,
      sensorId: a.sensor_id,
      anomalyType: a.type,
      ...(a.measurement === undefined ? {} : { measurement: a.measurement }),
      severity: a.severity,
      at: a.window.start,
    };
  }
  return undefined;
}

/** The topics the live feed reads. */
export const liveTopics = [topics.aqiTransformed, topics.sensorsAnomalies] as const;
