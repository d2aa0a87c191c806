import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { AppError } from '../core/errors';

import { loadConfig, type Config } from './index';

export const repoRoot = path.resolve(__dirname, '..');

/**
 * Entry points call this once: it reads `.env` from the repository root when present (variables already
 * set in the environment win), validates everything, and stops the process with a clear message if a
 * value is wrong.
 */
export function configFromEnvironment(): Config {
  const envFile = path.join(repoRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFIG_INVALID') {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** The commit recorded in model lineage: GIT_COMMIT, else the checkout's HEAD, else undefined. */
export function gitCommit(config: Config): string | undefined {
  if (config.gitCommit) return config.gitCommit;
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  const commit = result.status === 0 ? result.stdout.trim() : '';
  return /^[0-9a-f]{40}$/.test(commit) ? commit : undefined;
}
