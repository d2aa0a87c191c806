/**
 * `npm run drift:golden`: regenerates test/fixtures/drift/golden.json, the cases that hold
 * core/monitoring/drift to Evidently 0.7's DataDriftPreset. Evidently, pandas 2 and SciPy come from PyPI,
 * pinned in stack/python/evidently-requirements.txt, in their own venv under AQI_TOOLS_DIR (installed on the
 * first run). The data is seeded and Python's hash seed fixed, so a rerun with the same pins writes the same
 * file; run it again only when the pins or the cases change, and review the diff like code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { configFromEnvironment, repoRoot } from '../../config/runtime';
import { ensureVenv } from '../../stack/tools/python-venv';

const goldenFile = path.join(repoRoot, 'test', 'fixtures', 'drift', 'golden.json');

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const venv = await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: 'evidently',
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'evidently-requirements.txt'),
    python: config.tools.python,
    progress: (message) => console.log(`[drift:golden] ${message}`),
  });
  mkdirSync(path.dirname(goldenFile), { recursive: true });
  const result = spawnSync(
    path.join(venv, 'bin', 'python'),
    [path.join(repoRoot, 'test', 'drift', 'make_golden.py'), goldenFile],
    // Evidently sums over Python sets of categories; a fixed hash seed fixes their order, and so the last digit.
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, PYTHONHASHSEED: '0' } },
  );
  return result.status ?? 1;
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
