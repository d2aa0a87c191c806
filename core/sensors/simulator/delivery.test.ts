import { sensorReading, type SensorReading } from '../reading';

import { deliver, malformedJson, readingJson, type DeliveryFault, type DeliveryInput } from './delivery';
import { malformedVariants } from './fault-shapes';
import { RandomStream } from './random';

const reading: SensorReading = {
  sensor_id: 'CAP_001',
  timestamp: '2024-01-15T14:30:00Z',
  location: { lat: 48.8566, lon: 2.3522 },
  measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
};
const parses = (text: string) => {
  try {
    return sensorReading.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
};

const readings = 120;
function input(faults: DeliveryFault[] = [], dropped = new Uint8Array(readings), outOfOrderRate = 0.1): DeliveryInput {
  const values = Float64Array.from({ length: readings }, (_, k) => 10 + k);
  return {
    sensor: { sensorId: 'CAP_001', lat: 45.75, lon: 4.85 },
    series: { pm2_5: values, pm10: values, no2: values },
    dropped,
    faults,
    window: { startMs: Date.UTC(2024, 0, 1), intervalMs: 60_000, readings },
    settings: { allowedLatenessSeconds: 300, outOfOrderRate, minLatencyMs: 200, maxLatencyMs: 2000 },
  };
}
const lateness = (m: { eventTime: string; sendOffsetMs: number }) =>
  Date.UTC(2024, 0, 1) + m.sendOffsetMs - Date.parse(m.eventTime);

describe('message encoding', () => {
  it('when a reading is encoded, then it is the contract’s JSON and parses back to the same reading', () => {
    expect(readingJson(reading)).toBe(
      '{"sensor_id":"CAP_001","timestamp":"2024-01-15T14:30:00Z","location":{"lat":48.8566,"lon":2.3522},"measurements":{"pm2_5":12.5,"pm10":25.3,"no2":40.2}}',
    );
    expect(sensorReading.parse(JSON.parse(readingJson(reading)))).toEqual(reading);
  });

  it('when a message is malformed, then no variant parses as a reading while the original does', () => {
    expect(parses(readingJson(reading))).toBe(true);
    expect(malformedVariants.map((v) => parses(malformedJson(reading, v)))).toEqual(malformedVariants.map(() => false));
  });

  it('when a sentinel or a negative value is sent, then it is still a valid reading (the detector flags it)', () => {
    expect(parses(readingJson({ ...reading, measurements: { ...reading.measurements, pm2_5: -999 } }))).toBe(true);
    expect(parses(readingJson({ ...reading, measurements: { ...reading.measurements, no2: -3.2 } }))).toBe(true);
  });
});

describe('delivery of one sensor’s readings', () => {
  it('when nothing goes wrong, then every reading is sent once, shortly after its event time or within the lateness', () => {
    const { messages, outOfOrder } = deliver(input(), new RandomStream(1));
    const delays = messages.map(lateness);

    expect(messages).toHaveLength(readings);
    expect(outOfOrder).toBeGreaterThan(0);
    expect(delays.filter((d) => d > 2000)).toHaveLength(outOfOrder);
    expect(Math.max(...delays)).toBeLessThanOrEqual(150_000 + 2000);
    expect(Math.min(...delays.filter((d) => d > 2000))).toBeGreaterThan(60_000);
  });

  it('when readings drop out, then they are not sent, and the others keep their send times', () => {
    const dropped = new Uint8Array(readings).fill(1, 10, 40);

    const all = deliver(input(), new RandomStream(1)).messages;
    const some = deliver(input([], dropped), new RandomStream(1)).messages;

    expect(some).toHaveLength(readings - 30);
    expect(some).toEqual(all.filter((_, k) => k < 10 || k >= 40));
  });

  it('when a reading is duplicated, late or malformed, then it is sent twice, past the lateness or unreadable', () => {
    const faults: DeliveryFault[] = [
      { index: 5, effect: { kind: 'duplicate', delayMs: 7000 } },
      { index: 20, effect: { kind: 'late', delayMs: 600_000 } },
      { index: 30, effect: { kind: 'malformed', variant: 'bad_json' } },
    ];

    const { messages } = deliver(input(faults, undefined, 0), new RandomStream(1));
    const at = (minute: number) =>
      messages.filter((m) => m.eventTime === `2024-01-01T00:${String(minute).padStart(2, '0')}:00Z`);

    expect(at(5)).toHaveLength(2);
    expect(at(5)[1]?.value).toBe(at(5)[0]?.value);
    expect((at(5)[1]?.sendOffsetMs ?? 0) - (at(5)[0]?.sendOffsetMs ?? 0)).toBe(7000);
    expect(at(20).map(lateness)).toEqual([600_000]);
    expect(at(30).map((m) => parses(m.value))).toEqual([false]);
    expect(messages.filter((m) => !parses(m.value))).toHaveLength(1);
  });
});
