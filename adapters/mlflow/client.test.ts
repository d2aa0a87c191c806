import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AppError } from '../../core/errors';

import { createMlflowClient, MlflowRequestError } from './client';

/** What the fake MLflow does with the n-th request; requests past the script get the last answer. */
type Answer = (res: ServerResponse) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const hangUp: Answer = (res) => res.socket?.destroy();

interface Seen {
  method: string;
  url: string;
  body: string;
}

describe('MLflow client against a scripted server', () => {
  let server: Server;
  let baseUrl: string;
  let script: Answer[];
  let seen: Seen[];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body });
        const answer = script[Math.min(seen.length - 1, script.length - 1)];
        answer?.(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const client = () => createMlflowClient(baseUrl, { retries: 2, backoffMs: 1 });
  const failure = (pending: Promise<unknown>) =>
    pending.then(
      () => {
        throw new Error('expected a rejection');
      },
      (err: unknown) => err,
    );

  it('when MLflow answers 503 then 200, then the request is retried and succeeds', async () => {
    script = [
      json(503, { error_code: 'TEMPORARILY_UNAVAILABLE' }),
      json(200, { experiments: [{ experiment_id: '0', name: 'Default' }] }),
    ];

    const experiments = await client().searchExperiments(5);

    expect(experiments).toEqual([{ experiment_id: '0', name: 'Default' }]);
    expect(seen.map((r) => r.url)).toEqual([
      '/api/2.0/mlflow/experiments/search?max_results=5',
      '/api/2.0/mlflow/experiments/search?max_results=5',
    ]);
  });

  it('when MLflow answers 429 with Retry-After, then the request is retried after the wait', async () => {
    script = [json(429, { error_code: 'REQUEST_LIMIT_EXCEEDED' }, { 'retry-after': '0' }), json(200, {})];

    await client().setAlias('aqi', 'challenger', '3');

    expect(seen).toHaveLength(2);
    expect(seen.map((r) => [r.method, JSON.parse(r.body)])).toEqual([
      ['POST', { name: 'aqi', alias: 'challenger', version: '3' }],
      ['POST', { name: 'aqi', alias: 'challenger', version: '3' }],
    ]);
  });

  it('when MLflow keeps answering 500, then the attempts are bounded and the error names the endpoint', async () => {
    script = [json(500, { error_code: 'INTERNAL_ERROR', message: 'database is down' })];

    const err = await failure(client().getRun('r1'));

    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(MlflowRequestError);
    expect((err as AppError).message).toBe(
      'MLflow GET /api/2.0/mlflow/runs/get failed with HTTP 500 INTERNAL_ERROR: database is down',
    );
  });

  it('when creating a model version meets a 503, then it is not retried blindly (the first attempt may have landed)', async () => {
    script = [json(503, { error_code: 'TEMPORARILY_UNAVAILABLE' })];

    const err = await failure(client().createModelVersion({ name: 'aqi', source: 's', runId: 'r1' }));

    expect(seen).toHaveLength(1);
    expect(err).toBeInstanceOf(MlflowRequestError);
  });

  it('when the connection drops on every attempt, then the retries run out into MLFLOW_UNREACHABLE', async () => {
    script = [hangUp];

    const err = await failure(client().searchRegisteredModels());

    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'MLFLOW_UNREACHABLE', httpStatus: 502 });
    expect((err as AppError).message).toContain('GET /api/2.0/mlflow/registered-models/search (3 attempts)');
  });

  it('when MLflow refuses with a 4xx, then it is not retried and the error carries endpoint, error_code and message', async () => {
    script = [json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Changing param values is not allowed.' })];

    const err = await failure(client().logBatch('r1', { params: { depth: 8 } }));

    expect(seen).toHaveLength(1);
    expect(err).toMatchObject({
      code: 'MLFLOW_REQUEST_FAILED',
      endpoint: 'POST /api/2.0/mlflow/runs/log-batch',
      status: 400,
      errorCode: 'INVALID_PARAMETER_VALUE',
      message:
        'MLflow POST /api/2.0/mlflow/runs/log-batch failed with HTTP 400 INVALID_PARAMETER_VALUE: Changing param values is not allowed.',
    });
  });

  it('when the refusal is an HTML page, then its text is the message', async () => {
    script = [
      (res) => {
        res.writeHead(405, { 'content-type': 'text/html' });
        res.end('<html><title>405 Method Not Allowed</title></html>');
      },
    ];

    const err = await failure(client().finishRun('r1', 'FINISHED'));

    expect((err as AppError).message).toBe(
      'MLflow POST /api/2.0/mlflow/runs/update failed with HTTP 405: 405 Method Not Allowed',
    );
  });

  it('when the body does not match the schema, then MLFLOW_BAD_RESPONSE is raised without retrying', async () => {
    script = [json(200, { run: { info: { run_id: 42 } } })];

    const err = await failure(client().getRun('r1'));

    expect(seen).toHaveLength(1);
    expect(err).toMatchObject({ code: 'MLFLOW_BAD_RESPONSE' });
    expect((err as AppError).message).toContain('GET /api/2.0/mlflow/runs/get answered an unexpected body');
  });

  it('when an optional getter meets RESOURCE_DOES_NOT_EXIST, then it answers undefined', async () => {
    script = [
      json(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=aqi, version=9) not found' }),
    ];

    await expect(client().getModelVersion('aqi', '9')).resolves.toBeUndefined();
    expect(seen.map((r) => r.url)).toEqual(['/api/2.0/mlflow/model-versions/get?name=aqi&version=9']);
  });

  it('when an alias is unset (INVALID_PARAMETER_VALUE) and the model does not list it, then the answer is undefined', async () => {
    script = [
      json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias champion not found.' }),
      json(200, { registered_model: { name: 'aqi', aliases: [{ alias: 'challenger', version: '2' }] } }),
    ];

    await expect(client().getVersionByAlias('aqi', 'champion')).resolves.toBeUndefined();
  });

  it('when the experiment exists already at create time, then the existing id is returned', async () => {
    script = [
      json(404, { error_code: 'RESOURCE_DOES_NOT_EXIST' }),
      json(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Experiment(name=aqi) already exists.' }),
      json(200, { experiment: { experiment_id: '7', name: 'aqi', lifecycle_stage: 'active' } }),
    ];

    await expect(client().getOrCreateExperiment('aqi')).resolves.toBe('7');
    expect(seen.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('when runs are found by tag, then the filter quotes key and value and every page is read', async () => {
    const run = (id: string) => ({
      info: { run_id: id, experiment_id: '1', status: 'FINISHED', artifact_uri: `mlflow-artifacts:/1/${id}/artifacts` },
      data: { metrics: [{ key: 'rmse', value: 'NaN' }], tags: [{ key: 'aqi.key', value: "it's" }] },
    });
    script = [json(200, { runs: [run('a')], next_page_token: 't1' }), json(200, { runs: [run('b')] })];

    const runs = await client().findRunsByTag('1', 'aqi.key', "it's");

    expect(runs.map((r) => r.runId)).toEqual(['a', 'b']);
    expect(runs[0]?.metrics.rmse).toBeNaN();
    expect(runs[0]?.tags).toEqual({ 'aqi.key': "it's" });
    expect(seen.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { experiment_ids: ['1'], filter: 'tags.`aqi.key` = "it\'s"', max_results: 1000 },
      { experiment_ids: ['1'], filter: 'tags.`aqi.key` = "it\'s"', max_results: 1000, page_token: 't1' },
    ]);
  });

  it('when an artifact is uploaded, then it is PUT to the proxy path derived from the artifact URI', async () => {
    script = [json(200, {})];
    const run = { runId: 'r1', experimentId: '4', artifactUri: 'mlflow-artifacts:/4/r1/artifacts' };

    await client().uploadArtifact(run, 'model/metrics report.json', '{"rmse":1}', 'application/json');

    expect(seen).toEqual([
      {
        method: 'PUT',
        url: '/api/2.0/mlflow-artifacts/artifacts/4/r1/artifacts/model/metrics%20report.json',
        body: '{"rmse":1}',
      },
    ]);
  });
});
