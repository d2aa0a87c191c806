import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { assessNeighbours, type SensorHourlyMean } from './neighbours';

const hour = '2024-03-01T10:00:00Z';
/** Sensors a few hundred metres apart in Paris. */
const near = (i: number) => ({ lat: 48.85 + i * 0.003, lon: 2.35 + i * 0.003 });
const mean = (sensorId: string, i: number, value: number): SensorHourlyMean => ({ sensorId, location: near(i), value });
const assess = (means: SensorHourlyMean[]) => assessNeighbours({ hour, measurement: 'pm2_5', means }, thresholds);

describe('assessNeighbours', () => {
  /** Neighbours 10, 11, 12, 13: median 11.5, MAD 1. */
  const neighbours = [mean('A', 0, 10), mean('B', 1, 11), mean('C', 2, 12), mean('D', 3, 13)];
  const threshold = Math.max(
    thresholds.neighbourK * 1.4826 * 1,
    thresholds.measurements.pm2_5.neighbourMinDifference,
    thresholds.neighbourMinRelative * 11.5,
  );

  it('when a sensor is just within the threshold of its neighbours median, then it agrees; just beyond, it disagrees', () => {
    const within = assess([...neighbours, mean('X', 4, 11.5 + threshold - 0.01)]).find((a) => a.sensorId === 'X');
    const beyond = assess([...neighbours, mean('X', 4, 11.5 + threshold + 0.01)]).find((a) => a.sensorId === 'X');

    expect(within).toMatchObject({ judged: true, neighbours: 4, median: 11.5 });
    expect(within?.finding).toBeUndefined();
    expect(within?.threshold).toBeCloseTo(threshold, 9);
    expect(beyond?.finding).toMatchObject({
      sensorId: 'X',
      type: 'neighbour_disagreement',
      measurement: 'pm2_5',
      start: '2024-03-01T10:00:00.000Z',
      end: '2024-03-01T10:00:00.000Z',
    });
    expect(beyond?.finding?.score).toBeCloseTo((threshold + 0.01) / threshold, 9);
  });

  it('when one sensor is far off, then only it disagrees: its neighbours median ignores it', () => {
    const assessments = assess([...neighbours, mean('X', 4, 80)]);

    expect(assessments.filter((a) => a.finding).map((a) => a.sensorId)).toEqual(['X']);
    expect(assessments.map((a) => a.sensorId)).toEqual(['A', 'B', 'C', 'D', 'X']);
  });

  it('when a sensor has fewer than 3 neighbours within the radius, then it is not judged', () => {
    const far = { sensorId: 'FAR', location: { lat: 49.2, lon: 2.35 }, value: 500 };
    const assessments = assess([mean('A', 0, 10), mean('B', 1, 11), mean('C', 2, 12), far]);

    expect(assessments.find((a) => a.sensorId === 'FAR')).toEqual({ sensorId: 'FAR', neighbours: 0, judged: false });
    expect(assessments.find((a) => a.sensorId === 'A')).toEqual({ sensorId: 'A', neighbours: 2, judged: false });
  });
});
