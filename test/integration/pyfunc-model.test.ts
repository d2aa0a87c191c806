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
import { pyfuncInputNames } from '../../adapters/mlflow/pyfunc';
import { hourLookup, hourOf, type LocationSeries } from '../../core/ml/dataset';
import { buildExamples, featureSpecFor, type Examples, type FeatureSpec } from '../../core/ml/features';
import { instantFeatures, instantVariables, type InstantInput } from '../../core/ml/instant-features';
import { loadModel, trainingParams, trainModel, type Algorithm, type Model } from '../../core/ml/models';
import { servedIndex } from '../../core/ml/served-index';
import { chronologicalSplit } from '../../core/ml/split';
import { syntheticSeries } from '../../core/ml/synthetic-series';
import { modelAliases, modelNameFor } from '../../core/training/promotion';
import { stackLayout } from '../../stack/layout';
import { mlflowVenv } from '../../stack/services/mlflow';

import { testConfig } from './test-env';

/**
 * The platform's models through MLflow's generic `python_function` flavor, in the stack's MLflow venv: the
 * champions the global setup trained and approved, loaded with `mlflow.pyfunc.load_model("models:/…@champion")`
 * and served by `mlflow models serve`, return for their December holdout what the platform serves: what
 * TypeScript serves (`servedIndex` of the model's output) and, for the instant champion, what the test
 * stack's `POST /predict` answers for the same raw rows. So does every algorithm written as a local model
 * directory. Instant models are given the request's concentrations, forecast models their features.
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
  series: LocationSeries[];
  holdout: Examples;
}

interface PyfuncRows {
  columns: string[];
  rows: number[][];
}

/**
 * What a pyfunc client gives for `examples`, in the signature's columns (`pyfuncInputNames`). For an instant
 * spec, the five concentrations of each example's reading, as `POST /predict` takes them (checked to give
 * the example's features through `instantFeatures`); for a forecast spec, the features themselves.
 */
function pyfuncRows(spec: FeatureSpec, series: readonly LocationSeries[], examples: Examples): PyfuncRows {
  const columns = [...pyfuncInputNames(spec)];
  if (spec.kind === 'forecast') return { columns, rows: examples.x };
  const lookups = new Map(series.map((one) => [one.locationId, hourLookup(one)]));
  const rows = examples.x.map((features, i) => {
    const reading = lookups.get(examples.locationIds[i] ?? '')?.get(hourOf(examples.at[i] ?? ''));
    const raw = instantVariables.map((v) => reading?.values[v]);
    if (raw.some((v) => v == null)) throw new Error(`example ${i} has no reading with all five concentrations`);
    const input = Object.fromEntries(instantVariables.map((v, j) => [v, raw[j]])) as InstantInput;
    expect(instantFeatures(input)).toEqual(features);
    return raw as number[];
  });
  expect(columns).toEqual([...instantVariables]);
  return { columns, rows };
}

/** Rows as the JSON objects of a `POST /predict` body. */
const requestObjects = ({ columns, rows }: PyfuncRows) =>
  rows.map((row) => Object.fromEntries(columns.map((c, j) => [c, row[j]])));

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
  return { version, run, model, series, holdout: split.test };
}

const apiPredictions = z.object({
  predictions: z.array(z.object({ european_aqi: z.number() })),
  model: z.object({ name: z.string(), version: z.string() }),
});

/**
 * The test stack's `POST /predict` answers for `rows`, in batches within `API_MAX_BATCH_ROWS`. A batch
 * answered by another version is asked again for up to 30 s: the API picks a newly approved champion up at
 * its next registry poll. The versions that answered are returned, to be compared.
 */
async function apiPredict(
  rows: Record<string, unknown>[],
  version: string,
): Promise<{ values: number[]; models: string[] }> {
  const size = Math.min(config.api.maxBatchRows, 250);
  const values: number[] = [];
  const models = new Set<string>();
  for (let start = 0; start < rows.length; start += size) {
    const batch = rows.slice(start, start + size);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await fetch(`${config.api.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: batch }),
      });
      expect(response.status).toBe(200);
      const body = apiPredictions.parse(await response.json());
      if (body.model.version === version || Date.now() > deadline) {
        expect(body.predictions).toHaveLength(batch.length);
        values.push(...body.predictions.map((p) => p.european_aqi));
        models.add(`${body.model.name}@${body.model.version}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return { values, models: [...models] };
}

describe('the registered champions through mlflow.pyfunc', () => {
  const instant = modelNameFor('instant', 0);
  const names = [instant, modelNameFor('forecast', 24)];
  const champions = new Map<string, Champion & { input: PyfuncRows; answer: PyfuncAnswer | undefined }>();
  const get = (name: string) => {
    const found = champions.get(name);
    if (found === undefined) throw new Error(`${name} was not loaded`);
    return found;
  };

  // Both champions go through one Python process: loading MLflow takes seconds.
  beforeAll(async () => {
    const loaded = await Promise.all(names.map((name) => champion(name)));
    const inputs = loaded.map((c) => pyfuncRows(c.model.spec, c.series, c.holdout));
    const answers = pyfuncPredict(names.map((name, i) => ({ uri: `models:/${name}@champion`, ...inputs[i]! })));
    names.forEach((name, i) => champions.set(name, { ...loaded[i]!, input: inputs[i]!, answer: answers[i] }));
  });

  it.each(names)(
    'when %s@champion is loaded with mlflow.pyfunc.load_model, then it returns what TypeScript serves for the holdout',
    (name) => {
      const { run, model, holdout, input, answer } = get(name);
      const served = model.predict(holdout.x).map(servedIndex);

      expect(holdout.x.length).toBeGreaterThan(500);
      expect(answer?.runId).toBe(run.runId);
      expect(answer?.flavors).toEqual(['aqi_platform', 'python_function']);
      expect(answer?.inputNames).toEqual(model.spec.kind === 'instant' ? [...instantVariables] : model.spec.names);
      expect(answer?.inputNames).toEqual(input.columns);
      expect(new Set(served.map((v) => v.toFixed(3))).size).toBeGreaterThan(50);
      expect(maxAbsDiff(answer?.predictions ?? [], served)).toBeLessThanOrEqual(tolerance);
    },
  );

  it("when the instant holdout's raw rows are sent to POST /predict, then the API answers the pyfunc's numbers, by the same version", async () => {
    const { version, input, answer } = get(instant);

    const api = await apiPredict(requestObjects(input), version.version);

    expect(input.rows.length).toBeGreaterThan(500);
    expect(api.models).toEqual([`${instant}@${version.version}`]);
    expect(answer?.runId).toBe(version.runId);
    expect(maxAbsDiff(answer?.predictions ?? [], api.values)).toBeLessThanOrEqual(tolerance);
  });

  it('when the instant champion is served by `mlflow models serve`, then /invocations answers what TypeScript serves for raw rows', async () => {
    const { model, holdout, input } = get(instant);
    const rows = input.rows.slice(0, 48);
    const port = await freePort();
    const server = spawn(
      path.join(venvBin, 'mlflow'),
      [
        'models',
        'serve',
        '-m',
        `models:/${instant}@champion`,
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
        body: JSON.stringify({ dataframe_split: { columns: input.columns, data: rows } }),
      });
      const body = z
        .object({ predictions: z.array(z.object({ european_aqi: z.number() })) })
        .parse(await response.json());

      expect(response.status).toBe(200);
      expect(input.columns).toEqual([...instantVariables]);
      expect(
        maxAbsDiff(
          body.predictions.map((p) => p.european_aqi),
          model.predict(holdout.x.slice(0, 48)).map(servedIndex),
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
  // A linear instant model lowered by its median output, so that about half its raw outputs are below 0.
  let lowered: { raw: number[]; answer: PyfuncAnswer | undefined } = { raw: [], answer: undefined };

  function modelDirectory(i: number, model: Model): string {
    const dir = path.join(workDir, `model-${i}`, modelArtifactDir);
    const files = modelDirectoryFiles({
      runId: `local-${i}`,
      artifactPath: modelArtifactDir,
      createdAt: new Date(),
      modelJson: JSON.stringify(model.toJSON()),
      spec: model.spec,
    });
    for (const file of files) {
      mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
      writeFileSync(path.join(dir, file.path), file.content);
    }
    return dir;
  }

  beforeAll(() => {
    const requests = cases.map(([algorithm, kind, horizonHours], i): PyfuncRequest => {
      const spec = featureSpecFor(kind, horizonHours);
      const examples = buildExamples(series, spec);
      const model = trainModel(algorithm, examples, params);
      expected.push(model.predict(examples.x).map(servedIndex));
      return { uri: modelDirectory(i, model), ...pyfuncRows(spec, series, examples) };
    });
    const spec = featureSpecFor('instant', 0);
    const examples = buildExamples(series, spec);
    const linear = trainModel('linear', examples, params).toJSON();
    const median = [...loadModel(linear).predict(examples.x)].sort((a, b) => a - b)[examples.x.length >> 1] ?? 0;
    const intercept = (linear.linear?.intercept ?? 0) - median;
    const model = loadModel({ ...linear, linear: { weights: linear.linear?.weights ?? [], intercept } });
    lowered.raw = model.predict(examples.x);
    requests.push({ uri: modelDirectory(cases.length, model), ...pyfuncRows(spec, series, examples) });
    answers = pyfuncPredict(requests);
    lowered = { ...lowered, answer: answers[cases.length] };
  });

  it.each(cases.map((c, i) => [...c, i] as const))(
    'when a %s %s (+%i h) model directory is loaded with mlflow.pyfunc, then it returns what TypeScript serves',
    (_algorithm, _kind, _horizon, i) => {
      const answer = answers[i];
      const want = expected[i] ?? [];

      expect(want.length).toBeGreaterThan(500);
      expect(answer?.runId).toBe(`local-${i}`);
      expect(maxAbsDiff(answer?.predictions ?? [], want)).toBeLessThanOrEqual(tolerance);
    },
  );

  it('when a model outputs less than 0 for some rows, then the pyfunc returns 0 for them, as servedIndex does', () => {
    const { raw, answer } = lowered;
    const negative = raw.filter((v) => v < 0).length;

    expect(negative).toBeGreaterThan(raw.length / 4);
    expect(answer?.predictions.filter((v) => v === 0)).toHaveLength(raw.filter((v) => v <= 0).length);
    expect(maxAbsDiff(answer?.predictions ?? [], raw.map(servedIndex))).toBeLessThanOrEqual(tolerance);
  });
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
