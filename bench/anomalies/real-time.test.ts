import { decidedOnArrival, shiftEventTimes, summarise } from './real-time';

describe('the real-time latency run', () => {
  const message = (eventTime: string, value: string) => ({ key: 'CAP_001', value, eventTime, sendOffsetMs: 0 });

  it('when event times are moved, then the body and the event time move together and nothing else changes', () => {
    const reading = { sensor_id: 'CAP_001', timestamp: '2024-01-15T00:00:00Z', measurements: { pm2_5: 3 } };

    const [shifted, garbled] = shiftEventTimes(
      [message(reading.timestamp, JSON.stringify(reading)), message(reading.timestamp, '{"sensor_id":')],
      3_600_000,
    );

    expect(shifted?.eventTime).toBe('2024-01-15T01:00:00.000Z');
    expect(JSON.parse(shifted?.value ?? '')).toEqual({ ...reading, timestamp: '2024-01-15T01:00:00.000Z' });
    expect(garbled).toEqual(message('2024-01-15T01:00:00.000Z', '{"sensor_id":'));
  });

  it('when latencies are summarised, then p50 and p95 are nearest ranks and only out-of-range is decided on arrival', () => {
    expect(summarise([5, 1, 4, 2, 3])).toEqual({ measured: 5, p50Ms: 3, p95Ms: 5, maxMs: 5 });
    expect(summarise([])).toEqual({ measured: 0, p50Ms: null, p95Ms: null, maxMs: null });
    expect(decidedOnArrival('out_of_range')).toBe(true);
    expect(decidedOnArrival('spike')).toBe(false);
    expect(decidedOnArrival('repeated_out_of_range')).toBe(false);
  });
});
