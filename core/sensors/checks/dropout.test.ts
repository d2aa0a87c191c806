import { dropoutDeadline, isDropoutGap, silentSensors } from './dropout';

const limits = { expectedIntervalMs: 60_000, dropoutIntervals: 2.5, allowedLatenessMs: 300_000 };
const t0 = Date.parse('2024-03-01T00:00:00Z');

describe('dropout', () => {
  it('when the gap is exactly 2.5 intervals, then it is not a dropout; a millisecond longer, it is', () => {
    expect(isDropoutGap(t0, t0 + 150_000, limits)).toBe(false);
    expect(isDropoutGap(t0, t0 + 150_001, limits)).toBe(true);
    expect(isDropoutGap(t0, t0 + 120_000, limits)).toBe(false);
  });

  it('when the watermark minus the lateness passes the deadline, then the sensor is silent, with the same times as the gap rule', () => {
    const deadline = dropoutDeadline(t0, limits);
    const sensors = [
      { sensorId: 'B', lastSeenMs: t0 },
      { sensorId: 'A', lastSeenMs: t0 },
      { sensorId: 'C', lastSeenMs: t0 + 1 },
    ];

    expect(silentSensors(sensors, deadline + limits.allowedLatenessMs, limits)).toEqual([]);
    expect(silentSensors(sensors, deadline + limits.allowedLatenessMs + 1, limits)).toEqual([
      { sensorId: 'A', lastSeenMs: t0, startMs: t0 + 60_000, detectedMs: t0 + 150_000 },
      { sensorId: 'B', lastSeenMs: t0, startMs: t0 + 60_000, detectedMs: t0 + 150_000 },
    ]);
  });
});
