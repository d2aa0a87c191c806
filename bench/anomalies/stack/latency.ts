import { loadavg } from 'node:os';

import type { Consumer, Kafka, Producer } from 'kafkajs';
import type pg from 'pg';

import { sensorAnomaly, type AnomalyType } from '../../../core/sensors/anomaly';
import { simulationOptions } from '../../../core/sensors/simulator/options';
import { simulate } from '../../../core/sensors/simulator/simulate';
import { topics } from '../../../core/topics';
import { describeStages, scrapeDetector } from '../detector-stages';
import { decidedOnArrival, shiftEventTimes, summarise, type LatencySummary } from '../real-time';
import { lyonReference, scenarioOptions, type ScenarioArgs } from '../scenario';

import { produceInOrder } from './kafka';
import type { StackOptions } from './options';
import { stored, uniquePrefix } from './outcome';
import { sleep, until } from './waiting';

const messageKey = (sensorId: string, time: string) => `${sensorId}|${Date.parse(time)}`;

/** The simulator's allowed lateness (its default unless the options change it): late readings are judged by it. */
function lyonProbeLateness(): number {
  return simulationOptions.parse({}).delivery.allowedLatenessSeconds;
}

/** Latency under a steady rate: from the produce of the reading that decides to the anomaly message. */
export async function latency(
  kafka: Kafka,
  pool: pg.Pool,
  producer: Producer,
  scenario: ScenarioArgs,
  options: StackOptions,
  start: string,
) {
  const prefix = uniquePrefix('L');
  const lateness = lyonProbeLateness();
  const real = options.latencyClock === 'real';
  // Real time: a reading a second from `rate` sensors, so the simulated clock is the wall clock.
  const intervalSeconds = real ? 1 : scenario.intervalSeconds;
  const sensors = real ? Math.round(options.rate * intervalSeconds) : scenario.sensors;
  // Simulated seconds per wall second that make `rate` readings a second (1 in real time).
  const speed = (options.rate * intervalSeconds) / sensors;
  // Enough readings for the spike check to judge (hampelMinReadings, 30) before any fault.
  const warmupMinutes = Math.max(1, Math.ceil((40 * intervalSeconds) / 60));
  const days = (options.latencySeconds * speed) / 86_400 + warmupMinutes / 1440;
  // Per sensor-day: in real time the run is minutes long, so the rates are high to give a few hundred faults.
  const perSensorDay = real ? { spike: 30, out_of_range: 30 } : { spike: 4, out_of_range: 2 };
  const simulation = simulate(
    {
      ...scenarioOptions({ ...scenario, sensors, intervalSeconds, start, prefix, days }),
      faults: {
        kind: 'rates',
        perSensorDay: {
          ...perSensorDay,
          flatline: 0,
          dropout: 0,
          step: 0,
          drift: 0,
          neighbour_disagreement: 0,
          duplicate: 0,
          late: 0,
          malformed: 0,
        },
        cleanSensorFraction: 0,
      },
      // A spike needs the allowed lateness of later readings after it to be released: simulated, none in the
      // last minutes; in real time out-of-range faults run to the end (they are decided on arrival), and the
      // spikes of the last lateness are never released within the run, so not timed.
      spacing: { warmupMinutes, minGapMinutes: real ? 1 : Math.ceil(lateness / 60) + 1, deliveryGapMinutes: 5 },
    },
    [lyonReference()],
  );
  const sentAt = new Map<string, number>();
  const firstSeen = new Map<string, { at: number; detectedAt: string; sensorId: string; type: AnomalyType }>();
  const consumer: Consumer = kafka.consumer({ groupId: `bench-latency-${prefix}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.sensorsAnomalies], fromBeginning: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = performance.now();
      const parsed = sensorAnomaly.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      if (!parsed.success || !parsed.data.sensor_id.startsWith(`${prefix}_`)) return;
      const a = parsed.data;
      if (!firstSeen.has(a.id))
        firstSeen.set(a.id, { at, detectedAt: a.detected_at, sensorId: a.sensor_id, type: a.type });
    },
  });
  await until('latency: consumer joined', async () => joined, 60_000);
  await sleep(1000);
  // Warm-up readings at once (no faults in them), then the rest paced at `rate` by their send times. In real
  // time every event time is moved so that the paced part starts at `pacedFrom` (wall time), after the warm-up.
  const warmupMs = warmupMinutes * 60_000;
  const pacedFrom = Date.now() + 20_000;
  const shiftMs = real ? pacedFrom - (Date.parse(simulation.window.start) + warmupMs) : 0;
  const messages = real ? shiftEventTimes(simulation.messages, shiftMs) : simulation.messages;
  const firstPaced = messages.findIndex((m) => m.sendOffsetMs >= warmupMs);
  await produceInOrder(producer, messages.slice(0, firstPaced));
  if (real) await sleep(Math.max(0, pacedFrom - Date.now()));
  const metricsBefore = await scrapeDetector();
  const startLagMs = real ? Date.now() - pacedFrom : 0;
  const t0 = performance.now();
  const dueAt = (m: { sendOffsetMs: number }) => t0 + (m.sendOffsetMs - warmupMs) / speed;
  // The event span's end: messages sent after it are the simulation's out-of-order ones (up to half the
  // allowed lateness late), a tail that is not the steady rate.
  const spanEnd = t0 + (Date.parse(simulation.window.end) - Date.parse(simulation.window.start) - warmupMs) / speed;
  let inSpan = 0;
  let maxBehindMs = 0;
  let i = firstPaced;
  while (i < messages.length) {
    const now = performance.now();
    let j = i;
    while (j < messages.length && dueAt(messages[j] as { sendOffsetMs: number }) <= now) j++;
    if (j > i) {
      const slice = messages.slice(i, j);
      const at = performance.now();
      maxBehindMs = Math.max(maxBehindMs, at - dueAt(slice[0] as { sendOffsetMs: number }));
      if (at <= spanEnd) inSpan += slice.length;
      for (const m of slice) sentAt.set(messageKey(m.key, m.eventTime), at);
      await producer.send({ topic: topics.sensorsRaw, messages: slice.map((m) => ({ key: m.key, value: m.value })) });
      i = j;
    } else {
      await sleep(2);
    }
  }
  const producedSeconds = (performance.now() - t0) / 1000;
  const pacedMessages = messages.length - firstPaced;
  const signalLabels = simulation.labels.filter((l) => l.kind === 'signal');
  const readingsOf = (l: { start: string; end: string }) =>
    (Date.parse(l.end) - Date.parse(l.start)) / (intervalSeconds * 1000) + 1;
  // One anomaly per out-of-range reading, one per spike.
  const outOfRangeReadings = signalLabels
    .filter((l) => l.type === 'out_of_range')
    .reduce((n, l) => n + readingsOf(l), 0);
  const spikeLabels = signalLabels.filter((l) => l.type === 'spike').length;
  const seen = (onArrival: boolean) => [...firstSeen.values()].filter((a) => decidedOnArrival(a.type) === onArrival);
  await until(
    'latency: anomalies',
    async () => seen(true).length >= outOfRangeReadings && (real || seen(false).length >= spikeLabels),
    30_000,
  ).catch(() => undefined);
  await consumer.disconnect();
  const stages = describeStages(metricsBefore, await scrapeDetector());
  const latencyOf = (anomalies: { at: number; detectedAt: string; sensorId: string }[]) =>
    anomalies.flatMap((a) => {
      const sent = sentAt.get(messageKey(a.sensorId, a.detectedAt));
      return sent === undefined ? [] : [a.at - sent];
    });
  const got = await stored(pool, prefix);
  const snapshot = await pool.query<{ bytes: string | null }>(
    'SELECT sum(pg_column_size(snapshot))::bigint AS bytes FROM sensor_detector_state',
  );
  const result = {
    clock: options.latencyClock,
    sensors: simulation.sensors.length,
    intervalSeconds,
    rateAsked: options.rate,
    rateProduced: pacedMessages / producedSeconds,
    /** Messages sent per second within the event span (the steady rate), and how far sends fell behind schedule. */
    rateInSpan: inSpan / ((spanEnd - t0) / 1000),
    maxBehindMs,
    seconds: producedSeconds,
    speedUp: speed,
    startLagMs,
    latenessWallMs: (lateness * 1000) / speed,
    labels: signalLabels.length,
    outOfRangeReadings,
    spikeLabels,
    anomaliesSeen: firstSeen.size,
    anomaliesStored: got.anomalies.size,
    ...summarise(latencyOf([...firstSeen.values()])),
    onArrival: summarise(latencyOf(seen(true))),
    atRelease: summarise(latencyOf(seen(false))),
    storedSnapshotBytes: Number(snapshot.rows[0]?.bytes ?? 0),
  };
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  const line = (what: string, s: LatencySummary) =>
    `${what}: ${s.measured} timed, **p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}**, max ${ms(s.maxMs)}`;
  const clock = real
    ? `real time: event times = wall time at send (${Math.round(startLagMs)} ms behind at the start), the ${lateness} s allowed lateness is ${lateness} s of wall time`
    : `simulated clock ×${Math.round(speed)}: the ${lateness} s allowed lateness of event time is ${result.latenessWallMs.toFixed(0)} ms of wall time`;
  console.log(
    `- latency (${clock}): ${result.sensors} sensors × a reading every ${intervalSeconds} s, ${Math.round(result.rateInSpan)} readings/s sent over the ${((spanEnd - t0) / 1000).toFixed(0)} s of event time (${Math.round(result.rateProduced)}/s over ${result.seconds.toFixed(0)} s with the out-of-order tail; sends at most ${Math.round(result.maxBehindMs)} ms behind schedule); ` +
      `${spikeLabels} spikes and ${signalLabels.length - spikeLabels} out-of-range faults (${outOfRangeReadings} readings), ${result.anomaliesSeen} anomalies seen on sensors.anomalies; ` +
      `produce of the reading that decides → anomaly message: ${line('decided on arrival (out of range)', result.onArrival)}; ` +
      `${line('decided at release (spikes, rate of change)', result.atRelease)}; stored detector snapshots ${(result.storedSnapshotBytes / 1e6).toFixed(1)} MB; ` +
      `${stages}; load ${loadavg()[0]?.toFixed(1)}`,
  );
  return { result, endsAt: simulation.window.end };
}
