import { AppError } from '../../errors';

import { chooseCleanSensors, planFaults, type PlanSensor, type PlannedFault } from './fault-plan';
import { signalFaultTypes } from './labels';
import { simulationOptions, type SimulationOptionsInput } from './options';
import { RandomStream } from './random';

const sensors: PlanSensor[] = Array.from({ length: 12 }, (_, i) => ({
  sensorId: `CAP_${String(i + 1).padStart(3, '0')}`,
  siteId: ['paris', 'lyon', 'marseille'][i % 3] as string,
  pollutants: ['pm2_5', 'pm10', 'no2'],
}));
const window = { startMs: Date.UTC(2024, 0, 1), intervalMs: 60_000, readings: 7 * 24 * 60 };
const plan = (input: SimulationOptionsInput = {}, seed = 1) =>
  planFaults(sensors, simulationOptions.parse(input), window, new RandomStream(seed, ['faults']));

describe('the fault plan', () => {
  it('when the default mix is planned, then every type is there, counted from the rates, and none is left out', () => {
    const { faults, clean, unplaced } = plan();
    const count = (type: string) => faults.filter((f) => f.type === type).length;
    const faultySensorDays = (sensors.length - clean.size) * 7;

    expect(clean.size).toBe(3);
    expect(count('spike')).toBe(Math.round(0.25 * faultySensorDays));
    expect(count('drift')).toBe(Math.max(1, Math.round(0.02 * faultySensorDays)));
    expect(signalFaultTypes.every((t) => count(t) > 0)).toBe(true);
    expect(['duplicate', 'late', 'malformed'].every((t) => count(t) > 0)).toBe(true);
    expect(unplaced).toEqual({});
  });

  it('when faults are placed, then clean sensors have none and each sensor’s faults keep their gaps', () => {
    const { faults, clean } = plan();
    const spacing = { gap: 120, deliveryGap: 30 };

    expect(faults.filter((f) => clean.has(f.sensorId))).toEqual([]);
    for (const sensor of sensors) {
      const mine = faults.filter((f) => f.sensorId === sensor.sensorId).sort((a, b) => a.first - b.first);
      mine.slice(1).forEach((fault, i) => {
        const before = mine[i] as PlannedFault;
        const delivery = [fault, before].some((f) => ['duplicate', 'late', 'malformed'].includes(f.type));
        expect(fault.first - before.last).toBeGreaterThan(delivery ? spacing.deliveryGap : spacing.gap);
      });
    }
    // Readings are a minute apart: no fault in the 6 h warm-up, none ending in the last 2 h.
    expect(Math.min(...faults.map((f) => f.first))).toBeGreaterThanOrEqual(360);
    expect(Math.max(...faults.filter((f) => f.type === 'spike').map((f) => f.last))).toBeLessThan(
      window.readings - 120,
    );
  });

  it('when sensors are kept clean, then each site gets one before any gets two', () => {
    const clean = chooseCleanSensors(sensors, 0.25, new RandomStream(9));
    const sites = sensors.filter((s) => clean.has(s.sensorId)).map((s) => s.siteId);

    expect(new Set(sites)).toEqual(new Set(['paris', 'lyon', 'marseille']));
    expect(chooseCleanSensors(sensors, 0, new RandomStream(9)).size).toBe(1);
    expect(chooseCleanSensors(sensors, 0.95, new RandomStream(9)).size).toBe(11);
  });

  it('when the rates change, then the clean sensors stay the same', () => {
    expect(plan({ faults: { kind: 'rates', perSensorDay: { spike: 2 } } }).clean).toEqual(plan().clean);
  });

  it('when a schedule names faults, then they are placed where it says and unnamed sensors are clean', () => {
    const { faults, clean } = plan({
      faults: {
        kind: 'schedule',
        faults: [
          { sensor_id: 'CAP_002', type: 'flatline', measurement: 'no2', start: '2024-01-02T10:00:30Z', minutes: 90 },
          { sensor_id: 'CAP_005', type: 'dropout', start: '2024-01-03T00:00:00Z' },
        ],
      },
    });

    expect(faults.map((f) => [f.sensorId, f.type, f.measurement, f.first, f.last - f.first + 1])).toEqual([
      ['CAP_002', 'flatline', 'no2', 24 * 60 + 10 * 60 + 1, 90],
      ['CAP_005', 'dropout', undefined, 2 * 24 * 60, expect.any(Number)],
    ]);
    expect(clean.size).toBe(10);
  });

  it('when a schedule names an unknown sensor, a time outside the window or every sensor, then it is refused', () => {
    const schedule = (faults: object[]) => () =>
      plan({ faults: { kind: 'schedule', faults } } as SimulationOptionsInput);
    const at = '2024-01-02T00:00:00Z';

    expect(schedule([{ sensor_id: 'CAP_099', type: 'spike', start: at }])).toThrow(/no simulated sensor CAP_099/);
    expect(schedule([{ sensor_id: 'CAP_001', type: 'spike', start: '2024-02-01T00:00:00Z' }])).toThrow(
      /outside the simulated window/,
    );
    expect(schedule(sensors.map((s) => ({ sensor_id: s.sensorId, type: 'late', start: at })))).toThrow(AppError);
  });

  it('when the window is too short for long faults, then they are counted as unplaced, not squeezed in', () => {
    const short = planFaults(
      sensors,
      simulationOptions.parse({ days: 0.5 }),
      { ...window, readings: 12 * 60 },
      new RandomStream(1, ['faults']),
    );

    expect(short.unplaced.drift ?? 0).toBeGreaterThan(0);
    expect(short.faults.every((f) => f.last - f.first + 1 <= 12 * 60 * 0.4)).toBe(true);
  });
});
