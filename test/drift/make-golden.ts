/**
 * `npm run drift:golden`: regenerates the files that hold core/monitoring/drift to Evidently 0.7's
 * DataDriftPreset. Evidently, pandas 2 and SciPy come from PyPI, pinned in
 * stack/python/evidently-requirements.txt, in their own venv under AQI_TOOLS_DIR (installed on the first run).
 *
 * 1. test/fixtures/drift/golden.json: seeded synthetic columns across every branch (make_golden.py).
 * 2. test/fixtures/drift/lyon-2024-evidently.json: Evidently's verdicts on issue 14's Lyon acceptance cases.
 *    The tables are built here by test/support/lyon-drift-cases.ts (the code the unit tests use), written to
 *    a temporary folder for make_lyon_golden.py, and only the verdicts and the tables' sha256 are kept.
 *
 * The data is seeded and Python's hash seed fixed, so a rerun with the same pins writes the same files; run it
 * again only when the pins, the cases or the model change, and review the diff like code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { configFromEnvironment, repoRoot } from '../../config/runtime';
import { ensureVenv } from '../../stack/tools/python-venv';
import {
  driftTableJson,
  lyonDriftCases,
  monitoredCurrentRows,
  monitoredReferenceRows,
  trainLyonChampion,
} from '../support/lyon-drift-cases';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'drift');
const goldenFile = path.join(fixtures, 'golden.json');
const lyonFile = path.join(fixtures, 'lyon-2024-evidently.json');

/** Writes reference.json, one file per case and cases.json (their names and files) into `folder`. */
function writeLyonTables(folder: string): void {
  const model = trainLyonChampion();
  writeFileSync(path.join(folder, 'reference.json'), driftTableJson(model, monitoredReferenceRows(model)));
  const cases = lyonDriftCases().map((c, i) => {
    const file = `case-${i + 1}.json`;
    writeFileSync(path.join(folder, file), driftTableJson(model, monitoredCurrentRows(model, c)));
    return { name: c.name, file };
  });
  writeFileSync(path.join(folder, 'cases.json'), `${JSON.stringify({ cases })}\n`);
}

async function main(): Promise<number> {
  const config = configFromEnvironment();
  const venv = await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: 'evidently',
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'evidently-requirements.txt'),
    python: config.tools.python,
    progress: (message) => console.log(`[drift:golden] ${message}`),
  });
  mkdirSync(fixtures, { recursive: true });
  const python = (script: string, args: string[]) =>
    spawnSync(path.join(venv, 'bin', 'python'), [path.join(repoRoot, 'test', 'drift', script), ...args], {
      // Evidently sums over Python sets of categories; a fixed hash seed fixes their order, and so the last digit.
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, PYTHONHASHSEED: '0' },
    }).status ?? 1;

  // 1. Synthetic golden cases
  const synthetic = python('make_golden.py', [goldenFile]);
  if (synthetic !== 0) return synthetic;

  // 2. Lyon acceptance cases
  const folder = mkdtempSync(path.join(tmpdir(), 'aqi-lyon-drift-'));
  try {
    console.log(`[drift:golden] training the Lyon champion and writing its tables to ${folder}`);
    writeLyonTables(folder);
    return python('make_lyon_golden.py', [folder, lyonFile]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
