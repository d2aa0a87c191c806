import { testConfig } from './test-env';

const { api } = testConfig();

describe('API process started by the stack', () => {
  it('when /health is called, then it answers 200 with status ok', async () => {
    const response = await fetch(`${api.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when /ready is called with the stack up, then the champion and every dependency are reported ready', async () => {
    const response = await fetch(`${api.url}/ready`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { model: { ok: true }, mlflow: { ok: true }, postgres: { ok: true }, temporal: { ok: true } },
    });
  });
});
