import type { ForecastHistory } from '../../adapters/postgres/latest-history';
import { formatObservedAt, type Reading } from '../../core/air-quality/reading';
import { hourMs, type LocationSeries } from '../../core/ml/dataset';
import { buildExamples, featureSpecFor, forecastFeatures } from '../../core/ml/features';
import { loadModel, trainingParams, trainModel } from '../../core/ml/models';
import { syntheticSeries } from '../../core/ml/synthetic-series';
import { serveApp } from '../../test/support/serve-app';
import type { LoadedModel, ModelStore } from '../models/model-store';

/**
 * GET /forecast over an in-memory history with the store's semantics (the SQL itself runs in the
 * integration tests against the bundled data) and a real +24 h linear model.
 */
const year = syntheticSeries('lyon', 24 * 20);
const lastOfYear = year.readings.at(-1)?.observedAt ?? '';
/** Like the bundled June 2025 export: two days, months after the rest. */
const june = syntheticSeries('lyon', 48, { start: formatObservedAt(Date.parse(lastOfYear) + 150 * 24 * hourMs) });
const lastOfJune = june.readings.at(-1)?.observedAt ?? '';

const spec = featureSpecFor('forecast', 24);
const model = loadModel(trainModel('linear', buildExamples([year], spec), trainingParams.parse({})).toJSON());
const plus24: LoadedModel = {
  name: 'aqi-eaqi-forecast-24h',
  version: '7',
  alias: 'champion',
  runId: 'r7',
  model,
  metrics: {},
  tags: {},
  loadedAt: '2026-01-01T00:00:00.000Z',
};

const store: ModelStore = {
  get: (name) => (name === plus24.name ? plus24 : undefined),
  list: () => [plus24],
  reload: () => Promise.resolve([]),
  startPolling() {},
  stop() {},
};

/** What adapters/postgres/latest-history.ts answers, computed over arrays. */
function memoryHistory(stored: Record<string, Reading[]>): ForecastHistory {
  const ms = (r: Reading) => Date.parse(r.observedAt);
  return {
    historyAt(locationId, hours, at) {
      const upTo = (stored[locationId] ?? []).filter((r) => at === undefined || ms(r) <= Date.parse(at));
      const last = upTo.at(-1);
      if (!last) return Promise.resolve(undefined);
      const readings = upTo.filter((r) => ms(r) >= ms(last) - hours * hourMs);
      return Promise.resolve({ at: last.observedAt, readings });
    },
    latestStoredHour: (locationId) => Promise.resolve(stored[locationId]?.at(-1)?.observedAt),
    latestHourWithHistory(locationId, need) {
      const rows = (stored[locationId] ?? []).filter((r) => need.variables.every((v) => r.values[v] != null));
      const complete = rows.filter((r, i) => {
        const start = rows[i - need.hours];
        return start !== undefined && ms(start) === ms(r) - need.hours * hourMs;
      });
      return Promise.resolve(complete.at(-1)?.observedAt);
    },
  };
}

async function serve(stored: Record<string, Reading[]>) {
  const { url, close } = await serveApp({
    models: store,
    serving: { predictModel: 'aqi-eaqi-instant', maxBatchRows: 5, maxBodyBytes: '2kb' },
    forecast: { store, history: memoryHistory(stored) },
  });
  return {
    get: async (path: string) => {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close,
  };
}

const plusHours = (iso: string, h: number) => formatObservedAt(Date.parse(iso) + h * hourMs);
const expectedAqi = (series: LocationSeries, at: string) =>
  Math.max(0, model.predict([forecastFeatures(series, at, spec) ?? []])[0] ?? Number.NaN);

describe('GET /forecast', () => {
  it('when the latest stored hours lack history, then the forecast starts at the latest hour that has it, and says so', async () => {
    const api = await serve({ lyon: [...year.readings, ...june.readings] });
    try {
      const { status, body } = await api.get('/forecast?location=lyon&hours=24');

      expect(status).toBe(200);
      expect(body).toMatchObject({
        location: 'lyon',
        at: lastOfYear,
        target: plusHours(lastOfYear, 24),
        latest_stored_hour: lastOfJune,
        model: { name: 'aqi-eaqi-forecast-24h', version: '7', alias: 'champion' },
      });
      expect(body.note).toContain(`the latest stored hour, ${lastOfJune}, lacks the 48 h of history`);
      expect(body.european_aqi).toBeCloseTo(expectedAqi(year, lastOfYear), 9);
    } finally {
      api.close();
    }
  });

  it('when the latest stored hour has its history, then the forecast starts there and carries no note', async () => {
    const api = await serve({ lyon: year.readings });
    try {
      const { status, body } = await api.get('/forecast?location=lyon&hours=24');

      expect(status).toBe(200);
      expect(body).toMatchObject({ at: lastOfYear, latest_stored_hour: lastOfYear, target: plusHours(lastOfYear, 24) });
      expect(body).not.toHaveProperty('note');
    } finally {
      api.close();
    }
  });

  it('when `at` is given in hours without history, then 422 names the hour; with history, it is used as asked', async () => {
    const api = await serve({ lyon: [...year.readings, ...june.readings] });
    try {
      const gap = await api.get(`/forecast?location=lyon&hours=24&at=${lastOfJune}`);
      expect(gap.status).toBe(422);
      expect(gap.body.error).toMatchObject({ code: 'NO_HISTORY', message: expect.stringContaining(lastOfJune) });

      const asked = plusHours(lastOfYear, -30);
      const backtest = await api.get(`/forecast?location=lyon&hours=24&at=${asked}`);
      expect(backtest.status).toBe(200);
      expect(backtest.body).toMatchObject({ at: asked, target: plusHours(asked, 24) });
      expect(backtest.body).not.toHaveProperty('latest_stored_hour');
    } finally {
      api.close();
    }
  });

  it('when no hour has the history, the place is unknown or the horizon has no champion, then 422 or 404 says why', async () => {
    // Marseille: complete PM history, but no UV for its last 30 hours (more than the hours searched back).
    const marseille = year.readings.map((r, i, all) =>
      i >= all.length - 30 ? { ...r, values: { ...r.values, uv_index: null } } : r,
    );
    const api = await serve({ lyon: [...year.readings, ...june.readings], paris: june.readings, marseille });
    try {
      const short = await api.get('/forecast?location=paris&hours=24');
      expect(short.status).toBe(422);
      expect(short.body.error).toMatchObject({ code: 'NO_HISTORY', message: expect.stringContaining(lastOfJune) });

      const noUv = await api.get('/forecast?location=marseille&hours=24');
      expect(noUv.status).toBe(422);
      expect(noUv.body.error).toMatchObject({
        message: expect.stringContaining('lack other values the features need'),
      });

      const unknown = await api.get('/forecast?location=nowhere&hours=24');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'NO_HISTORY' });

      const horizon = await api.get('/forecast?location=lyon&hours=6');
      expect(horizon.status).toBe(404);
      expect(horizon.body.error).toMatchObject({
        code: 'NO_MODEL',
        message: expect.stringContaining('served horizons: 24'),
      });
    } finally {
      api.close();
    }
  });
});
