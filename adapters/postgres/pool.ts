import pg from 'pg';

import type { Config } from '../../config';

export type Pool = pg.Pool;

export function createPool(config: Config, options: { max?: number; applicationName?: string } = {}): pg.Pool {
  const { host, port, user, password, database } = config.postgres;
  return new pg.Pool({
    host,
    port,
    user,
    password,
    database,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'aqi-platform',
    connectionTimeoutMillis: 5000,
  });
}
