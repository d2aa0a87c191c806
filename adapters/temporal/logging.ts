import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

import type { Logger } from '../logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's logs (worker, workflow `log`, activity `log`) into the platform's JSON logs. */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      logger[levels[entry.level]]({ sdk: 'temporal', ...entry.meta }, entry.message);
    }),
  });
}
