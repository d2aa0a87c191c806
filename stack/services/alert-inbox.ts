import path from 'node:path';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import type { StackLayout } from '../layout';
import { runningPid, startDetached, stopDetached } from '../processes';
import { waitUntilReady } from '../wait';

import type { StackService } from './service';

/**
 * The alert inbox (`workers/alert-inbox.ts`): the local webhook the platform's alerts reach on embedded
 * defaults (see `appEnvironment`). Ready when our process runs and `/health` answers.
 */
/** Where the inbox keeps the alerts it received (JSON lines), beside the stack's logs. */
export const alertInboxFile = (layout: StackLayout) => path.join(layout.logsDir, 'alert-inbox.jsonl');

export function alertInboxService(config: Config, layout: StackLayout): StackService {
  const { url } = config.alerts.inbox;
  const isReady = async () => {
    if (runningPid(layout, 'alert-inbox') === undefined) return false;
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  };
  return {
    name: 'alert-inbox',
    install: async () => undefined,
    isReady,
    start: async () => {
      if (runningPid(layout, 'alert-inbox') === undefined) {
        startDetached(layout, {
          name: 'alert-inbox',
          command: process.execPath,
          args: ['--import', 'tsx', path.join(repoRoot, 'workers', 'alert-inbox.ts'), '--file', alertInboxFile(layout)],
          cwd: repoRoot,
        });
      }
      await waitUntilReady('alert inbox', isReady, {
        timeoutMs: 30_000,
        logFile: layout.logFile('alert-inbox'),
        alive: () => runningPid(layout, 'alert-inbox') !== undefined,
      });
    },
    stop: async () => {
      await stopDetached(layout, 'alert-inbox', 10_000);
    },
    addresses: () => ({ url }),
  };
}
