/**
 * `npm test`: lint, typecheck, then every jest test (unit, and integration against a real stack that the
 * integration project starts and stops itself). Ends with one line `N passed, N failed` for CI; a failed
 * lint or typecheck counts as one failure each.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

const root = path.resolve(__dirname, '..');
const reports = path.join(root, 'reports');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function step(title: string, command: string, args: string[]): boolean {
  console.log(`\n=== ${title}: ${path.basename(command)} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`=== ${title}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

const jestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numTotalTests: z.number() });

mkdirSync(reports, { recursive: true });
const staticChecks = [
  step('lint', bin('eslint'), ['.']),
  step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']),
  step('typecheck', bin('tsc'), ['--noEmit']),
];
const jestFile = path.join(reports, 'jest.json');
const jestOk = step('tests', bin('jest'), ['--ci', '--maxWorkers=2', '--json', `--outputFile=${jestFile}`]);

let passed = 0;
let failed = staticChecks.filter((ok) => !ok).length;
try {
  const report = jestReport.parse(JSON.parse(readFileSync(jestFile, 'utf8')));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (!jestOk && report.numFailedTests === 0) failed += 1; // a suite that failed to load or a setup error
} catch {
  failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && jestOk ? 0 : 1);
