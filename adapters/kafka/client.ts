import { Kafka, logLevel as kafkaLogLevel, type LogEntry } from 'kafkajs';

import type { Config } from '../../config';
import type { Logger } from '../logger';

/** A kafkajs client for the configured brokers whose own log lines go through the platform's logger. */
export function createKafka(config: Config, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    logLevel: kafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const method = level <= kafkaLogLevel.ERROR ? 'error' : level === kafkaLogLevel.WARN ? 'warn' : 'info';
        logger[method]({ kafka: namespace, ...extra }, message);
      },
  });
}
