import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { createPool } from '../../adapters/postgres/pool';
import { createStreamProcessor } from '../../workers/stream/processor';

import { testConfig } from './test-env';

/**
 * A stream processor in a process of its own, for the crash test to SIGKILL: the group, topics and scratch
 * database come as arguments (`<groupId> <database> <raw> <transformed> <deadLetter>`). Small fetches and
 * chunks, so a kill lands with most of the topic still to do. Runs until killed.
 */
const [groupId, database, raw, transformed, deadLetter] = process.argv.slice(2);
if (!groupId || !database || !raw || !transformed || !deadLetter) {
  throw new Error('usage: stream-child <groupId> <database> <raw> <transformed> <deadLetter>');
}
const config = testConfig();
const logger = createLogger('stream-child', 'warn');
const pool = createPool({ ...config, postgres: { ...config.postgres, database } }, { max: 4 });
const processor = createStreamProcessor({
  kafka: createKafka(config, logger),
  pool,
  logger,
  topics: { raw, transformed, deadLetter },
  groupId,
  batch: { maxMessages: 100, maxBytesPerPartition: 64 * 1024 },
});
processor.start().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
