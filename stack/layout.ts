import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Config } from '../config';
import { repoRoot } from '../config/runtime';

/** Where one stack keeps its state (data, logs, pid files) and where the shared tool installs live. */
export interface StackLayout {
  stateDir: string;
  toolsDir: string;
  logsDir: string;
  runDir: string;
  dataDir: (service: string) => string;
  logFile: (process: string) => string;
}

export function stackLayout(config: Config): StackLayout {
  const stateDir = path.resolve(repoRoot, config.stateDir);
  const toolsDir = path.resolve(repoRoot, config.toolsDir);
  const logsDir = path.join(stateDir, 'logs');
  const runDir = path.join(stateDir, 'run');
  for (const dir of [stateDir, toolsDir, logsDir, runDir]) mkdirSync(dir, { recursive: true });
  return {
    stateDir,
    toolsDir,
    logsDir,
    runDir,
    dataDir: (service) => {
      const dir = path.join(stateDir, service);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    logFile: (name) => path.join(logsDir, `${name}.log`),
  };
}
