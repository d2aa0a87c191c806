/**
 * `npm run histories:capture`: records the histories of real runs of every workflow, one per path through it,
 * into test/fixtures/histories/ for the replay test (workflows/replay.test.ts).
 *   1. Per workflow type, list the closed runs on the stack (newest first) and sort them into cases by
 *      their history: how the run ended, its input and its result.
 *   2. Start the cases nobody has run yet, with the project's own client functions, and wait for them.
 *   3. Write each history as `<workflowType>-<case>.json` (the format of `temporal workflow show -o json`).
 * Re-running overwrites the same files; `--fresh` runs every case again instead of reusing closed runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';

import { connectTemporal } from '../../adapters/temporal/client';
import type { Config } from '../../config';
import { configFromEnvironment, repoRoot } from '../../config/runtime';
import { describeError } from '../../core/errors';
import { stackCommand, testConfig, testStateDir } from '../integration/test-env';

import { captureModel, CaptureRuns } from './capture-runs';
import { workflowCases, type CaseSpec, type WorkflowType } from './cases';
import { historiesDir, historyFileName, historyToJson } from './fixtures';
import { factsOf } from './run-facts';

const help = `Usage: npm run histories:capture -- [options]

Records the history of a real run of every path through every workflow in workflows/index.ts into
test/fixtures/histories/<workflowType>-<case>.json, for the replay test (workflows/replay.test.ts).
It reuses the closed runs it finds and starts the cases it does not find (ids histories-…; training
runs register the model ${captureModel}, never a served one).

By default it captures from the integration tests' stack (test/integration/test-env.ts, ports shifted by
AQI_TEST_PORT_OFFSET), whose pipeline and training workers must be running; --with-stack starts that
stack itself. To recapture everything from the current code, on a stack of its own:

  AQI_TEST_PORT_OFFSET=900 npm run histories:capture -- --with-stack

Options:
  --with-stack      stop and wipe the test stack of AQI_TEST_PORT_OFFSET (state .stack-test[-<offset>]),
                    start it from the current code as npm test does, capture, then stop it
  --from-config     capture from the Temporal address and namespace of the environment and .env
                    (npm start's stack) instead of the test stack's
  --fresh           start every case anew instead of reusing closed runs
  --only <names>    only these cases, comma-separated file names without .json
                    (e.g. trainingPipeline-promoted,doctor-healthy; --list prints them all)
  --suffix <label>  write <workflowType>-<case>-<label>.json, leaving the existing files alone: how a
                    deliberate, patched change adds the history of its new path (docs/architecture.md)
  --out <dir>       write there instead of test/fixtures/histories
  --list            print the cases and exit
  -h, --help        this help

Re-running overwrites the same files. Exit 1 when a case could not be captured (the others are written).`;

interface Found {
  workflowId: string;
  runId: string;
  history: History;
}

/** The newest closed run of each case of a workflow type, as far as the stack's visibility knows. */
async function findClosedRuns(client: Client, workflowType: WorkflowType, wanted: Set<string>) {
  const found = new Map<string, Found>();
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus != 'Running'`;
  let looked = 0;
  for await (const run of client.workflow.list({ query })) {
    // Every closed run costs a history fetch: stop once each case has one, or after a long enough look.
    if (found.size === wanted.size || ++looked > 200) break;
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const caseName = workflowCases[workflowType].classify(factsOf(history));
    if (caseName && wanted.has(caseName) && !found.has(caseName)) {
      found.set(caseName, { workflowId: run.workflowId, runId: run.runId, history });
    }
  }
  return found;
}

function compactStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '');
}

interface Selected {
  workflowType: WorkflowType;
  spec: CaseSpec;
  key: string;
}

/** Finds or starts a run of each selected case and writes its history; returns the cases that failed. */
async function captureCases(
  config: Config,
  selected: Selected[],
  options: { fresh: boolean; suffix?: string; outDir: string },
): Promise<string[]> {
  console.log(
    `capturing from ${config.temporal.address}, namespace ${config.temporal.namespace}, into ${options.outDir}`,
  );
  const client = await connectTemporal(config);
  const runs = new CaptureRuns(client, config, compactStamp(new Date()));
  const failures: string[] = [];
  try {
    for (const workflowType of Object.keys(workflowCases) as WorkflowType[]) {
      const specs = selected.filter((c) => c.workflowType === workflowType).map((c) => c.spec);
      if (specs.length === 0) continue;
      const wanted = new Set(specs.map((s) => s.name));
      const found = options.fresh ? new Map<string, Found>() : await findClosedRuns(client, workflowType, wanted);
      for (const spec of specs) {
        const key = `${workflowType}-${spec.name}`;
        try {
          let run = found.get(spec.name);
          const how = run ? 'found' : 'started';
          if (!run) {
            console.log(`${key}: starting a run…`);
            const { workflowId, runId } = await spec.start(runs);
            const handle = client.workflow.getHandle(workflowId, runId);
            run = { workflowId, runId: runId ?? (await handle.describe()).runId, history: await handle.fetchHistory() };
          }
          const became = workflowCases[workflowType].classify(factsOf(run.history));
          if (became !== spec.name) throw new Error(`run ${run.workflowId} ended as "${became ?? 'no case'}"`);
          const caseName = options.suffix ? `${spec.name}-${options.suffix}` : spec.name;
          const file = path.join(options.outDir, historyFileName(workflowType, caseName));
          writeFileSync(file, historyToJson(run.history));
          const events = run.history.events?.length ?? 0;
          console.log(
            `${key}: ${how} ${run.workflowId} (run ${run.runId}), ${events} events → ${path.relative(process.cwd(), file)}`,
          );
        } catch (err) {
          failures.push(key);
          console.error(`${key}: FAILED ${describeError(err)}`);
        }
      }
    }
  } finally {
    await client.connection.close();
  }
  return failures;
}

/** The test stack's CLI, as the integration tests' global setup runs it (test/integration/test-env.ts). */
function testStack(command: 'start' | 'stop'): void {
  const { command: node, args, env } = stackCommand(command);
  console.log(`[histories] test stack ${command} (state: ${testStateDir})`);
  const result = spawnSync(node, args, { cwd: repoRoot, env, stdio: 'inherit', timeout: 20 * 60_000 });
  if (result.status !== 0) throw new Error(`test stack "${command}" failed with exit code ${String(result.status)}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'with-stack': { type: 'boolean', default: false },
      'from-config': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      only: { type: 'string' },
      suffix: { type: 'string' },
      out: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const all: Selected[] = (Object.keys(workflowCases) as WorkflowType[]).flatMap((workflowType) =>
    workflowCases[workflowType].cases.map((spec) => ({ workflowType, spec, key: `${workflowType}-${spec.name}` })),
  );
  if (values.list) {
    for (const { key } of all) console.log(key);
    return 0;
  }
  const only = values.only?.split(',').filter(Boolean);
  const unknown = only?.filter((key) => !all.some((c) => c.key === key)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown case(s): ${unknown.join(', ')} (see --list)`);
    return 2;
  }
  if (values.suffix !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(values.suffix)) {
    console.error('--suffix: lower-case letters, digits and dashes');
    return 2;
  }
  if (values['with-stack'] && values['from-config']) {
    console.error('--with-stack starts the test stack; --from-config captures from another one: choose one');
    return 2;
  }
  const selected = all.filter((c) => !only || only.includes(c.key));
  const outDir = path.resolve(values.out ?? historiesDir);
  mkdirSync(outDir, { recursive: true });
  const options = { fresh: values.fresh, outDir, ...(values.suffix ? { suffix: values.suffix } : {}) };

  let failures: string[];
  if (values['with-stack']) {
    // A stack of the code as it is now, from empty state: every history is of this code.
    if (existsSync(testStateDir)) {
      testStack('stop');
      rmSync(testStateDir, { recursive: true, force: true });
    }
    try {
      testStack('start');
      failures = await captureCases(testConfig(), selected, options);
    } finally {
      testStack('stop');
    }
  } else {
    failures = await captureCases(values['from-config'] ? configFromEnvironment() : testConfig(), selected, options);
  }
  console.log(
    failures.length === 0
      ? `captured ${selected.length} histories`
      : `captured ${selected.length - failures.length} of ${selected.length}; failed: ${failures.join(', ')}`,
  );
  return failures.length === 0 ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`histories:capture failed: ${describeError(err)}`);
    console.error('Is the stack up with its workers (npx tsx stack/cli.ts status, with the same environment)?');
    process.exit(1);
  });
