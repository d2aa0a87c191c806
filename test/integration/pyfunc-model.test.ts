import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { z } from 'zod';

import { loadDataset, snapshotPath } from '../../activities/training/dataset';
import { createMlflowClient, type MlflowModelVersion, type MlflowRun } from '../../adapters/mlflow/client';
import { downloadModel, modelArtifactDir } from '../../adapters/mlflow/model-artifact';
import { modelDirectoryFiles } from '../../adapters/mlflow/model-directory';
import { buildExamples, featureSpecFor, type Examples } from '../../core/ml/features';
import { trainingParams, trainModel, type Algorithm, type Model } from '../../core/ml/models';
import { chronologicalSplit } from '../../core/ml/split';
import { syntheticSeries } from '../../core/ml/synthetic-series';
import { modelAliases, modelNameFor } from '../../core/training/promotion';
import { stackLayout } from '../../stack/layout';
import { mlflowVenv } from '../../stack/services/mlflow';

import { testConfig } from './test-env';

/**
 * The platform's models through MLflow's generic `python_function` flavor, in the stack's MLflow venv: the
 * champions the global setup trained and approved, loaded with `mlflow.pyfunc.load_model("models:/…@champion")`
 * and served by `mlflow models serve`, score their December holdout exactly like the TypeScript models; and
 * so does every algorithm written as a local model directory.
 */
const config = testConfig();
const mlflow = createMlflowClient(config.mlflow.url);
const venvBin = path.join(mlflowVenv(stackLayout(config)), 'bin');
const pythonEnv = {
  ...process.env,
  MLFLOW_TRACKING_URI: config.mlflow.url,
  // `mlflow models serve` runs `uvicorn` by name, as from an activated venv.
  PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
};
const tolerance = 1e-9;

jest.setTimeout(300_000);

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'aqi-pyfunc-'));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

interface PyfuncRequest {
  uri: string;
  columns: string[];
  rows: number[][];
}

const pyfuncAnswers = z.object({
  models: z.array(
    z.object({
      predictions: z.array(z.number()),
      inputNames: z.array(z.string()),
      flavors: z.array(z.string()),
      runId: z.string().nullable(),
    }),
  ),
});
type PyfuncAnswer = z.infer<typeof pyfuncAnswers>['models'][number];

/** Loads each model with `mlflow.pyfunc.load_model` in one Python process and predicts its rows. */
function pyfuncPredict(models: PyfuncRequest[]): PyfuncAnswer[] {
  const request = path.join(workDir, 'request.json');
  const answer = path.join(workDir, 'answer.json');
  writeFileSync(request, JSON.stringify({ models }));
  const result = spawnSync(path.join(venvBin, 'python'), [path.join(__dirname, 'pyfunc_predict.py'), request, answer], {
    env: pythonEnv,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`pyfunc_predict.py exited with ${String(result.status)}:\n${result.stderr.slice(-4000)}`);
  }
  const answers = pyfuncAnswers.parse(JSON.parse(readFileSync(answer, 'utf8'))).models;
  expect(answers).toHaveLength(models.length);
  return answers;
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - (b[i] as number))), 0);
}

const runParams = z.object({
  locations: z.string(),
  validation_from: z.string(),
  test_from: z.string(),
  test_to: z.string(),
});

interface Champion {
  version: MlflowModelVersion;
  run: MlflowRun;
  model: Model;
  holdout: Examples;
}

/** The champion's model as the API loads it, and its holdout rebuilt from its run's dataset snapshot. */
async function champion(name: string): Promise<Champion> {
  const version = await mlflow.getVersionByAlias(name, modelAliases.champion);
  const run = version?.runId === undefined ? undefined : await mlflow.getRun(version.runId);
  if (version === undefined || run === undefined) throw new Error(`${name} has no champion with a run`);
  const model = await downloadModel(mlflow, run);
  const windows = runParams.parse(run.params);
  const [from = '', to = ''] = (version.tags['aqi.dataset_range'] ?? '').split('/');
  // The snapshot the champion was trained and evaluated on, checked against the sha256 its version carries.
  const series = await loadDataset(mlflow, run, {
    artifactPath: snapshotPath,
    sha256: version.tags['aqi.dataset_sha256'] ?? '',
    rows: Number(version.tags['aqi.dataset_rows']),
    from,
    to,
    locationIds: windows.locations.split(','),
  });
  const split = chronologicalSplit(buildExamples(series, model.spec), {
    validationFrom: windows.validation_from,
    testFrom: windows.test_from,
    testTo: windows.test_to,
  });
  return { version, run, model, holdout: split.test };
}

describe('the registered champions through mlflow.pyfunc', () => {
  it.each([modelNameFor('instant', 0), modelNameFor('forecast', 24)])(
    'when %s@champion is loaded with mlflow.pyfunc.load_model, then it predicts the holdout as TypeScript does',
    async (name) => {
      const { run, model, holdout } = await champion(name);
      const expected = model.predict(holdout.x);

      const [answer] = pyfuncPredict([{ uri: `models:/${name}@champion`, columns: model.spec.names, rows: holdout.x }]);

      expect(holdout.x.length).toBeGreaterThan(500);
      expect(answer?.runId).toBe(run.runId);
      expect(answer?.flavors).toEqual(['aqi_platform', 'python_function']);
      expect(answer?.inputNames).toEqual(model.spec.names);
      expect(new Set(expected.map((v) => v.toFixed(3))).size).toBeGreaterThan(50);
      expect(maxAbsDiff(answer?.predictions ?? [], expected)).toBeLessThanOrEqual(tolerance);
    },
  );

  it('when the instant champion is served by `mlflow models serve`, then /invocations answers what TypeScript predicts', async () => {
    const name = modelNameFor('instant', 0);
    const { model, holdout } = await champion(name);
    const rows = holdout.x.slice(0, 48);
    const port = await freePort();
    const server = spawn(
      path.join(venvBin, 'mlflow'),
      [
        'models',
        'serve',
        '-m',
        `models:/${name}@champion`,
        '--env-manager',
        'local',
        '-h',
        '127.0.0.1',
        '-p',
        `${port}`,
      ],
      { env: pythonEnv, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.once('error', () => resolve());
    });
    const alive = () => server.exitCode === null && server.signalCode === null;
    let log = '';
    server.stderr.on('data', (chunk: Buffer) => (log = `${log}${chunk.toString('utf8')}`.slice(-4000)));
    try {
      await untilServing(`http://127.0.0.1:${port}`, alive, () => log);
      const response = await fetch(`http://127.0.0.1:${port}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataframe_split: { columns: model.spec.names, data: rows } }),
      });
      const body = z
        .object({ predictions: z.array(z.object({ european_aqi: z.number() })) })
        .parse(await response.json());

      expect(response.status).toBe(200);
      expect(
        maxAbsDiff(
          body.predictions.map((p) => p.european_aqi),
          model.predict(rows),
        ),
      ).toBeLessThanOrEqual(tolerance);
    } finally {
      // The server and its uvicorn worker share a process group of their own.
      if (server.pid !== undefined && alive()) process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
  });
});

describe('every algorithm as a local MLflow model directory', () => {
  const series = [syntheticSeries('lyon', 24 * 20, { seed: 3 }), syntheticSeries('paris', 24 * 20, { seed: 4 })];
  const params = trainingParams.parse({
    seed: 5,
    randomForest: { nEstimators: 5, maxSamples: 200 },
    boostedTrees: { nEstimators: 20, minSamplesLeaf: 10 },
  });
  // Forecasts under 12 h train their trees without the ridge correction (`linearBase`), the others with it.
  const cases: [Algorithm, 'instant' | 'forecast', number][] = [
    ['random-forest', 'instant', 0],
    ['random-forest', 'forecast', 6],
    ['boosted-trees', 'instant', 0],
    ['boosted-trees', 'forecast', 6],
    ['boosted-trees', 'forecast', 24],
    ['linear', 'instant', 0],
    ['linear', 'forecast', 24],
    ['persistence', 'forecast', 6],
  ];
  const expected: number[][] = [];
  let answers: PyfuncAnswer[] = [];

  beforeAll(() => {
    const requests = cases.map(([algorithm, kind, horizonHours], i): PyfuncRequest => {
      const spec = featureSpecFor(kind, horizonHours);
      const examples = buildExamples(series, spec);
      const model = trainModel(algorithm, examples, params);
      const dir = path.join(workDir, `model-${i}`, modelArtifactDir);
      const files = modelDirectoryFiles({
        runId: `local-${i}`,
        artifactPath: modelArtifactDir,
        createdAt: new Date(),
        modelJson: JSON.stringify(model.toJSON()),
        spec,
      });
      for (const file of files) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), file.content);
      }
      expected.push(model.predict(examples.x));
      return { uri: dir, columns: spec.names, rows: examples.x };
    });
    answers = pyfuncPredict(requests);
  });

  it.each(cases.map((c, i) => [...c, i] as const))(
    'when a %s %s (+%i h) model directory is loaded with mlflow.pyfunc, then it predicts as TypeScript does',
    (_algorithm, _kind, _horizon, i) => {
      const answer = answers[i];
      const want = expected[i] ?? [];

      expect(want.length).toBeGreaterThan(500);
      expect(answer?.runId).toBe(`local-${i}`);
      expect(maxAbsDiff(answer?.predictions ?? [], want)).toBeLessThanOrEqual(tolerance);
    },
  );
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port to serve on');
  return address.port;
}

async function untilServing(url: string, alive: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`mlflow models serve exited:\n${log()}`);
    const ping = await fetch(`${url}/ping`).catch(() => undefined);
    if (ping?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`mlflow models serve did not answer /ping within 180 s:\n${log()}`);
}
