import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { partitionForKey } from '../../adapters/kafka/partition';
import { createDetectorState, type DetectorState } from '../../core/sensors/detector/detector-state';
import { simulate } from '../../core/sensors/simulator/simulate';
import { topics } from '../../core/topics';
import { decodeSensorRecord } from '../../workers/detector/decode';

import { rawPartitions, scenarioThresholds } from './quality';
import { lyonReference, scenarioOptions, type ScenarioArgs } from './scenario';

/**
 * Detector memory per N sensors, in this process: sensors simulated in groups of up to 2,000 (the
 * simulator's limit; each group its own prefix and seed) for three hours, so every window is full (the
 * spike window is 120 readings, the step windows 2 × 30), fed to one `DetectorState` per partition as the
 * process keeps them. Measured after a full garbage collection: the heap the states hold (heap with them
 * minus heap after dropping them), the whole snapshot per partition and the checkpoints the process stores
 * (JSON characters), and the process's RSS.
 */

function collect(): void {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mib = (bytes: number) => bytes / 1024 / 1024;

export function memoryReport(scenario: ScenarioArgs, sensors: number) {
  const group = Math.min(2000, sensors);
  const hours = 3;
  const detectors = new Map<number, DetectorState>();
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  let readings = 0;
  let thresholds;
  for (let done = 0, g = 0; done < sensors; done += group, g++) {
    const count = Math.min(group, sensors - done);
    const simulation = simulate(
      scenarioOptions({
        ...scenario,
        seed: scenario.seed + g,
        sensors: count,
        days: hours / 24,
        prefix: `M${String.fromCharCode(65 + (g % 26))}${Math.floor(g / 26)}`,
        mix: {
          kind: 'rates',
          perSensorDay: {
            spike: 0,
            out_of_range: 0,
            flatline: 0,
            dropout: 0,
            step: 0,
            drift: 0,
            neighbour_disagreement: 0,
            duplicate: 0,
            late: 0,
            malformed: 0,
          },
          cleanSensorFraction: 0.25,
        },
      }),
      [lyonReference()],
    );
    thresholds ??= scenarioThresholds(simulation);
    const now = simulation.window.end;
    for (const message of simulation.messages) {
      const decoded = decodeSensorRecord({ key: Buffer.from(message.key), value: Buffer.from(message.value) });
      if (!decoded.ok) continue;
      const partition = partitionForKey(message.key, rawPartitions, topics.sensorsRaw);
      let detector = detectors.get(partition);
      if (detector === undefined) {
        detector = createDetectorState(thresholds);
        detectors.set(partition, detector);
      }
      detector.ingest([decoded.reading], { now });
      readings++;
    }
  }
  collect();
  const withStates = process.memoryUsage();
  let snapshotChars = 0;
  let pending = 0;
  const snapshotStarted = performance.now();
  for (const detector of detectors.values()) {
    const snapshot = detector.snapshot();
    pending += snapshot.pending.length;
    snapshotChars += JSON.stringify(snapshot).length;
  }
  const snapshotSeconds = (performance.now() - snapshotStarted) / 1000;
  // As stored: the partition part, one checkpoint per sensor (every sensor is touched since creation) and a
  // row per queued reading.
  let storedChars = 0;
  const storedStarted = performance.now();
  for (const detector of detectors.values()) {
    const { partition, sensors: checkpoints, queued } = detector.snapshotChanges();
    storedChars += JSON.stringify(partition).length;
    for (const checkpoint of checkpoints) storedChars += JSON.stringify(checkpoint).length;
    for (const reading of queued) storedChars += JSON.stringify(reading).length;
  }
  const storedSeconds = (performance.now() - storedStarted) / 1000;
  detectors.clear();
  collect();
  const heapAfter = process.memoryUsage().heapUsed;
  const result = {
    sensors,
    readings,
    hoursPerSensor: hours,
    stateHeapMiB: mib(withStates.heapUsed - heapAfter),
    heapGrowthMiB: mib(withStates.heapUsed - heapBefore),
    snapshotMiB: mib(snapshotChars),
    snapshotBytesPerSensor: snapshotChars / sensors,
    queuedReadings: pending,
    snapshotSeconds,
    storedMiB: mib(storedChars),
    storedBytesPerSensor: storedChars / sensors,
    storedSeconds,
    rssMiB: mib(withStates.rss),
  };
  console.log(
    `\n## Detector memory (${sensors} sensors, ${hours} h each, ${readings} readings, 3 partitions)\n` +
      `- state on the heap: **${result.stateHeapMiB.toFixed(0)} MiB** (${((result.stateHeapMiB * 1024 * 1024) / sensors / 1024).toFixed(1)} KiB per sensor); ` +
      `whole snapshot JSON (all partitions): **${result.snapshotMiB.toFixed(1)} MiB** (${Math.round(result.snapshotBytesPerSensor)} characters per sensor, ` +
      `${pending} queued readings included), stringified in ${snapshotSeconds.toFixed(2)} s; ` +
      `as stored (partition parts, one checkpoint per sensor and a row per queued reading: what chunks touching every sensor write): **${result.storedMiB.toFixed(1)} MiB** ` +
      `(${Math.round(result.storedBytesPerSensor)} characters per sensor), built and stringified in ${storedSeconds.toFixed(2)} s; ` +
      `process RSS with the states ${result.rssMiB.toFixed(0)} MiB`,
  );
  return result;
}
