import type { LoggedPrediction } from '../../core/monitoring/accuracy/predictions';

import { createPredictionRecorder } from './prediction-recorder';

const prediction = (originHour: string, predicted = 20): LoggedPrediction => ({
  modelName: 'aqi-eaqi-forecast-24h',
  modelVersion: '2',
  horizonHours: 24,
  locationId: 'lyon',
  originHour,
  targetHour: originHour,
  predicted,
});

describe('createPredictionRecorder', () => {
  it('when predictions are recorded, then one flush writes them together, in order, and a second writes nothing', async () => {
    const writes: LoggedPrediction[][] = [];
    const recorder = createPredictionRecorder({
      write: async (rows) => void writes.push([...rows]),
      logger: { warn: jest.fn() },
      flushMs: 60_000,
    });

    recorder.record(prediction('2024-12-01T00:00:00Z'));
    recorder.record(prediction('2024-12-01T01:00:00Z'));
    recorder.record(prediction('2024-12-01T02:00:00Z', Number.NaN));
    await recorder.flush();
    await recorder.flush();

    expect(writes.map((rows) => rows.map((r) => r.originHour))).toEqual([
      ['2024-12-01T00:00:00Z', '2024-12-01T01:00:00Z'],
    ]);
  });

  it('when the write fails or the buffer is full, then predictions are dropped with a warning and nothing throws', async () => {
    const warn = jest.fn();
    const recorder = createPredictionRecorder({
      write: () => Promise.reject(new Error('database away')),
      logger: { warn },
      flushMs: 60_000,
      maxRows: 1,
    });

    recorder.record(prediction('2024-12-01T00:00:00Z'));
    recorder.record(prediction('2024-12-01T01:00:00Z'));
    await expect(recorder.flush()).resolves.toBeUndefined();

    expect(warn).toHaveBeenCalledWith({ dropped: 1 }, expect.stringContaining('buffer was full'));
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ rows: 1 }), expect.stringContaining('write failed'));
  });
});
