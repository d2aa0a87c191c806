import { readFileSync } from 'node:fs';

import { bundledExports } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../air-quality/open-meteo/csv';

import { type LocationSeries } from './dataset';
import { evaluate } from './evaluation';
import { buildExamples, featureSpecFor, instantFeatures, type InstantInput } from './features';
import { trainingParams, trainModel, type Model } from './models';
import { chronologicalSplit, type ChronologicalSplit } from './split';

/**
 * Model behaviour on the real Lyon 2024 export (Air quality data by Open-Meteo.com (CAMS), CC BY 4.0):
 * trained on January–October, judged on December, with forests small enough for a unit test (the full-size
 * figures are in docs/benchmarks.md, from `npm run bench:training`).
 */
const file = bundledExports.lyon2024;
const bounds = { validationFrom: '2024-11-01T00:00:00Z', testFrom: '2024-12-01T00:00:00Z' };
const smallForest = trainingParams.parse({ randomForest: { nEstimators: 20, maxSamples: 500 } });

describe('EAQI models on Lyon 2024', () => {
  let lyon: LocationSeries;
  let instant: ChronologicalSplit;
  let instantForest: Model;

  beforeAll(() => {
    lyon = { locationId: 'lyon', readings: parseOpenMeteoCsv(readFileSync(file, 'utf8')) };
    instant = chronologicalSplit(buildExamples([lyon], featureSpecFor('instant', 0)), bounds);
    instantForest = trainModel('random-forest', instant.train, smallForest);
  });

  it('when the instant forest is scored on December, then it beats a linear model on the same inputs', () => {
    const linear = trainModel('linear', instant.train, smallForest);

    expect(evaluate(instantForest, instant.test).mae).toBeLessThan(evaluate(linear, instant.test).mae - 2);
  });

  it('when PM2.5 rises with everything else as observed, then the average predicted index never falls', () => {
    const rows: InstantInput[] = lyon.readings
      .filter((r) => r.observedAt >= bounds.testFrom)
      .map((r) => ({
        pm2_5: 0,
        pm10: r.values.pm10 ?? 0,
        carbon_monoxide: r.values.carbon_monoxide ?? 0,
        sulphur_dioxide: r.values.sulphur_dioxide ?? 0,
        uv_index: r.values.uv_index ?? 0,
      }));
    const averageAt = (pm2_5: number) => {
      const predictions = instantForest.predict(rows.map((r) => instantFeatures({ ...r, pm2_5 })));
      return predictions.reduce((s, v) => s + v, 0) / predictions.length;
    };
    const averages = [0, 2, 5, 10, 15, 20, 30, 40, 60, 80, 120].map(averageAt);

    averages.slice(1).forEach((average, i) => expect(average).toBeGreaterThanOrEqual((averages[i] as number) - 1e-9));
    expect(averages.at(-1)).toBeGreaterThan((averages[0] as number) + 20);
  });

  it.each([1, 6, 24])('when the +%d h boosted model is scored on December, then it beats persistence', (h) => {
    const split = chronologicalSplit(buildExamples([lyon], featureSpecFor('forecast', h)), bounds);
    const model = trainModel('boosted-trees', split.train, trainingParams.parse({ boostedTrees: { nEstimators: 50 } }));
    const persistence = trainModel('persistence', split.train, smallForest);

    expect(evaluate(model, split.test).mae).toBeLessThan(evaluate(persistence, split.test).mae);
  });
});
