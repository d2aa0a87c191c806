import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { AppError } from '../../core/errors';
import type { StackLayout } from '../layout';
import { runningPid, startDetached, stopDetached } from '../processes';
import { waitUntilReady } from '../wait';

import type { StackService } from './service';

/**
 * The Open-Meteo-compatible replay server (`workers/replay-server.ts`) over the bundled CSV exports, so the
 * platform ingests real data offline. Ready when our process runs and `/health` lists at least one place (the
 * pid matters: another stack's replay server may answer on the same port).
 */
export function replayService(config: Config, layout: StackLayout): StackService {
  const url = `http://${config.bindHost}:${config.source.replay.port}`;
  const dataDir = path.resolve(repoRoot, config.source.replay.dataDir);

  const isReady = async () => {
    if (runningPid(layout, 'replay') === undefined) return false;
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return false;
    const body = (await response.json()) as { places?: unknown[] };
    return Array.isArray(body.places) && body.places.length > 0;
  };

  return {
    name: 'replay',
    install: async () => {
      if (!existsSync(dataDir) || !readdirSync(dataDir).some((f) => f.endsWith('.csv'))) {
        throw new AppError('STACK_START_FAILED', `REPLAY_DATA_DIR ${dataDir} holds no Open-Meteo CSV export`);
      }
    },
    isReady,
    start: async () => {
      if (runningPid(layout, 'replay') === undefined) {
        startDetached(layout, {
          name: 'replay',
          command: process.execPath,
          args: ['--import', 'tsx', path.join(repoRoot, 'workers', 'replay-server.ts')],
          cwd: repoRoot,
        });
      }
      await waitUntilReady('replay server', isReady, {
        timeoutMs: 60_000,
        logFile: layout.logFile('replay'),
        alive: () => runningPid(layout, 'replay') !== undefined,
      });
    },
    stop: async () => {
      await stopDetached(layout, 'replay', 10_000);
    },
    addresses: () => ({ url }),
  };
}
