import type { Client } from '@temporalio/client';
import type pg from 'pg';

import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import type { Config } from '../../config';

/** A pool and a Temporal client on the test stack, shared by the tests of one file or describe block. */
export interface StackClients {
  readonly pool: pg.Pool;
  /** Connected in the block's beforeAll: read it inside a test or hook (before, it throws). */
  readonly client: Client;
}

/**
 * Registers the calling file's or describe block's hooks: the Temporal client connects before its first
 * test, and the client and the pool (two connections) close after its last.
 */
export function stackClients(config: Config): StackClients {
  const pool = createPool(config, { max: 2 });
  let client: Client | undefined;
  beforeAll(async () => {
    client = await connectTemporal(config);
  });
  afterAll(async () => {
    await client?.connection.close();
    await pool.end();
  });
  return {
    pool,
    get client() {
      if (!client) throw new Error('the Temporal client connects in beforeAll: read it inside a test or hook');
      return client;
    },
  };
}
