import path from 'node:path';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import type { StackLayout } from '../layout';
import { runningPid, startDetached, stopDetached } from '../processes';
import { ensureVenv } from '../tools/python-venv';
import { waitUntilReady } from '../wait';

import type { Progress, StackService } from './service';

/** The MLflow venv: its Python also loads the platform's models through `mlflow.pyfunc`. */
export function mlflowVenv(layout: StackLayout): string {
  return path.join(layout.toolsDir, 'venvs', 'mlflow');
}

/**
 * MLflow tracking server, model registry and UI from PyPI `mlflow`, with its backend store in the embedded
 * PostgreSQL (database MLFLOW_DB) and artifacts served by the server itself from the state directory.
 */
export function mlflowService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const venv = mlflowVenv(layout);
  const logFile = layout.logFile('mlflow');
  const { user, password, host, port, mlflowDatabase } = config.postgres;
  const backendStore = `postgresql+psycopg2://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${mlflowDatabase}`;

  const isReady = async () => {
    const health = await fetch(`${config.mlflow.url}/health`, { signal: AbortSignal.timeout(3000) });
    if (!health.ok) return false;
    const search = await fetch(`${config.mlflow.url}/api/2.0/mlflow/experiments/search?max_results=1`, {
      signal: AbortSignal.timeout(3000),
    });
    return search.ok;
  };

  return {
    name: 'mlflow',
    install: async () => {
      await ensureVenv({
        toolsDir: layout.toolsDir,
        name: 'mlflow',
        requirementsFile: path.join(repoRoot, 'stack', 'python', 'mlflow-requirements.txt'),
        python: config.tools.python,
        progress,
      });
    },
    isReady,
    start: async () => {
      if (runningPid(layout, 'mlflow') === undefined) {
        startDetached(layout, {
          name: 'mlflow',
          command: path.join(venv, 'bin', 'mlflow'),
          args: [
            'server',
            '--host',
            config.bindHost,
            '--port',
            String(config.mlflow.port),
            '--backend-store-uri',
            backendStore,
            '--serve-artifacts',
            '--artifacts-destination',
            path.join(layout.dataDir('mlflow'), 'artifacts'),
            '--workers',
            '1',
          ],
          env: {
            ...process.env,
            PYTHONUNBUFFERED: '1',
            // Server-side GenAI jobs (LLM judges, trace roll-ups) run in seven extra Python processes,
            // ~1.6 GiB together, and nothing in this platform uses them.
            MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
          },
        });
      }
      // The first start creates MLflow's schema in PostgreSQL, which takes a while.
      await waitUntilReady('MLflow server', isReady, {
        timeoutMs: 180_000,
        intervalMs: 1000,
        logFile,
        alive: () => runningPid(layout, 'mlflow') !== undefined,
      });
    },
    stop: async () => {
      await stopDetached(layout, 'mlflow', 20_000);
    },
    addresses: () => ({ url: config.mlflow.url }),
  };
}
