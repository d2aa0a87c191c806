import pg from 'pg';

import type { Config } from '../../config';
import { describeError } from '../../core/errors';
import type { Logger } from '../logger';

export type Pool = pg.Pool;

/**
 * The platform's PostgreSQL pool. An idle pooled connection that PostgreSQL closes (a restart, a failover,
 * "terminating connection due to unexpected postmaster exit") is dropped and logged here instead of
 * crashing the process with an unhandled `error` event: the next query opens a new connection, and work
 * in flight fails and is retried by its owner (an activity, the stream's batch, an HTTP request).
 */
export function createPool(
  config: Config,
  options: { max?: number; applicationName?: string; logger?: Pick<Logger, 'warn'> } = {},
): pg.Pool {
  const { host, port, user, password, database } = config.postgres;
  const pool = new pg.Pool({
    host,
    port,
    user,
    password,
    database,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'aqi-platform',
    connectionTimeoutMillis: 5000,
  });
  pool.on('error', (err) => {
    const fields = { err: describeError(err), pool: options.applicationName ?? 'aqi-platform' };
    if (options.logger) options.logger.warn(fields, 'an idle PostgreSQL connection was closed; dropped it');
    else process.stderr.write(`PostgreSQL closed an idle connection of ${fields.pool}: ${fields.err}\n`);
  });
  return pool;
}
