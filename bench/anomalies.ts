/**
 * Benchmark: sensor anomaly detection (issue 13): quality on a labelled run, and the detector process's
 * throughput, latency and memory.
 *
 *   npm run bench:anomalies -- --help
 *   npm run bench:anomalies                           (quality, default scenario, about 10 s, no stack)
 *   npm run bench:anomalies -- --seeds 1,2,3          (quality over several seeds)
 *   npm run bench:anomalies -- --mode memory          (detector state for 10,000 sensors, no stack)
 *   npm run bench:anomalies -- --mode stack           (throughput, latency, two detectors: starts a stack)
 *
 * Scenario: simulated sensors around Lyon from the bundled 2024 export (Air quality data by Open-Meteo.com
 * (CAMS), CC BY 4.0), by default 24 sensors × 7 days × a reading a minute from 2024-01-15, every fault type
 * at the simulator's default mix, seed 20240115. See docs/benchmarks.md ("Anomaly detection").
 */
import { parseArgs } from 'node:util';

import { defaultSimulationOptions } from '../core/sensors/simulator/options';

import { memoryReport } from './anomalies/memory';
import { qualityReport } from './anomalies/quality-report';
import { defaultStart, parseFaultMix, type ScenarioArgs } from './anomalies/scenario';
import { stackPhases, stackReport, type StackPhase } from './anomalies/stack-run';

const help = `bench:anomalies — detection quality, throughput, latency and memory of the sensor anomaly detector

Usage: npm run bench:anomalies -- [options]

Modes (--mode, default quality):
  quality   in one process, no stack: the scenario's messages routed to 3 partitions as kafkajs would,
            one DetectorState per partition, then the daily batch (runDailyRollup) over the checked
            readings; scored with evaluateDetections: precision, recall and delay per fault type, false
            alarms per clean sensor-day, delivery faults; with --seeds, one line per seed and the range
  memory    detector state for --memory-sensors sensors (default 10,000): snapshot JSON size and RSS
  stack     starts a scratch stack (ports = the test stack's + AQI_TEST_PORT_OFFSET, default 700; the
            tools from AQI_TOOLS_DIR) with its supervised detector process, runs --phases, then stops and
            removes the stack:
              throughput  produce the scenario as fast as one producer goes, until every reading is
                          stored (sensor_readings) and published on sensors.processed; anomalies compared
                          with the detector core's
              backlog     the same volume produced while the detector is stopped, then drained
              latency     a steady --rate readings/s with spikes and out-of-range values: produce of the
                          deciding reading → its message on sensors.anomalies, p50 / p95, apart for
                          what is decided on arrival (out of range) and at release (after the lateness);
                          in real time (default) it runs last
              two         a second detector process joins the group; the anomaly set of a new scenario
                          compared with one uninterrupted core run
  all       quality, memory, stack

Scenario:
  --seed N              simulator seed (default ${defaultSimulationOptions.seed})
  --seeds a,b,c         quality over several seeds
  --sensors N           sensors (default ${defaultSimulationOptions.sensors}; the simulator allows up to 2,000)
  --days D              days (default ${defaultSimulationOptions.days})
  --interval S          seconds between readings (default ${defaultSimulationOptions.intervalSeconds})
  --start ISO           first reading (default ${defaultStart}; the Lyon data covers 2024)
  --mix JSON            fault mix: rates per sensor-day ('{"spike":0.5,"step":0.1}', others at their
                        defaults) or a whole FaultMix ('{"kind":"rates","perSensorDay":{…},
                        "cleanSensorFraction":0.25}' or '{"kind":"schedule","faults":[…]}')
  --thresholds JSON     detector threshold overrides (core/sensors/thresholds/), for trying a change
  --list-false-positives  quality: print every anomaly that matched no label, with its likely cause
  --no-rollup           quality: the stream detector alone, without the daily batch (runDailyRollup over the
                        checked readings) that decides drift and neighbour disagreement

Stack mode:
  --phases a,b             of throughput, backlog, latency, two (default: all, in that order)
  --throughput-sensors N   sensors for the throughput and backlog runs (default: --sensors)
  --throughput-days D      days for the throughput and backlog runs (default: --days)
  --rate R                 readings/s of the latency run (default 1000)
  --latency-clock C        real (default): --rate sensors × a reading a second, event times = wall time,
                           so the allowed lateness is 300 s of wall time; simulated: --sensors and
                           --interval, the simulated clock running rate × interval / sensors times real time
  --latency-seconds S      length of the latency run (default 600 in real time, 60 simulated; in real time
                           the spikes of its last lateness are not released within the run, so not timed)
  --keep-logs DIR          copy the stack's logs (detector.log, …) to DIR before removing the stack
  --json FILE              also write the results as JSON
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'quality' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      sensors: { type: 'string' },
      days: { type: 'string' },
      interval: { type: 'string' },
      start: { type: 'string' },
      mix: { type: 'string' },
      thresholds: { type: 'string' },
      'list-false-positives': { type: 'boolean', default: false },
      'no-rollup': { type: 'boolean', default: false },
      'memory-sensors': { type: 'string' },
      'throughput-sensors': { type: 'string' },
      'throughput-days': { type: 'string' },
      phases: { type: 'string' },
      'keep-logs': { type: 'string' },
      rate: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'latency-clock': { type: 'string', default: 'real' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const number = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(parsed)) throw new Error(`--${name}: a number, got "${raw}"`);
    return parsed;
  };
  const scenario: ScenarioArgs = {
    seed: number('seed', values.seed, defaultSimulationOptions.seed),
    sensors: number('sensors', values.sensors, defaultSimulationOptions.sensors),
    days: number('days', values.days, defaultSimulationOptions.days),
    intervalSeconds: number('interval', values.interval, defaultSimulationOptions.intervalSeconds),
    start: values.start ?? defaultStart,
    ...(values.mix === undefined ? {} : { mix: parseFaultMix(values.mix) }),
  };
  const thresholds: unknown = values.thresholds === undefined ? {} : JSON.parse(values.thresholds);
  const seeds = values.seeds?.split(',').map((s) => number('seeds', s, 0));
  const mode = values.mode;
  if (!['quality', 'memory', 'stack', 'all'].includes(mode)) throw new Error(`--mode: unknown "${mode}"\n\n${help}`);
  const results: Record<string, unknown> = {};

  if (mode === 'quality' || mode === 'all') {
    results.quality = qualityReport(scenario, {
      rollup: !values['no-rollup'],
      seeds,
      thresholds,
      listFalsePositives: values['list-false-positives'],
    });
  }
  if (mode === 'memory' || mode === 'all') {
    results.memory = memoryReport(scenario, number('memory-sensors', values['memory-sensors'], 10_000));
  }
  if (mode === 'stack' || mode === 'all') {
    const phases = (values.phases?.split(',') ?? [...stackPhases]) as StackPhase[];
    const unknown = phases.filter((p) => !stackPhases.includes(p));
    if (unknown.length > 0) throw new Error(`--phases: unknown ${unknown.join(', ')} (of ${stackPhases.join(', ')})`);
    const latencyClock = values['latency-clock'];
    if (latencyClock !== 'real' && latencyClock !== 'simulated') {
      throw new Error(`--latency-clock: real or simulated, got "${latencyClock}"`);
    }
    results.stack = await stackReport(scenario, {
      phases,
      throughputSensors: number('throughput-sensors', values['throughput-sensors'], scenario.sensors),
      throughputDays: number('throughput-days', values['throughput-days'], scenario.days),
      rate: number('rate', values.rate, 1000),
      latencySeconds: number('latency-seconds', values['latency-seconds'], latencyClock === 'real' ? 600 : 60),
      latencyClock,
      thresholds,
      ...(values['keep-logs'] === undefined ? {} : { keepLogs: values['keep-logs'] }),
    });
  }
  if (values.json !== undefined) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  }
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
