import pg from 'pg';

import type { Config } from '../../config';
import { describeError } from '../../core/errors';
import type { Logger } from '../logger';

export type Pool = pg.Pool;

/**
 * The platform's PostgreSQL pool. A pooled connection that PostgreSQL closes (a restart, a failover,
 * "terminating connection due to unexpected postmaster exit"), idle or checked out, is logged and dropped
 * here instead of crashing the process with an unhandled `error` event: the next query opens a new
 * connection, and work in flight fails and is retried by its owner (an activity, the stream's batch, an
 * HTTP request).
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
  const closed = (state: 'idle' | 'checked-out') => (err: Error) => {
    const fields = { err: describeError(err), pool: options.applicationName ?? 'aqi-platform', state };
    if (options.logger) options.logger.warn(fields, 'PostgreSQL closed a pooled connection');
    else process.stderr.write(`PostgreSQL closed a ${state} connection of ${fields.pool}: ${fields.err}\n`);
  };
  // Idle connections: the pool re-emits their errors here and drops them.
  pool.on('error', closed('idle'));
  // Checked-out connections (a transaction between two statements, a COPY): without a listener of its own,
  // a client whose server went away emits an unhandled 'error' and the process dies. With one, the next
  // statement on it fails, its owner's retry takes over, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', closed('checked-out')));
  return pool;
}
