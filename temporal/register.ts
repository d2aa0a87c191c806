import { Connection, isGrpcServiceError } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { describeError } from '../core/errors';

import { searchAttributes } from './search-attributes';

const GRPC_NOT_FOUND = 5;
const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

export const indexedType: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers the platform's namespace and custom search attributes, skipping what already exists, so it is
 * safe to run on every start (embedded stack) and as a one-shot job (docker-compose).
 */
export async function registerTemporal(config: Config, progress: (message: string) => void = () => undefined) {
  const { namespace } = config.temporal;
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('30 days'),
        description: 'Air-quality data and model lifecycle',
      });
      progress(`registered Temporal namespace ${namespace}`);
    }
    const existing = await retryWhileNamespaceIsNew(() =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.values(searchAttributes).filter((key) => !known.has(key.name));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType[key.type]])),
      });
      progress(`registered search attributes ${missing.map((k) => k.name).join(', ')}`);
    }
  } finally {
    await connection.close();
  }
}

/**
 * A namespace registered a moment ago is unknown to the rest of a multi-service server for up to ~10 s
 * (its namespace cache refreshes on a timer), so NOT_FOUND is retried for a while.
 */
async function retryWhileNamespaceIsNew<T>(call: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isGrpcServiceError(err) || err.code !== GRPC_NOT_FOUND || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

if (require.main === module) {
  registerTemporal(configFromEnvironment(), (message) => console.log(message)).catch((err: unknown) => {
    console.error(`Temporal registration failed: ${describeError(err)}`);
    process.exit(1);
  });
}
