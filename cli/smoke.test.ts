import { AppError } from '../core/errors';

import { seedPredictRequest, servedModelProblems, smokeTest, type ModelAnswer, type PredictAnswer } from './smoke';

const served = { name: 'aqi-eaqi-instant', version: '3', alias: 'champion' };
const predict: PredictAnswer = { european_aqi: 18.4, band: 'good', model: served };
const model: ModelAnswer = { ...served, algorithm: 'random-forest', loaded_at: '2026-11-22T10:00:00.000Z' };

/** A stand-in for fetch that answers by route and remembers the requests. */
function fakeApi(answers: Record<string, { status: number; body: unknown }>) {
  const requests: { route: string; body?: unknown }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    const route = `${init?.method ?? 'GET'} ${new URL(url).pathname}`;
    requests.push({ route, ...(init?.body ? { body: JSON.parse(String(init.body)) as unknown } : {}) });
    const answer = answers[route] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: route } } };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { fetchImpl, requests };
}

describe('airq smoke', () => {
  it('when both routes answer with the promoted version, then there is nothing to report', () => {
    expect(servedModelProblems({ version: '3', modelName: 'aqi-eaqi-instant' }, { predict, model })).toEqual([]);
  });

  it('when the API serves another version, then each route is reported with both versions', () => {
    expect(servedModelProblems({ version: '4' }, { predict, model })).toEqual([
      'POST /predict answered with version 3 (expected 4)',
      'GET /model answered with version 3 (expected 4)',
    ]);
  });

  it('when the API answers as expected, then it sent the seed request and reports what it served', async () => {
    const api = fakeApi({
      'POST /predict': { status: 200, body: predict },
      'GET /model': { status: 200, body: model },
    });

    const lines = await smokeTest('http://api.test', { version: '3' }, api.fetchImpl);

    expect(api.requests[0]).toEqual({ route: 'POST /predict', body: seedPredictRequest });
    expect(lines[0]).toContain('european_aqi 18.4 (good) from aqi-eaqi-instant version 3');
  });

  it('when no model is loaded, then it fails with the API status and error', async () => {
    const noModel = { error: { code: 'NO_MODEL', message: 'no champion of aqi-eaqi-instant is loaded yet' } };
    const api = fakeApi({ 'POST /predict': { status: 503, body: noModel } });

    const error = await smokeTest('http://api.test', { version: '3' }, api.fetchImpl).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(
      'POST /predict answered 503 (NO_MODEL: no champion of aqi-eaqi-instant is loaded yet)',
    );
  });
});
