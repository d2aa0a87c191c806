import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

import { readHistoryFixtures, type HistoryFixture } from '../test/histories/fixtures';

import * as workflows from './index';

/**
 * Replay safety: the recorded histories of real runs (test/fixtures/histories, written by
 * `npm run histories:capture`) replayed against the workflow code as it is now. A change that would make a
 * run started before it take another path (an activity, timer or child added, removed or reordered outside
 * `patched()`) fails here instead of in the runs it would break (docs/architecture.md, "Versioning").
 */
const repoRoot = path.resolve(__dirname, '..');
const fixtures = readHistoryFixtures();
const quiet = new DefaultLogger('WARN');

// Bundling the workflows with webpack takes seconds; one bundle per code variant.
jest.setTimeout(180_000);

beforeAll(() => {
  // The replay worker's logs (state changes; core's warning for each diverging history) would flood the output.
  Runtime.install({ logger: quiet, telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
});

/** The histories that do not replay, by file. */
async function replay(workflowBundle: WorkflowBundle, histories: HistoryFixture[]) {
  const diverged = new Map<string, Error>();
  // One result per history, in order (a continued-as-new chain shares its workflow id across files).
  let index = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'histories' }, histories)) {
    const file = histories[index++]?.file ?? result.workflowId;
    if (result.error) diverged.set(file, result.error);
  }
  expect(index).toBe(histories.length);
  return diverged;
}

function bundle(workflowsPath: string) {
  return bundleWorkflowCode({ workflowsPath, logger: quiet });
}

describe('recorded histories', () => {
  it('when the workflows are listed, then each one exported by workflows/index.ts has a recorded history', () => {
    const recorded = new Set(fixtures.map((f) => f.workflowType));

    const missing = Object.keys(workflows).filter((name) => !recorded.has(name));

    // A new workflow needs one: `npm run histories:capture` (see its --help) on a stack running it.
    expect(missing).toEqual([]);
  });

  it('when every recorded history is replayed against the current workflow code, then none diverges', async () => {
    const diverged = await replay(await bundle(require.resolve('./index')), fixtures);

    expect(Object.fromEntries([...diverged].map(([file, error]) => [file, `${error.name}: ${error.message}`]))).toEqual(
      {},
    );
  });
});

/**
 * A copy of workflows/ with some edits, importing everything else from the repository (symlinked), so the
 * bundler compiles the edited copy exactly as it compiles the real one.
 */
function editedWorkflows(edits: Record<string, (source: string) => string>): { indexPath: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'aqi-replay-'));
  for (const entry of readdirSync(repoRoot)) {
    if (entry !== 'workflows' && !entry.startsWith('.')) symlinkSync(path.join(repoRoot, entry), path.join(dir, entry));
  }
  cpSync(path.join(repoRoot, 'workflows'), path.join(dir, 'workflows'), {
    recursive: true,
    filter: (source) => !source.endsWith('.test.ts'),
  });
  for (const [file, edit] of Object.entries(edits)) {
    const target = path.join(dir, 'workflows', file);
    const before = readFileSync(target, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the edit of workflows/${file} changed nothing`);
    writeFileSync(target, after);
  }
  return {
    indexPath: path.join(dir, 'workflows', 'index.ts'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Swaps the statement starting with the line `first` (trimmed) and the statement right after it; a statement
 * ends at the first line where its brackets are balanced again.
 */
function swapWithNextStatement(source: string, first: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === first);
  if (start < 0) throw new Error(`no line "${first}": update this test to the workflow's current code`);
  const endOf = (from: number) => {
    let depth = 0;
    for (let i = from; i < lines.length; i++) {
      for (const char of lines[i] ?? '') depth += '({['.includes(char) ? 1 : ')}]'.includes(char) ? -1 : 0;
      if (depth === 0) return i;
    }
    throw new Error(`the statement at line ${from + 1} never ends`);
  };
  const firstEnd = endOf(start);
  const secondEnd = endOf(firstEnd + 1);
  const a = lines.slice(start, firstEnd + 1);
  const b = lines.slice(firstEnd + 1, secondEnd + 1);
  return [...lines.slice(0, start), ...b, ...a, ...lines.slice(secondEnd + 1)].join('\n');
}

describe('a non-deterministic change', () => {
  let swapped: ReturnType<typeof editedWorkflows>;
  beforeAll(() => {
    swapped = editedWorkflows({
      // Two activities one after the other: the audit row before closing the MLflow run, instead of after.
      'training-pipeline.ts': (source) =>
        swapWithNextStatement(
          source,
          "await lifecycle.closeTrainingRun({ run, status: 'FINISHED', outcome: 'rejected_by_evaluation' });",
        ),
      // Two activities started together: the Kafka check scheduled before the PostgreSQL one.
      'doctor.ts': (source) => swapWithNextStatement(source, "attempt('postgres', checks.checkPostgres),"),
    });
  });
  afterAll(() => swapped?.remove());

  it('when two activity calls of a workflow are swapped, then the replay of its recorded history fails as non-deterministic', async () => {
    const diverged = await replay(await bundle(swapped.indexPath), fixtures);

    const names = Object.fromEntries([...diverged].map(([file, error]) => [file, error.name]));
    expect(names).toMatchObject({
      'doctor-healthy.json': 'DeterminismViolationError',
      'trainingPipeline-rejected-by-evaluation.json': 'DeterminismViolationError',
    });
    // Only the paths through the swapped calls: the other training endings replay as before.
    const elsewhere = Object.keys(names).filter(
      (file) => !file.startsWith('doctor-') && !file.startsWith('trainingPipeline-rejected-by-evaluation'),
    );
    expect(elsewhere).toEqual([]);
  });
});
