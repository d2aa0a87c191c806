import path from 'node:path';

import { loadConfig, type Config } from '../../config';
import { repoRoot } from '../../config/runtime';

/**
 * The integration tests' own stack: its own state directory and ports, so a stack started by `npm start`
 * keeps running untouched. Installs (venvs, jars) are shared through AQI_TOOLS_DIR.
 */
export const testEnv = {
  AQI_STATE_DIR: '.stack-test',
  LOG_LEVEL: 'warn',
  TEMPORAL_GRPC_PORT: '17233',
  TEMPORAL_UI_PORT: '18233',
  TEMPORAL_HTTP_PORT: '17243',
  POSTGRES_PORT: '15432',
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  MLFLOW_PORT: '15000',
  API_PORT: '18000',
  REPLAY_PORT: '18100',
  AQI_SOURCE: 'replay',
  // Derived addresses must follow the ports above, whatever the developer's .env says.
  TEMPORAL_ADDRESS: '',
  TEMPORAL_UI_URL: '',
  POSTGRES_HOST: '',
  KAFKA_BROKERS: '',
  MLFLOW_TRACKING_URI: '',
  API_PUBLIC_URL: '',
  REPLAY_URL: '',
} as const;

export const testStateDir = path.resolve(repoRoot, testEnv.AQI_STATE_DIR);

export function testProcessEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...testEnv };
}

export function testConfig(): Config {
  return loadConfig(testProcessEnv());
}

/** Runs the stack CLI the way a user does (`tsx stack/cli.ts …`) against the test stack. */
export function stackCommand(...args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'stack', 'cli.ts'), ...args],
    env: testProcessEnv(),
  };
}
