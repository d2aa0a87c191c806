import { startApiCluster, stopApiCluster, type ApiCluster } from './api-cluster-process';
import { testEnv } from './test-env';

/**
 * API_WORKERS=2 against the test stack: two API processes share one port; /metrics sums both, /reload
 * reaches both, SIGTERM drains both and the primary exits 0.
 */
const port = Number(testEnv.API_PORT) + 7;
const url = `http://127.0.0.1:${port}`;
const seed = { data: { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 } };
let api: ApiCluster;

beforeAll(async () => {
  api = await startApiCluster({ port, workers: 2 });
}, 120_000);

afterAll(() => stopApiCluster(api, 'SIGKILL'));

describe('API with API_WORKERS=2', () => {
  it('answers from two processes and /metrics counts the predictions of both', async () => {
    const before = await predictionsCounted();
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(seed),
      });
      expect(response.status).toBe(200);
    }
    // Round-robin hands each process about half: a count from one process only would fall short.
    expect((await predictionsCounted()) - before).toBe(40);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^aqi_api_model_info\{model="aqi-eaqi-instant",version="\d+",alias="champion"\} 1$/m);
  });

  it('reloads in every process at once', async () => {
    const response = await fetch(`${url}/reload`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { reloaded: { name: string; result: string }[] };
    // Every champion in the registry: the two of the global setup, and any horizon another test promoted.
    expect(body.reloaded.map((o) => o.name)).toEqual(
      expect.arrayContaining(['aqi-eaqi-forecast-24h', 'aqi-eaqi-instant']),
    );
    expect(body.reloaded.every((o) => o.result === 'unchanged')).toBe(true);
  });

  it('on SIGTERM to its process group, drains both processes and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => api.child.once('close', (code) => resolve(code)));
    // Each process gets the group's SIGTERM and then the primary's: the second must not cut the drain.
    stopApiCluster(api, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(api.logged('api stopped')).toBe(2);
  }, 30_000);
});

async function predictionsCounted(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^aqi_api_predictions_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}
