/**
 * `npm test`: lint, typecheck, then every jest test (unit; workflows on the time-skipping test server with
 * fake activities; and integration against a real stack that the integration project starts and stops
 * itself). Ends with one line `N passed, N failed` for CI; a failed lint, typecheck or secret scan counts as
 * one failure each.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { portAnswers } from '../stack/ports';

import { testEnv } from './integration/test-env';

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

async function listeningTestPorts(): Promise<number[]> {
  const ports = Object.entries(testEnv)
    .filter(([name, value]) => name.endsWith('_PORT') && value !== '')
    .map(([, value]) => Number(value));
  const open = await Promise.all(ports.map((port) => portAnswers('127.0.0.1', port)));
  return ports.filter((_, i) => open[i]);
}

const jestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numTotalTests: z.number() });

async function main(): Promise<number> {
  mkdirSync(reports, { recursive: true });
  const staticChecks = [
    step('lint', bin('eslint'), ['.']),
    step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']),
    step('typecheck', bin('tsc'), ['--noEmit']),
    // The dashboard's page scripts have their own compiler settings (DOM, no Node).
    step('typecheck dashboard', bin('tsc'), ['--noEmit', '-p', 'dashboard']),
    // detect-secrets over the tracked files against the reviewed .secrets.baseline (a few seconds).
    step('secret scan', bin('tsx'), ['test/secret-scan.ts']),
  ];
  // Unit tests in parallel; integration tests one file at a time, as they share one stack and its data.
  const unitFile = path.join(reports, 'jest-unit.json');
  const workflowsFile = path.join(reports, 'jest-workflows.json');
  const integrationFile = path.join(reports, 'jest-integration.json');
  const unitOk = step('unit tests', bin('jest'), [
    '--ci',
    '--selectProjects',
    'unit',
    '--maxWorkers=2',
    '--json',
    `--outputFile=${unitFile}`,
  ]);
  const workflowsOk = step('workflow tests (time-skipping)', bin('jest'), [
    '--ci',
    '--selectProjects',
    'workflows',
    '--maxWorkers=2',
    '--json',
    `--outputFile=${workflowsFile}`,
  ]);
  const integrationOk = step('integration tests', bin('jest'), [
    '--ci',
    '--selectProjects',
    'integration',
    '--runInBand',
    // The teardown has stopped the stack by then; a client socket still closing must not hold CI hostage.
    '--forceExit',
    '--json',
    `--outputFile=${integrationFile}`,
  ]);
  const jestOk = unitOk && workflowsOk && integrationOk;

  // The integration stack must be gone after its teardown: `stop` may leave nothing listening.
  const leftovers = await listeningTestPorts();
  if (leftovers.length > 0) console.log(`\n=== stop left ports listening: ${leftovers.join(', ')}`);

  let passed = 0;
  let failed = staticChecks.filter((ok) => !ok).length + (leftovers.length > 0 ? 1 : 0);
  for (const [file, ok] of [
    [unitFile, unitOk],
    [workflowsFile, workflowsOk],
    [integrationFile, integrationOk],
  ] as const) {
    try {
      const report = jestReport.parse(JSON.parse(readFileSync(file, 'utf8')));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      if (!ok && report.numFailedTests === 0) failed += 1; // a suite that failed to load or a setup error
    } catch {
      failed += 1;
    }
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && jestOk ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
