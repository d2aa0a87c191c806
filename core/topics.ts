/** The platform's Kafka topics: the stack creates them, producers and consumers name them from here. */
export interface TopicSpec {
  name: string;
  partitions: number;
  config?: Record<string, string>;
}

export const topics = {
  aqiRaw: 'aqi.raw',
  aqiTransformed: 'aqi.transformed',
  aqiDeadLetter: 'aqi.dlq',
  sensorsRaw: 'sensors.raw',
  sensorsProcessed: 'sensors.processed',
  sensorsAnomalies: 'sensors.anomalies',
  sensorsDeadLetter: 'sensors.dlq',
  doctor: 'platform.doctor',
} as const;

const week = String(7 * 24 * 3600 * 1000);
const month = String(30 * 24 * 3600 * 1000);

export const kafkaTopics: readonly TopicSpec[] = [
  { name: topics.aqiRaw, partitions: 3, config: { 'retention.ms': week } },
  { name: topics.aqiTransformed, partitions: 3, config: { 'retention.ms': week } },
  // Dead letters are kept a month: somebody has to look at them before they go.
  { name: topics.aqiDeadLetter, partitions: 1, config: { 'retention.ms': month } },
  { name: topics.sensorsRaw, partitions: 3, config: { 'retention.ms': week } },
  { name: topics.sensorsProcessed, partitions: 3, config: { 'retention.ms': week } },
  { name: topics.sensorsAnomalies, partitions: 1, config: { 'retention.ms': week } },
  { name: topics.sensorsDeadLetter, partitions: 1, config: { 'retention.ms': month } },
  // The doctor's round-trip messages are only useful for a moment.
  { name: topics.doctor, partitions: 1, config: { 'retention.ms': String(3600 * 1000) } },
];
